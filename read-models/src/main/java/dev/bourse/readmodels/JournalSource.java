package dev.bourse.readmodels;

import dev.bourse.journal.InMemoryJournal;
import dev.bourse.journal.JournalTailer;

/**
 * Where projections read the journal from: the seam the server uses to plug in the Chronicle
 * journal (in process, or the same files from a separate process) in place of the in-memory one.
 */
public interface JournalSource
{
    /** A tailer delivering the entries after {@code position} ({@link ReadModels#START}: from the first). */
    JournalTailer tailerAfter(long position);

    /**
     * Position of the newest entry in the journal ({@link ReadModels#START} if empty), for the lag
     * counter; may be a little stale. Sources that cannot tell return {@link Long#MIN_VALUE}.
     */
    long headPosition();

    static JournalSource of(final InMemoryJournal journal)
    {
        return new JournalSource()
        {
            @Override
            public JournalTailer tailerAfter(final long position)
            {
                return journal.tailerAfter(position);
            }

            @Override
            public long headPosition()
            {
                return journal.size() - 1L;
            }
        };
    }
}
