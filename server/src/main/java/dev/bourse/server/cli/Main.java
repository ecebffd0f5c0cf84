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
    mixinStandardHelpOptions = true,
    version = "bourse 0.1.0",
    subcommands = {StatCommand.class, HashPasswordCommand.class, CommandLine.HelpCommand.class})
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
            cmd.getErr().println(cmd.getCommandName() + ": " + UserErrors.describe(e));
            if (Boolean.getBoolean("bourse.debug"))
            {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return commandLine;
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
