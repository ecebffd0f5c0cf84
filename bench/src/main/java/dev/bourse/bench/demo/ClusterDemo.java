package dev.bourse.bench.demo;

import dev.bourse.bench.cluster.JournalOrders;
import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.marketdata.OrderBook;
import dev.bourse.protocol.Prices;
import dev.bourse.server.cluster.ExchangeProcess;
import dev.bourse.server.cluster.LocalCluster;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ./exchange demo --cluster}: three cluster nodes and a FIX gateway, each {@code exchange
 * start} in a process of its own on this host ({@link LocalCluster}), the demo's simulated traders
 * on the gateway and a market-data subscriber on the nodes' feed. Halfway through, the leader is
 * killed with SIGKILL (or stopped with SIGTERM): the live lines carry on with a new leader, and the
 * demo prints how long it took (from the kill, or the stopped node's exit, to the first
 * acknowledgement of an order sent after it). At the end the killed node is started again and
 * catches up, every order the traders saw acknowledged is looked up in every node's journal (none
 * missing, none twice, the journals identical) and the subscriber's tape is held against the
 * journal's trades.
 */
final class ClusterDemo
{
    private static final int GATEWAY_ID = 1;

    private final long seconds;
    private final int traders;
    private final int ratePerTrader;
    private final int instruments;
    private final Path dataDir;
    private volatile boolean stop;
    private final LongAdder trades = new LongAdder();
    private volatile boolean subscriberSynced;
    /** SIGTERM the leader (its clean stop) instead of SIGKILL. */
    private final boolean terminateLeader;
    private volatile int busiest = 1;
    private volatile String top = "-";

    private final java.util.concurrent.CountDownLatch stopped;

    /** @param stopped counted down once the demo has stopped its processes: what the shutdown hook waits for. */
    ClusterDemo(final long seconds, final int traders, final int ratePerTrader, final int instruments, final Path dataDir,
        final java.util.concurrent.CountDownLatch stopped, final boolean terminateLeader)
    {
        this.stopped = stopped;
        this.terminateLeader = terminateLeader;
        this.seconds = seconds;
        this.traders = traders;
        this.ratePerTrader = ratePerTrader;
        this.instruments = instruments;
        this.dataDir = dataDir;
    }

    int run() throws Exception
    {
        final long rate = (long)traders * ratePerTrader;
        final Path root = dataDir != null ? dataDir : Files.createTempDirectory("bourse-demo-cluster-");
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stop = true;
            try
            {
                stopped.await(30, java.util.concurrent.TimeUnit.SECONDS); // not main's end: see DemoMain
            }
            catch (final InterruptedException ignored)
            {
                // exiting anyway
            }
        }));
        final int mdPort = LocalCluster.freeUdpRange(2);
        final List<String> symbols = BenchExchange.symbols(instruments);
        System.out.printf("demo --cluster: three cluster nodes and a FIX gateway, each a process of its own on this host, %d instruments,"
            + " %d FIX traders at %,d messages/s in all; the leader is killed halfway (%d s in all; Ctrl-C stops early)%n",
            instruments, traders, rate, seconds);
        System.out.println("demo --cluster: files and each process's output in " + root);
        MediaDriver driver = null;
        Aeron aeron = null;
        AgentRunner subscriberRunner = null;
        boolean ok = false;
        try (LocalCluster cluster = new LocalCluster(root, 3, config(mdPort, symbols), LocalCluster.projectJvmFlags(), "512m"))
        {
            final long started = System.nanoTime();
            cluster.restartNodesThatStopThemselves(line -> System.out.println("demo --cluster: " + line));
            cluster.startAll(180);
            final int firstLeader = cluster.awaitLeader(60_000);
            if (firstLeader < 0)
            {
                System.out.println("demo --cluster: no leader elected within 60 s; see " + root + "/node*.log");
                return 1;
            }
            cluster.awaitBootstrap(120);
            System.out.printf("demo --cluster: nodes up in %,d ms, node %d leads; members %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), firstLeader, cluster.members());
            final ExchangeProcess gateway = cluster.startGateway(GATEWAY_ID, 120);
            final int port = LocalCluster.gatewayPort(gateway);
            System.out.printf("demo --cluster: gateway on FIX port %d; node 0's query API on http://localhost:%d/api/v1/instruments%n",
                port, cluster.queryPort(0));

            driver = MediaDriver.launch(subscriberDriver(root));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final MarketDataSubscriber subscriber = subscriber(aeron, mdPort);
            subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000),
                t -> System.err.println("md subscriber: " + t), null, subscriber);
            AgentRunner.startOnThread(subscriberRunner);
            // trading starts once the subscriber is in step, so the tape can be held against the journal
            final long syncDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!subscriberSynced && System.nanoTime() < syncDeadline)
            {
                Thread.sleep(10);
            }

            try (FixLoadClient client = new FixLoadClient(BenchExchange.clientSettings(port, traders, symbols, System.nanoTime())))
            {
                client.recording(true);
                final Thread load = new Thread(() ->
                {
                    while (!stop)
                    {
                        client.run(rate, Math.max(1, rate / 4), 0); // planned in quarter-second chunks, open loop within each
                    }
                }, "demo-traders");
                load.setDaemon(true);
                load.start();
                final Failover failover = live(cluster, client);
                stop = true;
                load.join(5_000);
                ok = summary(cluster, client, subscriber, failover);
            }
            System.out.println("demo --cluster: stopping the gateway and the nodes");
        }
        finally
        {
            CloseHelper.quietCloseAll(subscriberRunner, aeron, driver);
            if (dataDir == null && ok)
            {
                IoUtil.delete(root.toFile(), true);
            }
            else if (dataDir == null)
            {
                System.out.println("demo --cluster: the nodes' directories and logs are kept in " + root);
            }
        }
        return ok ? 0 : 1;
    }

    /** What happened to the leader halfway. */
    private static final class Failover
    {
        int killed = -1;
        long killedAtNs;
        long firstAckNs;
        int newLeader = -1;
        /** With SIGTERM: how long the node took to stop. */
        long stopMs = -1;
    }

    /** A line a second; the leader killed halfway. */
    private Failover live(final LocalCluster cluster, final FixLoadClient client) throws Exception
    {
        final Failover failover = new Failover();
        System.out.printf("%8s %9s %9s %11s %11s %7s  %s%n", "time", "orders/s", "trades/s", "ack p50 us", "ack p99 us", "leader",
            "top of book (busiest instrument): bid qty @ price | ask");
        long lastOrders = 0;
        long lastTrades = 0;
        final long start = System.nanoTime();
        for (int second = 1; second <= seconds && !stop; second++)
        {
            final long wake = start + TimeUnit.SECONDS.toNanos(second);
            while (System.nanoTime() < wake && !stop)
            {
                Thread.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime()))));
                if (failover.killed >= 0 && failover.firstAckNs == 0 && client.firstAckAfterMarkNs() != 0)
                {
                    failover.firstAckNs = client.firstAckAfterMarkNs();
                    failover.newLeader = cluster.leader();
                    System.out.printf("         new leader: node %s; first order acknowledged %,d ms after the %s%n",
                        failover.newLeader < 0 ? "?" : String.valueOf(failover.newLeader),
                        TimeUnit.NANOSECONDS.toMillis(failover.firstAckNs - failover.killedAtNs), failover.stopMs < 0 ? "kill" : "exit");
                }
            }
            final Histogram acks = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            for (final Histogram h : client.takeInterval())
            {
                acks.add(h);
            }
            final long orders = client.answered(FixLoadClient.NEW) + client.answered(FixLoadClient.CANCEL)
                + client.answered(FixLoadClient.REPLACE) + client.rejects();
            final long tradeCount = trades.sum();
            final int leader = cluster.leader();
            System.out.printf("%7ds %,9d %,9d %,11.0f %,11.0f %7s  %s%n", second, orders - lastOrders, tradeCount - lastTrades,
                acks.getValueAtPercentile(50) / 1000.0, acks.getValueAtPercentile(99) / 1000.0,
                leader < 0 ? "-" : "node " + leader, top);
            lastOrders = orders;
            lastTrades = tradeCount;
            if (second == Math.max(1, seconds / 2) && failover.killed < 0)
            {
                final int victim = cluster.leader();
                if (victim >= 0)
                {
                    System.out.printf("         %s the leader, node %d (pid %d), with %s%n", terminateLeader ? "stopping" : "killing",
                        victim, cluster.pid(victim), terminateLeader ? "SIGTERM" : "SIGKILL");
                    failover.killed = victim;
                    if (terminateLeader)
                    {
                        // the node leads and acknowledges orders while it stops: the failover is timed from its exit
                        final long asked = System.nanoTime();
                        cluster.terminate(victim);
                        failover.stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
                        failover.killedAtNs = System.nanoTime();
                        client.markAfter(failover.killedAtNs);
                    }
                    else
                    {
                        failover.killedAtNs = System.nanoTime();
                        client.markAfter(failover.killedAtNs);
                        cluster.kill(victim);
                    }
                }
            }
        }
        return failover;
    }

    /** Prints the summary; whether nothing acknowledged was lost or doubled and the journals are identical. */
    private boolean summary(final LocalCluster cluster, final FixLoadClient client, final MarketDataSubscriber subscriber,
        final Failover failover) throws Exception
    {
        final BitSet acknowledged = client.acknowledgedNewOrders();
        final Histogram acks = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (final Histogram h : client.takeTotal())
        {
            acks.add(h);
        }
        System.out.println();
        System.out.println("summary");
        if (failover.killed >= 0)
        {
            if (failover.firstAckNs != 0)
            {
                System.out.printf("  failover           node %d %s; first order acknowledged by the new leader (node %s) %,d ms %s%n",
                    failover.killed, how(failover),
                    failover.newLeader < 0 ? "?" : String.valueOf(failover.newLeader),
                    TimeUnit.NANOSECONDS.toMillis(failover.firstAckNs - failover.killedAtNs), failover.stopMs < 0 ? "later" : "after the exit");
            }
            else
            {
                System.out.printf("  failover           node %d %s; no order acknowledged after it before the end%n", failover.killed,
                    how(failover));
            }
            System.out.printf("  rejoin             starting node %d again ...%n", failover.killed);
            final long restarted = System.nanoTime();
            cluster.start(failover.killed, 180);
            if (awaitInStep(cluster, 120))
            {
                System.out.printf("                     node %d is back and caught up after %,d ms%n", failover.killed,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            }
        }
        else
        {
            awaitInStep(cluster, 120);
        }
        System.out.printf("  messages answered  %,d (new %,d, cancel %,d, replace %,d; rejected %,d)%n", acks.getTotalCount(),
            client.answered(FixLoadClient.NEW), client.answered(FixLoadClient.CANCEL), client.answered(FixLoadClient.REPLACE),
            client.rejects());
        client.rejectReasons().forEach((reason, n) -> System.out.printf("                     %,d x %s%n", n.sum(), reason));
        System.out.printf("  trades             %,d%n", trades.sum());
        System.out.printf("  ack latency        p50 %,.0f us, p99 %,.0f us, max %,.0f us (the failover's wait included)%n",
            acks.getValueAtPercentile(50) / 1000.0, acks.getValueAtPercentile(99) / 1000.0, acks.getMaxValue() / 1000.0);
        System.out.printf("  subscriber         %s, %,d messages, %,d gaps recovered from the snapshot stream%n", subscriber.state(),
            subscriber.messages(), subscriber.recoveries());
        final List<String> digests = new ArrayList<>();
        long missing = 0;
        long duplicates = client.duplicateAcks();
        long journalTrades = 0;
        for (int node = 0; node < cluster.size(); node++)
        {
            final JournalOrders journal = JournalOrders.read(cluster.journalDir(node));
            final long lost = journal.missing(acknowledged);
            missing += lost;
            duplicates += journal.duplicates();
            digests.add(journal.digest());
            journalTrades = Math.max(journalTrades, journal.trades());
            System.out.printf("  node %d journal     %,d entries, digest %s: %,d of the %,d acknowledged new orders missing, %,d accepted"
                + " twice%n", node, journal.entries(), journal.digest(), lost, acknowledged.cardinality(), journal.duplicates());
        }
        final boolean identical = digests.stream().distinct().count() == 1;
        // the tape against the journal: a failover the new leader's replay covered costs the tape nothing
        final long tape = trades.sum();
        System.out.printf("  tape               %,d of the journal's %,d trades on the market-data feed%s%n", tape, journalTrades,
            tape == journalTrades ? ": none missing" : tape < journalTrades
                ? " (the trades of a gap recovered from a snapshot are not printed)" : ": MORE than traded");
        final boolean ok = missing == 0 && duplicates == 0 && identical;
        System.out.println(ok
            ? "  result             nothing acknowledged was lost, nothing doubled; the three journals are identical"
            : "  result             PROBLEM: " + missing + " acknowledged orders missing, " + duplicates + " doubled, journals "
                + (identical ? "identical" : "DIFFERENT"));
        return ok;
    }

    private static String how(final Failover failover)
    {
        return failover.stopMs < 0 ? "killed" : "stopped with SIGTERM (" + String.format("%,d", failover.stopMs) + " ms to exit)";
    }

    /** Waits until every node is in step with the leader; false (and their statuses printed) if not within {@code seconds}. */
    private static boolean awaitInStep(final LocalCluster cluster, final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cluster.inStep())
        {
            if (System.nanoTime() > deadline)
            {
                System.out.println("  not in step       after " + seconds + " s the nodes are not in step:");
                cluster.status().forEach(n -> System.out.println("                     " + n));
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private String config(final int mdPort, final List<String> symbols)
    {
        return """
            cluster.idle-strategy = backoff:1000
            engine.max-instruments = 64
            gateway.port = 0
            gateway.rate-limit.messages-per-second = 1000000
            gateway.rate-limit.burst = 100000
            query.port = 0
            query.bind = 127.0.0.1
            md.snapshot-interval = 250ms
            md.term-length = 1048576
            """
            + "gateway.max-sessions = " + Math.max(16, traders + 4) + "\n"
            + "md.channel = aeron:udp?endpoint=localhost:" + mdPort + "\n"
            + "md.snapshot-channel = aeron:udp?endpoint=localhost:" + (mdPort + 1) + "\n"
            + BenchExchange.tradingConfig(symbols, traders);
    }

    private static MediaDriver.Context subscriberDriver(final Path root)
    {
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true);
        ctx.aeronDirectoryName(root.resolve("subscriber-aeron").toString());
        return ctx;
    }

    private MarketDataSubscriber subscriber(final Aeron aeron, final int mdPort)
    {
        return new MarketDataSubscriber(new MarketDataSubscriber.Context()
            .aeron(aeron)
            .incrementalChannel("aeron:udp?endpoint=localhost:" + mdPort)
            .incrementalStreamId(MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID)
            .snapshotChannel("aeron:udp?endpoint=localhost:" + (mdPort + 1))
            .snapshotStreamId(MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID), new MarketDataListener()
            {
                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    trades.increment();
                    busiest = instrumentId;
                }

                @Override
                public void onStateChanged(final MarketDataSubscriber.State state)
                {
                    subscriberSynced = state == MarketDataSubscriber.State.SYNCED;
                }

                @Override
                public void onBookChanged(final OrderBook book)
                {
                    if (book.instrumentId() == busiest)
                    {
                        top = topOfBook(book);
                    }
                }
            });
    }

    private static String topOfBook(final OrderBook book)
    {
        final String bid = book.bids().best() == null ? "-" :
            book.bids().best().totalQty() + " @ " + Prices.toString(book.bids().best().price());
        final String ask = book.asks().best() == null ? "-" :
            book.asks().best().totalQty() + " @ " + Prices.toString(book.asks().best().price());
        return book.symbol() + "  " + bid + " | " + ask;
    }
}
