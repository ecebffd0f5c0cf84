package dev.bourse.bench.e2e;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Generators that crashed, hung or stopped short during a sweep. A lost generator used to remove
 * its rates from the results silently and the bench still exited 0: each failure is printed when
 * it happens, again at the end, and makes the command's exit status 1.
 */
public final class GeneratorFailures
{
    private final List<String> failures = new ArrayList<>();
    private final PrintStream print;

    public GeneratorFailures(final PrintStream print)
    {
        this.print = print;
    }

    /** The generator for {@code peer} failed at {@code rate} (the first rate it did not report); {@code tail}: its last lines. */
    public void failed(final String peer, final long rate, final String why, final List<String> tail)
    {
        final String line = "ERROR bench: load generator for peer " + peer + " failed at rate " + rate + "/s: " + why;
        failures.add(line);
        print.println(line);
        for (final String last : tail)
        {
            print.println("  | " + last);
        }
        print.flush();
    }

    public boolean any()
    {
        return !failures.isEmpty();
    }

    /** Repeats the failures after the RESULT lines, where they cannot be missed; 1 if there were any, else 0. */
    public int exitStatus()
    {
        if (failures.isEmpty())
        {
            return 0;
        }
        print.println("FAILED: " + failures.size() + " load generator(s) failed; the RESULT lines above lack their rates:");
        failures.forEach(print::println);
        print.flush();
        return 1;
    }

    /** The one-line reason for a generator that exited with {@code exitStatus} having reported {@code reported} of {@code asked} rates. */
    static String why(final int exitStatus, final int reported, final int asked)
    {
        final String exit = exitStatus == 0 ? "" : exitStatus < 0 ? "did not exit (killed), " : "exit status " + exitStatus + ", ";
        return exit + reported + " of " + asked + " rates reported";
    }
}
