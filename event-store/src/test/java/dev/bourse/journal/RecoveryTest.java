package dev.bourse.journal;

import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.RecordingSink;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live state == full replay == snapshot + tail, after random workloads; a damaged snapshot is
 * detected and an older one (or a full replay) is used; the recovered engine continues exactly
 * as the original would have.
 */
class RecoveryTest
{
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** A snapshot directory removed while running was logged as a bare path (an outside tester). */
    @Test
    void aSnapshotDirectoryRemovedWhileRunningIsSaidToBeGone() throws Exception
    {
        final List<String> log = new java.util.ArrayList<>();
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 5);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final JournalFixture fixture = new JournalFixture(23, journal);
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(),
                new dev.bourse.engine.EngineState(JournalFixture.config()), store, 0, 0, new SystemEpochNanoClock(), log::add);
            fixture.run(100);
            while (snapshotter.doWork() > 0)
            {
                // catch up
            }
            Files.delete(store.dir());
            snapshotter.snapshotNow();
            assertEquals(1, snapshotter.snapshotFailures());
            assertEquals(List.of("snapshot: cannot write to " + store.dir() + ": the directory is gone: no snapshot is written until"
                + " it is back (recovery replays the journal from the newest snapshot there is)"), log);
        }
    }

    @Test
    void liveStateEqualsFullReplayEqualsSnapshotPlusTail()
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        final byte[] live;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalFixture fixture = new JournalFixture(21, journal);
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(),
                new dev.bourse.engine.EngineState(JournalFixture.config()), store, 7_000, 0, new SystemEpochNanoClock(), log::add);
            for (int round = 0; round < 5; round++)
            {
                fixture.run(5_000);
                while (snapshotter.doWork() > 0)
                {
                    // the snapshotter catches up and snapshots every 7,000 entries
                }
            }
            snapshotter.onClose();
            assertEquals(3, snapshotter.snapshotsTaken());
            live = fixture.stateBytes();
        }

        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Recovery.Result full = Recovery.recover(journal, null, JournalFixture.config(), log::add);
            final Recovery.Result fromSnapshot = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals("full replay", full.source());
            assertEquals(25_000, full.entriesReplayed());
            assertTrue(fromSnapshot.source().startsWith("snapshot"), fromSnapshot.source());
            assertEquals(21_000, fromSnapshot.snapshotSequence());
            assertEquals(4_000, fromSnapshot.entriesReplayed());
            assertArrayEquals(live, EngineSnapshot.toBytes(full.state()), "full replay differs from the live state");
            assertArrayEquals(live, EngineSnapshot.toBytes(fromSnapshot.state()), "snapshot + tail differs from the live state");
            assertEquals(journal.lastPosition(), fromSnapshot.lastPosition());
        }
        assertTrue(log.isEmpty(), log.toString());
    }

    /** A probe's exchange, killed every minute or two, never took a snapshot: each start counted from zero. */
    @Test
    void entriesReplayedAtStartCountTowardTheNextSnapshot()
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 3);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            new JournalFixture(23, journal).run(3_000);
            final Recovery.Result recovered = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals(3_000, recovered.entriesReplayed());
            final Snapshotter snapshotter = new Snapshotter(journal.tailerAfter(recovered.lastPosition(), false), recovered.state(),
                store, 2_000, 0, new SystemEpochNanoClock(), log::add).entriesSinceNewestSnapshot(recovered.entriesReplayed());
            snapshotter.doWork();
            assertEquals(1, snapshotter.snapshotsTaken(), "due at once: 3,000 entries past the newest snapshot (none)");
            assertEquals(3_000, store.list().get(0).sequence());
            snapshotter.onClose();
        }
    }

    @Test
    void damagedSnapshotsAreDetectedAndOlderOnesOrAFullReplayUsed() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 5);
        final byte[] live;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalFixture fixture = new JournalFixture(22, journal);
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(),
                new dev.bourse.engine.EngineState(JournalFixture.config()), store, 0, 0, new SystemEpochNanoClock(), log::add);
            for (int round = 0; round < 3; round++)
            {
                fixture.run(3_000);
                while (snapshotter.doWork() > 0)
                {
                    // catch up
                }
                snapshotter.snapshotNow();
            }
            fixture.run(1_000);
            live = fixture.stateBytes();
        }
        final List<SnapshotStore.Info> snapshots = store.list();
        assertEquals(3, snapshots.size());

        // Newest: one flipped byte in the body. Second: cut short (a partial copy). Third: intact.
        flipByte(snapshots.get(0).file(), SnapshotStore.HEADER_LENGTH + 100);
        try (RandomAccessFile file = new RandomAccessFile(snapshots.get(1).file().toFile(), "rw"))
        {
            file.setLength(file.length() / 2);
        }
        // A newer one with its header zeroed: left out of the list, and named (a crash probe saw it passed over in silence).
        final Path zeroed = Files.write(store.dir().resolve(SnapshotStore.fileName(99_999)), new byte[4096]);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Recovery.Result result = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals(3_000, result.snapshotSequence(), "the oldest, intact snapshot");
            assertArrayEquals(live, EngineSnapshot.toBytes(result.state()));
            assertEquals(3, log.size(), log.toString());
            assertTrue(log.get(0).contains(zeroed.getFileName() + ": its header is not a snapshot's"), log.get(0));
            assertTrue(log.get(1).contains("checksum"), log.get(1));
            assertTrue(log.get(2).contains("partial"), log.get(2));

            // All of them damaged: a full replay.
            flipByte(snapshots.get(2).file(), SnapshotStore.HEADER_LENGTH + 7);
            final Recovery.Result replayed = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals("full replay", replayed.source());
            assertArrayEquals(live, EngineSnapshot.toBytes(replayed.state()));
        }
    }

    /**
     * With {@code snapshot.keep = 2} and the second newest damaged, a new snapshot deleted the only
     * other intact one: the fallback the operator asked for was gone (noticed in a crash probe).
     */
    @Test
    void aDamagedSnapshotDoesNotCountAmongThoseKept() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final JournalFixture fixture = new JournalFixture(24, journal);
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(),
                new dev.bourse.engine.EngineState(JournalFixture.config()), store, 0, 0, new SystemEpochNanoClock(), log::add);
            final long[] sequences = new long[3];
            for (int round = 0; round < 3; round++)
            {
                fixture.run(1_000);
                while (snapshotter.doWork() > 0)
                {
                    // catch up
                }
                snapshotter.snapshotNow();
                sequences[round] = store.list().get(0).sequence();
                if (round == 1)
                {
                    final Path newest = store.list().get(0).file();
                    flipByte(newest, SnapshotStore.HEADER_LENGTH + 50);
                    Files.setLastModifiedTime(newest, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
                }
            }
            assertEquals(List.of(sequences[2], sequences[1], sequences[0]),
                store.list().stream().map(SnapshotStore.Info::sequence).toList(),
                "the damaged one stays until it falls behind the oldest intact one kept");

            fixture.run(1_000);
            while (snapshotter.doWork() > 0)
            {
                // catch up
            }
            snapshotter.snapshotNow();
            assertEquals(2, store.list().size(), "two intact ones kept; the damaged one behind them is gone");
            assertEquals(sequences[2], store.list().get(1).sequence());
            snapshotter.onClose();
        }
    }

    /** An operations probe's start on a journal with an overwritten entry said only "malformed journal entry (status 2)". */
    @Test
    void anEntryThatDoesNotDecodeStopsRecoveryNamingTheJournalAndWhatToDo() throws Exception
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            new JournalFixture(7, journal).run(200);
            final byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte)0x7F);
            journal.onEntry(new org.agrona.concurrent.UnsafeBuffer(garbage), 0, garbage.length);
            journal.onEndOfBatch();
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, null, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().startsWith("the journal " + journal.queue().file()), e.getMessage());
            assertTrue(e.getMessage().contains("does not decode as a bourse journal entry at position"), e.getMessage());
            assertTrue(e.getMessage().contains("journal verify"), e.getMessage());
        }
    }

    /** A second exchange's entry in the journal (a sequence again, below the last) stops recovery instead of being skipped. */
    @Test
    void anEntryWhoseSequenceComesAgainStopsRecovery() throws Exception
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            new JournalFixture(8, journal).run(200);
            final long last = Recovery.recover(journal, null, JournalFixture.config(), log::add).state().lastSequence();
            final byte[][] copy = new byte[1][];
            final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
            try (JournalTailer tailer = journal.tailerFromStart())
            {
                while (tailer.poll((position, buffer, offset, length) ->
                {
                    if (reader.readHeader(buffer, offset, length) == dev.bourse.protocol.JournalEntryReader.OK
                        && reader.header().sequence() == last - 10)
                    {
                        copy[0] = new byte[length];
                        buffer.getBytes(offset, copy[0]);
                    }
                }, 1_000) > 0)
                {
                    // reading
                }
            }
            journal.onEntry(new org.agrona.concurrent.UnsafeBuffer(copy[0]), 0, copy[0].length);
            journal.onEndOfBatch();
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, null, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("holds sequence " + (last - 10) + " again after sequence " + last), e.getMessage());
            assertTrue(e.getMessage().contains("two exchanges wrote into it"), e.getMessage());
        }
    }

    @Test
    void aSnapshotThatDoesNotMatchTheJournalIsNotUsed() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        // A snapshot from another journal: same position, different history.
        try (ChronicleJournal other = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("other"))))
        {
            final JournalFixture fixture = new JournalFixture(5, other);
            fixture.run(500);
            store.write(fixture.engine.state(), other.lastPosition() - 100);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            new JournalFixture(6, journal).run(1_000);
            final Recovery.Result result = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals("full replay", result.source());
            assertTrue(log.get(0).contains("does not belong to this journal") && log.get(0).contains("does not match"),
                log.toString());
        }
    }

    @Test
    void aJournalMissingWhatASnapshotWasTakenFromStopsRecovery() throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 2);
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final JournalFixture fixture = new JournalFixture(7, journal);
            fixture.run(1_000);
            store.write(fixture.engine.state(), journal.lastPosition());
        }
        // the journal's files gone: an empty directory where the journal was
        try (ChronicleJournal empty = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("gone"))))
        {
            final JournalException e = assertThrows(JournalException.class, () -> Recovery.recover(empty, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("has no entries") && e.getMessage().contains("journal entries are missing"), e.getMessage());
        }
        // an exchange started anyway on the empty journal and snapshotted it: the newer snapshot does not hide the older, further one
        try (ChronicleJournal restarted = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("restarted"))))
        {
            final JournalFixture fixture = new JournalFixture(7, restarted);
            fixture.run(100);
            store.write(fixture.engine.state(), restarted.lastPosition());
            final JournalException e = assertThrows(JournalException.class, () -> Recovery.recover(restarted, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("journal entries are missing"), e.getMessage());
        }
        // a shorter journal than the snapshot's (an older copy, say)
        try (ChronicleJournal older = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("older"))))
        {
            new JournalFixture(7, older).run(400);
            final JournalException e = assertThrows(JournalException.class, () -> Recovery.recover(older, store, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("ends at sequence"), e.getMessage());
        }
    }

    @Test
    void theRecoveredEngineContinuesExactlyAsTheOriginalWould() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"), 1);
        // Reference: one engine that never stops.
        final RecordingSink uninterrupted = new RecordingSink();
        final JournalFixture reference = new JournalFixture(31, uninterrupted);
        reference.run(6_000);

        // Same stream, stopped after 4,000 commands and recovered from snapshot + journal.
        final JournalFixture first;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            first = new JournalFixture(31, journal);
            first.run(3_000);
            store.write(first.engine.state(), journal.lastPosition());
            first.run(1_000);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Recovery.Result result = Recovery.recover(journal, store, JournalFixture.config(), log::add);
            assertEquals(4_000, result.state().lastSequence());
            final RecordingSink continued = new RecordingSink();
            first.continueWith(new dev.bourse.engine.MatchingEngine(result.state(), continued));
            first.run(2_000);
            for (int i = 0; i < 2_000; i++)
            {
                assertArrayEquals(uninterrupted.entries().get(4_000 + i), continued.entries().get(i),
                    "entry " + (4_000 + i) + ": sequence, ids or ClOrdID dedup did not continue exactly");
            }
        }
    }

    @Test
    void retentionKeepsWhatRecoveryNeeds() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(41, journal);
            final List<Long> lastIndexOfCycle = new ArrayList<>();
            for (int minute = 0; minute < 6; minute++)
            {
                fixture.run(200);
                lastIndexOfCycle.add(journal.lastPosition());
                now.addAndGet(60_000);
            }
            assertEquals(6, cycleFiles(journalDir));
            // Recovery needs the entry in the 4th cycle; keep one older cycle beside it.
            final List<Path> deleted = Retention.apply(journal, lastIndexOfCycle.get(3), 1);
            assertEquals(2, deleted.size(), deleted.toString());
            assertEquals(4, cycleFiles(journalDir));
            assertEquals(0, Retention.apply(journal, lastIndexOfCycle.get(3), 0).size(), "0 keeps everything");
            final ChronicleTailer tailer = journal.tailerAfter(lastIndexOfCycle.get(3), false);
            assertEquals(400, new JournalFixture.Collector().drain(tailer).entries.size());
        }
    }

    @Test
    void aJournalWrittenWithMinutelyFilesOpensForReading() throws Exception
    {
        final Path journalDir = dir.resolve("minutely");
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely")))
        {
            new JournalFixture(43, journal).run(100);
        }
        // the reading tools (journal verify/dump/stats, read-models) open it without naming its roll cycle
        try (ChronicleJournal reading = ChronicleJournal.openForReading(journalDir))
        {
            assertEquals(100, new JournalFixture.Collector().drain(reading.tailerFromStart()).entries.size());
        }
    }

    private static long cycleFiles(final Path dir) throws Exception
    {
        try (var files = Files.list(dir))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    /**
     * One flipped bit in a document's length in the middle of the journal: read in order the journal
     * ends there, though every entry after it is still in the file. A crash probe's exchange
     * recovered the first entries only and handed out their successors' sequence numbers and order
     * ids again; recovery stops now, naming where.
     */
    @Test
    void aJournalThatCannotBeReadInOrderToItsEndStopsRecovery() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final long headerAt;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalFixture fixture = new JournalFixture(23, journal);
            for (int i = 0; i < 40; i++)
            {
                fixture.run(50); // one document per run at least
            }
            headerAt = DocumentHeaderDamage.headerOf(journal, 10);
        }
        final Path file;
        try (java.util.stream.Stream<Path> files = Files.list(journalDir))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        DocumentHeaderDamage.damage(file, headerAt); // the length now reaches past the data written
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final JournalException e = assertThrows(JournalException.class,
                () -> Recovery.recover(journal, null, JournalFixture.config(), log::add));
            assertTrue(e.getMessage().contains("cannot be read in order past sequence"), e.getMessage());
        }
    }

    private static void flipByte(final Path file, final long offset) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }
}
