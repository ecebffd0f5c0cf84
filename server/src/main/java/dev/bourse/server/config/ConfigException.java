package dev.bourse.server.config;

import java.util.List;

/** The configuration cannot be used; the message lists every problem, one per line, each naming its key. */
public final class ConfigException extends Exception
{
    private final List<String> problems;

    public ConfigException(final String source, final List<String> problems)
    {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    private ConfigException(final String message, final String problem)
    {
        super(message);
        this.problems = List.of(problem);
    }

    /** A problem with the file as a whole (its encoding, no key in it), not a key's: "FILE: problem", in one line. */
    public static ConfigException oneLine(final String source, final String problem)
    {
        return new ConfigException(source + ": " + problem, problem);
    }

    public List<String> problems()
    {
        return problems;
    }

    private static String format(final String source, final List<String> problems)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ").append(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
        for (final String problem : problems)
        {
            sb.append(System.lineSeparator()).append("  ").append(problem);
        }
        return sb.toString();
    }
}
