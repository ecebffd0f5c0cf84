package dev.bourse.journal.tool;

import picocli.CommandLine;

/**
 * Every bourse command answers a bad option or argument in one line that names it and where the
 * help is, with exit status 2, as it answers every other error: picocli's default prints the whole
 * usage text (11 to 36 lines), and when an option was also missing it named only that, not the
 * mistyped one (an outside probe: {@code read-models --bogus} said "Missing required option").
 */
public final class OneLineUsageErrors
{
    public static final int USAGE = 2;

    private OneLineUsageErrors()
    {
    }

    /**
     * @param commandLine the command to install it on (its subcommands inherit it when added before)
     * @param prefix      what the user types before the top command: {@code "./"} before "exchange start",
     *                    {@code "./exchange "} before "journal dump". The line is named by the word after
     *                    {@code ./exchange}: "start: ...", "journal: ...", whichever subcommand failed
     */
    public static CommandLine install(final CommandLine commandLine, final String prefix)
    {
        commandLine.setParameterExceptionHandler((e, args) ->
        {
            final CommandLine cmd = e.getCommandLine();
            final String unknown = e instanceof CommandLine.UnmatchedArgumentException ? null : unknownOption(cmd, args);
            final String command = unknownCommand(e);
            final String message = unknown != null ? "Unknown option: '" + unknown + "'"
                : command != null ? "unknown command '" + command + "' (one of: " + String.join(", ", commandNames(cmd)) + ")"
                : e.getMessage();
            final String typed = prefix + cmd.getCommandSpec().qualifiedName(" ");
            final String[] words = typed.substring(typed.indexOf('/') + 1).split(" ");
            cmd.getErr().println((words.length > 1 ? words[1] : words[0]) + ": " + message + " (see " + typed + " --help)");
            cmd.getErr().flush();
            return USAGE;
        });
        return commandLine;
    }

    /**
     * The word given where a command with subcommands takes one and it names none of them, or null:
     * picocli said "Unmatched arguments from index 4: 'frob', 'X'" (an outside tester).
     */
    static String unknownCommand(final CommandLine.ParameterException e)
    {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !e.getCommandLine().getSubcommands().isEmpty()
            && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-"))
        {
            return unmatched.getUnmatched().get(0);
        }
        return null;
    }

    /** The subcommands a user types: picocli's own {@code help} and hidden ones left out. */
    static java.util.List<String> commandNames(final CommandLine cmd)
    {
        final java.util.List<String> names = new java.util.ArrayList<>();
        cmd.getSubcommands().forEach((name, sub) ->
        {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && !sub.getCommandSpec().usageMessage().hidden())
            {
                names.add(name);
            }
        });
        return names;
    }

    /** The first argument that looks like an option the command does not have, or null. */
    static String unknownOption(final CommandLine cmd, final String[] args)
    {
        for (final String arg : args)
        {
            if ("--".equals(arg))
            {
                return null;
            }
            if (arg.startsWith("-") && arg.length() > 1 && !Character.isDigit(arg.charAt(1)))
            {
                final int equals = arg.indexOf('=');
                final String name = equals > 0 ? arg.substring(0, equals) : arg;
                if (cmd.getCommandSpec().findOption(name) == null && !isAncestorOption(cmd, name))
                {
                    return name;
                }
            }
        }
        return null;
    }

    private static boolean isAncestorOption(final CommandLine cmd, final String name)
    {
        for (CommandLine parent = cmd.getParent(); parent != null; parent = parent.getParent())
        {
            if (parent.getCommandSpec().findOption(name) != null)
            {
                return true;
            }
        }
        return false;
    }
}
