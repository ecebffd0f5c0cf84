package dev.bourse.readmodels.history;

import dev.bourse.readmodels.TestPostgres;
import dev.bourse.readmodels.Workload;
import dev.bourse.readmodels.reference.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The history sink writes exactly what the journal says, into both stores: every table against
 * the reference models; the lag reaches zero; resuming from the checkpoint after more trading
 * writes the rest, and re-reading entries already written changes nothing.
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
