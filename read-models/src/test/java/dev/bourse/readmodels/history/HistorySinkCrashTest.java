package dev.bourse.readmodels.history;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.readmodels.ChildJvm;
import dev.bourse.readmodels.TestPostgres;
import dev.bourse.readmodels.Workload;
import dev.bourse.readmodels.reference.ReferenceModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sink killed with SIGKILL in the middle of a batch (rows written, transaction open), twice,
 * then restarted to the end: after each kill the store holds exactly the entries up to its
 * checkpoint, and at the end exactly the whole journal; nothing missing, nothing doubled. With
 * PostgreSQL the kill comes after the parallel writer committed its half of the batch (it commits
 * before the checkpoint's transaction): those rows are above the checkpoint, readers do not see
 * them, and the restarted sink writes them again without doubling them.
 */
class HistorySinkCrashTest
{
    private static final int BATCH = 400;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgresql"})
    void aSinkKilledMidBatchResumesWithNothingMissingOrDoubled(final String kind) throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final Workload workload;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            workload = new Workload(31, journal).run(12_000);
        }
        final String store = kind.equals("embedded") ? dir.resolve("history.db").toString() : TestPostgres.newDatabase();
        final StoreSettings settings = kind.equals("embedded") ? StoreSettings.embedded(Path.of(store))
            : StoreSettings.postgresql(store, TestPostgres.user(), TestPostgres.password());

        final Path childTmp = Files.createDirectories(dir.resolve("child-tmp"));
        long lastCheckpoint = -1;
        for (final int stopInBatch : new int[]{3, 5})
        {
            try (ChildJvm sink = ChildJvm.start(List.of("-Djava.io.tmpdir=" + childTmp), SinkProcess.class, journalDir.toString(),
                store, Integer.toString(BATCH), Integer.toString(stopInBatch)))
            {
                assertTrue(sink.awaitLine("MID-BATCH " + stopInBatch, 120).contains("rows"));
                sink.kill();
            }
            if (kind.equals("embedded"))
            {
                // sqlite-jdbc's own copy of its native library, in the temp directory, outlived every kill -9
                try (Stream<Path> left = Files.list(childTmp))
                {
                    assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sqlite-")).toList(),
                        "the killed sink left SQLite's native library in its temp directory");
                }
                try (Stream<Path> copies = Files.walk(dir.resolve(SqliteNativeLibrary.DIRECTORY)))
                {
                    assertEquals(1, copies.filter(Files::isRegularFile).count(), "one copy of the library beside the store, kept");
                }
            }
            try (HistoryStore history = HistoryStore.open(settings); Connection connection = history.readerConnection())
            {
                final long sequence = checkpointSequence(connection);
                assertTrue(sequence > lastCheckpoint, "every run commits batches before the one it is killed in");
                assertTrue(sequence < workload.state.lastSequence());
                HistoryExpectations.assertStoreMatches(connection, referenceUpTo(workload.journal, sequence));
                if (kind.equals("postgresql"))
                {
                    assertTrue(rowsAbove(connection, sequence) > 0, "the parallel half of the killed batch was committed");
                }
                lastCheckpoint = sequence;
            }
        }
        try (ChildJvm sink = ChildJvm.start(SinkProcess.class, journalDir.toString(), store, Integer.toString(BATCH), "0"))
        {
            sink.awaitLine("CAUGHT-UP", 120);
            assertEquals(0, sink.waitForExit(60), sink.log());
        }
        try (HistoryStore history = HistoryStore.open(settings); Connection connection = history.readerConnection())
        {
            assertEquals(workload.state.lastSequence(), checkpointSequence(connection));
            HistoryExpectations.assertStoreMatches(connection, workload.reference());
            assertEquals(0, rowsAbove(connection, workload.state.lastSequence()));
        }
    }

    private static long rowsAbove(final Connection connection, final long sequence) throws Exception
    {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM order_events WHERE sequence > " + sequence))
        {
            assertTrue(rs.next());
            final long rows = rs.getLong(1);
            connection.rollback();
            return rows;
        }
    }

    private static long checkpointSequence(final Connection connection) throws Exception
    {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT sequence FROM sink_checkpoint WHERE id = 1"))
        {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    /** The reference models of the journal's entries up to an engine sequence. */
    private static ReferenceModels referenceUpTo(final InMemoryJournal journal, final long sequence)
    {
        final ReferenceModels models = new ReferenceModels();
        final JournalEntryReader reader = new JournalEntryReader();
        try (JournalTailer tailer = journal.tailer())
        {
            while (tailer.poll((position, buffer, offset, length) ->
            {
                if (reader.readHeader(buffer, offset, length) == JournalEntryReader.OK && reader.header().sequence() <= sequence)
                {
                    models.onEntry(position, buffer, offset, length);
                }
            }, 1_000) > 0)
            {
            }
        }
        return models;
    }
}
