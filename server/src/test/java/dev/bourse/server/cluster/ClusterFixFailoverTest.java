package dev.bourse.server.cluster;

import dev.bourse.cluster.ops.ClusterStatus;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.Order;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.CounterDescriptor;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrderRejectedDecoder;
import dev.bourse.server.cli.CountersFileName;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import dev.bourse.server.metrics.CountersFile;
import io.aeron.Aeron;
import io.aeron.cluster.service.Cluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cluster mode end to end, as a user runs it: three nodes, each {@code exchange start} in a JVM of
 * its own, a gateway on the cluster, FIX traders trading through it and a market-data subscriber on
 * the nodes' UDP feed. The leader is SIGKILLed under FIX load. Then: a new leader is elected, the
 * traders keep their sessions and carry on, every order is answered once (nothing dropped or
 * executed twice), the gateway's sequence numbers continue without a gap or reset, every
 * acknowledged order is in both survivors' journals in the state the traders were told, the
 * survivors' journals are identical (digests) and so are their engine states, the subscriber is
 * current again with the new leader's feed with no manual step, and a follower serves the
 * cluster gauges on /metrics.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterFixFailoverTest
{
    private static final String PASSWORD = "cluster-test";
    private static final int TRADERS = 3;
    /** Entries the bootstrap journals: 1 instrument, then per account a creation and two deposits. */
    private static final long BOOTSTRAP_ENTRIES = 1 + 3L * TRADERS;

    /** Kept when the test fails: every process's whole log (node<i>.log) is in its cluster/ directory. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    private LocalCluster cluster;
    private ClusterGatewayServer gateway;
    private final List<FixTrader> traders = new ArrayList<>();
    private MediaDriver driver;
    private Aeron aeron;
    private AgentRunner subscriberRunner;
    private final java.util.concurrent.atomic.LongAdder tape = new java.util.concurrent.atomic.LongAdder();
    private final List<String> gatewayLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws IOException
    {
        // For a failure's post-mortem: the gateway's lines go to the test's output file (kept by Surefire), the
        // nodes' logs stay in the temporary directory, which is kept when the test fails.
        System.out.println("nodes' logs in " + root.resolve("cluster") + "\n---- gateway ----\n" + String.join("\n", gatewayLog));
        for (final FixTrader trader : traders)
        {
            trader.close();
        }
        CloseHelper.quietCloseAll(gateway, subscriberRunner, aeron, driver, cluster);
    }

    @Test
    void theLeaderKilledUnderFixLoadLosesNothingAcknowledgedAndSessionsCarryOn() throws Exception
    {
        final int mdPort = LocalCluster.freeUdpRange(2);
        cluster = new LocalCluster(root.resolve("cluster"), 3, config(mdPort), jvmFlags(), "384m");
        cluster.restartNodesThatStopThemselves(System.out::println); // as a supervisor would (docs/CLUSTER.md)
        cluster.startAll(180);
        await(() -> cluster.leader() >= 0 && cluster.inStep() && journalSequence() >= BOOTSTRAP_ENTRIES, 120,
            () -> "a leader, and the bootstrap journaled on every node: " + cluster.status());

        final MarketDataSubscriber subscriber = subscribe(mdPort);
        gateway = ClusterGatewayServer.start(ExchangeConfig.read(Settings.parse("gateway", cluster.gatewayConfig(1))), gatewayLog::add);
        for (int i = 1; i <= TRADERS; i++)
        {
            traders.add(new FixTrader(gateway.gatewayPort(), "t" + i, PASSWORD));
        }
        await(() -> pollTraders() >= 0 && traders.stream().allMatch(FixTrader::loggedOn), 30, () -> "logons");

        // in step before the first trade, so that its tape can be held against the journal's trades
        await(subscriber::isSynced, 60, () -> "the subscriber in step before trading: " + subscriber);

        // Trading before the kill: buys and sells at one price, so orders rest, fill and partly fill.
        final Load load = new Load();
        load.runUntil(() -> accepted() >= 150 && subscriber.isSynced(), 90, "150 orders acknowledged before the kill");
        load.runUntil(cluster::inStep, 90, "every node in step before the kill");
        final int leader = cluster.awaitLeader(10_000);
        assertTrue(leader >= 0, "a leader before the kill");
        final long acceptedBeforeKill = accepted();

        final int gatewayLinesBeforeKill = gatewayLog.size();
        cluster.kill(leader);
        load.runUntil(() -> cluster.leader() >= 0 && cluster.leader() != leader && accepted() >= acceptedBeforeKill + 150, 120,
            "a new leader, and 150 more orders acknowledged after the kill");
        final int newLeader = cluster.awaitLeader(10_000);
        load.stop();
        await(() -> pollTraders() >= 0 && traders.stream().allMatch(FixTrader::allAnswered), 60,
            () -> "every order answered: " + unanswered());

        // The FIX sessions: never dropped, every order answered once, sequence numbers without a gap or reset.
        for (final FixTrader trader : traders)
        {
            assertEquals(List.of(), trader.sessionProblems(), "session problems of " + trader.user);
            for (final FixTrader.OrderReport order : trader.orders().values())
            {
                assertEquals(1, order.answers, order.clOrdId + " answered once");
                if (!order.accepted())
                {
                    assertTrue(order.text.toLowerCase().contains("busy"), "a reject the client can retry on: " + order.text);
                }
            }
        }
        // The gateway follows the new leader: told of it on its session, or (when the election outlasts the gateway's
        // client-silence timeout, as on a starved host) by connecting again and finding it.
        assertTrue(gatewayLog.stream().skip(gatewayLinesBeforeKill).anyMatch(l -> l.contains("new cluster leader node " + newLeader)
            || l.contains("connected to the cluster, leader node " + newLeader)), gatewayLog.toString());

        // Every acknowledged order on both survivors, once, in the state the trader was told; journals identical.
        // The leader still journals now and then (a GTD expiry every minute, heartbeats): read the two journals again
        // until they are read at the same point, rather than failing on one entry that landed between the reads.
        final List<JournalFacts> survivors = new ArrayList<>();
        await(() ->
        {
            if (!cluster.inStep())
            {
                return false;
            }
            survivors.clear();
            for (int node = 0; node < 3; node++)
            {
                if (node != leader)
                {
                    survivors.add(JournalFacts.read(cluster.journalDir(node)));
                }
            }
            return survivors.get(0).lastSequence == survivors.get(1).lastSequence;
        }, 60, () -> "the survivors in step: " + cluster.status());
        assertEquals(survivors.get(0).digest, survivors.get(1).digest, "the survivors' journals are identical");
        assertArrayEquals(survivors.get(0).snapshot, survivors.get(1).snapshot, "the survivors' engine states are identical");
        for (final JournalFacts journal : survivors)
        {
            for (final FixTrader trader : traders)
            {
                for (final FixTrader.OrderReport order : trader.orders().values())
                {
                    if (!order.accepted())
                    {
                        assertEquals(0, journal.accepted.getOrDefault(order.clOrdId, 0), order.clOrdId + " was rejected: never accepted");
                        continue;
                    }
                    assertEquals(1, journal.accepted.getOrDefault(order.clOrdId, 0), order.clOrdId + " accepted exactly once");
                    final Order live = journal.state.order(order.orderId);
                    if (order.leavesQty > 0)
                    {
                        assertNotNull(live, order.clOrdId + " rests, as reported");
                        assertEquals(order.leavesQty, live.leavesQty(), order.clOrdId + " leaves quantity");
                        assertEquals(order.cumQty, live.cumQty(), order.clOrdId + " filled quantity");
                    }
                    else
                    {
                        assertNull(live, order.clOrdId + " is done, as reported (" + order.ordStatus + ")");
                    }
                }
            }
        }

        // Market data: the subscriber follows the new leader's feed, and every trade is on its tape once: the new
        // leader first sends again what it read along as a follower, which the killed leader may never have sent.
        // (the leader now: on a starved host leadership can move again after the kill)
        await(() ->
            {
                final int leaderNow = cluster.leader();
                return subscriber.isSynced() && leaderNow >= 0 && subscriber.lastSequence() == mdMessages(leaderNow);
            }, 60,
            () -> "the subscriber current with the leader (" + cluster.status() + "): " + subscriber);
        assertEquals(survivors.get(0).trades, tape.sum(), () -> "every trade on the tape, once: " + subscriber);
        assertTrue(cluster.printed(newLeader, "first sending its last"), "the new leader says it sends its recent messages again");
        final String leaderMetrics = metrics(newLeader);
        // At least once: on a starved host a leader can lose and win an election again after the kill (each win
        // sends the recent messages again), which is not what this checks.
        assertTrue(metricValue(leaderMetrics, "bourse_md_replays_total") >= 1, leaderMetrics);

        // A follower's query API serves the cluster's gauges. The follower is whichever survivor follows when asked: on a
        // starved host leadership can move again after the kill, so the one the kill left following may lead by now.
        final String[] followerMetrics = {""};
        await(() -> (followerMetrics[0] = metricsOfAFollower(leader)).contains("bourse_cluster_role 0"), 60,
            () -> "a survivor that follows and says so on /metrics: " + cluster.status() + "\n" + followerMetrics[0]);
        assertTrue(followerMetrics[0].contains("bourse_cluster_elections_total"), followerMetrics[0]);
        assertTrue(followerMetrics[0].contains("bourse_md_publishing 0"), followerMetrics[0]);
    }

    /** /metrics of a live node other than {@code killed} that its counters say follows, or "" when none does now. */
    private String metricsOfAFollower(final int killed)
    {
        for (final ClusterStatus.Node node : cluster.status())
        {
            if (node.nodeId() != killed && node.up() && node.role() == Cluster.Role.FOLLOWER)
            {
                try
                {
                    return metrics(node.nodeId());
                }
                catch (final IOException e)
                {
                    return "";
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return "";
                }
            }
        }
        return "";
    }

    /** The node's /metrics page. */
    private String metrics(final int node) throws IOException, InterruptedException
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.queryPort(node)
            + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Orders at about 100 a second in all, round robin over the traders, polling them in between. */
    private final class Load
    {
        private final long startNs = System.nanoTime();
        private long sent;
        private boolean stopped;

        void runUntil(final BooleanSupplier done, final int seconds, final String what) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!done.getAsBoolean())
            {
                if (System.nanoTime() > deadline)
                {
                    fail("not within " + seconds + " s: " + what + "; accepted " + accepted() + ", status " + cluster.status()
                        + "\ngateway: " + gatewayLog);
                }
                final long due = (System.nanoTime() - startNs) / 10_000_000L;
                while (!stopped && sent < due)
                {
                    final FixTrader trader = traders.get((int)(sent % TRADERS));
                    final char side = sent % 2 == 0 ? '1' : '2';
                    trader.order("ACME", side, 10 + (sent % 3) * 10, sent % 5 == 0 ? "100.01" : "100.00");
                    sent++;
                }
                if (pollTraders() == 0)
                {
                    Thread.sleep(1);
                }
            }
        }

        void stop()
        {
            stopped = true;
        }
    }

    private int pollTraders()
    {
        int messages = 0;
        for (final FixTrader trader : traders)
        {
            try
            {
                messages += trader.poll();
            }
            catch (final IOException e)
            {
                throw new IllegalStateException(trader.user + ": " + e.getMessage(), e);
            }
        }
        return messages;
    }

    private long accepted()
    {
        return traders.stream().mapToLong(FixTrader::accepted).sum();
    }

    private String unanswered()
    {
        final List<String> open = new ArrayList<>();
        traders.forEach(t -> t.orders().values().stream().filter(o -> !o.answered()).limit(5).forEach(o -> open.add(o.clOrdId)));
        return open.toString();
    }

    private long journalSequence()
    {
        return cluster.status().stream().mapToLong(n -> n.up() ? n.journalSequence() : Long.MAX_VALUE).min().orElse(0);
    }

    /** The value of an unlabelled metric in a /metrics page, -1 when it is not there. */
    private static long metricValue(final String page, final String name)
    {
        for (final String line : page.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    /** Market-data messages the node has published, from its counters file. */
    private long mdMessages(final int node)
    {
        try (CountersFile counters = CountersFile.openForReading(cluster.nodeDir(node).resolve(CountersFileName.NAME)))
        {
            final long[] value = {-1};
            counters.reader().forEach((v, id, label) ->
            {
                if (label.equals(CounterDescriptor.MD_MESSAGES.metricName()))
                {
                    value[0] = v;
                }
            });
            return value[0];
        }
        catch (final RuntimeException e)
        {
            return -1;
        }
    }

    private MarketDataSubscriber subscribe(final int mdPort)
    {
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .imageLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(3));
        ctx.aeronDirectoryName(root.resolve("subscriber-aeron").toString());
        driver = MediaDriver.launch(ctx);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
            .aeron(aeron)
            .incrementalChannel("aeron:udp?endpoint=localhost:" + mdPort)
            .incrementalStreamId(1001)
            .snapshotChannel("aeron:udp?endpoint=localhost:" + (mdPort + 1))
            .snapshotStreamId(1002), new MarketDataListener()
            {
                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    tape.increment();
                }
            });
        subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000), Throwable::printStackTrace, null,
            subscriber);
        AgentRunner.startOnThread(subscriberRunner);
        return subscriber;
    }

    static String config(final int mdPort)
    {
        final StringBuilder c = new StringBuilder();
        c.append("""
            cluster.leader-heartbeat-timeout = 500ms
            cluster.leader-heartbeat-interval = 50ms
            cluster.startup-canvass-timeout = 5s
            cluster.idle-strategy = backoff:1000
            cluster.log-term-length = 1048576
            engine.max-instruments = 16
            engine.preallocated-orders = 4096
            gateway.port = 0
            gateway.rate-limit.messages-per-second = 100000
            gateway.rate-limit.burst = 10000
            query.port = 0
            query.bind = 127.0.0.1
            md.snapshot-interval = 100ms
            md.term-length = 262144
            instruments = ACME
            instrument.ACME.reference-price = 100
            instrument.ACME.tick = 0.01
            """);
        c.append("md.channel = aeron:udp?endpoint=localhost:").append(mdPort).append('\n');
        c.append("md.snapshot-channel = aeron:udp?endpoint=localhost:").append(mdPort + 1).append('\n');
        final List<String> accounts = new ArrayList<>();
        final List<String> users = new ArrayList<>();
        for (int i = 1; i <= TRADERS; i++)
        {
            accounts.add(String.valueOf(1000 + i));
            users.add("t" + i);
            c.append("account.").append(1000 + i).append(".cash = 100000000\n");
            c.append("account.").append(1000 + i).append(".position.ACME = 1000000\n");
            c.append("user.t").append(i).append(".account = ").append(1000 + i).append('\n');
            c.append("user.t").append(i).append(".password = ").append(PASSWORD).append('\n');
        }
        c.append("accounts = ").append(String.join(", ", accounts)).append('\n');
        c.append("users = ").append(String.join(", ", users)).append('\n');
        return c.toString();
    }

    static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>(LocalCluster.projectJvmFlags());
        flags.add("-XX:+UseSerialGC");
        return flags;
    }

    static void await(final BooleanSupplier condition, final int seconds, final Supplier<String> what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not within " + seconds + " s: " + what.get());
            }
            Thread.sleep(10);
        }
    }

    /** What a node's journal says: its digest (as journal verify computes it), the orders accepted, the state it folds to. */
    private static final class JournalFacts
    {
        String digest;
        long lastSequence;
        long trades;
        byte[] snapshot;
        EngineState state;
        final Map<String, Integer> accepted = new HashMap<>();

        static JournalFacts read(final Path journalDir)
        {
            final JournalFacts facts = new JournalFacts();
            final EngineState state = new EngineState(new EngineConfig().maxInstruments(16).preallocatedOrders(4096));
            final EngineReplayer replayer = new EngineReplayer(state);
            final JournalEntryReader reader = new JournalEntryReader();
            final CRC32C entryCrc = new CRC32C();
            final CRC32C digest = new CRC32C();
            final JournalEventListener orders = new JournalEventListener()
            {
                @Override
                public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
                {
                    facts.accepted.merge(ClOrdIds.toString(e.buffer(), e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset()), 1,
                        Integer::sum);
                }

                @Override
                public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder e)
                {
                }

                @Override
                public void onTrade(final EntryHeaderDecoder header, final dev.bourse.protocol.sbe.TradeDecoder e)
                {
                    facts.trades++;
                }
            };
            try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); ChronicleTailer tailer = journal.tailerFromStart())
            {
                while (tailer.poll((position, buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    entryCrc.reset();
                    entryCrc.update(bytes, 0, length);
                    final long crc = entryCrc.getValue();
                    for (int i = 0; i < 4; i++)
                    {
                        digest.update((int)(crc >>> (8 * i)) & 0xFF);
                    }
                    assertEquals(JournalEntryReader.OK, reader.read(buffer, offset, length, orders), "a well-formed entry");
                    replayer.apply(buffer, offset, length);
                }, 10_000) > 0)
                {
                    // reading
                }
            }
            facts.digest = String.format("%08x", digest.getValue());
            facts.lastSequence = state.lastSequence();
            facts.state = state;
            facts.snapshot = EngineSnapshot.toBytes(state);
            return facts;
        }
    }
}
