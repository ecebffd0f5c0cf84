package dev.bourse.journal;

import dev.bourse.engine.RecordingSink;
import dev.bourse.engine.EventSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleJournalTest
{
    @TempDir
    Path dir;

    /** Writes each entry to both sinks, so the journal can be compared with what the engine emitted. */
    private static EventSink tee(final EventSink first, final EventSink second)
    {
        return new EventSink()
        {
            @Override
            public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
            {
                return first.onEntry(buffer, offset, length) && second.onEntry(buffer, offset, length);
            }

            @Override
            public void onEndOfBatch()
            {
                first.onEndOfBatch();
                second.onEndOfBatch();
            }
        };
    }

    @Test
    void tailersReadBackExactlyTheEntriesTheEngineWrote()
    {
        final RecordingSink emitted = new RecordingSink();
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            new JournalFixture(3, tee(journal, emitted)).run(20_000);
            assertEquals(20_000, journal.entriesAppended());

            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(emitted.entries().size(), all.entries.size());
            for (int i = 0; i < all.entries.size(); i++)
            {
                assertArrayEquals(emitted.entries().get(i), all.entries.get(i), "entry " + i);
            }
            assertEquals(journal.lastIndex(), all.positions.get(all.positions.size() - 1));

            // From a position: everything after it, nothing before.
            final long middle = all.positions.get(9_999);
            final ChronicleTailer after = journal.tailerAfter(middle, false);
            final JournalFixture.Collector tail = new JournalFixture.Collector().drain(after);
            assertEquals(10_000, tail.entries.size());
            assertArrayEquals(emitted.entries().get(10_000), tail.entries.get(0));
            assertEquals(20_000, after.lastSequence());

            // From the end: nothing until something new is appended.
            final ChronicleTailer atEnd = journal.tailerAtEnd(false);
            assertEquals(0, atEnd.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void anotherProcessCanOpenTheJournalReadOnly()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            new JournalFixture(4, journal).run(1_000);
        }
        try (ChronicleJournal reader = ChronicleJournal.openForReading(dir))
        {
            assertEquals(1_000, new JournalFixture.Collector().drain(reader.tailerFromStart()).entries.size());
            assertFalse(reader.onEntry(new UnsafeBuffer(new byte[64]), 0, 64), "a read-only journal takes no appends");
        }
    }

    @Test
    void syncModeReleasesEntriesToEffectReadersOnlyPastTheDurableWatermark()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(dir).durability(Durability.SYNC)))
        {
            final ChronicleTailer effects = journal.tailerAfter(JournalTailer.START, true);
            final ChronicleTailer internal = journal.tailerAfter(JournalTailer.START, false);
            final UnsafeBuffer entry = entry(1);
            assertTrue(journal.onEntry(entry, 0, entry.capacity()));
            assertTrue(journal.onEntry(entry(2), 0, entry.capacity()));

            assertEquals(0, effects.poll(new JournalFixture.Collector(), 10), "not yet synced: not released");
            assertEquals(2, internal.poll(new JournalFixture.Collector(), 10), "a reader without effects sees it at once");

            journal.onEndOfBatch(); // the group's fsync
            assertEquals(journal.lastIndex(), journal.durableIndex());
            assertEquals(2, effects.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void mappedModeHasNoWatermark()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            final ChronicleTailer effects = journal.tailerAfter(JournalTailer.START, true);
            assertTrue(journal.onEntry(entry(1), 0, 64));
            assertEquals(1, effects.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsOneClearError() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        final JournalException e = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(file.resolve("journal"))));
        assertTrue(e.getMessage().startsWith("cannot create journal directory"), e.getMessage());
    }

    @Test
    void unknownRollCycleNamesTheChoices()
    {
        final JournalException e = assertThrows(JournalException.class, () -> new ChronicleJournal.Context().rollCycle("yearly"));
        assertTrue(e.getMessage().contains("minutely, hourly, daily"), e.getMessage());
    }

    /** A minimal entry: 64 bytes with a sequence at the header's sequence offset. */
    private static UnsafeBuffer entry(final long sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putLong(8, sequence);
        return buffer;
    }
}
