package dev.bourse.bench;

import dev.bourse.bench.md.MdBenchmark;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench md}: market-data latency and publisher throughput, with Aeron's ping-pong as the baseline. */
@Command(name = "md", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "Market-data latency over IPC and UDP loopback against Aeron's own ping-pong, and the publisher's throughput.",
    description = {
        "Market-data latency over IPC and UDP loopback at fixed rates: from the command's planned send time and from",
        "its journal entry being written to the subscriber's book callback (engine and Chronicle journal on the sending",
        "thread, publisher and subscriber on their own threads, embedded media driver), with Aeron's own ping-pong on",
        "the same kind of channel as the baseline (half the round trip). Then the publisher's throughput draining a",
        "pre-filled journal, against the rate the engine appended it. The UDP channels and pings use ports from --port",
        "up: 6 a rate and 10 more a channel kind (about 40 with the defaults), so two runs on one box need ports apart."})
public final class MdCommand implements Callable<Integer>
{
    @Option(names = "--rates", split = ",", defaultValue = "10000,100000", description = "Offered rates, commands/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--channels", split = ",", defaultValue = "ipc,udp", description = "Channel kinds (default ${DEFAULT-VALUE}).")
    List<String> channels;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--throughput-commands", defaultValue = "2000000", description = "Commands for the throughput run (default ${DEFAULT-VALUE}).")
    int throughputCommands;

    @Option(names = "--port", defaultValue = "40456", paramLabel = "N",
        description = "First UDP port of the channels and pings; each rate takes 6 from here, each channel kind 10 more "
            + "(default ${DEFAULT-VALUE}).")
    int firstPort;

    @Option(names = "--quick", description = "A smoke run: 1 s per rate, 200,000 throughput commands.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            seconds = 1;
            throughputCommands = 200_000;
        }
        System.out.printf("bench md: %d cpus, load average %s%n", Runtime.getRuntime().availableProcessors(),
            Files.readString(Path.of("/proc/loadavg")).trim());
        int port = firstPort;
        for (final String channel : channels)
        {
            try (MdBenchmark bench = new MdBenchmark(channel, port))
            {
                for (final long rate : rates)
                {
                    bench.run(rate, (int)Math.max(1_000, rate)); // warm-up: one second's worth
                    final Histogram[] result = bench.run(rate, (int)(rate * seconds));
                    bench.ping(rate, (int)Math.max(1_000, rate), port + 2);
                    final Histogram ping = bench.ping(rate, (int)(rate * seconds), port + 4);
                    System.out.printf("  %s %,d/s: send->callback p50=%.1f p99=%.1f p99.9=%.1f us; journal->callback p50=%.1f"
                            + " p99=%.1f us; aeron ping (half rtt) p50=%.1f p99=%.1f us%n", channel, rate,
                        us(result[0], 50), us(result[0], 99), us(result[0], 99.9), us(result[1], 50), us(result[1], 99),
                        us(ping, 50), us(ping, 99));
                    System.out.printf("RESULT md channel=%s rate=%d ours.p50=%.1f ours.p99=%.1f aeron-ping.p50=%.1f%n",
                        channel, rate, us(result[1], 50), us(result[1], 99), us(ping, 50));
                    System.out.printf("RESULT md-send channel=%s rate=%d p50=%.1f p99=%.1f%n", channel, rate,
                        us(result[0], 50), us(result[0], 99));
                    port += 6;
                }
            }
            port += 10;
        }
        final double[] throughput = MdBenchmark.throughput(throughputCommands);
        System.out.printf("  publisher drained %,d commands: %,.0f messages/s; the engine appended them at %,.0f commands/s%n",
            throughputCommands, throughput[0], throughput[1]);
        System.out.printf("RESULT md publisher messages/s=%.0f journal-append commands/s=%.0f%n", throughput[0], throughput[1]);
        return 0;
    }

    private static double us(final Histogram h, final double percentile)
    {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
