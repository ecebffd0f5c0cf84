package dev.bourse.bench.e2e;

import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataSubscriber;
import io.aeron.Aeron;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import dev.bourse.protocol.EpochClock;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop FIX load generator as a process of its own, so the system under test and the
 * client share no heap, GC or threads: {@link Runner} starts it against a host and port, it runs
 * the rate sweep and reports each rate on standard output ({@code RATE ...} lines) and its
 * histograms in files. It also runs the market-data subscriber when given a feed, timing trades
 * from the gateway's receipt stamp (both processes read the same host clock through an
 * {@link EpochClock}).
 */
public final class LoadGenerator
{
    /** The priming load's rate, or the sweep's highest if lower: enough calls for the JIT in a few seconds. */
    static final long PRIME_RATE = 10_000;

    private LoadGenerator()
    {
    }

    /** {@code key=value} arguments; see {@link Runner#command}. */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> a = new LinkedHashMap<>();
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final List<String[]> users = new ArrayList<>();
        for (final String user : a.get("users").split(","))
        {
            users.add(user.split(":", 2));
        }
        final List<String> symbols = Arrays.asList(a.get("symbols").split(","));
        final long[] mids = new long[symbols.size()];
        Arrays.fill(mids, Long.parseLong(a.get("mid")));
        final FixLoadClient.Settings settings = new FixLoadClient.Settings(a.get("host"), Integer.parseInt(a.get("port")),
            a.get("comp-id"), users, symbols, mids, Long.parseLong(a.get("tick")), Integer.parseInt(a.get("cancel-percent")),
            Integer.parseInt(a.get("replace-percent")), Long.parseLong(a.get("seed")));
        final double warmup = Double.parseDouble(a.get("warmup"));
        final double duration = Double.parseDouble(a.get("duration"));
        final Path out = Path.of(a.get("out"));
        final String label = a.get("label");
        Files.createDirectories(out);

        final EpochClock clock = new EpochClock();
        final Histogram md = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final boolean[] mdRecording = {false};
        Aeron aeron = null;
        AgentRunner subscriberRunner = null;
        if (a.containsKey("md-aeron-dir"))
        {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(a.get("md-aeron-dir")));
            final MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
                .aeron(aeron)
                .incrementalChannel(a.get("md-channel"))
                .incrementalStreamId(Integer.parseInt(a.get("md-stream")))
                .snapshotChannel(a.get("md-snapshot-channel"))
                .snapshotStreamId(Integer.parseInt(a.get("md-snapshot-stream"))), new MarketDataListener()
                {
                    @Override
                    public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                        final byte aggressorSide, final long timestamp, final long sequence)
                    {
                        synchronized (md)
                        {
                            if (mdRecording[0])
                            {
                                md.recordValue(Math.min(Math.max(1, clock.nanoTime() - timestamp), md.getHighestTrackableValue()));
                            }
                        }
                    }
                });
            subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
                t -> System.err.println("md subscriber: " + t), null, subscriber);
            AgentRunner.startOnThread(subscriberRunner);
        }
        final javax.net.ssl.SSLContext tls = a.containsKey("tls-truststore")
            ? trusting(Path.of(a.get("tls-truststore")), a.get("tls-password").toCharArray()) : null;
        try (FixLoadClient client = new FixLoadClient(settings, a.containsKey("echo"), tls))
        {
            System.out.println("READY");
            final long[] rates = Arrays.stream(a.get("rates").split(",")).mapToLong(Long::parseLong).toArray();
            final double prime = Double.parseDouble(a.getOrDefault("prime", "0"));
            if (prime > 0 && rates.length > 0)
            {
                // Once, before the first rate: the JIT compiles the peer's hot paths (and this
                // generator's). A rate's own warm-up of a few seconds at 1,000/s left the exchange's
                // order path half compiled on 2 cores: ack p99 1.6-1.8 ms at 1,000/s measured first,
                // 150-190 us at 1,000/s measured again after 10,000/s.
                final long primeRate = Math.min(PRIME_RATE, Arrays.stream(rates).max().getAsLong());
                System.out.printf("PRIME rate=%d seconds=%s%n", primeRate, prime);
                System.out.flush();
                client.recording(false);
                client.run(primeRate, (long)(primeRate * prime), 5);
                client.takeTotal();
            }
            for (final long rate : rates)
            {
                client.recording(false);
                client.run(rate, (long)(rate * warmup), 5);
                client.takeTotal();
                synchronized (md)
                {
                    md.reset();
                    mdRecording[0] = true;
                }
                final long rejectsBefore = client.rejects();
                final long count = (long)(rate * duration);
                // the parent takes its own CPU time here and at the RATE line; this JVM's comes with both
                final long[] gcBefore = ProcessCpu.collections();
                System.out.printf("MEASURE rate=%d count=%d cpu.ns=%d gc.count=%d gc.ms=%d jit.ms=%d%n", rate, count,
                    ProcessCpu.processNanos(), gcBefore[0], gcBefore[1], ProcessCpu.compilationMillis());
                System.out.flush();
                client.recording(true);
                client.run(rate, count, 10);
                client.recording(false);
                // the window's own counts: answers to warm-up or priming messages that arrive late are not in them
                final long sent = client.windowSent();
                final long answered = client.windowAnswered();
                final long rejected = client.windowRejected();
                final long refused = client.windowRefused();
                final long[] gcAfter = ProcessCpu.collections();
                final Histogram mdCopy;
                synchronized (md)
                {
                    mdRecording[0] = false;
                    mdCopy = md.copy();
                }
                final Histogram[] byType = client.takeTotal();
                final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                for (final Histogram h : byType)
                {
                    all.add(h);
                }
                write(out.resolve(label + "-ack-" + rate + ".hgrm"), all);
                for (int t = 0; t < 3; t++)
                {
                    if (byType[t].getTotalCount() > 0)
                    {
                        write(out.resolve(label + "-ack-" + FixLoadClient.TYPE_NAMES[t] + "-" + rate + ".hgrm"), byType[t]);
                    }
                }
                if (mdCopy.getTotalCount() > 0)
                {
                    write(out.resolve(label + "-md-" + rate + ".hgrm"), mdCopy);
                }
                try (PrintStream log = new PrintStream(new FileOutputStream(out.resolve(label + "-ack-" + rate + ".hlog").toFile())))
                {
                    final HistogramLogWriter writer = new HistogramLogWriter(log);
                    writer.outputIntervalHistogram(all);
                }
                final long cpuNanos = ProcessCpu.processNanos();
                System.out.printf("RATE rate=%d count=%d answers=%d new=%d cancel=%d replace=%d rejects=%d p50=%d p99=%d p999=%d p9999=%d"
                        + " max=%d md.count=%d md.p50=%d md.p99=%d cpu.ns=%d gc.count=%d gc.ms=%d jit.ms=%d sent=%d answered=%d rejected=%d refused=%d%n",
                    rate, count, all.getTotalCount(),
                    byType[0].getTotalCount(),
                    byType[1].getTotalCount(), byType[2].getTotalCount(), client.rejects() - rejectsBefore,
                    all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
                    all.getValueAtPercentile(99.99), all.getMaxValue(), mdCopy.getTotalCount(), mdCopy.getValueAtPercentile(50),
                    mdCopy.getValueAtPercentile(99), cpuNanos, gcAfter[0], gcAfter[1], ProcessCpu.compilationMillis(), sent, answered, rejected,
                    refused);
                System.out.flush();
            }
            if (!client.rejectReasons().isEmpty())
            {
                client.rejectReasons().forEach((reason, n) -> System.out.printf("REJECTS %d %s%n", n.sum(), reason));
            }
        }
        finally
        {
            if (subscriberRunner != null)
            {
                subscriberRunner.close();
            }
            if (aeron != null)
            {
                aeron.close();
            }
        }
        System.out.println("DONE");
    }

    /** A client context that trusts the certificates in a PKCS12 key store (the bench's self-signed one). */
    static javax.net.ssl.SSLContext trusting(final Path keystore, final char[] password) throws Exception
    {
        final java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keystore))
        {
            trusted.load(in, password);
        }
        return dev.bourse.protocol.tls.TlsSettings.trusting(trusted);
    }

    private static void write(final Path file, final Histogram histogram) throws Exception
    {
        try (PrintStream stream = new PrintStream(new FileOutputStream(file.toFile())))
        {
            histogram.outputPercentileDistribution(stream, 1000.0);
        }
    }
}
