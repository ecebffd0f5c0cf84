package dev.bourse.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** A reader left idle while retention deletes its cycle file is moved to the journal's end before it waits again. */
class HeadTailerTest
{
    @TempDir
    Path dir;

    @Test
    void anEmptyJournalsHeadTailerDeliversTheFirstEntries()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal")));
            HeadTailer tailer = new HeadTailer(journal::lastPosition, p -> journal.tailerAt(p, true)))
        {
            assertEquals(0, tailer.lastSequence());
            new JournalFixture(3, journal).run(50);
            assertEquals(journal.lastSequence(), new JournalFixture.Collector().drain(tailer).entries.size(), "every entry, from the first");
        }
    }

    @Test
    void movedToTheHeadItSkipsWhatCameBeforeAndDeliversWhatComesAfter() throws Exception
    {
        final AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(dir.resolve("journal")).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(5, journal);
            fixture.run(100);
            try (HeadTailer tailer = new HeadTailer(journal::lastPosition, p -> journal.tailerAt(p, true)))
            {
                assertEquals(journal.lastPosition(), tailer.position());
                assertEquals(journal.lastSequence(), tailer.lastSequence(), "the newest entry read, as the journal's now");
                assertEquals(0, tailer.poll((position, buffer, offset, length) -> fail("nothing new yet"), 10));

                // idle through three cycles, and retention deletes the one it stood in
                for (int minute = 0; minute < 3; minute++)
                {
                    now.addAndGet(60_000);
                    fixture.run(100);
                }
                final List<Path> deleted = Retention.apply(journal, journal.lastPosition(), 1);
                assertFalse(deleted.isEmpty(), "the tailer's cycle went");

                tailer.toHead();
                assertEquals(journal.lastPosition(), tailer.position());
                assertEquals(journal.lastSequence(), tailer.lastSequence());
                final long before = journal.lastSequence();
                fixture.run(20);
                final JournalFixture.Collector after = new JournalFixture.Collector().drain(tailer);
                assertEquals(journal.lastSequence() - before, after.entries.size(), "exactly what was written after the move");
                assertEquals(journal.lastPosition(), tailer.position());
            }
        }
    }
}
