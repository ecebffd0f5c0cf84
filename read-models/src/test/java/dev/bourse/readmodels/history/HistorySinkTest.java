package dev.bourse.readmodels.history;

import dev.bourse.journal.RecordingScheduling;
import dev.bourse.readmodels.TestPostgres;
import dev.bourse.readmodels.Workload;
import dev.bourse.readmodels.reference.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history sink writes exactly what the journal says, into both stores: every table against
 * the reference models; the lag reaches zero; resuming from the checkpoint after more trading
 * writes the rest, and re-reading entries already written changes nothing. A transaction that fails
 * after the parallel writer committed its half is written again without doubling that half.
 */
class HistorySinkTest
{
    @Test
    void theEmbeddedStoreHoldsTheWholeHistory(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            writeInTwoRunsAndCompare(store, 7);
        }
    }

    @Test
    void postgresqlHoldsTheWholeHistory() throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.postgresql(TestPostgres.newDatabase(), TestPostgres.user(),
            TestPostgres.password())))
        {
            writeInTwoRunsAndCompare(store, 8);
        }
    }

    @Test
    void aBatchWhoseCheckpointFailsAfterTheParallelHalfCommittedIsWrittenAgainWithoutDoubling() throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.postgresql(TestPostgres.newDatabase(), TestPostgres.user(),
            TestPostgres.password())))
        {
            final Workload workload = new Workload(9).run(10_000);
            final long[] rowsAboveCheckpoint = {-1};
            final List<String> log = new ArrayList<>();
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal),
                () -> workload.journal.size() - 1L, progress, 500, TimeUnit.MILLISECONDS.toNanos(50), log::add, (batch, rows) ->
                {
                    if (batch == 3 && rowsAboveCheckpoint[0] < 0)
                    {
                        rowsAboveCheckpoint[0] = rowsAboveCheckpoint(store);
                        throw new IllegalStateException("the checkpoint's transaction fails");
                    }
                });
            sink.onStart();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (progress.position() < workload.journal.size() - 1L && System.nanoTime() < deadline)
            {
                sink.doWork();
            }
            sink.onClose();

            assertTrue(rowsAboveCheckpoint[0] > 0, "the parallel half commits before the checkpoint's transaction");
            assertEquals(1, progress.writeFailures, String.valueOf(log));
            assertEquals(workload.state.lastSequence(), progress.sequence());
            assertEquals(0, rowsAboveCheckpoint(store));
            try (Connection connection = store.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
        }
    }

    /**
     * SQLite answers a full disk (here its page limit) by rolling back the whole transaction, and
     * the statements after it then committed one by one: the retry met its own rows and failed on
     * their primary keys for ever, after the space came back and after a restart (an outside probe).
     */
    @Test
    void aFullEmbeddedStoreIsWrittenWholeOnceItHasRoomAgain(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final Workload workload = new Workload(21).run(20_000);
            final long pages = pageLimit(store, 0);
            // the disk stays full for three attempts: the limit is on whichever connection the next attempt takes
            pageLimit(store, pages + 40);
            final List<String> log = new ArrayList<>();
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal),
                () -> workload.journal.size() - 1L, progress, 2_000, TimeUnit.MILLISECONDS.toNanos(50), log::add, null);
            sink.onStart();
            long failures = 0;
            final long full = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (progress.writeFailures < 3 && System.nanoTime() < full)
            {
                sink.doWork();
                if (progress.writeFailures != failures)
                {
                    failures = progress.writeFailures;
                    pageLimit(store, failures < 3 ? pages + 40 : 1_073_741_823); // between attempts the sink holds no connection
                }
            }
            assertEquals(3, progress.writeFailures, String.valueOf(log));
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (progress.position() < workload.journal.size() - 1L && System.nanoTime() < deadline)
            {
                sink.doWork();
            }
            sink.onClose();
            assertTrue(log.stream().limit(3).allMatch(l -> l.contains("SQLITE_FULL")), String.valueOf(log));
            assertEquals(workload.state.lastSequence(), progress.sequence(), String.valueOf(log));
            try (Connection connection = store.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
        }
    }

    /** Sets SQLite's page limit on the writer pool's one connection (0: only reads the page count); returns the page count. */
    private static long pageLimit(final HistoryStore store, final long maxPages) throws Exception
    {
        try (Connection connection = store.writerConnection(); Statement statement = connection.createStatement())
        {
            if (maxPages > 0)
            {
                statement.execute("PRAGMA max_page_count = " + maxPages);
            }
            try (ResultSet rs = statement.executeQuery("PRAGMA page_count"))
            {
                rs.next();
                final long pages = rs.getLong(1);
                try
                {
                    connection.rollback();
                }
                catch (final java.sql.SQLException e)
                {
                    // a connection SQLite rolled back by itself has no transaction left to end (the defect)
                }
                return pages;
            }
        }
    }

    @Test
    void aSinkThatHasCaughtUpLetsItsBatchFillUntilTheMaxDelayInsteadOfCommittingEveryPoll(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final Workload workload = new Workload(11).run(300);
            final long end = workload.journal.size() - 1L;
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal), () -> end,
                progress, 100_000, TimeUnit.HOURS.toNanos(1), message -> { }, null);
            sink.onStart();
            for (int i = 0; i < 1_000; i++)
            {
                sink.doWork();
            }
            assertEquals(0, progress.batchesWritten, "nothing committed before the batch is full or its delay has passed");
            assertEquals(end - progress.position(), progress.lag(), "every entry was read, none committed: all of them are the lag");

            sink.onClose();
            assertEquals(1, progress.batchesWritten, "closing writes what was read, in one transaction");
            assertEquals(end, progress.position());
        }
    }

    /** A probe saw the lag stay 0 while the store was down: it is counted from sequences and from what is committed. */
    @Test
    void theLagCountsWhatIsNotCommittedAndGrowsWhileTheStoreFails(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final Workload workload = new Workload(15).run(2_000);
            final SinkProgress progress = new SinkProgress();
            final boolean[] storeDown = {true};
            final List<String> log = new ArrayList<>();
            // the positions of a Chronicle journal cannot be subtracted: the lag comes from the head's sequence
            final dev.bourse.readmodels.JournalSource chronicleLike = new dev.bourse.readmodels.JournalSource()
            {
                @Override
                public dev.bourse.journal.JournalTailer tailerAfter(final long position)
                {
                    return dev.bourse.readmodels.JournalSource.of(workload.journal).tailerAfter(position);
                }

                @Override
                public long headPosition()
                {
                    return Long.MIN_VALUE;
                }

                @Override
                public long entriesBetween(final long position, final long head)
                {
                    return -1;
                }
            };
            final HistorySink sink = new HistorySink(store, chronicleLike, () -> Long.MIN_VALUE, progress, 50, 1, log::add,
                (batch, rows) ->
                {
                    if (storeDown[0])
                    {
                        throw new IllegalStateException("the store is down");
                    }
                }).headSequence(workload.state::lastSequence);
            sink.onStart();
            sink.doWork();
            sink.doWork();
            assertTrue(progress.writeFailures >= 1, log.toString());
            assertEquals(workload.state.lastSequence(), progress.lag(), "nothing committed: every entry is behind");

            workload.run(100);
            sink.doWork();
            assertEquals(workload.state.lastSequence(), progress.lag(), "it grows with the journal while the store is down");

            storeDown[0] = false;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (progress.sequence() < workload.state.lastSequence() && System.nanoTime() < deadline)
            {
                if (sink.doWork() == 0)
                {
                    Thread.sleep(1);
                }
            }
            sink.doWork();
            assertEquals(0, progress.lag(), "caught up once the store is back");
            sink.onClose();
        }
    }

    @Test
    void aSinkCloseBehindYieldsTheCoresAndCompetesForThemOnlyWhileItIsFarBehind(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final Workload workload = new Workload(13).run(300);
            final long end = workload.journal.size() - 1L;
            assertTrue(end > 200, "a journal long enough to start far behind");
            final RecordingScheduling recording = new RecordingScheduling(true);
            final List<String> calls = recording.calls;
            final SinkProgress progress = new SinkProgress();
            final List<String> log = new ArrayList<>();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal), () -> end,
                progress, 20, TimeUnit.MILLISECONDS.toNanos(1), log::add, null).scheduling(recording, 100);
            sink.onStart();
            assertEquals(List.of("yield"), calls, "a sink starts in the idle class");

            sink.doWork();
            assertEquals(List.of("yield", "compete"), calls, "more than 100 entries behind: it competes");
            assertFalse(progress.yieldingCores());
            assertTrue(log.stream().anyMatch(line -> line.contains("competing for the cores")), log.toString());

            long lagBefore = progress.lag();
            for (int i = 0; i < 1_000 && calls.size() == 2; i++)
            {
                lagBefore = progress.lag();
                sink.doWork();
            }
            assertEquals(List.of("yield", "compete", "yield"), calls, "close behind again: back in the idle class");
            assertTrue(lagBefore > 25 && progress.lag() <= 25, "it competed until it was within a quarter of the limit: " +
                lagBefore + " then " + progress.lag());
            assertTrue(progress.yieldingCores());
            assertEquals(2, progress.schedulingSwitches());
            sink.onClose();
        }
    }

    @Test
    void whileItYieldsTheCoresItPausesBetweenShortTurnsAndStillWritesEveryRow(@TempDir final Path dir) throws Exception
    {
        final Workload workload = new Workload(15).run(2_000);
        final long end = workload.journal.size() - 1L;
        final SinkProgress plain = catchUp(dir.resolve("plain.db"), workload, end, null, 0);
        final SinkProgress cut = catchUp(dir.resolve("cut.db"), workload, end, new RecordingScheduling(true), 1);
        assertTrue(cut.yieldingCores());
        assertTrue(cut.turnPauses() > 10, "a 1 ns turn pauses between every piece: " + cut.turnPauses());
        assertEquals(0, plain.turnPauses());
        assertEquals(plain.entriesWritten(), cut.entriesWritten());
        assertEquals(plain.rowsWritten(), cut.rowsWritten(), "the same rows, written in smaller pieces");
        assertEquals(plain.sequence(), cut.sequence());
    }

    @Test
    void aSinkThatCompetesForTheCoresNeverPauses(@TempDir final Path dir) throws Exception
    {
        final Workload workload = new Workload(16).run(300);
        final long end = workload.journal.size() - 1L;
        // more than 100 entries behind: it competes at once, and its turns stay off until it is close behind again
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal), () -> end,
                progress, 20, TimeUnit.MILLISECONDS.toNanos(1), line -> { }, null).scheduling(new RecordingScheduling(true), 100, 1);
            sink.onStart();
            sink.doWork();
            sink.doWork();
            assertFalse(progress.yieldingCores());
            assertTrue(progress.entriesWritten() > 0);
            assertEquals(0, progress.turnPauses());
            sink.onClose();
        }
    }

    private static SinkProgress catchUp(final Path file, final Workload workload, final long end, final RecordingScheduling scheduling,
        final long maxTurnNanos) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(file)))
        {
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal), () -> end,
                progress, 200, TimeUnit.MILLISECONDS.toNanos(1), line -> { }, null);
            if (scheduling != null)
            {
                sink.scheduling(scheduling, Long.MAX_VALUE, maxTurnNanos);
            }
            sink.onStart();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (progress.position() < end && System.nanoTime() < deadline)
            {
                sink.doWork();
            }
            sink.onClose();
            assertEquals(workload.state.lastSequence(), progress.sequence(), "caught up");
            try (Connection connection = store.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
            return progress;
        }
    }

    @Test
    void aSystemWithoutAnIdleClassIsSaidOnceAndNeverAskedAgain(@TempDir final Path dir) throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            final Workload workload = new Workload(14).run(100);
            final long end = workload.journal.size() - 1L;
            final RecordingScheduling refusing = new RecordingScheduling(false);
            final List<String> log = new ArrayList<>();
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, dev.bourse.readmodels.JournalSource.of(workload.journal), () -> end,
                progress, 10, TimeUnit.MILLISECONDS.toNanos(1), log::add, null).scheduling(refusing, 5);
            sink.onStart();
            for (int i = 0; i < 50; i++)
            {
                sink.doWork();
            }
            assertEquals(1, refusing.calls.size());
            assertEquals(1, log.stream().filter(line -> line.contains("idle scheduling class")).count(), log.toString());
            assertFalse(progress.yieldingCores());
            sink.onClose();
        }
    }

    @Test
    void theEmbeddedSinksConnectionCheckpointsItsLogInLargeStepsAndQueriesReadWhatItCommitted(@TempDir final Path dir)
        throws Exception
    {
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            try (Connection connection = store.writerConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA wal_autocheckpoint"))
            {
                rs.next();
                assertEquals(HistoryStore.WAL_CHECKPOINT_PAGES, rs.getInt(1));
                connection.rollback();
            }
            final Workload workload = new Workload(12).run(2_000);
            SinkRunner.runToEnd(store, workload.journal, 500);
            try (Connection connection = store.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
        }
    }

    private static long rowsAboveCheckpoint(final HistoryStore store)
    {
        try (Connection connection = store.readerConnection(); Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM order_events WHERE sequence > " +
                "(SELECT sequence FROM sink_checkpoint WHERE id = 1)"))
        {
            rs.next();
            final long rows = rs.getLong(1);
            connection.rollback();
            return rows;
        }
        catch (final java.sql.SQLException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static void writeInTwoRunsAndCompare(final HistoryStore store, final long seed) throws Exception
    {
        final Workload workload = new Workload(seed).run(15_000);
        SinkProgress progress = SinkRunner.runToEnd(store, workload.journal, 500);
        assertEquals(workload.journal.size() - 1, progress.position());
        assertEquals(0, progress.lag());

        // A second sink resumes from the checkpoint: only the new entries are written.
        workload.run(15_000);
        progress = SinkRunner.runToEnd(store, workload.journal, 700);
        assertEquals(workload.state.lastSequence(), progress.sequence());

        final ReferenceModels reference = workload.reference();
        try (Connection connection = store.readerConnection())
        {
            HistoryExpectations.assertStoreMatches(connection, reference);
        }
    }
}
