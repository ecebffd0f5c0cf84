package dev.bourse.journal;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineState;
import org.agrona.DirectBuffer;

import java.util.function.Consumer;

/**
 * Rebuilds the engine's state at start, once {@link WholeJournalCheck} found the whole journal
 * readable: the newest snapshot that verifies, plus a replay of the journal after it. A snapshot that is corrupt, partial, or does not match the journal is
 * reported and skipped for an older one; with none usable the whole journal is replayed. Because
 * the state carries the sequence, id generators and ClOrdID index, the engine continues exactly
 * where the journal ends.
 */
public final class Recovery
{
    private Recovery()
    {
    }

    /** What recovery did. {@code lastPosition} is the journal position of the last entry applied (-1: none). */
    public record Result(EngineState state, long lastPosition, long snapshotSequence, long entriesReplayed, String source)
    {
    }

    public static Result recover(
        final ChronicleJournal journal, final SnapshotStore snapshots, final EngineConfig config, final Consumer<String> log)
    {
        // the whole journal, not only what the snapshot's replay reads: the readers read it from the start
        final WholeJournalCheck.Result checked = WholeJournalCheck.check(journal);
        Result result = null;
        if (snapshots != null && journal.lastPosition() >= 0)
        {
            for (final java.nio.file.Path file : SnapshotStore.unreadable(snapshots.dir()))
            {
                log.accept("recovery: skipping " + file.getFileName() + ": its header is not a snapshot's (cut short, zeroed or"
                    + " overwritten)");
            }
            for (final SnapshotStore.Info info : snapshots.list())
            {
                try
                {
                    final SnapshotStore.Loaded loaded = SnapshotStore.load(info, config);
                    final String elsewhere = notInJournal(info.journalPosition(), checked);
                    if (elsewhere != null)
                    {
                        log.accept("recovery: skipping " + info.file().getFileName() + ": " + elsewhere);
                        continue;
                    }
                    result = replayFrom(journal, loaded.state(), info.journalPosition(), info.sequence(),
                        "snapshot " + info.file().getFileName());
                    break;
                }
                catch (final JournalException | IllegalStateException e)
                {
                    log.accept("recovery: skipping " + info.file().getFileName() + ": " + e.getMessage());
                }
            }
        }
        refuseIfSnapshotsAreAhead(snapshots, config, checked.lastSequence(), journal);
        if (result == null && checked.firstSequence() > 1)
        {
            // a full replay needs sequence 1: what retention removed (or a hand did) is only covered by a snapshot
            throw new JournalException("the journal " + journal.queue().file() + " starts at sequence " + checked.firstSequence()
                + " (its earlier cycle files were removed, by retention or by hand), and no snapshot taken at or after sequence "
                + (checked.firstSequence() - 1) + " loads" + (snapshots == null ? "" : " in " + snapshots.dir())
                + ": restore the snapshots, or the journal's first cycle files, from a copy");
        }
        if (result == null)
        {
            result = replayFrom(journal, new EngineState(config), JournalTailer.START, 0, "full replay");
        }
        return result;
    }

    /**
     * Why a snapshot's position is no entry of the journal, which the whole check found intact; null
     * if it is one. Said for what it means: a bare "has no entry at position N" read as damage.
     */
    private static String notInJournal(final long position, final WholeJournalCheck.Result journal)
    {
        if (journal.entries() == 0 || position > journal.lastPosition())
        {
            // refused below, naming both, if the snapshot loads
            return "it was taken at position " + position + ", past the journal's end (sequence " + journal.lastSequence()
                + "): it is another journal's, or this one lost its tail";
        }
        if (position < journal.firstPosition())
        {
            return "it was taken at position " + position + ", before the journal's first entry (sequence " + journal.firstSequence()
                + "): retention removed that part, or it is another journal's";
        }
        return null;
    }

    /**
     * The journal is the system of record, and a snapshot is made from it: a snapshot that verifies
     * and is further on than the whole journal proves that journal entries are missing (files
     * deleted, damaged, or another directory). Starting anyway would start an empty or older
     * exchange beside the snapshots and lose every acknowledged order since, so recovery stops.
     */
    private static void refuseIfSnapshotsAreAhead(
        final SnapshotStore snapshots, final EngineConfig config, final long journalSequence, final ChronicleJournal journal)
    {
        if (snapshots == null)
        {
            return;
        }
        for (final SnapshotStore.Info info : snapshots.list())
        {
            if (info.sequence() <= journalSequence)
            {
                continue;
            }
            try
            {
                SnapshotStore.load(info, config);
            }
            catch (final JournalException | IllegalStateException e)
            {
                continue; // a damaged snapshot proves nothing
            }
            throw new JournalException("the journal " + journal.queue().file() + (journalSequence == 0 ? " has no entries" : " ends at sequence " + journalSequence)
                + ", but snapshot " + info.file() + " was taken at sequence " + info.sequence()
                + ": journal entries are missing. The journal is the system of record: restore it, or, to start a new exchange"
                + " there, move away everything made from the journal: the snapshots (" + info.file().getParent() + "), the query"
                + " side's checkpoints and history store (query.checkpoint-dir) and the FIX session stores (gateway.session-dir)");
        }
    }

    private static Result replayFrom(
        final ChronicleJournal journal,
        final EngineState state,
        final long snapshotPosition,
        final long snapshotSequence,
        final String source)
    {
        final EngineReplayer replayer = new EngineReplayer(state);
        final Applier applier = new Applier(journal, replayer, snapshotPosition, snapshotSequence);
        final ChronicleTailer tailer;
        try
        {
            tailer = snapshotPosition == JournalTailer.START ? journal.tailerFromStart() : journal.tailerAt(snapshotPosition);
        }
        catch (final JournalException e)
        {
            // the journal was checked whole, so a position inside it with no entry is another journal's
            throw new JournalException("it does not belong to this journal (which has no entry at its position " + snapshotPosition + ")");
        }
        try (tailer)
        {
            while (tailer.poll(applier, 65_536) > 0)
            {
                // replaying
            }
        }
        if (snapshotPosition != JournalTailer.START && !applier.checkedSnapshotEntry)
        {
            throw new JournalException("it does not belong to this journal (which has no entry at its position " + snapshotPosition + ")");
        }
        // Read in order, the journal may stop short of what its index holds: a damaged document header or an
        // emptied file in between hides every entry after it. Starting there would hand out their sequence
        // numbers and order ids again (a crash probe's flipped bit did), so recovery stops.
        final long indexed = journal.lastPosition();
        if (indexed > applier.lastPosition)
        {
            throw new JournalException("the journal " + journal.queue().file() + " cannot be read in order past sequence "
                + state.lastSequence() + ", though it holds entries after it (a damaged document or file in between): the journal is"
                + " the system of record, restore it from a copy (./exchange journal verify says where it stops)");
        }
        return new Result(state, applier.lastPosition, snapshotSequence, applier.applied, source);
    }

    private static final class Applier implements JournalHandler
    {
        private final ChronicleJournal journal;
        private final EngineReplayer replayer;
        private final long snapshotPosition;
        private final long snapshotSequence;
        private final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
        private boolean checkedSnapshotEntry;
        private long lastPosition;
        private long applied;

        Applier(final ChronicleJournal journal, final EngineReplayer replayer, final long snapshotPosition, final long snapshotSequence)
        {
            this.journal = journal;
            this.replayer = replayer;
            this.snapshotPosition = snapshotPosition;
            this.snapshotSequence = snapshotSequence;
            this.lastPosition = snapshotPosition;
        }

        @Override
        public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
        {
            if (position == snapshotPosition && !checkedSnapshotEntry)
            {
                // The entry the snapshot claims to include must carry the snapshot's sequence.
                if (reader.readHeader(buffer, offset, length) != dev.bourse.protocol.JournalEntryReader.OK
                    || reader.header().sequence() != snapshotSequence)
                {
                    throw new JournalException("it does not belong to this journal: its sequence " + snapshotSequence
                        + " does not match the journal entry at position " + position);
                }
                checkedSnapshotEntry = true;
                lastPosition = position;
                return;
            }
            final boolean applied;
            try
            {
                applied = replayer.apply(buffer, offset, length);
            }
            catch (final IllegalStateException e)
            {
                // a damaged entry (or a gap): said with where it is and what to do, not only what the reader found
                throw new JournalException("the journal " + journal.queue().file() + " holds an entry it cannot replay at position "
                    + position + " (after sequence " + replayer.state().lastSequence() + "): " + e.getMessage()
                    + ". The journal is the system of record: restore it from a copy (./exchange journal verify says where"
                    + " it breaks)", e);
            }
            if (!applied)
            {
                // After the snapshot's entry every entry is the next: one the replayer skips as already applied (at or
                // below the last sequence) is a second writer's (two exchanges on one journal, as an outside probe made
                // with journal.dir), and skipping it would start one of the two histories as if the other were not there
                reader.readHeader(buffer, offset, length);
                throw new JournalException("the journal " + journal.queue().file() + " holds sequence " + reader.header().sequence()
                    + " again after sequence " + replayer.state().lastSequence() + " at position " + position
                    + ": two exchanges wrote into it. The journal is the system of record: restore it from a copy"
                    + " (./exchange journal verify says where it breaks)");
            }
            this.applied++;
            lastPosition = position;
        }
    }
}
