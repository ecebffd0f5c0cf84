package dev.bourse.bench.readmodels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time used so far by the PostgreSQL server processes on this host (Linux /proc), 0 if none or unreadable. */
final class PostgresCpu
{
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private PostgresCpu()
    {
    }

    static long nanos()
    {
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc")))
        {
            for (final Path process : (Iterable<Path>)processes::iterator)
            {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit))
                {
                    continue;
                }
                try
                {
                    final String stat = Files.readString(process.resolve("stat"));
                    final int open = stat.indexOf('(');
                    final int close = stat.lastIndexOf(')');
                    if (open < 0 || close < 0 || !stat.substring(open + 1, close).startsWith("postgres"))
                    {
                        continue;
                    }
                    final String[] fields = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                }
                catch (final IOException | RuntimeException e)
                {
                    // the process ended meanwhile
                }
            }
        }
        catch (final IOException e)
        {
            return 0;
        }
        return ticks * TICK_NANOS;
    }
}
