package dev.bourse.server;

import dev.bourse.journal.SchedulerSlice;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.protocol.Prices;
import dev.bourse.server.config.ConfigException;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole exchange from the example configuration in the repository, on free ports and a temp
 * data directory: two FIX sessions trade, and the trade is then read from the query API and from a
 * market-data subscriber; the server stops cleanly and a restart recovers what was acknowledged.
 */
class ServerIntegrationTest
{
    private static final Path EXAMPLE = Path.of("..", "config", "exchange.properties");

    @TempDir
    Path temp;

    private final String aeronDir = CommonContext.getAeronDirectoryName() + "-it-" + UUID.randomUUID();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }

    @Test
    void aSecondExchangeOnTheSameDataDirectoryIsRefusedWhileTheFirstRuns() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0, NO_SCHEDULER);
        final ExchangeServer first = ExchangeServer.start(config, line -> { });
        closeables.add(first);
        final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }).close());
        final String message = dev.bourse.server.cli.UserErrors.describe(refused);
        assertTrue(message.startsWith("data.dir " + config.dataDir() + " is in use by another exchange"), message);
        first.close();
        closeables.remove(first);
        final ExchangeServer next = ExchangeServer.start(config, line -> { });
        closeables.add(next);
        assertTrue(next.gatewayPort() > 0, "once the first has stopped the directory is free again");
    }

    /**
     * An outside tester's refused restart (a journal that does not reach its snapshots) replaced the
     * counters file, so {@code stat} showed the refused process's nothing in place of the last run.
     */
    @Test
    void aRefusedStartLeavesTheLastRunsCountersInPlace() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0, NO_SCHEDULER);
        ExchangeServer.start(config, line -> { }).close(); // a stop takes a snapshot
        final Path counters = config.dataDir().resolve(dev.bourse.server.cli.CountersFileName.NAME);
        final byte[] lastRun = Files.readAllBytes(counters);

        final Map<String, String> emptyJournal = new java.util.HashMap<>(NO_SCHEDULER);
        emptyJournal.put("journal.dir", temp.resolve("empty-journal").toString());
        final ExchangeConfig refusedConfig = exampleConfig(temp.resolve("data"), 0, 0, emptyJournal);
        final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(refusedConfig, line -> { }).close());
        assertTrue(dev.bourse.server.cli.UserErrors.describe(refused).contains("has no entries"), refused.toString());
        assertArrayEquals(lastRun, Files.readAllBytes(counters), "the last run's counters");
        assertFalse(Files.exists(counters.resolveSibling(counters.getFileName() + ".starting")), "the refused start's own file gone");

        closeables.add(ExchangeServer.start(config, line -> { }));
        assertFalse(Files.exists(counters.resolveSibling(counters.getFileName() + ".starting")), "a start that goes through");
        assertTrue(Files.exists(counters), "has its counters where stat reads them");
    }

    /**
     * An outside tester: a second exchange given the first's history file was refused by the query
     * side's store, after it had recovered and journaled its configuration's bootstrap. The file's
     * writer lock is tried first, as the ports are.
     */
    @Test
    void aSecondExchangeGivenTheFirstsHistoryFileIsRefusedBeforeItJournalsAnything() throws Exception
    {
        final Path history = temp.resolve("shared-history").resolve("history.db");
        final ExchangeConfig first = exampleConfig(temp.resolve("a"), 0, 0,
            Map.of("schedule.gtd-expiry-interval", "0s", "query.history-file", history.toString()));
        closeables.add(ExchangeServer.start(first, line -> { }));
        final ExchangeConfig second = exampleConfig(temp.resolve("b"), 0, 0, Map.of("schedule.gtd-expiry-interval", "0s",
            "query.history-file", history.toString(), "md.enabled", "false")); // the first's market data directory is not in question
        final java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(second, log::add).close());
        final String message = dev.bourse.server.cli.UserErrors.describe(refused);
        assertTrue(message.startsWith("query store: another history sink (an exchange's query side or a read-models process) writes "
            + history.toAbsolutePath()), message);
        assertTrue(log.stream().noneMatch(line -> line.startsWith("bootstrap:") || line.startsWith("recovered")),
            "refused before it recovered or journaled anything: " + log);
    }

    /**
     * An outside tester gave a fresh exchange the history database another exchange had written: it
     * journaled its bootstrap, said ready, and served the other's history while its own orders were
     * "not found" (its sink had stopped at the first entry). A history store ahead of the journal is
     * refused before anything is written.
     */
    @Test
    void aFreshExchangeGivenAnotherExchangesHistoryIsRefusedBeforeItJournalsAnything() throws Exception
    {
        final Path history = temp.resolve("their-history").resolve("history.db");
        final ExchangeConfig first = exampleConfig(temp.resolve("a"), 0, 0,
            Map.of("schedule.gtd-expiry-interval", "0s", "query.history-file", history.toString()));
        try (ExchangeServer theirs = ExchangeServer.start(first, line -> { }))
        {
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard, not a timing
            while (dev.bourse.readmodels.history.HistoryStore.storedCheckpointSequence(
                dev.bourse.readmodels.history.StoreSettings.embedded(history)) < theirs.journal().lastSequence())
            {
                assertTrue(System.nanoTime() < until, "the first exchange's history sink never caught up");
                Thread.sleep(10);
            }
        }
        final ExchangeConfig second = exampleConfig(temp.resolve("b"), 0, 0,
            Map.of("schedule.gtd-expiry-interval", "0s", "query.history-file", history.toString()));
        final java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(second, log::add).close());
        final String message = dev.bourse.server.cli.UserErrors.describe(refused);
        assertTrue(message.startsWith("read models: the history store (") && message.contains(", but the journal is empty: it was "
            + "written from another exchange's journal"), message);
        assertTrue(log.stream().noneMatch(line -> line.startsWith("bootstrap:")), "refused before it journaled anything: " + log);
        try (dev.bourse.journal.ChronicleJournal journal = dev.bourse.journal.ChronicleJournal.open(
            new dev.bourse.journal.ChronicleJournal.Context().dir(second.journal().dir())))
        {
            assertEquals(-1, journal.lastPosition(), "no bootstrap journaled by a start that was refused");
        }
        // an exchange with a journal of its own, restarted on the other's history: only logged by its sink, it said
        // ready and served the other's history (an outside tester's re-test)
        final ExchangeConfig ownHistory = exampleConfig(temp.resolve("b"), 0, 0, Map.of("schedule.gtd-expiry-interval", "0s"));
        ExchangeServer.start(ownHistory, line -> { }).close();
        final java.util.List<String> again = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Exception restarted = assertThrows(Exception.class, () -> ExchangeServer.start(second, again::add).close());
        final String why = dev.bourse.server.cli.UserErrors.describe(restarted);
        assertTrue(why.startsWith("read models: the history store (") && why.contains(" was not written from this journal")
            || why.contains("but the journal ends at sequence"), why);
        assertTrue(again.stream().noneMatch(line -> line.startsWith("ready") || line.startsWith("query API")), String.valueOf(again));
    }

    /**
     * A journal.dir outside data.dir is locked as data.dir is: a second exchange given the first's
     * journal (another data.dir) was not refused, and both wrote into it (an outside probe).
     */
    @Test
    void aSecondExchangeGivenTheFirstsJournalDirectoryIsRefused() throws Exception
    {
        final Path journal = temp.resolve("shared-journal");
        final ExchangeConfig first = exampleConfig(temp.resolve("a"), 0, 0,
            Map.of("schedule.gtd-expiry-interval", "0s", "journal.dir", journal.toString()));
        closeables.add(ExchangeServer.start(first, line -> { }));
        final ExchangeConfig second = exampleConfig(temp.resolve("b"), 0, 0,
            Map.of("schedule.gtd-expiry-interval", "0s", "journal.dir", journal.toString()));
        final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(second, line -> { }).close());
        final String message = dev.bourse.server.cli.UserErrors.describe(refused);
        assertTrue(message.startsWith("journal.dir " + journal + " is in use by another exchange"), message);
    }

    /**
     * Each directory an exchange writes is locked itself: a second exchange with a data.dir of its
     * own, given the journal, snapshot or session directory inside the first's data.dir, was not
     * refused for the journal, recovered it and wrote into it beside the first (an outside probe:
     * `journal verify` then failed on a duplicate sequence).
     */
    @Test
    void aSecondExchangeGivenADirectoryInsideTheFirstsDataDirIsRefused() throws Exception
    {
        final Path firstData = temp.resolve("a");
        final ExchangeConfig first = exampleConfig(firstData, 0, 0, Map.of("schedule.gtd-expiry-interval", "0s"));
        closeables.add(ExchangeServer.start(first, line -> { }));
        final Map<String, Path> inside = Map.of(
            "journal.dir", first.journal().dir(),
            "snapshot.dir", first.snapshots().dir(),
            "gateway.session-dir", first.gateway().sessionDir());
        for (final Map.Entry<String, Path> dir : inside.entrySet())
        {
            assertTrue(dir.getValue().toAbsolutePath().normalize().startsWith(firstData.toAbsolutePath().normalize()), dir.toString());
            final ExchangeConfig second = exampleConfig(temp.resolve("b-" + dir.getKey()), 0, 0,
                Map.of("schedule.gtd-expiry-interval", "0s", dir.getKey(), dir.getValue().toString()));
            final Exception refused = assertThrows(Exception.class, () -> ExchangeServer.start(second, line -> { }).close(), dir.getKey());
            final String message = dev.bourse.server.cli.UserErrors.describe(refused);
            assertTrue(message.startsWith(dir.getKey() + " " + dir.getValue() + " is in use by another exchange"), message);
        }
    }

    /**
     * A clean stop with a client that never answers the exchange's Logout: the gateway closes it
     * after the reply's wait and journals its DISCONNECTED (and its cancel-on-disconnect) while the
     * engine still runs; a probe saw nothing journaled, and the next start record it as found
     * logged on after a crash.
     */
    @Test
    void aCleanStopJournalsTheEndOfASessionThatNeverAnswersItsLogout() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0, NO_SCHEDULER);
        ExchangeServer server = ExchangeServer.start(config, line -> { });
        closeables.add(server);
        final MiniFix alice = new MiniFix(server.gatewayPort(), "ALICE");
        try
        {
            assertEquals("A", alice.logon("alice", "alice-demo").get(35));
            alice.send("D", "11=R1|55=AAPL|54=1|38=10|40=2|44=180.00|59=1|60=" + MiniFix.now() + "|");
            alice.expectExecType("0");
            server.close(); // alice reads nothing more and answers nothing
            closeables.remove(server);
        }
        finally
        {
            alice.close();
        }
        server = ExchangeServer.start(config, line -> { });
        closeables.add(server);
        final List<String> disconnects = new ArrayList<>();
        final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
        try (dev.bourse.journal.ChronicleTailer tailer = server.journal().tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length,
                new dev.bourse.protocol.JournalEventListener()
                {
                    @Override
                    public void onAuditRecorded(final dev.bourse.protocol.sbe.EntryHeaderDecoder header,
                        final dev.bourse.protocol.sbe.AuditRecordedDecoder event)
                    {
                        if (event.auditType() == dev.bourse.protocol.sbe.AuditType.DISCONNECTED)
                        {
                            disconnects.add(event.username().trim() + " detail " + event.detail());
                        }
                    }
                }), Integer.MAX_VALUE);
        }
        assertEquals(List.of("alice detail 0"), disconnects, "journaled at the stop, not found at the start (detail 1)");
    }

    @Test
    void aTradeThroughFixIsReadBackFromTheQueryApiAndTheMarketDataFeed() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0, NO_SCHEDULER);
        final ExchangeServer server = ExchangeServer.start(config, line -> { });
        closeables.add(server);

        final List<long[]> trades = new CopyOnWriteArrayList<>();
        final MarketDataSubscriber subscriber = subscriber(server, trades);

        try (MiniFix alice = new MiniFix(server.gatewayPort(), "ALICE");
            MiniFix bob = new MiniFix(server.gatewayPort(), "BOB"))
        {
            assertEquals("A", alice.logon("alice", "alice-demo").get(35));
            assertEquals("A", bob.logon("bob", "bob-demo").get(35));

            alice.send("D", "11=S1|55=AAPL|54=2|38=100|40=2|44=190.00|59=1|60=" + MiniFix.now() + "|");
            final Map<Integer, String> sellAck = alice.expectExecType("0");
            bob.send("D", "11=B1|55=AAPL|54=1|38=100|40=2|44=190.00|59=1|60=" + MiniFix.now() + "|");
            final Map<Integer, String> buyFill = bob.expectExecType("F");
            final Map<Integer, String> sellFill = alice.expectExecType("F");

            assertEquals("2", buyFill.get(39), "bob's order is filled");
            assertEquals("100", buyFill.get(32));
            assertEquals(Prices.parse("190"), Prices.parse(buyFill.get(31)));
            assertEquals(sellAck.get(37), sellFill.get(37), "alice's fill is for the order she placed");
            assertEquals("0", sellFill.get(151));

            // Read your own write: the query waits until the journal position of the fill is applied.
            final String bobOrderId = buyFill.get(37);
            final String order = get("/api/v1/accounts/1002/orders/" + bobOrderId + "?timeoutMs=5000&waitForSequence="
                + server.journal().lastSequence(), server.queryPort(), "bob", "bob-demo", 200);
            assertTrue(order.contains("\"FILLED\"") || order.contains("\"filled\""), order);

            final String tradesJson = get("/api/v1/instruments/AAPL/trades", server.queryPort(), null, null, 200);
            assertTrue(tradesJson.contains("190"), tradesJson);
            get("/api/v1/accounts/1001/balances", server.queryPort(), "bob", "bob-demo", 403);
            get("/api/v1/accounts/1002/balances", server.queryPort(), null, null, 401);

            awaitTrue(() ->
            {
                subscriber.poll(100);
                return !trades.isEmpty();
            }, "the market-data subscriber sees the trade");
            assertEquals(Prices.parse("190"), trades.get(0)[0]);
            assertEquals(100, trades.get(0)[1]);

            final String metrics = get("/metrics", server.queryPort(), null, null, 200);
            assertTrue(metrics.contains("bourse_gateway_sessions 2"), metrics);
            assertTrue(metrics.contains("bourse_journal_events_total"), metrics);
        }

        // The order path runs above the snapshotter and the query side (threading.priority.*; the OS applies it under
        // -XX:ThreadPriorityPolicy=1, the Java priorities are what this process decides).
        final Map<String, Integer> priorities = new HashMap<>();
        Thread.getAllStackTraces().keySet().forEach(t -> priorities.put(t.getName(), t.getPriority()));
        final String orderPathThread = config.threading().shared() ? "bourse-order-path" : "bourse-engine";
        assertEquals(Thread.MAX_PRIORITY, priorities.get(orderPathThread), priorities.toString());
        assertEquals(Thread.MIN_PRIORITY, priorities.get("history-sink"), priorities.toString());
        assertEquals(Thread.MIN_PRIORITY, priorities.get("read-models"), priorities.toString());
        assertEquals(Thread.MIN_PRIORITY, priorities.get("snapshotter"), priorities.toString());
        // ... and asks for the kernel's shortest slice (threading.slice.order-path), where the kernel has custom
        // slices and reports them in /proc (scheduler debugging)
        if (SchedulerSlice.currentThread() > 0)
        {
            final String slice = sliceOfThread(orderPathThread);
            if (slice != null)
            {
                assertEquals("100000", slice, orderPathThread + "'s se.slice");
            }
        }

        // Aeron clients go before the driver embedded in the server.
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        closeables.clear();
        // Logouts and cancel-on-disconnect are journaled as the sessions close: read the end after the stop.
        final long acknowledged = server.journal().lastSequence();
        assertTrue(acknowledged > 20, "bootstrap, two logons, two orders, logouts: " + acknowledged);

        // A restart on the same data directory recovers exactly the acknowledged sequence, and the
        // configured instruments and accounts are not added twice.
        final ExchangeServer restarted = ExchangeServer.start(exampleConfig(temp.resolve("data"), 0, 0, NO_SCHEDULER), line -> { });
        closeables.add(restarted);
        assertEquals(acknowledged, restarted.recovered().state().lastSequence());
        assertEquals(acknowledged, restarted.journal().lastSequence(), "no bootstrap commands the second time");

        // Its feed starts from the recovered books: the day is not published again (a probe saw old trades as new)
        final List<long[]> tradesAfter = new CopyOnWriteArrayList<>();
        final MarketDataSubscriber again = subscriber(restarted, tradesAfter);
        awaitTrue(() ->
        {
            again.poll(100);
            return again.isSynced();
        }, "the restarted feed synchronises from its snapshot");
        assertEquals(1, again.lastSequence(), "sequence 1 stands for the recovered books; nothing journaled since the restart");
        assertEquals(List.of(), tradesAfter);
        assertTrue(again.book("AAPL") != null, "the recovered instruments are in the snapshot");
    }

    @Test
    void aPortInUseStopsStartWithOneClearMessage() throws Exception
    {
        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            final ExchangeConfig config = exampleConfig(temp.resolve("data"), taken.getLocalPort(), 0);
            final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            // what `start` prints names the port and the keys to change
            final String printed = dev.bourse.server.cli.UserErrors.describe(e);
            assertTrue(printed.contains(String.valueOf(taken.getLocalPort())) && printed.contains("gateway.port"), printed);
        }
    }

    @Test
    void aQueryPortInUseStopsStartBeforeTheBootstrapIsJournaled() throws Exception
    {
        try (ServerSocket taken = new ServerSocket())
        {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, taken.getLocalPort());
            final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
            final String printed = dev.bourse.server.cli.UserErrors.describe(e);
            assertTrue(printed.startsWith("cannot listen on 0.0.0.0:" + taken.getLocalPort() + " (query.port)"), printed);
            assertFalse(printed.contains("\n"), printed);
            // the failed start wrote nothing to the system of record
            try (dev.bourse.journal.ChronicleJournal journal = dev.bourse.journal.ChronicleJournal.open(
                new dev.bourse.journal.ChronicleJournal.Context().dir(config.journal().dir())))
            {
                assertEquals(-1, journal.lastPosition(), "no bootstrap journaled by a start that failed");
            }
        }
    }

    /** A probe's second exchange on the first one's md.aeron-dir was refused after journaling its configuration's setup. */
    @Test
    void anAeronDirectoryInUseStopsStartBeforeTheBootstrapIsJournaled() throws Exception
    {
        try (ExchangeServer first = ExchangeServer.start(exampleConfig(temp.resolve("first"), 0, 0), line -> { }))
        {
            final ExchangeConfig config = exampleConfig(temp.resolve("second"), 0, 0);
            final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
            final String printed = dev.bourse.server.cli.UserErrors.describe(e);
            assertTrue(printed.contains("is running in " + aeronDir), printed);
            try (dev.bourse.journal.ChronicleJournal journal = dev.bourse.journal.ChronicleJournal.open(
                new dev.bourse.journal.ChronicleJournal.Context().dir(config.journal().dir())))
            {
                assertEquals(-1, journal.lastPosition(), "no bootstrap journaled by a start that failed");
            }
        }
    }

    /**
     * A crash probe zeroed the journal's tail and removed the snapshots: the exchange started from the
     * older state while the read models held what came since. Their checkpoint further on refuses it.
     */
    @Test
    void aJournalBehindTheReadModelsCheckpointStopsStart() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0);
        ExchangeServer.start(config, line -> { }).close(); // the bootstrap journaled, the read models checkpointed
        assertTrue(dev.bourse.readmodels.CheckpointStore.newestSequence(config.query().checkpointDir()) > 0,
            "a checkpoint at the stop");
        deleteTree(config.journal().dir());
        deleteTree(config.snapshots().dir());
        final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
        final String printed = dev.bourse.server.cli.UserErrors.describe(e);
        assertTrue(printed.contains("but the read models' checkpoint in") && printed.contains("journal entries are missing"), printed);
        assertTrue(printed.contains("the FIX session stores (" + config.gateway().sessionDir() + ")"), printed);
    }

    /**
     * An outside probe moved the snapshots and the read models' checkpoints away, as the refusals
     * said, and started: the old FIX sessions logged on and were sent OrderIDs and ExecIDs they
     * already held. The session store records how far in the journal reports went; further on than
     * the journal, it refuses the start too, and the advice names it.
     */
    @Test
    void aJournalBehindTheFixSessionStoreStopsStart() throws Exception
    {
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0);
        ExchangeServer.start(config, line -> { }).close(); // the bootstrap journaled and reported
        deleteTree(config.journal().dir());
        deleteTree(config.snapshots().dir());
        deleteTree(config.query().checkpointDir());
        final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
        final String printed = dev.bourse.server.cli.UserErrors.describe(e);
        assertTrue(printed.contains("but the FIX session store in " + config.gateway().sessionDir()), printed);
        assertTrue(printed.contains("journal entries are missing") && printed.contains("move away everything made from the journal"),
            printed);
        deleteTree(config.gateway().sessionDir());
        ExchangeServer.start(config, line -> { }).close(); // a new exchange, as the advice says
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    /** An operations probe's start with an unreachable PostgreSQL journaled its bootstrap and then failed. */
    @Test
    void anUnreachableHistoryDatabaseStopsStartBeforeTheBootstrapIsJournaled() throws Exception
    {
        final int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        final Map<String, String> store = new HashMap<>();
        store.put("query.store", "postgresql");
        store.put("query.jdbc-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing");
        final ExchangeConfig config = exampleConfig(temp.resolve("data"), 0, 0, store);
        final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
        final String printed = dev.bourse.server.cli.UserErrors.describe(e);
        assertTrue(printed.startsWith("query store: cannot connect to PostgreSQL"), printed);
        try (dev.bourse.journal.ChronicleJournal journal = dev.bourse.journal.ChronicleJournal.open(
            new dev.bourse.journal.ChronicleJournal.Context().dir(config.journal().dir())))
        {
            assertEquals(-1, journal.lastPosition(), "no bootstrap journaled by a start that failed");
        }
    }

    @Test
    void anUnwritableDataDirectoryStopsStartWithOneClearMessage() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        final ExchangeConfig config = exampleConfig(file.resolve("data"), 0, 0);
        final Exception e = assertThrows(Exception.class, () -> ExchangeServer.start(config, line -> { }));
        assertTrue(e.getMessage().contains("data.dir"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void theExampleWithAnUnknownKeyIsRejectedNamingTheKey() throws Exception
    {
        final String text = Files.readString(EXAMPLE) + "\ngateway.prot = 9881\n";
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("x", text)));
        assertTrue(e.getMessage().contains("gateway.prot"), e.getMessage());
    }

    @Test
    void theSchedulerSendsItsCommandsThroughTheRing() throws Exception
    {
        final Map<String, String> schedule = new HashMap<>();
        schedule.put("schedule.enabled", "true");
        schedule.put("schedule.gtd-expiry-interval", "1s");
        final ExchangeServer server = ExchangeServer.start(exampleConfig(temp.resolve("data"), 0, 0, schedule), line -> { });
        closeables.add(server);
        awaitTrue(() -> countEntries(server, dev.bourse.protocol.sbe.CommandType.EXPIRE_ORDERS) >= 2,
            "two GTD expiry rounds journaled by the scheduler");
    }

    @Test
    void gtdOrdersExpireWithoutATradingDaySchedule() throws Exception
    {
        // the gateway takes GTD orders whatever the schedule, so their expiry runs without schedule.enabled
        final Map<String, String> schedule = new HashMap<>();
        schedule.put("schedule.enabled", "false");
        schedule.put("schedule.gtd-expiry-interval", "1s");
        final ExchangeServer server = ExchangeServer.start(exampleConfig(temp.resolve("data"), 0, 0, schedule), line -> { });
        closeables.add(server);
        awaitTrue(() -> countEntries(server, dev.bourse.protocol.sbe.CommandType.EXPIRE_ORDERS) >= 2,
            "two GTD expiry rounds journaled by the scheduler with schedule.enabled = false");
        assertEquals(0, countEntries(server, dev.bourse.protocol.sbe.CommandType.SET_TRADING_PHASE), "no trading day runs");
    }

    /** No GTD expiry rounds either: the journal holds exactly what the test sent. */
    private static final Map<String, String> NO_SCHEDULER = Map.of("schedule.gtd-expiry-interval", "0s");

    private static long countEntries(final ExchangeServer server, final dev.bourse.protocol.sbe.CommandType type)
    {
        return countEntriesAfter(server, 0, t -> t == type);
    }

    private static long countEntriesAfter(final ExchangeServer server, final long sequence,
        final java.util.function.Predicate<dev.bourse.protocol.sbe.CommandType> type)
    {
        final long[] count = {0};
        final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
        try (dev.bourse.journal.ChronicleTailer tailer = server.journal().tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                if (reader.readHeader(buffer, offset, length) == dev.bourse.protocol.JournalEntryReader.OK && reader.header().sequence() > sequence
                    && type.test(reader.header().commandType()))
                {
                    count[0]++;
                }
            }, Integer.MAX_VALUE);
        }
        return count[0];
    }

    private ExchangeConfig exampleConfig(final Path dataDir, final int gatewayPort, final int queryPort) throws Exception
    {
        return exampleConfig(dataDir, gatewayPort, queryPort, Map.of());
    }

    private ExchangeConfig exampleConfig(final Path dataDir, final int gatewayPort, final int queryPort, final Map<String, String> extra)
        throws Exception
    {
        final Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("data.dir", dataDir.toString());
        overrides.put("gateway.port", String.valueOf(gatewayPort));
        overrides.put("query.port", String.valueOf(queryPort));
        overrides.put("md.aeron-dir", aeronDir);
        return ExampleConfig.read(overrides);
    }

    private MarketDataSubscriber subscriber(final ExchangeServer server, final List<long[]> trades)
    {
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir)
            .errorHandler(Throwable::printStackTrace));
        closeables.add(aeron);
        final MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
            .aeron(aeron)
            .incrementalChannel(server.marketDataContext().incrementalChannel())
            .incrementalStreamId(server.marketDataContext().incrementalStreamId())
            .snapshotChannel(server.marketDataContext().snapshotChannel())
            .snapshotStreamId(server.marketDataContext().snapshotStreamId()),
            new MarketDataListener()
            {
                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    trades.add(new long[]{price, quantity});
                }
            });
        closeables.add(subscriber);
        return subscriber;
    }

    private static String get(final String path, final int port, final String user, final String password,
        final int expectedStatus) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null)
        {
            request.header("Authorization", "Basic " +
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        final HttpResponse<String> response = HttpClient.newHttpClient()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), path + " -> " + response.body());
        return response.body();
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Just enough FIX 4.4 over a blocking socket to log on, send orders and read the answers. */
    static final class MiniFix implements AutoCloseable
    {
        private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String compId;
        private final byte[] buffer = new byte[1 << 16];
        private int filled;
        private int nextSeq = 1;

        MiniFix(final int port, final String compId) throws IOException
        {
            this(connect(port), compId);
        }

        /** Over a socket already connected (a TLS one). */
        MiniFix(final Socket connected, final String compId) throws IOException
        {
            socket = connected;
            socket.setSoTimeout(100);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            this.compId = compId;
        }

        private static Socket connect(final int port) throws IOException
        {
            final Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            return socket;
        }

        static String now()
        {
            return TIME.format(Instant.now());
        }

        Map<Integer, String> logon(final String user, final String password) throws IOException
        {
            send("A", "98=0|108=30|141=Y|553=" + user + "|554=" + password + "|");
            return next();
        }

        void send(final String msgType, final String fields) throws IOException
        {
            final String body = ("35=" + msgType + "|49=" + compId + "|56=BOURSE|34=" + nextSeq++ + "|52=" + now() + "|" + fields)
                .replace('|', '\u0001');
            final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001" + body;
            int sum = 0;
            for (final byte b : head.getBytes(StandardCharsets.ISO_8859_1))
            {
                sum += b;
            }
            out.write((head + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** The next execution report with this ExecType (150), skipping others. */
        Map<Integer, String> expectExecType(final String execType) throws IOException
        {
            final List<Map<Integer, String>> skipped = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                final Map<Integer, String> m = next();
                if ("8".equals(m.get(35)) && execType.equals(m.get(150)))
                {
                    return m;
                }
                skipped.add(m);
            }
            throw new AssertionError("no ExecType " + execType + "; got " + skipped);
        }

        Map<Integer, String> next() throws IOException
        {
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline)
            {
                final Map<Integer, String> message = parseOne();
                if (message != null)
                {
                    return message;
                }
                try
                {
                    final int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0)
                    {
                        throw new AssertionError("connection closed by the exchange");
                    }
                    filled += n;
                }
                catch (final SocketTimeoutException ignored)
                {
                    // poll again until the deadline
                }
            }
            throw new AssertionError("no message within 10 s");
        }

        private Map<Integer, String> parseOne()
        {
            final String text = new String(buffer, 0, filled, StandardCharsets.ISO_8859_1);
            final int checksum = text.indexOf("\u000110=");
            if (checksum < 0 || text.indexOf('\u0001', checksum + 1) < 0)
            {
                return null;
            }
            final int end = text.indexOf('\u0001', checksum + 1) + 1;
            final Map<Integer, String> fields = new HashMap<>();
            for (final String field : text.substring(0, end).split("\u0001"))
            {
                final int eq = field.indexOf('=');
                fields.put(Integer.parseInt(field.substring(0, eq)), field.substring(eq + 1));
            }
            System.arraycopy(buffer, end, buffer, 0, filled - end);
            filled -= end;
            return fields;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    /** se.slice from /proc of the thread of this process named {@code name} (truncated to the kernel's 15 characters), or null. */
    private static String sliceOfThread(final String name) throws IOException
    {
        final String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (var tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                final Path sched = task.resolve("sched");
                if (Files.readString(task.resolve("comm")).trim().equals(comm) && Files.exists(sched))
                {
                    for (final String line : Files.readAllLines(sched))
                    {
                        if (line.startsWith("se.slice"))
                        {
                            return line.substring(line.indexOf(':') + 1).trim();
                        }
                    }
                }
            }
        }
        return null;
    }
}
