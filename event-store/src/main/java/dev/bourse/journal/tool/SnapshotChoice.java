package dev.bourse.journal.tool;

import dev.bourse.engine.EngineConfig;
import dev.bourse.journal.JournalException;
import dev.bourse.journal.SnapshotStore;

import java.nio.file.Path;
import java.util.List;

/**
 * The snapshot journal verify replays a trimmed journal from: the oldest that loads and is taken
 * at or after the sequence just before the journal's first entry (so its entries follow it with
 * no gap) and at or before its last. The oldest, not the newest recovery takes: it leaves the
 * most entries to check. {@code why} says, when none is, why not.
 */
record SnapshotChoice(SnapshotStore.Loaded loaded, String why)
{
    /**
     * A snapshot in {@code dir} that loads and was taken after {@code journalLastSequence}: proof that
     * journal entries are missing (a snapshot is made from the journal); null if none is.
     */
    static SnapshotStore.Info aheadOf(final Path dir, final java.util.List<SnapshotStore.Info> infos, final long journalLastSequence,
        final EngineConfig config)
    {
        for (final SnapshotStore.Info info : infos)
        {
            if (info.sequence() <= journalLastSequence)
            {
                continue;
            }
            try
            {
                SnapshotStore.load(info, config);
                return info;
            }
            catch (final JournalException | IllegalStateException e)
            {
                // a damaged snapshot proves nothing
            }
        }
        return null;
    }

    static SnapshotChoice find(final Path dir, final long firstSequence, final long lastSequence, final EngineConfig config)
    {
        if (dir == null)
        {
            return new SnapshotChoice(null, "no snapshot directory was given (--snapshots DIR) or found beside the journal");
        }
        final List<SnapshotStore.Info> infos = SnapshotStore.list(dir);
        String failure = null;
        int fitting = 0;
        for (int i = infos.size() - 1; i >= 0; i--)
        {
            final SnapshotStore.Info info = infos.get(i);
            if (info.sequence() < firstSequence - 1 || info.sequence() > lastSequence)
            {
                continue;
            }
            fitting++;
            try
            {
                return new SnapshotChoice(SnapshotStore.load(info, config), null);
            }
            catch (final JournalException | IllegalStateException e)
            {
                failure = failure == null ? e.getMessage() : failure;
            }
        }
        if (fitting == 0)
        {
            return new SnapshotChoice(null, "none of the " + infos.size() + " snapshot(s) in " + dir + " is from sequence "
                + (firstSequence - 1) + " to " + lastSequence);
        }
        return new SnapshotChoice(null, "no snapshot in " + dir + " that could start it loads (" + failure + ")");
    }
}
