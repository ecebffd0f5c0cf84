package dev.bourse.bench.cluster;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.server.cluster.ExchangeProcess;
import dev.bourse.server.cluster.LocalCluster;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench cluster}: the exchange as users run it, over FIX, in cluster mode (three nodes and a
 * gateway, each {@code exchange start} in a process of its own on loopback: {@link LocalCluster})
 * against the single-node exchange ({@code exchange start} in one process), under the same
 * open-loop FIX load ({@link FixLoadClient}): ack latency per rate, throughput, and failover when
 * the leader is killed with SIGKILL under load.
 */
@Command(name = "cluster", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "Three cluster nodes against the single-node exchange under FIX load, and the failover time when the leader dies.",
    description = {
        "Three cluster nodes and a FIX gateway, each an './exchange start' process on loopback, then the single-node exchange",
        "as one process, driven over FIX by the same open-loop generator (sessions trading limit orders, cancels and replaces",
        "around one price). Ack latency is from each message's planned send time to its execution report. Failover: the",
        "leader is SIGKILLed under load; the time is from the kill to the first acknowledgement of an order sent after it",
        "(only the new leader can give it); the killed node is restarted and catches up before the next kill. At the end every",
        "new order the client saw acknowledged is looked up in every node's journal (acked.lost), orders accepted twice are",
        "counted (duplicates), and the journals' digests are compared. Market data and read models are off in both",
        "(the ack path is measured). All processes share this machine: see docs/CLUSTER.md for what that does to the figures."})
public final class ClusterBenchCommand implements java.util.concurrent.Callable<Integer>
{
    private static final int GATEWAY_ID = 1;
    /** Entries a follower may be behind when the leader is killed (under load the counters never read equal at once). */
    private static final long IN_STEP_LAG = 1_000;

    @Option(names = "--kills", description = "Leader kills (default 5; 1 with --quick).")
    Integer killsOption;

    @Option(names = "--rates", split = ",", defaultValue = "1000,10000", description = "Offered rates, messages/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per rate (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--throughput-rate", defaultValue = "50000",
        description = "Offered rate of the throughput run, above what either can take (default ${DEFAULT-VALUE}/s).")
    long throughputRate;

    @Option(names = "--throughput-seconds", defaultValue = "10", description = "Seconds of the throughput run (default ${DEFAULT-VALUE}).")
    double throughputSeconds;

    @Option(names = "--failover-rate", defaultValue = "2000", description = "Messages/s during the kills (default ${DEFAULT-VALUE}).")
    long failoverRate;

    @Option(names = "--sessions", defaultValue = "8", description = "FIX sessions of the load (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--instruments", defaultValue = "4", description = "Instruments traded (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--node-set", paramLabel = "KEY=VALUE",
        description = "A configuration key for the nodes and the gateway, e.g. --node-set cluster.fsync=data "
            + "--node-set cluster.idle-strategy=backoff:1000 (repeatable).")
    Map<String, String> nodeSettings = new LinkedHashMap<>();

    @Option(names = "--heap", defaultValue = "1g", description = "Heap of each exchange process (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--dir", description = "Where the processes' data and logs go (default: a temporary directory, removed after a clean run).")
    Path dir;

    @Option(names = "--out", defaultValue = "results/cluster", description = "Where the .hgrm files go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "A smoke run: 1 kill, 1 s warm-up, 2 s per rate, 2 s of throughput.")
    boolean quick;

    private int kills;
    private final Map<Long, Histogram> cluster = new LinkedHashMap<>();
    private final Map<Long, Histogram> single = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception
    {
        kills = killsOption != null ? killsOption : quick ? 1 : 5;
        if (quick)
        {
            warmupSeconds = 1;
            durationSeconds = 2;
            throughputSeconds = 2;
        }
        final boolean temporary = dir == null;
        final Path root = temporary ? Files.createTempDirectory("bourse-bench-cluster-") : dir;
        Files.createDirectories(out);
        System.out.printf("bench cluster: %d cpus, load average %s, rates %s, %d kill(s), node settings %s, data and logs in %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), rates, kills, nodeSettings,
            root);
        final List<String> symbols = BenchExchange.symbols(instruments);
        boolean clean = false;
        try
        {
            final double clusterThroughput;
            final FailoverResult failover;
            try (LocalCluster nodes = new LocalCluster(root.resolve("cluster"), 3, clusterConfig(symbols), LocalCluster.projectJvmFlags(),
                heap))
            {
                nodes.restartNodesThatStopThemselves(line -> System.out.println("cluster: " + line));
                nodes.startAll(180);
                if (nodes.awaitLeader(60_000) < 0)
                {
                    throw new IllegalStateException("the cluster elected no leader in 60 s; logs in " + root.resolve("cluster"));
                }
                nodes.awaitBootstrap(120);
                final int port = LocalCluster.gatewayPort(nodes.startGateway(GATEWAY_ID, 120));
                System.out.printf("cluster: 3 nodes (%s) and gateway %d on FIX port %d%n", nodes.members(), GATEWAY_ID, port);
                try (FixLoadClient client = new FixLoadClient(BenchExchange.clientSettings(port, sessions, symbols, 42)))
                {
                    for (final long rate : rates)
                    {
                        cluster.put(rate, latency(client, rate, "cluster"));
                    }
                    clusterThroughput = throughput(client, "cluster");
                    failover = failover(nodes, client);
                }
            }
            final double singleThroughput;
            try (ExchangeProcess exchange = ExchangeProcess.start("single node", singleConfig(root.resolve("single"), symbols),
                Map.of(), LocalCluster.projectJvmFlags(), heap, root.resolve("single.log")))
            {
                final int port = ExchangeProcess.numberAfter(exchange.awaitLine("ready: FIX on port ", 180), "ready: FIX on port ");
                System.out.printf("single: one process, FIX port %d%n", port);
                try (FixLoadClient client = new FixLoadClient(BenchExchange.clientSettings(port, sessions, symbols, 42)))
                {
                    for (final long rate : rates)
                    {
                        single.put(rate, latency(client, rate, "single"));
                    }
                    singleThroughput = throughput(client, "single");
                }
            }
            System.out.printf(Locale.ROOT, "RESULT cluster-failover kills=%d p50.ms=%.0f max.ms=%.0f acked.lost=%d duplicates=%d%n", kills,
                failover.p50(), failover.max(), failover.lost, failover.duplicates);
            for (final long rate : rates)
            {
                final Histogram c = cluster.get(rate);
                final Histogram s = single.get(rate);
                write(out.resolve("cluster-" + rate + ".hgrm"), c);
                write(out.resolve("single-" + rate + ".hgrm"), s);
                System.out.printf(Locale.ROOT, "RESULT cluster-vs-single rate=%d cluster.p50=%.0f cluster.p99=%.0f single.p50=%.0f single.p99=%.0f%n",
                    rate, us(c.getValueAtPercentile(50)), us(c.getValueAtPercentile(99)), us(s.getValueAtPercentile(50)),
                    us(s.getValueAtPercentile(99)));
            }
            System.out.printf(Locale.ROOT, "throughput: cluster %.0f messages/s, single %.0f messages/s%n", clusterThroughput, singleThroughput);
            System.out.printf(Locale.ROOT, "RESULT cluster-throughput ratio=%.2f%n", clusterThroughput / singleThroughput);
            clean = failover.lost == 0 && failover.duplicates == 0 && failover.identical;
            return clean ? 0 : 1;
        }
        finally
        {
            if (temporary && clean)
            {
                IoUtil.delete(root.toFile(), true);
            }
            else if (temporary)
            {
                System.out.println("bench cluster: data and logs kept in " + root);
            }
        }
    }

    /** Open loop at {@code rate}: warm-up, then the measured run; the answers' latencies (ns). */
    private Histogram latency(final FixLoadClient client, final long rate, final String what)
    {
        client.recording(false);
        client.run(rate, Math.max(1, (long)(rate * warmupSeconds)), 60);
        client.takeTotal();
        client.recording(true);
        client.run(rate, Math.max(1, (long)(rate * durationSeconds)), 60);
        client.recording(false);
        final Histogram h = merged(client.takeTotal());
        System.out.printf(Locale.ROOT, "%-7s %6d/s: %,d answers, p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us%n", what, rate,
            h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)),
            us(h.getMaxValue()));
        return h;
    }

    /** Offered above capacity: messages answered (busy refusals not counted) per second, until the last answer. */
    private double throughput(final FixLoadClient client, final String what)
    {
        client.recording(false);
        final long answered = answeredNotBusy(client);
        final long start = System.nanoTime();
        client.run(throughputRate, Math.max(1, (long)(throughputRate * throughputSeconds)), 120);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final double perSecond = (answeredNotBusy(client) - answered) / seconds;
        System.out.printf(Locale.ROOT, "%-7s throughput: %,.0f messages/s answered (offered %,d/s for %.0f s; answered in %.1f s)%n", what,
            perSecond, throughputRate, throughputSeconds, seconds);
        return perSecond;
    }

    private static long answeredNotBusy(final FixLoadClient client)
    {
        long busy = 0;
        for (final Map.Entry<String, LongAdder> reason : client.rejectReasons().entrySet())
        {
            if (reason.getKey().contains("busy"))
            {
                busy += reason.getValue().sum();
            }
        }
        return client.answered(FixLoadClient.NEW) + client.answered(FixLoadClient.CANCEL) + client.answered(FixLoadClient.REPLACE)
            + client.rejects() - busy;
    }

    /** The failovers' times, and what the journals say afterwards. */
    private static final class FailoverResult
    {
        double[] millis;
        long lost;
        long duplicates;
        boolean identical;

        double p50()
        {
            return millis.length == 0 ? 0 : dev.bourse.bench.Median.of(millis);
        }

        double max()
        {
            return Arrays.stream(millis).max().orElse(0);
        }
    }

    /** Kills the leader {@link #kills} times under load (on a thread of its own); the killed node rejoins before the next. */
    private FailoverResult failover(final LocalCluster nodes, final FixLoadClient client) throws Exception
    {
        final FailoverResult result = new FailoverResult();
        result.millis = new double[kills];
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread load = new Thread(() ->
        {
            while (!stop.get())
            {
                client.run(failoverRate, Math.max(1, failoverRate / 4), 0);
            }
        }, "failover-load");
        load.setDaemon(true);
        load.start();
        try
        {
            for (int k = 0; k < kills; k++)
            {
                // Kill a leader whose followers are in step: the failover then measures the election, not a lagging follower.
                final long steady = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                await(() -> System.nanoTime() >= steady && nodes.inStep(IN_STEP_LAG), 120, "all nodes in step before kill " + (k + 1));
                final int leader = nodes.awaitLeader(30_000);
                if (leader < 0)
                {
                    throw new IllegalStateException("no leader before kill " + (k + 1));
                }
                final long killedAt = System.nanoTime();
                client.markAfter(killedAt);
                nodes.kill(leader);
                await(() -> client.firstAckAfterMarkNs() != 0, 60, "the first ack after killing node " + leader);
                result.millis[k] = (client.firstAckAfterMarkNs() - killedAt) / 1e6;
                System.out.printf(Locale.ROOT, "kill %d: node %d SIGKILLed, first ack of an order sent after it %.0f ms later (new leader: node %d)%n",
                    k + 1, leader, result.millis[k], nodes.leader());
                nodes.start(leader, 180);
            }
        }
        finally
        {
            stop.set(true);
            load.join(10_000);
        }
        final BitSet acknowledged = client.acknowledgedNewOrders();
        await(nodes::inStep, 120, "every node in step after the kills");
        final List<String> digests = new ArrayList<>();
        long lost = 0;
        long duplicates = client.duplicateAcks();
        for (int node = 0; node < nodes.size(); node++)
        {
            final JournalOrders journal = JournalOrders.read(nodes.journalDir(node));
            lost = Math.max(lost, journal.missing(acknowledged));
            duplicates = Math.max(duplicates, journal.duplicates() + client.duplicateAcks());
            digests.add(journal.digest());
        }
        result.lost = lost;
        result.duplicates = duplicates;
        result.identical = digests.stream().distinct().count() == 1;
        System.out.printf(Locale.ROOT, "acknowledged new orders %,d; journal digests %s (%s)%n", acknowledged.cardinality(), digests,
            result.identical ? "identical" : "DIFFERENT");
        return result;
    }

    private String clusterConfig(final List<String> symbols)
    {
        final StringBuilder c = new StringBuilder("""
            engine.max-instruments = 64
            engine.preallocated-orders = 262144
            gateway.port = 0
            gateway.rate-limit.messages-per-second = 10000000
            gateway.rate-limit.burst = 1000000
            md.enabled = false
            query.enabled = false
            """);
        c.append("gateway.max-sessions = ").append(Math.max(16, sessions + 4)).append('\n');
        nodeSettings.forEach((key, value) -> c.append(key).append(" = ").append(value).append('\n'));
        return c + BenchExchange.tradingConfig(symbols, sessions);
    }

    private Path singleConfig(final Path dataDir, final List<String> symbols) throws IOException
    {
        Files.createDirectories(dataDir);
        final String text = "data.dir = " + dataDir + "\n" + """
            engine.max-instruments = 64
            engine.preallocated-orders = 262144
            gateway.port = 0
            gateway.rate-limit.messages-per-second = 10000000
            gateway.rate-limit.burst = 1000000
            md.enabled = false
            query.enabled = false
            snapshot.every = 1h
            """ + "gateway.max-sessions = " + Math.max(16, sessions + 4) + "\n" + BenchExchange.tradingConfig(symbols, sessions);
        final Path file = dataDir.resolve("single.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void await(final java.util.function.BooleanSupplier done, final int seconds, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static Histogram merged(final Histogram[] byType)
    {
        final Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (final Histogram t : byType)
        {
            h.add(t);
        }
        return h;
    }

    private static double us(final long nanos)
    {
        return nanos / 1_000.0;
    }

    private static void write(final Path file, final Histogram h) throws IOException
    {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8))
        {
            h.outputPercentileDistribution(ps, 1_000.0);
        }
    }
}
