package dev.bourse.bench;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.e2e.PercentilePlot;
import dev.bourse.bench.e2e.Runner;
import dev.bourse.bench.fix.FixBaselines;
import org.HdrHistogram.Histogram;
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

/** {@code bench e2e}: order-to-ack and order-to-market-data latency of the exchange over FIX/TCP (periodic snapshots off by default). */
@Command(name = "e2e", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "The exchange (periodic snapshots off unless --snapshots default) under open-loop FIX load: ack latency per rate, "
        + "with the TCP echo and QuickFIX/J baselines.",
    description = {
        "The whole exchange (engine, Chronicle journal, FIX gateway, market data over Aeron, read models) started here,",
        "except for periodic snapshots, which --snapshots off (the default) pushes out to every hour or 100,000,000",
        "entries (the exchange's defaults: 5 minutes or 1,000,000): snapshot cost is measured on its own (bench",
        "read-models), and at the defaults a default sweep would write about three, each a stall in whichever rate",
        "it fell in; --snapshots default keeps the exchange's defaults.",
        "driven by an open-loop FIX load generator in a JVM of its own (no shared heap, GC or threads): N sessions, a",
        "mix of new limit orders around the mid (some cross), cancels and replaces over many instruments, each message",
        "sent at its planned time (parked until then with 1 ns of timer slack, so a park ends when asked, and only the",
        "last 5 us spun; messages due together leave in one write per session). Latency is from the planned send time (coordinated",
        "omission corrected): ack = the execution report answering the message; md = from the gateway's receipt stamp",
        "on the command to the generator's market-data subscriber's trade callback.",
        "--baselines runs the same generator against a raw TCP echo server and a QuickFIX/J acceptor (new orders only:",
        "they keep no book) at the same rates, one peer after the other; --contention N repeats the whole sweep, all",
        "three peers, with N extra processes spinning a core each. Writes .hgrm files per rate, summary.md and a",
        "percentile plot (PNG) to --out, and RESULT lines. Per peer and rate, RESULT cpu gives the CPU time per message",
        "over the measured window of the JVM hosting the peer, of the exchange's order-path threads and of the",
        "generator's JVM: on a shared machine it moves far less than the latency does (it includes idling costs, so",
        "it is high at low rates, and the JIT's work at the first rate), and the collections (count and ms) of both JVMs",
        "in the window (a tail with none is not the GC's), and both JVMs' JIT compile time in it (jit.ms: on 2 cores a",
        "woken thread most often waits behind a compile).",
        "A rate is answered in full when every message sent in its measured window was answered (answered = count)",
        "and none was rejected (rejects = 0). answered: acknowledged, or a cancel/replace refused because its order had",
        "filled meanwhile (TOO_LATE_TO_CANCEL, UNKNOWN_ORDER, REPLACE_BELOW_FILLED: the load cancels orders that may have",
        "crossed, so that refusal is the correct answer; the RATE progress line counts them as refused=); rejects: every",
        "other reject of a measured message, and session-level rejects in the window, none of them timed. Answers to",
        "warm-up or priming messages that arrive in the window do not count. saturation-rate: the highest rate",
        "answered in full with ack p50 under 1 ms; max-rate-p99-under-1ms: the highest rate answered in full with ack",
        "p99 under 1 ms. RESULT e2e, e2e-vs and e2e-tls lines end with answered= and rejects= (per peer). A load",
        "generator that crashes, hangs or reports fewer rates than asked is reported as an ERROR line naming the peer",
        "and rate (with its last output), its rates are missing or '-', and the command exits with status 1.",
        "--tls runs the sweep over plain TCP and then over TLS (the gateway's TLS port, a throwaway self-signed key store,",
        "the generator speaking TLS), each on a freshly started exchange, and prints RESULT e2e-tls lines comparing them."})
public final class E2eCommand implements Callable<Integer>
{
    @Option(names = "--rates", split = ",", defaultValue = "1000,10000,30000,60000,100000",
        description = "Offered rates, messages/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--sessions", defaultValue = "4", description = "FIX sessions (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--instruments", defaultValue = "50", description = "Instruments traded (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per rate, not recorded (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--prime", defaultValue = "10", paramLabel = "SECONDS",
        description = "Before the first rate, this long at 10,000 messages/s (or the highest rate if lower), not recorded, for every "
            + "peer: the JIT's warm-up, which a rate's own few seconds at 1,000/s leave unfinished on 2 cores (default "
            + "${DEFAULT-VALUE}; 0: none).")
    double primeSeconds;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--durability", defaultValue = "mapped", description = "Journal durability: mapped or sync (default ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = "--out", defaultValue = "results/e2e", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--baselines", description = "Also run the TCP echo and QuickFIX/J baselines at the same rates.")
    boolean baselines;

    @Option(names = "--contention", defaultValue = "0", paramLabel = "N",
        description = "Then rerun the sweep (all three peers) with N extra busy processes on the box (default ${DEFAULT-VALUE}: no rerun).")
    int contention;

    @Option(names = "--quick", description = "A smoke run: rates 1000,5000, 1 s priming, 1 s warm-up, 2 s measured.")
    boolean quick;

    @Option(names = "--snapshots", defaultValue = "off", paramLabel = "off|default",
        description = "Periodic snapshots during the run: off (every hour or 100,000,000 entries, so none in a sweep: the history's "
            + "figures; snapshot cost is measured by bench read-models) or default (the exchange's 5 minutes or 1,000,000 entries; "
            + "a default sweep writes about three). Default ${DEFAULT-VALUE}.")
    String snapshots;

    @Option(names = "--tls", description = "Compare FIX over TLS with plain TCP at the same rates (RESULT e2e-tls lines).")
    boolean tls;

    /** Generators lost on the way: their rates are missing and the command fails. */
    private final dev.bourse.bench.e2e.GeneratorFailures failures = new dev.bourse.bench.e2e.GeneratorFailures(System.out);

    @Override
    public Integer call() throws Exception
    {
        BenchExchange.snapshotsOff(snapshots); // a bad value fails here, before anything starts
        if (quick)
        {
            rates = List.of(1_000L, 5_000L);
            primeSeconds = Math.min(primeSeconds, 1);
            warmupSeconds = 1;
            durationSeconds = 2;
        }
        Files.createDirectories(out);
        System.out.printf("bench e2e: %d cpus, load average %s, %d sessions, %d instruments, journal %s, snapshots %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(),
            sessions, instruments, durability, snapshots);
        final List<String> summary = new ArrayList<>();
        if (tls)
        {
            tlsSweep(summary);
            try (PrintStream file = new PrintStream(new FileOutputStream(out.resolve("summary-tls.md").toFile())))
            {
                summary.forEach(file::println);
            }
            System.out.println("(summary-tls.md and .hgrm files in " + out + ")");
            return failures.exitStatus();
        }
        final List<Integer> contentions = contention > 0 ? List.of(0, contention) : List.of(0);
        for (final int busy : contentions)
        {
            try (Runner.Contention noise = new Runner.Contention(busy))
            {
                sweep(busy, baselines || busy > 0, summary);
            }
        }
        try (PrintStream file = new PrintStream(new FileOutputStream(out.resolve("summary.md").toFile())))
        {
            summary.forEach(file::println);
        }
        System.out.println("(summary.md, .hgrm files and e2e-percentiles.png in " + out + ")");
        return failures.exitStatus();
    }

    private void sweep(final int busy, final boolean withBaselines, final List<String> summary) throws Exception
    {
        final String suffix = busy == 0 ? "" : " contention=" + busy;
        System.out.printf("%n== ours%s: the whole exchange (periodic snapshots %s), load generator in its own JVM%n", suffix, snapshots);
        final List<Runner.RateResult> ours;
        try (BenchExchange exchange = new BenchExchange(sessions, instruments, durability, null, line -> { }, true, "",
            BenchExchange.snapshotsOff(snapshots)))
        {
            ours = Runner.sweep("ours" + (busy == 0 ? "" : "-c" + busy), exchange.clientSettings(42), false, rates, primeSeconds,
                warmupSeconds, durationSeconds, out, exchange.feed(), null, E2eCommand::progress, failures);
        }
        List<Runner.RateResult> echo = List.of();
        List<Runner.RateResult> quickfixj = List.of();
        if (withBaselines)
        {
            System.out.printf("%n== TCP echo%s (new orders; every message answered by itself)%n", suffix);
            try (FixBaselines.EchoServer server = new FixBaselines.EchoServer())
            {
                echo = Runner.sweep("echo" + (busy == 0 ? "" : "-c" + busy), FixBaselines.settings(server.port(), sessions), true,
                    rates, primeSeconds, warmupSeconds, durationSeconds, out, null, null, E2eCommand::progress, failures);
            }
            System.out.printf("%n== QuickFIX/J acceptor%s (new orders; an ExecutionReport each, no matching)%n", suffix);
            final FixBaselines.QuickFixAcceptor acceptor = new FixBaselines.QuickFixAcceptor(sessions);
            try
            {
                quickfixj = Runner.sweep("quickfixj" + (busy == 0 ? "" : "-c" + busy), FixBaselines.settings(acceptor.port, sessions),
                    false, rates, primeSeconds, warmupSeconds, durationSeconds, out, null, null, E2eCommand::progress, failures);
            }
            finally
            {
                acceptor.stop();
            }
        }
        long best = 0;
        long saturation = 0;
        final Map<String, Histogram> plot = PercentilePlot.series();
        summary.add("### contention " + busy);
        summary.add("");
        summary.add("| rate/s | ours p50 us | ours p99 us | ours p99.99 us | md p99 us | echo p50 | echo p99 | QuickFIX/J p50 | QuickFIX/J p99 | answered |");
        summary.add("|---|---|---|---|---|---|---|---|---|---|");
        for (final Runner.RateResult r : ours)
        {
            if (busy == 0)
            {
                System.out.printf("RESULT e2e rate=%d ack.p50=%.1f ack.p99=%.1f ack.p99.99=%.1f md.p99=%.1f answered=%d rejects=%d%n",
                    r.rate(), r.us(r.p50()), r.us(r.p99()), r.us(r.p9999()), r.us(r.mdP99()), r.answered(), r.rejects());
            }
            if (r.p99() < 1_000_000 && r.complete())
            {
                best = Math.max(best, r.rate());
            }
            if (r.p50() < 1_000_000 && r.complete())
            {
                saturation = Math.max(saturation, r.rate());
            }
            if (r.histogram() != null)
            {
                plot.put("ack " + r.rate() + "/s", r.histogram());
            }
            final Runner.RateResult e = find(echo, r.rate());
            final Runner.RateResult q = find(quickfixj, r.rate());
            if (withBaselines)
            {
                System.out.printf("RESULT e2e-vs rate=%d ours.p50=%.1f ours.p99=%.1f echo.p50=%s echo.p99=%s quickfixj.p50=%s quickfixj.p99=%s"
                        + " contention=%d ours.answered=%d ours.rejects=%d echo.answered=%s echo.rejects=%s quickfixj.answered=%s"
                        + " quickfixj.rejects=%s%n", r.rate(), r.us(r.p50()), r.us(r.p99()), us(e, true), us(e, false), us(q, true),
                    us(q, false), busy, r.answered(), r.rejects(), answered(e), rejects(e), answered(q), rejects(q));
            }
            summary.add(String.format("| %,d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s | %,d of %,d%s |", r.rate(), r.us(r.p50()),
                r.us(r.p99()), r.us(r.p9999()), r.us(r.mdP99()), us(e, true), us(e, false), us(q, true), us(q, false), r.answered(),
                r.count(), r.rejects() == 0 ? "" : String.format(", %,d rejected", r.rejects())));
        }
        summary.add("");
        System.out.printf("RESULT e2e max-rate-p99-under-1ms=%d%s%n", best, suffix);
        System.out.printf("RESULT e2e saturation-rate=%d%s%n", saturation, suffix);
        summary.add("max rate answered in full with ack p99 under 1 ms: " + best + "/s; saturation (highest rate answered in full with p50 under 1 ms): "
            + saturation + "/s");
        summary.add("");
        PercentilePlot.write(out.resolve(busy == 0 ? "e2e-percentiles.png" : "e2e-percentiles-contention-" + busy + ".png"),
            "bourse e2e: FIX order to execution report" + suffix, plot);
    }

    /** Plain, then TLS, each on an exchange of its own (fresh books and ClOrdIDs) with both ports open. */
    private void tlsSweep(final List<String> summary) throws Exception
    {
        final Path keys = Files.createTempDirectory("bourse-bench-tls-");
        try
        {
            final String password = "bench-" + Long.toHexString(System.nanoTime());
            final Path keystore = dev.bourse.protocol.tls.SelfSignedKeystore.create(keys.resolve("bench.p12"), password.toCharArray());
            final String settings = "gateway.tls.enabled = true\ngateway.tls.port = 0\ngateway.tls.keystore = " + keystore +
                "\ngateway.tls.keystore-password = " + password + "\n";
            final Runner.TlsClient client = new Runner.TlsClient(keystore, password);
            System.out.printf("%n== plain TCP: the whole exchange, load generator in its own JVM%n");
            final List<Runner.RateResult> plain = tlsSweepOnce("plain", settings, null);
            System.out.printf("%n== TLS: the same, over the gateway's TLS port%n");
            final List<Runner.RateResult> secure = tlsSweepOnce("tls", settings, client);
            summary.add("| rate/s | TLS p50 us | TLS p99 us | plain p50 us | plain p99 us | TLS p50 / plain p50 |");
            summary.add("|---|---|---|---|---|---|");
            for (final Runner.RateResult p : plain)
            {
                final Runner.RateResult t = find(secure, p.rate());
                System.out.printf("RESULT e2e-tls rate=%d tls.p50=%s tls.p99=%s plain.p50=%.1f plain.p99=%.1f tls.answered=%s tls.rejects=%s"
                    + " plain.answered=%d plain.rejects=%d%n", p.rate(), us(t, true), us(t, false), p.us(p.p50()), p.us(p.p99()),
                    answered(t), rejects(t), p.answered(), p.rejects());
                summary.add(String.format("| %,d | %s | %s | %.1f | %.1f | %s |", p.rate(), us(t, true), us(t, false), p.us(p.p50()),
                    p.us(p.p99()), t == null ? "-" : String.format("%.2f", t.p50() / (double)Math.max(1, p.p50()))));
            }
        }
        finally
        {
            org.agrona.IoUtil.delete(keys.toFile(), true);
        }
    }

    private List<Runner.RateResult> tlsSweepOnce(final String label, final String settings, final Runner.TlsClient client) throws Exception
    {
        try (BenchExchange exchange = new BenchExchange(sessions, instruments, durability, null, line -> { }, true, settings,
            BenchExchange.snapshotsOff(snapshots)))
        {
            dev.bourse.bench.fixload.FixLoadClient.Settings target = exchange.clientSettings(42);
            if (client != null)
            {
                target = new dev.bourse.bench.fixload.FixLoadClient.Settings(target.host(), exchange.server().gatewayTlsPort(),
                    target.targetCompId(), target.users(), target.symbols(), target.midPrices(), target.tickScaled(),
                    target.cancelPercent(), target.replacePercent(), target.seed());
            }
            return Runner.sweep(label, target, false, rates, primeSeconds, warmupSeconds, durationSeconds, out, exchange.feed(), client,
                E2eCommand::progress, failures);
        }
    }

    private static void progress(final String line)
    {
        if (line.startsWith("RATE "))
        {
            System.out.println("  " + line.substring(5));
        }
        else if (line.startsWith("RESULT "))
        {
            System.out.println(line);
        }
        else if (!line.equals("READY") && !line.equals("DONE"))
        {
            System.out.println("  " + line);
        }
    }

    private static Runner.RateResult find(final List<Runner.RateResult> results, final long rate)
    {
        for (final Runner.RateResult r : results)
        {
            if (r.rate() == rate)
            {
                return r;
            }
        }
        return null;
    }

    /** "-": the peer's generator did not report the rate. */
    static String answered(final Runner.RateResult r)
    {
        return r == null ? "-" : Long.toString(r.answered());
    }

    static String rejects(final Runner.RateResult r)
    {
        return r == null ? "-" : Long.toString(r.rejects());
    }

    private static String us(final Runner.RateResult r, final boolean p50)
    {
        return r == null ? "-" : String.format("%.1f", (p50 ? r.p50() : r.p99()) / 1000.0);
    }
}
