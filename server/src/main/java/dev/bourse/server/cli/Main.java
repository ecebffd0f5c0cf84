package dev.bourse.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code exchange} command line. Errors the user can fix (bad configuration, a port in use,
 * an unwritable directory) end with one clear line and exit code 2, never a stack trace.
 */
@Command(
    name = "exchange",
    description = "bourse: an event-sourced exchange core (FIX 4.4 in, Chronicle journal, Aeron market data, read models).",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    subcommands = {StartCommand.class, StatCommand.class, ClusterCommand.class, AdminCli.class, HashPasswordCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable
{
    @Override
    public void run()
    {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) ->
        {
            cmd.getErr().println(topCommand(cmd).getCommandName() + ": " + UserErrors.describe(e));
            if (Boolean.getBoolean("bourse.debug"))
            {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        // A bad option or argument is one line naming it and where the help is, as every other error
        // (picocli's default adds the whole usage text; an operations probe found 11 to 15 lines).
        return dev.bourse.journal.tool.OneLineUsageErrors.install(commandLine, "./");
    }

    /** The command under {@code exchange} that {@code cmd} belongs to: errors say "admin: ...", whichever admin subcommand ran. */
    static CommandLine topCommand(final CommandLine cmd)
    {
        CommandLine top = cmd;
        while (top.getParent() != null && top.getParent().getParent() != null)
        {
            top = top.getParent();
        }
        return top;
    }

    /**
     * Relative paths are relative to the working directory, as everywhere; a path that names nothing
     * there but does in the install directory the launcher runs from (-Dbourse.home) is taken from
     * there, so {@code --config config/exchange.properties} finds the example from anywhere.
     */
    static java.nio.file.Path resolve(final java.nio.file.Path path)
    {
        if (path.isAbsolute() || java.nio.file.Files.exists(path))
        {
            return path;
        }
        final String home = System.getProperty("bourse.home");
        final java.nio.file.Path installed = home == null ? null : java.nio.file.Path.of(home).resolve(path);
        return installed != null && java.nio.file.Files.exists(installed) ? installed : path;
    }

    /** Set when a signal stopped the command: the JVM is already exiting and System.exit would block. */
    static volatile boolean exitAfterShutdown;

    public static void main(final String[] args)
    {
        // before any Aeron class loads: a process paused for under 30 s keeps its Aeron clients (a cluster node's above all)
        dev.bourse.cluster.node.PauseTolerance.allowPausesOfThirtySeconds();
        final int code = commandLine().execute(args);
        if (!exitAfterShutdown)
        {
            System.exit(code);
        }
    }
}
