package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;

/**
 * Where projections read the journal from: the in-memory journal (tests, benchmarks) or the
 * Chronicle journal, in the engine's process or opened read-only on the same files from another.
 */
public interface JournalSource
{
    /** A tailer delivering the entries after {@code position} ({@link ReadModels#START}: from the first). */
    JournalTailer tailerAfter(long position);

    /**
     * A tailer whose first entry is the one at {@code position}, to check that a checkpoint was
     * written from this journal; null if the source cannot tell.
     */
    default JournalTailer tailerAt(final long position)
    {
        return null;
    }

    /**
     * Position of the newest entry in the journal ({@link ReadModels#START} if empty), for the lag
     * counter; may be a little stale. Sources that cannot tell return {@link Long#MIN_VALUE}.
     */
    long headPosition();

    /**
     * Entries after {@code position} up to {@code head} (both positions of this source), or -1 if
     * unknown. Positions are entry numbers for the in-memory journal, so this is the difference.
     */
    default long entriesBetween(final long position, final long head)
    {
        return head == Long.MIN_VALUE ? -1 : Math.max(0, head - position);
    }

    /**
     * Engine sequence of the newest entry (may be a little stale), or {@link Long#MIN_VALUE} if the
     * source cannot tell; when known, the lag is counted from sequences rather than positions.
     */
    default long headSequence()
    {
        return Long.MIN_VALUE;
    }

    /**
     * Engine sequence of the journal's first entry: 1, or above when retention removed the cycles
     * before it; {@link Long#MIN_VALUE} if the source cannot tell.
     */
    default long firstSequence()
    {
        return Long.MIN_VALUE;
    }

    /**
     * Engine sequence of the journal's newest entry, read from its files now (0 if empty), or
     * {@link Long#MIN_VALUE} if the source cannot tell: a checkpoint beyond it is another journal's.
     */
    default long lastSequence()
    {
        return Long.MIN_VALUE;
    }

    /** Releases what the source holds (called by the projection thread when it stops). */
    default void close()
    {
    }

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
            public JournalTailer tailerAt(final long position)
            {
                return journal.tailerAfter(position - 1); // positions are entry numbers here
            }

            @Override
            public long headPosition()
            {
                return journal.size() - 1L;
            }
        };
    }

    /**
     * The Chronicle journal. Positions are opaque (several entries share a Chronicle document), so
     * the lag is counted from engine sequences. The head is found by a second tailer that follows
     * the journal's end, at most once a millisecond (the projection thread asks every duty cycle):
     * {@code ChronicleJournal#lastPosition()} acquires the cycle's store on every call, allocates,
     * and grows slower the more it is called.
     */
    static JournalSource of(final ChronicleJournal journal)
    {
        return of(journal, false);
    }

    /**
     * The same, for read models in the engine's own process: with {@code forExternalEffects} their
     * tailer stops, in {@code sync} durability, at the durable watermark, as everything an outsider
     * sees must. One source for both, where the exchange's wrapper of this one forwarded each method
     * by hand and twice missed one (where the journal starts; the checkpoint's entry), so that a
     * refusal of {@code ./exchange read-models} never fired inside the exchange.
     */
    static JournalSource of(final ChronicleJournal journal, final boolean forExternalEffects)
    {
        return new JournalSource()
        {
            private final JournalHandler skip = (position, buffer, offset, length) -> {};
            private JournalTailer headTailer;
            private long head = Long.MIN_VALUE;
            private long headSequence = Long.MIN_VALUE;
            private long nextLookupNanos;

            @Override
            public JournalTailer tailerAfter(final long position)
            {
                return journal.tailerAfter(position, forExternalEffects);
            }

            @Override
            public JournalTailer tailerAt(final long position)
            {
                return journal.tailerAt(position);
            }

            @Override
            public long headPosition()
            {
                final long now = System.nanoTime();
                if (now - nextLookupNanos >= 0)
                {
                    if (headTailer == null)
                    {
                        headTailer = journal.tailerAtEnd(false);
                    }
                    headTailer.poll(skip, 1_000_000);
                    head = headTailer.position();
                    headSequence = headTailer.lastSequence() > 0 ? headTailer.lastSequence() : journal.lastSequence();
                    nextLookupNanos = now + 1_000_000L;
                }
                return head;
            }

            @Override
            public long headSequence()
            {
                return headSequence;
            }

            @Override
            public long firstSequence()
            {
                return journal.firstSequence();
            }

            @Override
            public long lastSequence()
            {
                return journal.currentLastSequence();
            }

            @Override
            public void close()
            {
                if (headTailer != null)
                {
                    headTailer.close();
                    headTailer = null;
                }
            }

            @Override
            public long entriesBetween(final long position, final long head)
            {
                return -1; // not from positions: see headSequence
            }
        };
    }
}
