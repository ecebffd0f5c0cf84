package dev.bourse.readmodels.history;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.TestPostgres;
import dev.bourse.readmodels.Workload;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One history sink per PostgreSQL database, and a sink that converges on the store's checkpoint
 * after a write it cannot be sure of. Two read-models processes on one database both wrote it: the
 * first then failed every batch for ever on its primary keys, as did a sink whose COMMIT landed
 * though its answer was lost, since both retried the same rows without reading the checkpoint.
 */
class HistorySinkOneWriterTest
{
    @Test
    void aSecondSinkOnTheDatabaseIsRefusedAtItsStartInOneLineAndTheFirstWritesOn() throws Exception
    {
        final String url = TestPostgres.newDatabase();
        final StoreSettings settings = StoreSettings.postgresql(url, TestPostgres.user(), TestPostgres.password());
        final Workload workload = new Workload(43).run(2_000);
        try (ReadModelsServer first = start(workload, settings))
        {
            assertTrue(first.history().await(workload.journal.size() - 1L, workload.state.lastSequence(), 60_000).get());

            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> start(workload, settings).close());
            final String line = refused.getMessage();
            assertTrue(line.startsWith("query store: another history sink (an exchange's query side or a read-models process) writes "
                + "PostgreSQL " + url), line);
            assertFalse(line.contains("\n") || line.contains("Exception"), line);
            // the exchange's check before it writes anything says the same
            assertEquals(line, assertThrows(IllegalArgumentException.class, () -> HistoryStore.checkReachable(settings)).getMessage());

            workload.run(2_000);
            assertTrue(first.history().await(workload.journal.size() - 1L, workload.state.lastSequence(), 60_000).get(),
                "the first sink writes on");
            assertEquals(0, first.history().writeFailures());
        }
        // the first one gone, the database may be written by another
        try (HistoryStore store = HistoryStore.open(settings); Connection connection = store.readerConnection())
        {
            HistoryExpectations.assertStoreMatches(connection, workload.reference());
        }
    }

    @Test
    void aSinkThatLostItsConnectionWritesNothingWhileAnotherHoldsTheDatabaseThenGoesOnFromItsCheckpoint() throws Exception
    {
        final String url = TestPostgres.newDatabase();
        final StoreSettings settings = StoreSettings.postgresql(url, TestPostgres.user(), TestPostgres.password());
        final Workload workload = new Workload(41).run(3_000);
        final List<String> logA = new CopyOnWriteArrayList<>();
        try (HistoryStore storeA = HistoryStore.open(settings);
            Connection admin = DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password()))
        {
            final SinkProgress a = new SinkProgress();
            final HistorySink sinkA = sink(storeA, workload, a, logA, null);
            sinkA.onStart();
            driveUntil(sinkA, () -> a.position() == workload.journal.size() - 1L, () -> "A catches up");
            final long aWrote = a.sequence();

            // A's session ends (a PostgreSQL restart, a dropped connection), and its lock with it
            final long pid = lockHolder(admin);
            assertTrue(pid > 0, "the sink's session holds the writer lock");
            try (Statement s = admin.createStatement())
            {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            awaitCondition(() -> lockHolder(admin) == 0, "the terminated session's lock is released");

            workload.run(3_000);
            final List<String> logB = new CopyOnWriteArrayList<>();
            try (HistoryStore storeB = HistoryStore.open(settings))
            {
                final SinkProgress b = new SinkProgress();
                final HistorySink sinkB = sink(storeB, workload, b, logB, null);
                sinkB.onStart();
                driveUntil(sinkB, () -> b.position() == workload.journal.size() - 1L, () -> "B catches up");

                // A's write fails on its lost connection, and its new connection cannot take the lock B holds
                driveUntil(sinkA, () -> logA.stream().anyMatch(l -> l.contains("holds the writer lock of PostgreSQL " + url)),
                    () -> "A says another sink holds the database: " + logA + ", failures " + a.writeFailures());
                assertEquals(aWrote, a.sequence(), "A wrote nothing while B held the database");
                assertTrue(a.writeFailures() >= 2, "each try counts as a failed write: " + a.writeFailures());
                sinkB.onClose();
                assertEquals(0, b.writeFailures(), String.valueOf(logB));
            }

            workload.run(1_000);
            driveUntil(sinkA, () -> a.position() == workload.journal.size() - 1L, () -> "A goes on once B is gone: " + logA);
            assertTrue(logA.stream().anyMatch(l -> l.contains("another writer moved it")), String.valueOf(logA));
            sinkA.onClose();
            try (Connection connection = storeA.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
        }
    }

    @Test
    void aBatchWhoseCommitLandedThoughItWasReportedFailedIsNotWrittenAgain() throws Exception
    {
        final String url = TestPostgres.newDatabase();
        final Matcher port = Pattern.compile("localhost:(\\d+)/").matcher(url);
        assertTrue(port.find(), url);
        final Workload workload = new Workload(45).run(3_000);
        final List<String> log = new CopyOnWriteArrayList<>();
        try (dev.bourse.readmodels.TcpRelay relay = new dev.bourse.readmodels.TcpRelay(Integer.parseInt(port.group(1)));
            HistoryStore store = HistoryStore.open(StoreSettings.postgresql(url.substring(0, port.start(1)) + relay.port() +
                url.substring(port.end(1)), TestPostgres.user(), TestPostgres.password())))
        {
            final SinkProgress progress = new SinkProgress();
            // the third batch's COMMIT reaches the server, its answer does not reach the sink
            final HistorySink sink = sink(store, workload, progress, log, (batch, rows) ->
            {
                if (batch == 3)
                {
                    relay.loseNextAnswer();
                }
            });
            sink.onStart();
            driveUntil(sink, () -> progress.position() == workload.journal.size() - 1L, () -> "the sink goes on: " + log);
            sink.onClose();

            assertTrue(relay.answerLost());
            assertTrue(progress.writeFailures() >= 1, String.valueOf(log));
            assertTrue(log.stream().anyMatch(l -> l.contains("already holds the batch")), String.valueOf(log));
            assertEquals(workload.state.lastSequence(), progress.sequence());
        }
        // nothing missing, nothing twice (a trade's candles and day would count it twice)
        try (Connection connection = DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password()))
        {
            connection.setAutoCommit(false);
            HistoryExpectations.assertStoreMatches(connection, workload.reference());
        }
    }

    private static HistorySink sink(final HistoryStore store, final Workload workload, final SinkProgress progress,
        final List<String> log, final HistorySink.BeforeCommit hook)
    {
        return new HistorySink(store, JournalSource.of(workload.journal), () -> workload.journal.size() - 1L, progress, 500,
            TimeUnit.MILLISECONDS.toNanos(20), log::add, hook);
    }

    private static ReadModelsServer start(final Workload workload, final StoreSettings settings) throws Exception
    {
        return ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(new CredentialStore()).store(settings));
    }

    /** The session holding an advisory lock in this database (the writer lock, the only one), or 0. */
    private static long lockHolder(final Connection admin)
    {
        try (PreparedStatement s = admin.prepareStatement("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
            ResultSet rs = s.executeQuery())
        {
            return rs.next() ? rs.getLong(1) : 0;
        }
        catch (final java.sql.SQLException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the sink's duty cycle on this thread until the condition holds (at most a minute). */
    private static void driveUntil(final HistorySink sink, final BooleanSupplier done, final java.util.function.Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out: " + what.get());
            }
            if (sink.doWork() == 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private static void awaitCondition(final BooleanSupplier done, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
