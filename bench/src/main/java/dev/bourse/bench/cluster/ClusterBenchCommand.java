package dev.bourse.bench.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.cluster.ops.ClusterStatus;
import dev.bourse.engine.EngineConfig;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.protocol.JournalEntryReader;
import org.HdrHistogram.Histogram;
import org.agrona.collections.Long2LongHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * {@code bench cluster}: a three-node cluster (each node its own process, loopback UDP) against the
 * single-node exchange (Disruptor sequencer, engine and journal in one process), under the same
 * open-loop order flow through the same {@link OrderLoad}: replicated ack latency per rate,
 * throughput, and failover when the leader is killed with SIGKILL under load.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Three cluster nodes as separate processes on loopback, and the single-node exchange, driven by the same open-loop",
        "order flow (8 sessions, limit orders around one price, half IOC). Ack latency is from each order's planned send",
        "time to the journal entry that answers it reaching the client (the cluster's results stream; the single node's",
        "journal tailer). Failover: the leader is SIGKILLed under load; time to the first ack from the new leader; the",
        "killed node is restarted and catches up before the next kill. At the end every acknowledged order is looked up",
        "in the nodes' journals (acked.lost) and counted (duplicates), and the journals' digests are compared.",
        "All processes share this machine: see docs/CLUSTER.md for what that does to the figures."})
public final class ClusterBenchCommand implements java.util.concurrent.Callable<Integer>
{
    @Option(names = "--kills", description = "Leader kills (default 5; 1 with --quick).")
    Integer killsOption;

    private int kills;

    @Option(names = "--rates", split = ",", defaultValue = "1000,10000", description = "Offered rates, orders/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per rate (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--throughput-seconds", defaultValue = "10", description = "Seconds of the throughput run (default ${DEFAULT-VALUE}).")
    double throughputSeconds;

    @Option(names = "--failover-rate", defaultValue = "2000", description = "Orders/s during the kills (default ${DEFAULT-VALUE}).")
    long failoverRate;

    @Option(names = "--node-option", paramLabel = "OPTION",
        description = "Passed to every node, e.g. --node-option=--fsync=data --node-option=--idle-strategy=backoff:1000.")
    List<String> nodeOptions = new ArrayList<>();

    @Option(names = "--single-wait-strategy", defaultValue = "sleeping", description = "The single node's engine wait strategy (default ${DEFAULT-VALUE}).")
    String singleWaitStrategy;

    @Option(names = "--dir", description = "Where the nodes' and the single node's data go (default: a temporary directory, removed).")
    Path dir;

    @Option(names = "--out", defaultValue = "results/cluster", description = "Where the .hgrm files go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "A smoke run: 1 kill, 1 s warm-up, 2 s per rate, 2 s throughput.")
    boolean quick;

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
        System.out.printf("bench cluster: %d cpus, load average %s, rates %s, %d kill(s), node options %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), rates, kills, nodeOptions);
        try
        {
            final double clusterThroughput;
            final double[] failover;
            try (ClusterNodes nodes = new ClusterNodes(root.resolve("cluster"), 3, jvmFlags(), nodeOptions()))
            {
                nodes.startAll();
                if (nodes.leader(60) < 0)
                {
                    throw new IllegalStateException("the cluster elected no leader in 60 s; logs in " + root.resolve("cluster"));
                }
                final OrderLoad[] holder = new OrderLoad[1];
                final ClusterClient client = new ClusterClient(new ClusterClient.Context()
                    .ingressEndpoints(nodes.ingressEndpoints())
                    .resultsFrom(ClusterClient.RESULTS_FROM_NOW)
                    .listener(new ClusterClient.Listener()
                    {
                        @Override
                        public void onNewLeader(final int leaderMemberId, final long leadershipTermId)
                        {
                            holder[0].mark();
                        }
                    })
                    .log(line -> System.out.println("client: " + line)));
                try (OrderLoad load = new PublisherOrderLoad(client, client.results(), client::close))
                {
                    holder[0] = load;
                    setup(load, "cluster");
                    for (final long rate : rates)
                    {
                        cluster.put(rate, latency(load, rate, "cluster"));
                    }
                    clusterThroughput = throughput(load, "cluster");
                    failover = failover(nodes, load);
                    report(nodes, load, failover);
                    System.out.printf("client: %d leader change(s), %,d commands sent again, %,d results repairs asked%n",
                        client.leaderChanges(), client.commandsResent(), client.resendsRequested());
                }
            }
            final double singleThroughput;
            try (SingleNodeExchange exchange = new SingleNodeExchange(root.resolve("single"), engineConfig(), singleWaitStrategy);
                OrderLoad load = exchange.load())
            {
                setup(load, "single");
                for (final long rate : rates)
                {
                    single.put(rate, latency(load, rate, "single"));
                }
                singleThroughput = throughput(load, "single");
            }
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
            System.out.printf(Locale.ROOT, "throughput: cluster %.0f orders/s, single %.0f orders/s%n", clusterThroughput, singleThroughput);
            System.out.printf(Locale.ROOT, "RESULT cluster-throughput ratio=%.2f%n", clusterThroughput / singleThroughput);
            return 0;
        }
        finally
        {
            if (temporary)
            {
                deleteTree(root);
            }
        }
    }

    private List<String> nodeOptions()
    {
        final List<String> options = new ArrayList<>(List.of("--preallocated-orders", "262144", "--expected-clordids", "4194304",
            "--max-instruments", "16"));
        for (final String o : nodeOptions)
        {
            final int eq = o.indexOf('=');
            if (o.startsWith("--") && eq > 0)
            {
                options.add(o.substring(0, eq));
                options.add(o.substring(eq + 1));
            }
            else
            {
                options.add(o);
            }
        }
        return options;
    }

    private static EngineConfig engineConfig()
    {
        return new EngineConfig().maxInstruments(16).preallocatedOrders(262_144).expectedClOrdIdsPerDay(4_194_304);
    }

    private static void setup(final OrderLoad load, final String what)
    {
        // The setup commands are not orders: an order that round-trips after them says they are applied.
        load.rate(0);
        final long sent = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        runUntil(load, () -> System.nanoTime() >= sent, 60, what + " setup");
        load.rate(100);
        final long acked = load.acked();
        runUntil(load, () -> load.acked() > acked, 60, what + ": the first order acknowledged");
        drain(load, what);
    }

    /** Open-loop at {@code rate}: warm-up, then the measured run; returns the histogram (µs figures in ns). */
    private Histogram latency(final OrderLoad load, final long rate, final String what)
    {
        load.recording(false);
        load.rate(rate);
        final long warm = System.nanoTime() + (long)(warmupSeconds * 1e9);
        runUntil(load, () -> System.nanoTime() >= warm, (int)warmupSeconds + 60, what + " warm-up");
        load.latencies().reset();
        load.recording(true);
        final long end = System.nanoTime() + (long)(durationSeconds * 1e9);
        runUntil(load, () -> System.nanoTime() >= end, (int)durationSeconds + 60, what + " at " + rate + "/s");
        load.rate(0);
        drain(load, what);
        load.recording(false);
        final Histogram h = load.latencies().copy();
        System.out.printf(Locale.ROOT, "%-7s %6d/s: %,d acks, p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us%n", what, rate,
            h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)),
            us(h.getMaxValue()));
        return h;
    }

    /** As fast as the publisher accepts (its window or ring full: wait); acknowledged orders per second. */
    private double throughput(final OrderLoad load, final String what)
    {
        load.rate(10_000_000);
        final long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        runUntil(load, () -> System.nanoTime() >= warm, 60, what + " throughput warm-up");
        final long acked = load.acked();
        final long start = System.nanoTime();
        final long end = start + (long)(throughputSeconds * 1e9);
        runUntil(load, () -> System.nanoTime() >= end, (int)throughputSeconds + 60, what + " throughput");
        final double perSecond = (load.acked() - acked) / ((System.nanoTime() - start) / 1e9);
        load.rate(0);
        drain(load, what);
        return perSecond;
    }

    /** Kills the leader {@link #kills} times under load; returns each failover in ms. */
    private double[] failover(final ClusterNodes nodes, final OrderLoad load) throws Exception
    {
        final double[] times = new double[kills];
        load.rate(failoverRate);
        for (int k = 0; k < kills; k++)
        {
            final long steady = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            runUntil(load, () -> System.nanoTime() >= steady, 60, "steady load before kill " + (k + 1));
            // Kill a leader whose followers are in step: the failover then measures the election, not a lagging follower.
            final long[] checked = {0};
            final boolean[] inStep = {false};
            runUntil(load, () ->
            {
                if (System.nanoTime() - checked[0] > TimeUnit.MILLISECONDS.toNanos(100))
                {
                    checked[0] = System.nanoTime();
                    inStep[0] = caughtUp(nodes);
                }
                return inStep[0];
            }, 120, "all nodes in step before kill " + (k + 1));
            final int leader = nodes.leader(30);
            if (leader < 0)
            {
                throw new IllegalStateException("no leader before kill " + (k + 1));
            }
            final long killedAt = System.nanoTime();
            nodes.kill(leader);
            runUntil(load, () -> load.firstAckAfterMarkNs() > killedAt, 60, "the first ack after killing node " + leader);
            times[k] = (load.firstAckAfterMarkNs() - killedAt) / 1e6;
            System.out.printf(Locale.ROOT, "kill %d: node %d SIGKILLed, first ack from the new leader after %.0f ms%n", k + 1, leader,
                times[k]);
            // Bring it back (on another thread: the load keeps going) and let it catch up before the next kill.
            final Thread restart = new Thread(() ->
            {
                try
                {
                    nodes.start(leader);
                }
                catch (final Exception e)
                {
                    System.out.println("restart of node " + leader + " failed: " + e.getMessage());
                }
            }, "restart-node-" + leader);
            restart.start();
            runUntil(load, () -> !restart.isAlive() && caughtUp(nodes), 120, "node " + leader + " restarted and caught up");
        }
        load.rate(0);
        drain(load, "cluster");
        return times;
    }

    private static boolean caughtUp(final ClusterNodes nodes)
    {
        final List<ClusterStatus.Node> status = nodes.status();
        final ClusterStatus.Node leader = ClusterStatus.leader(status);
        if (leader == null)
        {
            return false;
        }
        for (final ClusterStatus.Node n : status)
        {
            if (!n.up() || !"closed".equals(n.election()) || n.engineSequence() < leader.engineSequence() - 1_000)
            {
                return false;
            }
        }
        return true;
    }

    /** Every acknowledged order in the journals, none twice, journals identical. */
    private void report(final ClusterNodes nodes, final OrderLoad load, final double[] failover) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allEqual(nodes.status()) && System.nanoTime() < deadline)
        {
            load.doWork();
            Thread.sleep(10);
        }
        long lost = Long.MAX_VALUE;
        long duplicates = 0;
        final List<String> digests = new ArrayList<>();
        for (int node = 0; node < 3; node++)
        {
            final long[] counts = scan(nodes.nodeDir(node).resolve("journal"), load, digests);
            lost = Math.min(lost, load.acked() - counts[0]);
            duplicates = Math.max(duplicates, counts[1]);
        }
        final double[] sorted = failover.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "orders sent %,d, acknowledged %,d (unacknowledged %,d), journal digests %s (%s)%n", load.sent(),
            load.acked(), load.sent() - load.acked(), digests, digests.stream().distinct().count() == 1 ? "identical" : "DIFFERENT");
        System.out.printf(Locale.ROOT, "RESULT cluster-failover kills=%d p50.ms=%.0f max.ms=%.0f acked.lost=%d duplicates=%d%n", kills,
            sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2], sorted.length == 0 ? 0 : sorted[sorted.length - 1], lost,
            Math.max(duplicates, load.duplicates()));
    }

    private static boolean allEqual(final List<ClusterStatus.Node> status)
    {
        final long first = status.get(0).engineSequence();
        for (final ClusterStatus.Node n : status)
        {
            if (!n.up() || n.engineSequence() != first || n.journalSequence() != first)
            {
                return false;
            }
        }
        return true;
    }

    /** {acknowledged orders found, orders found twice}; adds the journal's digest (as journal verify computes it). */
    private static long[] scan(final Path journalDir, final OrderLoad load, final List<String> digests)
    {
        final Long2LongHashMap seen = new Long2LongHashMap(0);
        final JournalEntryReader reader = new JournalEntryReader();
        final CRC32C entryCrc = new CRC32C();
        final CRC32C digest = new CRC32C();
        final byte[] copy = new byte[1 << 16];
        final long[] counts = new long[2];
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); ChronicleTailer tailer = journal.tailerFromStart())
        {
            while (tailer.poll((position, buffer, offset, length) ->
            {
                final byte[] bytes = length <= copy.length ? copy : new byte[length];
                buffer.getBytes(offset, bytes, 0, length);
                entryCrc.reset();
                entryCrc.update(bytes, 0, length);
                final long crc = entryCrc.getValue();
                for (int i = 0; i < 4; i++)
                {
                    digest.update((int)(crc >>> (8 * i)) & 0xFF);
                }
                if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
                {
                    return;
                }
                final int session = reader.header().sessionId();
                final int msgSeqNum = reader.header().msgSeqNum();
                if (session <= 0 || msgSeqNum <= 0)
                {
                    return;
                }
                final long key = ((long)session << 32) | msgSeqNum;
                final long n = seen.get(key) + 1;
                seen.put(key, n);
                if (n == 2)
                {
                    counts[1]++;
                }
                else if (n == 1 && load.isAcked(session, msgSeqNum))
                {
                    counts[0]++;
                }
            }, 10_000) > 0)
            {
                // scanning
            }
        }
        digests.add(String.format("%08x", digest.getValue()));
        return counts;
    }

    private static void drain(final OrderLoad load, final String what)
    {
        runUntil(load, () -> load.acked() >= load.sent(), 60, what + ": every order acknowledged");
    }

    private static void runUntil(final OrderLoad load, final BooleanSupplier done, final int seconds, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            if (load.doWork() == 0)
            {
                LockSupport.parkNanos(20_000);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting for " + what + " (sent " + load.sent() + ", acknowledged "
                    + load.acked() + ")");
            }
        }
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

    /** The project's JVM flags for the nodes: from the file the build writes next to the launcher, else the system property. */
    private static List<String> jvmFlags()
    {
        String flags = System.getProperty("bourse.jvm.flags", "");
        final Path file = Path.of(System.getProperty("bourse.home", ".")).resolve("bench/target/launcher/jvm.flags");
        if (Files.isRegularFile(file))
        {
            try
            {
                flags = Files.readString(file, StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
            }
        }
        final List<String> list = new ArrayList<>();
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                list.add(flag);
            }
        }
        return list;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
