package dev.bourse.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries bigger than a document should be are written in parts and read back whole, at their
 * first part's position; parts a crash left unfinished are skipped. The part size is made tiny
 * here so that ordinary entries, and the random engine workload, cross it.
 */
class JournalPartsTest
{
    private static final int PART_BYTES = 256;

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private ChronicleJournal open()
    {
        return ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal")).partBytes(PART_BYTES).log(log::add));
    }

    /** An entry of {@code length} bytes of noise carrying {@code sequence} where entries do. */
    private static byte[] entry(final Random random, final long sequence, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        new UnsafeBuffer(bytes).putLong(8, sequence, JournalDocument.ORDER);
        bytes[0] = 25; // an EntryHeader's block length first, as a real entry's header would be
        bytes[1] = 0;
        return bytes;
    }

    private static List<byte[]> write(final ChronicleJournal journal, final Random random, final long firstSequence, final int count)
    {
        final List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int length = random.nextInt(4) == 0 ? 257 + random.nextInt(3 * PART_BYTES) : 16 + random.nextInt(PART_BYTES - 16);
            final byte[] bytes = entry(random, firstSequence + i, length);
            assertTrue(journal.onEntry(new UnsafeBuffer(bytes), 0, bytes.length));
            written.add(bytes);
            if (random.nextInt(5) == 0)
            {
                journal.onEndOfBatch();
            }
        }
        journal.onEndOfBatch();
        return written;
    }

    private static void assertSameEntries(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "entry " + i);
        }
    }

    @Test
    void entriesBiggerThanAPartAreReadBackWholeAndEachHasAPositionToSeekTo()
    {
        final Random random = new Random(5);
        final List<byte[]> written;
        final JournalFixture.Collector all;
        try (ChronicleJournal journal = open())
        {
            written = write(journal, random, 1, 300);
            assertTrue(journal.documentsAppended() > 300, "the big entries went in parts: " + journal.documentsAppended());
            assertEquals(300, journal.entriesAppended());
            all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertSameEntries(written, all.entries);
            for (int i = 1; i < all.positions.size(); i++)
            {
                assertTrue(all.positions.get(i) > all.positions.get(i - 1), "positions increase");
            }
            assertEquals(all.positions.get(299), journal.lastPosition());
            assertEquals(300, journal.lastSequence());
            for (int k = 0; k < 299; k += 7)
            {
                final JournalFixture.Collector after = new JournalFixture.Collector().drain(journal.tailerAfter(all.positions.get(k), false));
                assertArrayEquals(written.get(k + 1), after.entries.get(0), "after entry " + k);
                assertEquals(299 - k, after.entries.size());
                final JournalFixture.Collector at = new JournalFixture.Collector().drain(journal.tailerAt(all.positions.get(k)));
                assertArrayEquals(written.get(k), at.entries.get(0), "at entry " + k);
            }
        }
        try (ChronicleJournal reopened = open())
        {
            assertEquals(300, reopened.lastSequence());
            assertEquals(all.positions.get(299), reopened.lastPosition());
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void partsACrashLeftUnfinishedAreSkippedAndTheJournalGoesOnAfterThem()
    {
        final Random random = new Random(6);
        final List<byte[]> written = new ArrayList<>();
        final long lastWhole;
        try (ChronicleJournal journal = open())
        {
            written.addAll(write(journal, random, 1, 20));
            lastWhole = journal.lastPosition();
        }
        // what a crash in the middle of a 1,000-byte entry leaves: its first two parts of four
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve("journal")).build();
             ExcerptAppender appender = queue.createAppender())
        {
            final byte[] unfinished = entry(random, 21, 1_000);
            long firstIndex = 0;
            for (int partOffset = 0; partOffset < 2 * PART_BYTES; partOffset += PART_BYTES)
            {
                final UnsafeBuffer part = new UnsafeBuffer(new byte[JournalDocument.PART_HEADER_LENGTH + PART_BYTES]);
                JournalDocument.putPartHeader(part, partOffset, PART_BYTES, unfinished.length, firstIndex);
                part.putBytes(JournalDocument.PART_HEADER_LENGTH, unfinished, partOffset, PART_BYTES);
                try (DocumentContext document = appender.writingDocument())
                {
                    document.wire().bytes().write(part.byteArray());
                }
                firstIndex = appender.lastIndexAppended();
            }
        }
        try (ChronicleJournal journal = open())
        {
            assertEquals(20, journal.lastSequence(), "the unfinished entry is not the journal's last");
            assertEquals(lastWhole, journal.lastPosition());
            assertSameEntries(written, new JournalFixture.Collector().drain(journal.tailerFromStart()).entries);

            // the restarted engine gives sequence 21 to its next command: the parts before it are skipped
            final List<byte[]> more = write(journal, random, 21, 30);
            written.addAll(more);
            assertSameEntries(written, new JournalFixture.Collector().drain(journal.tailerFromStart()).entries);
            assertSameEntries(more, new JournalFixture.Collector().drain(journal.tailerAfter(lastWhole, false)).entries);
            assertEquals(50, journal.lastSequence());
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void inSyncModeAnEntryInPartsReachesEffectReadersOnlyOnceItIsDurable()
    {
        final Random random = new Random(7);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))
            .partBytes(PART_BYTES).durability(Durability.SYNC)))
        {
            final JournalTailer effects = journal.tailerAfter(JournalTailer.START, true);
            final byte[] big = entry(random, 1, 5 * PART_BYTES + 3);
            assertTrue(journal.onEntry(new UnsafeBuffer(big), 0, big.length));
            final JournalFixture.Collector seen = new JournalFixture.Collector().drain(effects);
            assertEquals(0, seen.entries.size(), "written but not yet synced");
            journal.onEndOfBatch();
            seen.drain(effects);
            assertEquals(1, seen.entries.size());
            assertArrayEquals(big, seen.entries.get(0));
            effects.close();
        }
    }

    @Test
    void liveStateEqualsReplayAndSnapshotPlusTailWhenEntriesGoInParts()
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final byte[] live;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).partBytes(128)))
        {
            final JournalFixture fixture = new JournalFixture(31, journal);
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(),
                new dev.bourse.engine.EngineState(JournalFixture.config()), store, 1_500, 0, new SystemEpochNanoClock(), log::add);
            for (int round = 0; round < 4; round++)
            {
                fixture.run(1_000);
                while (snapshotter.doWork() > 0)
                {
                    // the snapshotter catches up, reading entries in parts too
                }
            }
            snapshotter.onClose();
            assertTrue(journal.documentsAppended() > 100, "some entries went in parts: " + journal.documentsAppended());
            live = fixture.stateBytes();
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Recovery.Result full = Recovery.recover(journal, null, JournalFixture.config(), log::add);
            final Recovery.Result fromSnapshot = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals(4_000, full.entriesReplayed());
            assertTrue(fromSnapshot.source().startsWith("snapshot"), fromSnapshot.source());
            assertArrayEquals(live, dev.bourse.engine.EngineSnapshot.toBytes(full.state()), "full replay differs from the live state");
            assertArrayEquals(live, dev.bourse.engine.EngineSnapshot.toBytes(fromSnapshot.state()), "snapshot + tail differs");
            assertEquals(journal.lastPosition(), fromSnapshot.lastPosition());
        }
        assertTrue(log.isEmpty(), log.toString());
    }
}
