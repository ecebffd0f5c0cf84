package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalFixtureAccess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the read models cannot read is said in the log, once: an outside probe's rebuilt query side
 * skipped an entry that did not decode with only a counter, and stalled at a damaged document header
 * with nothing in the log while trading went on.
 */
class JournalDamageLoggedTest
{
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void anEntryThatDoesNotDecodeIsSaidOnceWithItsPosition()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final Workload workload = new Workload(7, journal).run(200);
            final byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte)0x7F);
            for (int i = 0; i < 2; i++)
            {
                journal.onEntry(new UnsafeBuffer(garbage), 0, garbage.length);
                journal.onEndOfBatch();
            }
            workload.run(100);
            final ReadModels models = new ReadModels();
            final ProjectionAgent agent = new ProjectionAgent(models, JournalSource.of(journal), new ReadModelCounters(), null,
                1_000_000, 1_000, 1_024, log::add);
            while (agent.doWork() > 0)
            {
                // catching up
            }
            assertEquals(2, models.malformedSkipped());
            assertEquals(1, log.size(), log.toString());
            // the first one's position: the second is only counted
            assertTrue(log.get(0).startsWith("read models: ERROR skipped a journal entry that does not decode at position "
                + models.firstMalformedPosition() + " "), log.toString());
            assertTrue(log.get(0).contains("journal verify"), log.toString());
        }
    }

    @Test
    void aJournalTheModelsGetNoFurtherInIsSaidOnce() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Workload workload = new Workload(8, journal);
            for (int i = 0; i < 20; i++)
            {
                workload.run(50); // a document per run at least
            }
        }
        final long header = JournalFixtureAccess.middleDocumentHeader(journalDir);
        final Path file;
        try (java.util.stream.Stream<Path> files = Files.list(journalDir))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(header + 2); // the length now reaches past the data written: read as not written yet
            final int b = raf.read();
            raf.seek(header + 2);
            raf.write(b ^ 0x10);
        }
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir))
        {
            final ReadModels models = new ReadModels();
            final ProjectionAgent agent = new ProjectionAgent(models, JournalSource.of(journal), new ReadModelCounters(), null,
                1_000_000, 1_000, 1_024, log::add).stallLoggedAfter(0);
            for (int i = 0; i < 100; i++)
            {
                agent.doWork();
            }
            assertTrue(models.sequence() > 0 && models.sequence() < 1_000, "stopped at the damage: " + models.sequence());
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).startsWith("read models: ERROR the journal cannot be read past position " + models.position()
                + " (sequence " + models.sequence() + ")"), log.toString());
        }
    }
}
