package dev.bourse.readmodels.history;

import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.TestPostgres;
import dev.bourse.readmodels.Workload;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed write is logged in one readable line: pgjdbc's BatchUpdateException renders the whole
 * statement with every bound value (an outside tester saw 3,900-character lines); the server's own
 * error is what the line says.
 */
class HistorySinkLogTest
{
    @Test
    void aFailedBatchOfUpsertsIsLoggedInOneShortLineWithTheServersError() throws Exception
    {
        final String url = TestPostgres.newDatabase();
        final Workload workload = new Workload(47).run(2_000);
        final List<String> log = new CopyOnWriteArrayList<>();
        try (HistoryStore store = HistoryStore.open(StoreSettings.postgresql(url, TestPostgres.user(), TestPostgres.password()));
            Connection admin = DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password());
            Statement s = admin.createStatement())
        {
            // candles are upserted as a JDBC batch: its failure is a BatchUpdateException
            s.execute("CREATE FUNCTION refuse_candles() RETURNS trigger LANGUAGE plpgsql AS " +
                "$$ BEGIN RAISE EXCEPTION 'candles refused by the test'; END $$");
            s.execute("CREATE TRIGGER refuse BEFORE INSERT ON candles FOR EACH ROW EXECUTE PROCEDURE refuse_candles()");
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(store, JournalSource.of(workload.journal), () -> workload.journal.size() - 1L,
                progress, 500, TimeUnit.MILLISECONDS.toNanos(20), log::add, null);
            sink.onStart();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (progress.writeFailures() < 2 && System.nanoTime() < deadline)
            {
                idle(sink.doWork());
            }
            assertEquals(2, log.size(), String.valueOf(log));
            final String prefix = "history sink: writing 500 entries to PostgreSQL " + url + " failed (";
            for (final String line : log)
            {
                assertTrue(line.startsWith(prefix), line);
                final String said = line.substring(prefix.length());
                assertEquals("ERROR: candles refused by the test); retrying in 1 s", said, "one line, the server's error alone");
                assertFalse(line.contains("\n") || line.contains("INSERT"), line);
            }

            s.execute("DROP TRIGGER refuse ON candles");
            while (progress.position() < workload.journal.size() - 1L && System.nanoTime() < deadline)
            {
                idle(sink.doWork());
            }
            sink.onClose();
            assertEquals(workload.state.lastSequence(), progress.sequence(), String.valueOf(log));
            // the end of the trouble is said too: an outside tester's log went quiet mid-outage and never said it ended
            assertTrue(log.get(2).startsWith("history sink: writing to PostgreSQL " + url + " again after 2 failed tries in "),
                String.valueOf(log));
            try (Connection connection = store.readerConnection())
            {
                HistoryExpectations.assertStoreMatches(connection, workload.reference());
            }
        }
    }

    private static void idle(final int work)
    {
        if (work == 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
