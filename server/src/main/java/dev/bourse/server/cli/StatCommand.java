package dev.bourse.server.cli;

import dev.bourse.server.metrics.CountersFile;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(
    name = "stat",
    description = "Prints the running exchange's counters (commands, rejects, lags, sessions, ...) live, from another process.",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class)
public final class StatCommand implements Callable<Integer>
{
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "The exchange's data.dir (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1", description = "Seconds between prints (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after this many prints; 0 runs until interrupted.")
    int count;

    @Option(names = "--all", description = "Also print counters that are still zero.")
    boolean all;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception
    {
        if (count < 0 || intervalSeconds < 1)
        {
            System.err.println("stat: " + (count < 0 ? "--count " + count + ": must be 0 (until interrupted) or more"
                : "--interval " + intervalSeconds + ": must be at least 1 second"));
            return 2;
        }
        try (CountersFile file = CountersFile.openForReading(dataDir.resolve(CountersFileName.NAME)))
        {
            final CountersReader counters = file.reader();
            for (int printed = 0; count == 0 || printed < count; printed++)
            {
                if (printed > 0)
                {
                    Thread.sleep(intervalSeconds * 1000L);
                }
                final long pid = file.ownerPid();
                // the file outlives its exchange: say so rather than show its last counters as live
                final boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                out.println("---- exchange pid " + pid + (running ? "" : " (not running: the counters as it left them)")
                    + " at " + java.time.LocalTime.now().withNano(0));
                counters.forEach((value, counterId, label) ->
                {
                    if (all || value != 0)
                    {
                        out.printf("%-70s %,d%n", label, value);
                    }
                });
            }
        }
        return 0;
    }
}
