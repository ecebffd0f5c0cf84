package dev.bourse.journal;

import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage behind the newest snapshot stops the start as damage after it does. An outside probe's
 * exchange started on a journal with a deleted middle cycle file, an overwritten entry or a damaged
 * document header behind its snapshot, and the readers that read it from the start (the read
 * models rebuilding) skipped it or stalled there in silence.
 */
class WholeJournalCheckTest
{
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void aCycleFileDeletedBehindTheNewestSnapshotStopsTheStart() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(51, journal);
            for (int minute = 0; minute < 4; minute++)
            {
                fixture.run(200);
                now.addAndGet(60_000);
            }
            store.write(fixture.engine.state(), journal.lastPosition());
        }
        Files.delete(cycleFiles(journalDir).get(1));
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely")))
        {
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().startsWith("the journal " + journal.queue().file() + " has a gap at position "), e.getMessage());
            assertTrue(e.getMessage().contains("follows 200") && e.getMessage().contains("./exchange journal verify"), e.getMessage());
        }
    }

    @Test
    void anEntryThatDoesNotDecodeBehindTheNewestSnapshotStopsTheStart() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final JournalFixture fixture = new JournalFixture(52, journal);
            fixture.run(100);
            final byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte)0x7F);
            journal.onEntry(new UnsafeBuffer(garbage), 0, garbage.length);
            journal.onEndOfBatch();
            fixture.run(100);
            store.write(fixture.engine.state(), journal.lastPosition());
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("holds an entry that does not decode as a bourse journal entry at position"),
                e.getMessage());
            assertTrue(e.getMessage().contains("(after sequence 100)") && e.getMessage().contains("restore it from a copy"),
                e.getMessage());
        }
    }

    /** An outside probe's OrderCanceled read side=SBE_UNKNOWN reason=SBE_UNKNOWN, and verify and the start passed it. */
    @Test
    void anEnumFieldOutsideTheSchemaBehindTheNewestSnapshotStopsTheStart() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final byte[] target;
        final int sideAt;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalFixture fixture = new JournalFixture(53, journal);
            fixture.run(300);
            store.write(fixture.engine.state(), journal.lastPosition());
            final JournalFixture.Collector entries = new JournalFixture.Collector().drain(journal.tailerFromStart());
            int pick = 150;
            while (enumOffset(entries.entries.get(pick)) < 0)
            {
                pick++;
            }
            target = entries.entries.get(pick);
            sideAt = enumOffset(target);
        }
        overwrite(journalDir, target, sideAt, (byte)0);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("does not decode as a bourse journal entry"), e.getMessage());
            assertTrue(e.getMessage().contains("side=0, not a Side value"), e.getMessage());
        }
    }

    @Test
    void aDamagedDocumentHeaderBehindTheNewestSnapshotStopsTheStart() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final long headerAt;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalFixture fixture = new JournalFixture(54, journal);
            for (int i = 0; i < 40; i++)
            {
                fixture.run(50); // one document per run at least
            }
            store.write(fixture.engine.state(), journal.lastPosition());
            headerAt = DocumentHeaderDamage.headerOf(journal, 10);
        }
        DocumentHeaderDamage.damage(cycleFiles(journalDir).get(0), headerAt); // the length now reaches past the data written
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("cannot be read in order past sequence"), e.getMessage());
            assertTrue(e.getMessage().contains("./exchange journal verify"), e.getMessage());
        }
    }

    /** Retention's removal is no gap: the start goes on from a snapshot after it, and says why it cannot without one. */
    @Test
    void aJournalRetentionTrimmedStartsFromItsSnapshotAndWithoutOneSaysWhy() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(55, journal);
            long snapshotAt = -1;
            for (int minute = 0; minute < 4; minute++)
            {
                fixture.run(200);
                if (minute == 2)
                {
                    snapshotAt = journal.lastPosition();
                    store.write(fixture.engine.state(), snapshotAt);
                }
                now.addAndGet(60_000);
            }
            assertEquals(1, Retention.apply(journal, snapshotAt, 1).size()); // keeps one older cycle: removes the first
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely")))
        {
            final Recovery.Result result = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals(600, result.snapshotSequence());
            assertEquals(800, result.state().lastSequence());
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, null, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("starts at sequence 201") && e.getMessage().contains("no snapshot"), e.getMessage());
        }
    }

    /**
     * Another exchange's snapshot whose position falls between this journal's entries: skipped, saying
     * it does not belong to this journal, where the start said only "journal ... has no entry at
     * position N", which read as damage (an outside probe).
     */
    @Test
    void aSnapshotOfAnotherJournalIsSaidNotToBelongToThisOne() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        final long minute = 60_000;
        final AtomicLong otherNow = new AtomicLong(1_700_000_000_000L + minute);
        try (ChronicleJournal other = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(dir.resolve("other")).rollCycle("minutely").timeProvider(otherNow::get)))
        {
            final JournalFixture fixture = new JournalFixture(56, other);
            fixture.run(100);
            store.write(fixture.engine.state(), other.lastPosition());
        }
        final AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(dir.resolve("journal")).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(57, journal);
            fixture.run(200); // this minute's cycle, then none for the next (the other's), then one after
            now.addAndGet(2 * minute);
            fixture.run(200);
            final Recovery.Result result = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals("full replay", result.source());
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).contains(": it does not belong to this journal (which has no entry at its position"), log.toString());
        }
    }

    /** The byte offset, in an entry, of the side of its first OrderAccepted; -1 if it has none. */
    private static int enumOffset(final byte[] entry)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(entry);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        int position = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        while (position < entry.length)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            if (header.templateId() == OrderAcceptedDecoder.TEMPLATE_ID)
            {
                return body + OrderAcceptedDecoder.sideEncodingOffset();
            }
            position = body + header.blockLength();
        }
        return -1;
    }

    /** Writes {@code value} at {@code at} of the one place in the journal's files that holds {@code entry}. */
    private static void overwrite(final Path journalDir, final byte[] entry, final int at, final byte value) throws Exception
    {
        for (final Path file : cycleFiles(journalDir))
        {
            final byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i + entry.length <= bytes.length; i++)
            {
                if (java.util.Arrays.equals(bytes, i, i + entry.length, entry, 0, entry.length))
                {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                    {
                        raf.seek(i + at);
                        raf.write(value);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("the entry is not in the journal's files");
    }

    private static List<Path> cycleFiles(final Path dir) throws Exception
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
