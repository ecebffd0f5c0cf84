package dev.bourse.journal;

import java.util.function.Consumer;

/**
 * Says in the log, once, what a journal reader cannot read past: an entry that does not decode
 * (the reader skips it, and what it serves lacks it), or a journal it gets no further in though
 * the journal holds entries after where it stands (a damaged document header: the reader would
 * wait there for ever). An outside probe's rebuilt read models skipped such an entry with only a
 * counter, and stalled at a damaged header with nothing in the log while trading went on. The
 * start refuses such a journal; this is for damage done while the exchange runs.
 */
public final class ReaderTrouble
{
    /** How long a reader behind the journal's head may get nothing before it is said to be stuck. */
    public static final long STALL_NANOS = 10_000_000_000L;

    private final String reader;
    private final Consumer<String> log;
    private final long stallNanos;
    private boolean undecodableSaid;
    private long stalledSince = -1;
    private boolean stallSaid;

    /** @param reader how the log names it, e.g. "read models". */
    public ReaderTrouble(final String reader, final Consumer<String> log)
    {
        this(reader, log, STALL_NANOS);
    }

    public ReaderTrouble(final String reader, final Consumer<String> log, final long stallNanos)
    {
        this.reader = reader;
        this.log = log;
        this.stallNanos = stallNanos;
    }

    /** An entry skipped because it does not decode; said the first time only (a counter has the rest). */
    public void undecodable(final long position, final String what)
    {
        if (!undecodableSaid)
        {
            undecodableSaid = true;
            log.accept(reader + ": ERROR skipped a journal entry that does not decode at position " + position + " (" + what
                + "): what it serves lacks that entry. The journal is damaged: ./exchange journal verify says where, restore it"
                + " from a copy");
        }
    }

    /**
     * After each poll: whether it delivered anything, and whether the reader is behind the journal's
     * head. Behind with nothing delivered for {@link #STALL_NANOS} is said once, until it moves again.
     */
    public void polled(final boolean delivered, final boolean behind, final long position, final long sequence)
    {
        if (delivered || !behind)
        {
            stalledSince = -1;
            stallSaid = false;
            return;
        }
        final long now = System.nanoTime();
        if (stalledSince == -1)
        {
            stalledSince = now;
        }
        else if (!stallSaid && now - stalledSince >= stallNanos)
        {
            stallSaid = true;
            log.accept(reader + ": ERROR the journal cannot be read past position " + position + " (sequence " + sequence
                + "), though it holds entries after it (a damaged document or file in between): what it serves stops there."
                + " ./exchange journal verify says where, restore the journal from a copy");
        }
    }
}
