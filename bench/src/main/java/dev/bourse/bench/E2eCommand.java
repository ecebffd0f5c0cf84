package dev.bourse.bench;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.e2e.PercentilePlot;
import dev.bourse.bench.fix.FixBaselines;
import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.marketdata.MarketDataListener;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code bench e2e}: order-to-ack and order-to-market-data latency of the whole exchange over FIX/TCP. */
@Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "The whole exchange (engine, Chronicle journal, FIX gateway, market data over Aeron, read models) in this JVM,",
        "driven by an open-loop FIX load generator: N sessions, a mix of new limit orders around the mid (some cross),",
        "cancels and replaces over many instruments, each message sent at its planned time (parking, never spinning).",
        "Latency is from the planned send time (coordinated omission corrected): ack = the execution report answering",
        "the message; md = from the gateway's receipt stamp on the command to the market-data subscriber's trade",
        "callback. A rate sweep finds the highest rate with ack p99 under 1 ms. Writes .hgrm files per rate, a",
        "summary and a percentile plot (PNG) to --out."})
public final class E2eCommand implements Callable<Integer>
{
    @Option(names = "--rates", split = ",", defaultValue = "1000,5000,10000,20000,40000",
        description = "Offered rates, messages/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--sessions", defaultValue = "4", description = "FIX sessions (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--instruments", defaultValue = "50", description = "Instruments traded (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per rate, not recorded (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--durability", defaultValue = "mapped", description = "Journal durability: mapped or sync (default ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = "--out", defaultValue = "results/e2e", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--baselines", description = "Also run the TCP echo and QuickFIX/J baselines (bench fix) at the same rates.")
    boolean baselines;

    @Option(names = "--quick", description = "A smoke run: rates 1000,5000, 1 s warm-up, 2 s measured.")
    boolean quick;

    private final Object mdLock = new Object();
    private final Histogram md = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private volatile boolean mdRecording;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            rates = List.of(1_000L, 5_000L);
            warmupSeconds = 1;
            durationSeconds = 2;
        }
        Files.createDirectories(out);
        System.out.printf("bench e2e: %d cpus, load average %s, %d sessions, %d instruments, journal %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(),
            sessions, instruments, durability);
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final List<String[]> rows = new ArrayList<>();
        final Map<String, Histogram> plot = PercentilePlot.series();
        long best = 0;
        try (BenchExchange exchange = new BenchExchange(sessions, instruments, durability, null, line -> { }))
        {
            exchange.subscribe(new MarketDataListener()
            {
                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    if (mdRecording)
                    {
                        final long latency = Math.max(1, clock.nanoTime() - timestamp);
                        synchronized (mdLock)
                        {
                            md.recordValue(Math.min(latency, md.getHighestTrackableValue()));
                        }
                    }
                }
            });
            try (FixLoadClient client = new FixLoadClient(exchange.clientSettings(42)))
            {
                for (final long rate : rates)
                {
                    client.recording(false);
                    mdRecording = false;
                    client.run(rate, (long)(rate * warmupSeconds), 5);
                    client.takeTotal();
                    synchronized (mdLock)
                    {
                        md.reset();
                    }
                    client.recording(true);
                    mdRecording = true;
                    final long rejectsBefore = client.rejects();
                    client.run(rate, (long)(rate * durationSeconds), 10);
                    client.recording(false);
                    mdRecording = false;
                    final Histogram[] byType = client.takeTotal();
                    final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                    for (final Histogram h : byType)
                    {
                        all.add(h);
                    }
                    final Histogram mdCopy;
                    synchronized (mdLock)
                    {
                        mdCopy = md.copy();
                    }
                    write(out.resolve("ack-" + rate + ".hgrm"), all);
                    for (int t = 0; t < 3; t++)
                    {
                        write(out.resolve("ack-" + FixLoadClient.TYPE_NAMES[t] + "-" + rate + ".hgrm"), byType[t]);
                    }
                    write(out.resolve("md-" + rate + ".hgrm"), mdCopy);
                    plot.put("ack " + rate + "/s", all);
                    final double p99 = us(all.getValueAtPercentile(99));
                    if (p99 < 1000 && all.getTotalCount() > 0)
                    {
                        best = Math.max(best, rate);
                    }
                    System.out.printf("rate %,d/s: %,d answers (new %,d cancel %,d replace %,d), %,d rejects, trades seen on md %,d%n",
                        rate, all.getTotalCount(), byType[0].getTotalCount(), byType[1].getTotalCount(),
                        byType[2].getTotalCount(), client.rejects() - rejectsBefore, mdCopy.getTotalCount());
                    for (int t = 0; t < 3; t++)
                    {
                        System.out.printf("  %-8s p50=%.1f p99=%.1f p99.9=%.1f max=%.1f us%n", FixLoadClient.TYPE_NAMES[t],
                            us(byType[t].getValueAtPercentile(50)), us(byType[t].getValueAtPercentile(99)),
                            us(byType[t].getValueAtPercentile(99.9)), us(byType[t].getMaxValue()));
                    }
                    System.out.printf("RESULT e2e rate=%d ack.p50=%.1f ack.p99=%.1f ack.p99.99=%.1f md.p99=%.1f%n", rate,
                        us(all.getValueAtPercentile(50)), p99, us(all.getValueAtPercentile(99.99)),
                        us(mdCopy.getValueAtPercentile(99)));
                    rows.add(new String[]{String.valueOf(rate), fmt(all, 50), fmt(all, 99), fmt(all, 99.9), fmt(all, 99.99),
                        fmt(mdCopy, 50), fmt(mdCopy, 99), String.valueOf(all.getTotalCount())});
                }
                if (!client.rejectReasons().isEmpty())
                {
                    System.out.println("rejects by reason (cancels and replaces of orders that had already filled are expected):");
                    client.rejectReasons().forEach((reason, count) -> System.out.printf("  %,8d %s%n", count.sum(), reason));
                }
            }
        }
        System.out.printf("RESULT e2e max-rate-p99-under-1ms=%d%n", best);
        try (PrintStream summary = new PrintStream(new FileOutputStream(out.resolve("summary.md").toFile())))
        {
            summary.println("| rate/s | ack p50 us | ack p99 us | ack p99.9 us | ack p99.99 us | md p50 us | md p99 us | answers |");
            summary.println("|---|---|---|---|---|---|---|---|");
            for (final String[] row : rows)
            {
                summary.println("| " + String.join(" | ", row) + " |");
            }
            summary.println();
            summary.println("max rate with ack p99 under 1 ms: " + best + "/s");
        }
        PercentilePlot.write(out.resolve("e2e-percentiles.png"), "bourse e2e: FIX order to execution report", plot);
        System.out.println("(summary.md, .hgrm files and e2e-percentiles.png in " + out + ")");
        if (baselines)
        {
            FixBaselines.run(rates, sessions, warmupSeconds, durationSeconds, out, System.out);
        }
        return 0;
    }

    private static double us(final long nanos)
    {
        return nanos / 1000.0;
    }

    private static String fmt(final Histogram h, final double percentile)
    {
        return String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static void write(final Path file, final Histogram histogram) throws Exception
    {
        try (PrintStream stream = new PrintStream(new FileOutputStream(file.toFile())))
        {
            histogram.outputPercentileDistribution(stream, 1000.0);
        }
    }
}
