package dev.bourse.bench;

import dev.bourse.bench.engine.EngineBenchmark;
import dev.bourse.bench.peer.PeerProcess;
import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadGenerator;
import dev.bourse.bench.workload.WorkloadSpec;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
    name = "engine", synopsisHeading = "Usage: exchange ",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Replays a generated command stream (exchange-core's mix) through the Disruptor ring and the "
        + "matching engine: throughput (median of several iterations after warm-up) and open-loop latency at fixed "
        + "offered rates (planned send times, coordinated omission corrected, HdrHistogram). With --vs exchange-core, "
        + "runs exchange-core 0.5.3 on the same stream in its own JVM afterwards, checks both end with the same books, "
        + "and prints RESULT lines with both figures side by side. A reject on either side (exchange-core's summed over all its "
        + "throughput iterations and latency runs) or books that differ fail the comparison: a FAILED line instead of its RESULT "
        + "line (no ratio), and exit status 1.")
final class EngineCommand implements Callable<Integer>
{
    @Option(names = "--workload", defaultValue = "all", description = "single, multi or all (default ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--iterations", defaultValue = "5", description = "Measured throughput iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmups", defaultValue = "2", description = "Throughput iterations run first and not counted (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--rates", defaultValue = "100000,1000000",
        description = "Offered rates for the latency runs, commands/s, comma-separated (default ${DEFAULT-VALUE}); "
            + "'none' for none.")
    void rates(final String value)
    {
        rates = new java.util.ArrayList<>();
        for (final String rate : value.split(","))
        {
            if (!rate.isBlank() && !rate.trim().equals("none"))
            {
                rates.add(Long.parseLong(rate.trim().replace("_", "")));
            }
        }
    }

    List<Long> rates;

    @Option(names = "--latency-seconds", defaultValue = "2", description = "Length of each latency run (default ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--commands", defaultValue = "2000000", description = "Timed commands per workload (default ${DEFAULT-VALUE}).")
    long commands;

    @Option(names = "--vs", description = "Also run this peer on the same stream: exchange-core.")
    String versus;

    @Option(names = "--wait-strategy", defaultValue = "yielding",
        description = "Engine thread wait strategy: sleeping, yielding, blocking, backoff, busy-spin (default ${DEFAULT-VALUE}, as the peer).")
    String waitStrategy;

    @Option(names = "--threading", defaultValue = "dedicated",
        description = "dedicated: the engine drains the ring on a thread of its own while this thread publishes (as the peer); "
            + "shared: one thread publishes --burst commands, then drains them into the engine, as the gateway's duty cycle "
            + "does in shared threading (the default up to 4 processors). Throughput only (default ${DEFAULT-VALUE}).")
    String threading;

    @Option(names = "--burst", defaultValue = "256", description = "Commands per duty cycle with --threading shared (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--ring-size", defaultValue = "65536", description = "Ring slots, a power of two (default ${DEFAULT-VALUE}, as the peer).")
    int ringSize;

    @Option(names = "--out", defaultValue = "results", description = "Directory for .hgrm files and the summary (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--peer-heap", defaultValue = "4g", description = "Heap of the peer's JVM (default ${DEFAULT-VALUE}).")
    String peerHeap;

    @Option(names = "--quick", description = "A smoke run: 500,000 timed commands, 1 warm-up and 3 measured iterations, no latency runs.")
    boolean quick;

    private final PrintStream console = System.out;
    private final List<String> summary = new ArrayList<>();
    private boolean booksDiffer;
    /** Comparisons with exchange-core that failed (its rejects, books differing): see {@link #failed}. */
    private int peerFailures;
    private boolean shared;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            commands = 500_000;
            warmups = 1;
            iterations = 3;
            rates = new ArrayList<>();
        }
        if (versus != null && !versus.equals("exchange-core"))
        {
            throw new IllegalArgumentException("--vs supports only exchange-core, not '" + versus + "'");
        }
        if (iterations < 1 || warmups < 0 || latencySeconds <= 0 || commands < 1)
        {
            throw new IllegalArgumentException("--iterations, --commands and --latency-seconds must be positive");
        }
        if (!threading.equals("dedicated") && !threading.equals("shared"))
        {
            throw new IllegalArgumentException("--threading is dedicated or shared, not '" + threading + "'");
        }
        shared = threading.equals("shared");
        if (shared && !rates.isEmpty())
        {
            line("shared threading measures throughput only: the latency runs (--rates) are skipped");
            rates = new ArrayList<>();
        }
        final PeerProcess peer = versus == null ? null : new PeerProcess(BenchMain.home(), PeerProcess.withoutOurGcTuning(BenchMain.jvmFlags()));
        if (peer != null && peer.unavailableReason() != null)
        {
            throw new IllegalStateException(peer.unavailableReason());
        }
        final List<String> names = workload.equalsIgnoreCase("all") ? List.of("single", "multi") : List.of(workload.toLowerCase(Locale.ROOT));
        final List<WorkloadSpec> specs = new ArrayList<>();
        for (final String name : names)
        {
            specs.add(WorkloadSpec.named(name, commands));
        }
        Files.createDirectories(out);
        final String load = Files.readString(Path.of("/proc/loadavg")).trim();
        line("bench engine: %d cpus, load average %s, %s threading, wait strategy %s, ring %d, %d timed commands per workload",
            Runtime.getRuntime().availableProcessors(), load, shared ? "shared (burst " + burst + ")" : "dedicated", waitStrategy,
            ringSize, commands);
        for (final WorkloadSpec spec : specs)
        {
            runWorkload(spec, peer);
        }
        Files.write(out.resolve("engine-summary.txt"), summary);
        console.println("(summary and .hgrm files in " + out.toAbsolutePath() + ")");
        if (booksDiffer)
        {
            console.println("bench: FAILED: the final books differ (see above)");
        }
        if (peerFailures > 0)
        {
            console.println("bench: FAILED: " + peerFailures + " comparison(s) with exchange-core failed (FAILED lines above)");
        }
        return booksDiffer || peerFailures > 0 ? 1 : 0;
    }

    private void runWorkload(final WorkloadSpec spec, final PeerProcess peer) throws Exception
    {
        line("workload %s: %d instruments, %d accounts, ~%d resting orders each; generating", spec.name, spec.instruments,
            spec.accounts, spec.restingTarget);
        final WorkloadGenerator generator = new WorkloadGenerator(spec);
        final ByteBuffer bytes = generator.generate();
        final StringBuilder expected = new StringBuilder();
        generator.book().dump(expected);
        final long[] mix = generator.typeCounts();
        line("  mix of %d timed commands: GTC %.1f%%, IOC %.1f%%, cancel %.1f%%, move %.1f%%; %d prefill orders; %d trades",
            spec.timedCount, pct(mix[CommandStream.GTC], spec.timedCount), pct(mix[CommandStream.IOC], spec.timedCount),
            pct(mix[CommandStream.CANCEL], spec.timedCount), pct(mix[CommandStream.MOVE], spec.timedCount),
            CommandStream.wrap(bytes).prefillCount, generator.book().trades());
        final Path file = Files.createTempFile(out.toAbsolutePath(), "stream-" + spec.name + "-", ".cmds");
        try
        {
            CommandStream.write(bytes, file);
            final CommandStream stream = CommandStream.open(file);
            final EngineBenchmark bench = new EngineBenchmark(stream, waitStrategy, ringSize);
            if (shared)
            {
                bench.shared(burst);
            }

            for (int i = 0; i < warmups; i++)
            {
                line("  ours warm-up %d: %,.0f commands/s", i + 1, bench.throughput(false).commandsPerSecond());
            }
            final double[] ours = new double[iterations];
            String ourBook = null;
            for (int i = 0; i < iterations; i++)
            {
                final EngineBenchmark.Run run = bench.throughput(i == iterations - 1);
                if (run.rejects != 0)
                {
                    throw new IllegalStateException("our engine rejected " + run.rejects + " commands of a valid stream");
                }
                ours[i] = run.commandsPerSecond();
                ourBook = run.book == null ? ourBook : run.book;
                line("  ours iteration %d: %,.0f commands/s", i + 1, ours[i]);
            }
            final double ourMedian = Median.of(ours);
            line("  ours throughput median: %,.0f commands/s", ourMedian);
            final boolean ourBookDiffers = !compareBooks(spec.name, "ours", expected.toString(), ourBook);

            final Map<Long, Histogram> ourLatency = new LinkedHashMap<>();
            for (final long rate : rates)
            {
                final int count = (int)Math.min(stream.timedCount, (long)(rate * latencySeconds));
                final Histogram h = bench.latency(rate, count);
                ourLatency.put(rate, h);
                line("  ours latency at %,d/s (%,d commands): %s", rate, count, percentiles(h));
                writeHgrm(h, "ours-" + spec.name + "-" + rate + ".hgrm");
            }

            if (peer == null)
            {
                result("RESULT engine-throughput workload=%s ours=%.0f%s", spec.name, ourMedian, shared ? " threading=shared" : "");
                for (final Map.Entry<Long, Histogram> e : ourLatency.entrySet())
                {
                    result("RESULT engine-latency workload=%s rate=%d ours.p99=%.1f", spec.name, e.getKey(), us(e.getValue().getValueAtPercentile(99)));
                }
                return;
            }

            line("  exchange-core (own JVM, YIELDING, Direct book, ring 64K, groups 4096 / 4 ms, risk on)");
            final Path peerBook = Files.createTempFile(out.toAbsolutePath(), "book-exchange-core-" + spec.name + "-", ".txt");
            final Path hgrmDir = Files.createDirectories(out.resolve("exchange-core-" + spec.name));
            final List<String> args = new ArrayList<>(List.of("--stream", file.toString(), "--iterations", String.valueOf(iterations),
                "--warmups", String.valueOf(warmups), "--latency-seconds", String.valueOf(latencySeconds),
                "--book-out", peerBook.toString(), "--hgrm-dir", hgrmDir.toString(), "--rates", joinRates()));
            final PeerProcess.Results results;
            final boolean peerBookDiffers;
            try
            {
                results = peer.run(args, peerHeap, console, 30);
                peerBookDiffers = !compareBooks(spec.name, "exchange-core", expected.toString(), Files.readString(peerBook));
            }
            finally
            {
                Files.deleteIfExists(peerBook);
            }
            // a reject on the peer's side is as fatal to the comparison as one on ours (which throws above): the two
            // engines did not do the same work. Summed over every iteration: the peer's "rejects" line holds the last only.
            final long throughputRejects = results.sum("throughput", "rejects");
            final Map<String, String> rejects = results.find("rejects", null, null);
            if (throughputRejects != 0)
            {
                failed("exchange-core rejected %,d commands of a valid stream over its %d throughput iterations (first: %s): "
                    + "no throughput comparison for workload %s", throughputRejects, iterations,
                    rejects == null ? "?" : rejects.get("first"), spec.name);
            }
            final double peerMedian = Double.parseDouble(results.find("throughput-median", null, null).get("cps"));
            if (ourBookDiffers || peerBookDiffers)
            {
                failed("the final books differ (see above): no throughput ratio for workload %s (ours %.0f, exchange-core %.0f "
                    + "commands/s, not comparable)", spec.name, ourMedian, peerMedian);
            }
            else if (throughputRejects == 0)
            {
                result("RESULT engine-throughput workload=%s ours=%.0f exchange-core=%.0f ratio=%.2f%s", spec.name, ourMedian, peerMedian,
                    ourMedian / peerMedian, shared ? " threading=shared" : "");
            }
            for (final Map.Entry<Long, Histogram> e : ourLatency.entrySet())
            {
                final Map<String, String> p = results.find("latency", "rate", String.valueOf(e.getKey()));
                final double peerP99 = Long.parseLong(p.get("p99")) / 1000.0;
                line("  exchange-core latency at %,d/s: p50=%.1f p99=%.1f p99.9=%.1f p99.99=%.1f max=%.1f us", e.getKey(),
                    Long.parseLong(p.get("p50")) / 1000.0, peerP99, Long.parseLong(p.get("p999")) / 1000.0,
                    Long.parseLong(p.get("p9999")) / 1000.0, Long.parseLong(p.get("max")) / 1000.0);
                final long latencyRejects = Long.parseLong(p.getOrDefault("rejects", "0"));
                if (latencyRejects != 0)
                {
                    failed("exchange-core rejected %,d commands in its latency run at %,d/s: no latency comparison for workload %s "
                        + "at that rate", latencyRejects, e.getKey(), spec.name);
                    continue;
                }
                result("RESULT engine-latency workload=%s rate=%d ours.p99=%.1f exchange-core.p99=%.1f", spec.name, e.getKey(),
                    us(e.getValue().getValueAtPercentile(99)), peerP99);
            }
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /** A comparison that cannot stand: printed, and the command exits 1 at the end. */
    private void failed(final String format, final Object... args)
    {
        peerFailures++;
        line("  FAILED: " + format, args);
    }

    /** True if {@code who} ends with the expected book; else prints where it differs and the command fails. */
    private boolean compareBooks(final String workloadName, final String who, final String expected, final String actual)
    {
        if (expected.equals(actual))
        {
            line("  books: %s ends with the generator's book (%d price levels)", who, expected.lines().count());
            return true;
        }
        booksDiffer = true;
        final List<String> e = expected.lines().toList();
        final List<String> a = actual.lines().toList();
        int i = 0;
        while (i < Math.min(e.size(), a.size()) && e.get(i).equals(a.get(i)))
        {
            i++;
        }
        line("  books DIFFER (%s, workload %s): line %d expected '%s' got '%s' (%d vs %d levels)", who, workloadName, i + 1,
            i < e.size() ? e.get(i) : "<end>", i < a.size() ? a.get(i) : "<end>", e.size(), a.size());
        return false;
    }

    private String joinRates()
    {
        final StringBuilder s = new StringBuilder();
        for (final long rate : rates)
        {
            s.append(s.length() == 0 ? "" : ",").append(rate);
        }
        return s.toString();
    }

    private void writeHgrm(final Histogram h, final String name) throws Exception
    {
        try (PrintStream hgrm = new PrintStream(out.resolve(name).toFile()))
        {
            h.outputPercentileDistribution(hgrm, 1000.0);
        }
    }

    private static String percentiles(final Histogram h)
    {
        return String.format(Locale.ROOT, "p50=%.1f p99=%.1f p99.9=%.1f p99.99=%.1f max=%.1f us", us(h.getValueAtPercentile(50)),
            us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getValueAtPercentile(99.99)), us(h.getMaxValue()));
    }

    private static double us(final long nanos)
    {
        return nanos / 1000.0;
    }

    private static double pct(final long part, final long whole)
    {
        return 100.0 * part / whole;
    }

    private void line(final String format, final Object... args)
    {
        final String text = String.format(Locale.ROOT, format, args);
        console.println(text);
        console.flush();
        summary.add(text);
    }

    private void result(final String format, final Object... args)
    {
        line(format, args);
    }
}
