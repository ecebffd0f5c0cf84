package dev.bourse.bench.e2e;

import dev.bourse.bench.fixload.FixLoadClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the {@link LoadGenerator} in a child JVM against one peer and collects what it measured,
 * rate by rate. The child gets this JVM's classpath and the project's JVM flags, and a small heap.
 */
public final class Runner
{
    /**
     * What one rate gave (latencies in nanoseconds). {@code answers}: latencies recorded;
     * {@code answered}, {@code rejects}: answers and rejects of the messages sent in the measured
     * window only, each message once, where a cancel or replace refused because its order had
     * filled meanwhile is answered, not rejected (see {@code AnswerRecorder}).
     */
    public record RateResult(long rate, long count, long answers, long rejects, long p50, long p99, long p999, long p9999,
        long max, long mdCount, long mdP50, long mdP99, Histogram histogram, long answered)
    {
        /** Answered in full: every measured message answered ({@code answered == count}) and none rejected ({@code rejects == 0}). */
        public boolean complete()
        {
            return complete(count, answered, rejects);
        }

        static boolean complete(final long count, final long answered, final long rejects)
        {
            return count > 0 && answered == count && rejects == 0;
        }

        public double us(final long nanos)
        {
            return nanos / 1000.0;
        }
    }

    /** The generator connects over TLS, trusting the certificates of this key store (PKCS12). */
    public record TlsClient(Path truststore, String password)
    {
    }

    /** Where the market-data feed is, to time trades (null: no subscriber). */
    public record Feed(String aeronDir, String channel, int streamId, String snapshotChannel, int snapshotStreamId)
    {
    }

    /** Lines of a failed generator's output shown with its error. */
    private static final int TAIL_LINES = 10;

    private Runner()
    {
    }

    /**
     * The project's GC and safepoint flags (root pom) go to the generator too: without them its eden
     * stayed near G1's minimum (25 MB of 512) and paused every 4 s, and its once-a-second
     * housekeeping safepoints waited up to 5 ms for its threads: stalls that count against whichever
     * peer it measures. Its heap is touched at start whether or not this JVM's is: with huge
     * pages, the first write to each 2 MB page of eden zeroes it on the writing thread (about a
     * millisecond here), and the echo's p99 at 1k-10k/s tripled while the generator's eden was new.
     * Thread priorities do not go: the generator stands for clients on other machines, all at nice 0.
     * Nor does a flight recording: one asked for in {@code JAVA_TOOL_OPTIONS} reaches the generator
     * through its environment already.
     */
    public static boolean collectorTuning(final String arg)
    {
        return arg.startsWith("-XX:") && !arg.startsWith("-XX:ThreadPriorityPolicy") && !arg.startsWith("-XX:JavaPriority")
            && !arg.startsWith("-XX:CompilerThreadPriority") && !arg.startsWith("-XX:StartFlightRecording")
            && !arg.startsWith("-XX:FlightRecorder");
    }

    /**
     * The generator's command line.
     *
     * @param primeSeconds unrecorded load before the first rate (see {@link LoadGenerator}); 0 for none
     */
    static List<String> command(final String label, final FixLoadClient.Settings settings, final boolean echo, final List<Long> rates,
        final double primeSeconds, final double warmupSeconds, final double durationSeconds, final Path out, final Feed feed,
        final TlsClient tls)
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx512m");
        command.add("-Xms512m");
        command.add("-XX:+AlwaysPreTouch");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("-Djna") || arg.startsWith("--enable-native")
                || arg.startsWith("--sun-misc") || collectorTuning(arg))
            {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoadGenerator.class.getName());
        final StringBuilder users = new StringBuilder();
        for (final String[] user : settings.users())
        {
            users.append(users.length() == 0 ? "" : ",").append(user[0]).append(':').append(user[1]);
        }
        command.add("label=" + label);
        command.add("host=" + settings.host());
        command.add("port=" + settings.port());
        command.add("comp-id=" + settings.targetCompId());
        command.add("users=" + users);
        command.add("symbols=" + String.join(",", settings.symbols()));
        command.add("mid=" + settings.midPrices()[0]);
        command.add("tick=" + settings.tickScaled());
        command.add("cancel-percent=" + settings.cancelPercent());
        command.add("replace-percent=" + settings.replacePercent());
        command.add("seed=" + settings.seed());
        command.add("rates=" + rates.stream().map(String::valueOf).reduce((x, y) -> x + "," + y).orElse(""));
        command.add("prime=" + primeSeconds);
        command.add("warmup=" + warmupSeconds);
        command.add("duration=" + durationSeconds);
        command.add("out=" + out);
        if (echo)
        {
            command.add("echo=true");
        }
        if (tls != null)
        {
            command.add("tls-truststore=" + tls.truststore());
            command.add("tls-password=" + tls.password()); // a throwaway test key store's password
        }
        if (feed != null)
        {
            command.add("md-aeron-dir=" + feed.aeronDir());
            command.add("md-channel=" + feed.channel());
            command.add("md-stream=" + feed.streamId());
            command.add("md-snapshot-channel=" + feed.snapshotChannel());
            command.add("md-snapshot-stream=" + feed.snapshotStreamId());
        }
        return command;
    }

    /**
     * Runs the sweep in a child JVM; {@code progress} gets each line it prints. Rates it could not
     * run (the peer saturated and answers stopped) are missing from the result.
     */
    public static List<RateResult> sweep(final String label, final FixLoadClient.Settings settings, final boolean echo,
        final List<Long> rates, final double warmupSeconds, final double durationSeconds, final Path out, final Feed feed,
        final Consumer<String> progress) throws Exception
    {
        return sweep(label, settings, echo, rates, 0, warmupSeconds, durationSeconds, out, feed, null, progress);
    }

    /** As below, a failed generator reported on standard output only. */
    public static List<RateResult> sweep(final String label, final FixLoadClient.Settings settings, final boolean echo,
        final List<Long> rates, final double primeSeconds, final double warmupSeconds, final double durationSeconds, final Path out,
        final Feed feed, final TlsClient tls, final Consumer<String> progress) throws Exception
    {
        return sweep(label, settings, echo, rates, primeSeconds, warmupSeconds, durationSeconds, out, feed, tls, progress,
            new GeneratorFailures(System.out));
    }

    /**
     * As above, after {@code primeSeconds} of unrecorded load (the generator's JIT warm-up and the
     * peer's), the generator speaking TLS when {@code tls} is not null. A generator that exits
     * non-zero, hangs or reports fewer rates than asked goes to {@code failures}.
     */
    public static List<RateResult> sweep(final String label, final FixLoadClient.Settings settings, final boolean echo,
        final List<Long> rates, final double primeSeconds, final double warmupSeconds, final double durationSeconds, final Path out,
        final Feed feed, final TlsClient tls, final Consumer<String> progress, final GeneratorFailures failures) throws Exception
    {
        final Process child = new ProcessBuilder(command(label, settings, echo, rates, primeSeconds, warmupSeconds, durationSeconds, out,
            feed, tls))
            .redirectErrorStream(true).start();
        final List<RateResult> results = new ArrayList<>();
        final CpuWindow cpu = new CpuWindow();
        final java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
        int exitStatus = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line; (line = in.readLine()) != null; )
            {
                if (tail.size() == TAIL_LINES)
                {
                    tail.removeFirst();
                }
                tail.addLast(line);
                if (line.startsWith("MEASURE "))
                {
                    cpu.start(fields(line.substring(8)));
                    continue;
                }
                progress.accept(line);
                if (line.startsWith("RATE "))
                {
                    final RateResult result = parse(line, out, label);
                    results.add(result);
                    final String cpuLine = cpu.end(label, result.rate(), result.count(), fields(line.substring(5)));
                    if (cpuLine != null)
                    {
                        progress.accept(cpuLine);
                    }
                }
            }
        }
        finally
        {
            if (!child.waitFor(30, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
                tail.addLast("(did not exit within 30 s of closing its output: killed)");
            }
            else
            {
                exitStatus = child.exitValue();
            }
        }
        if (exitStatus != 0 || results.size() < rates.size())
        {
            final long rate = rates.isEmpty() ? 0 : rates.get(Math.min(results.size(), rates.size() - 1));
            failures.failed(label, rate, GeneratorFailures.why(exitStatus, results.size(), rates.size()), List.copyOf(tail));
        }
        return results;
    }

    private static Map<String, Long> fields(final String text)
    {
        final Map<String, Long> v = new HashMap<>();
        for (final String field : text.split(" "))
        {
            final int eq = field.indexOf('=');
            if (eq > 0)
            {
                v.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
            }
        }
        return v;
    }

    private static RateResult parse(final String line, final Path out, final String label) throws Exception
    {
        final Map<String, Long> v = fields(line.substring(5));
        final long rate = v.get("rate");
        Histogram histogram = null;
        final File log = out.resolve(label + "-ack-" + rate + ".hlog").toFile();
        if (log.exists())
        {
            try (HistogramLogReader reader = new HistogramLogReader(log))
            {
                histogram = (Histogram)reader.nextIntervalHistogram();
            }
        }
        // rejects: the measured window's (rejected=), not every reject since the warm-up began
        return new RateResult(rate, v.get("count"), v.get("answers"), v.get("rejected"), v.get("p50"), v.get("p99"), v.get("p999"),
            v.get("p9999"), v.get("max"), v.get("md.count"), v.get("md.p50"), v.get("md.p99"), histogram, v.get("answered"));
    }

    /**
     * CPU per message over one rate's measured window: of this JVM (which hosts the peer: the
     * exchange, the echo server or the QuickFIX/J acceptor), of the exchange's order-path threads
     * when there are any, and of the generator's JVM (which reports its own); and the collections
     * and the JIT's compile time of both JVMs in the window. Makes the {@code RESULT cpu} lines.
     */
    private static final class CpuWindow
    {
        private static final String[] ORDER_PATH = {"bourse-order-path", "bourse-engine", "bourse-gateway"};
        private long peerStart = -1;
        private long orderPathStart = -1;
        private long[] peerGcStart;
        private long peerJitStart;
        private Map<String, Long> generatorStart;

        void start(final Map<String, Long> generator)
        {
            peerStart = ProcessCpu.processNanos();
            orderPathStart = ProcessCpu.threadNanos(ORDER_PATH);
            peerGcStart = ProcessCpu.collections();
            peerJitStart = ProcessCpu.compilationMillis();
            generatorStart = generator;
        }

        /** The line for the window that {@link #start} opened, or null if a figure is missing. */
        String end(final String label, final long rate, final long messages, final Map<String, Long> generator)
        {
            final long peer = ProcessCpu.processNanos();
            final long orderPath = ProcessCpu.threadNanos(ORDER_PATH);
            final long[] peerGc = ProcessCpu.collections();
            final long peerJit = ProcessCpu.compilationMillis();
            final long generatorCpuStart = generatorStart == null ? -1 : generatorStart.getOrDefault("cpu.ns", -1L);
            final long generatorCpu = generator.getOrDefault("cpu.ns", -1L);
            if (peerStart < 0 || peer < 0 || generatorCpuStart < 0 || generatorCpu < 0 || messages <= 0)
            {
                return null;
            }
            final String line = "RESULT cpu peer=" + label + " rate=" + rate + " messages=" + messages + " jvm.us-per-msg=" +
                perMessage(peer - peerStart, messages) + " order-path.us-per-msg=" +
                (orderPathStart < 0 || orderPath < 0 ? "-" : perMessage(orderPath - orderPathStart, messages)) +
                " generator.us-per-msg=" + perMessage(generatorCpu - generatorCpuStart, messages) +
                " jvm.gc.count=" + (peerGc[0] - peerGcStart[0]) + " jvm.gc.ms=" + (peerGc[1] - peerGcStart[1]) +
                " generator.gc.count=" + difference(generator, "gc.count") + " generator.gc.ms=" + difference(generator, "gc.ms") +
                " jvm.jit.ms=" + difference(peerJitStart, peerJit) + " generator.jit.ms=" + difference(generator, "jit.ms");
            peerStart = -1;
            return line;
        }

        private String difference(final Map<String, Long> generator, final String key)
        {
            final Long before = generatorStart.get(key);
            final Long after = generator.get(key);
            return before == null || after == null ? "-" : difference(before, after);
        }

        /** "-" where either figure is missing (-1: the JVM does not measure it). */
        private static String difference(final long before, final long after)
        {
            return before < 0 || after < 0 ? "-" : Long.toString(after - before);
        }

        private static String perMessage(final long nanos, final long messages)
        {
            return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1_000.0 / messages);
        }
    }

    /** {@code n} processes that spin a core each until {@link Contention#close()}: a reproducible noisy neighbour. */
    public static final class Contention implements AutoCloseable
    {
        private final List<Process> processes = new ArrayList<>();

        public Contention(final int n) throws Exception
        {
            for (int i = 0; i < n; i++)
            {
                processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done").redirectErrorStream(true).start());
            }
        }

        @Override
        public void close()
        {
            for (final Process p : processes)
            {
                p.destroyForcibly();
            }
        }
    }
}
