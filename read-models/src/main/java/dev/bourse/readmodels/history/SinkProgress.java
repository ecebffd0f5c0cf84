package dev.bourse.readmodels.history;

import dev.bourse.journal.IdleClassGovernor;
import dev.bourse.journal.ShortTurns;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the history sink has committed, for other threads: the checkpoint (journal position and
 * engine sequence) every history answer reflects, the lag and the write counters. Written by the
 * sink thread only. Readers that need a position (read-your-writes) {@link #await} it without
 * holding a thread.
 */
public final class SinkProgress
{
    private volatile long position = -1;
    private volatile long sequence;
    volatile long lag = -1;
    volatile long entriesWritten;
    volatile long rowsWritten;
    volatile long batchesWritten;
    volatile long writeFailures;
    volatile long liveOrders;
    volatile boolean started;
    /** The sink could not start (its log says why): it writes nothing until the process is restarted. */
    volatile boolean failed;
    /** The sink's idle-class governor, or null; set before the sink starts. */
    volatile IdleClassGovernor governor;
    /** The sink's turns; set before the sink starts. */
    volatile ShortTurns turns = ShortTurns.NONE;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private record Waiter(long position, long sequence, CompletableFuture<Boolean> reached)
    {
    }

    /** Journal position of the last committed checkpoint; -1 before the first entry. */
    public long position()
    {
        return position;
    }

    /** Engine sequence of the last committed entry; 0 before the first. */
    public long sequence()
    {
        return sequence;
    }

    /** Entries the journal holds that are not committed to the store yet; -1 if unknown. */
    public long lag()
    {
        return lag;
    }

    /** Whether the sink's thread is in the idle scheduling class now (see {@link IdleClassGovernor}). */
    public boolean yieldingCores()
    {
        final IdleClassGovernor g = governor;
        return g != null && g.yielding();
    }

    /** How many times the sink's thread moved into or out of the idle scheduling class. */
    public long schedulingSwitches()
    {
        final IdleClassGovernor g = governor;
        return g == null ? 0 : g.switches();
    }

    /** How many times the sink paused between two turns of work ({@link ShortTurns}). */
    public long turnPauses()
    {
        return turns.pauses();
    }

    public long entriesWritten()
    {
        return entriesWritten;
    }

    public long rowsWritten()
    {
        return rowsWritten;
    }

    public long batchesWritten()
    {
        return batchesWritten;
    }

    public long writeFailures()
    {
        return writeFailures;
    }

    /** Orders the sink keeps for fills to come (bounded by live orders). */
    public long liveOrders()
    {
        return liveOrders;
    }

    /** True once the sink has read its checkpoint back (its position is then the store's). */
    public boolean started()
    {
        return started;
    }

    public boolean failed()
    {
        return failed;
    }

    public boolean reached(final long position, final long sequence)
    {
        return this.position >= position && this.sequence >= sequence;
    }

    /**
     * Completes with true once the store holds everything up to the position and sequence, or
     * with false after the timeout.
     */
    public CompletableFuture<Boolean> await(final long position, final long sequence, final long timeoutMs)
    {
        if (reached(position, sequence))
        {
            return CompletableFuture.completedFuture(true);
        }
        final Waiter waiter = new Waiter(position, sequence, new CompletableFuture<>());
        waiters.add(waiter);
        if (reached(position, sequence))
        {
            waiter.reached.complete(true); // published while it was being added
        }
        if (waiters.size() > 1_024)
        {
            waiters.removeIf(w -> w.reached.isDone());
        }
        return waiter.reached.completeOnTimeout(false, timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The sink thread, after a commit (or after reading its checkpoint back). */
    void publish(final long position, final long sequence)
    {
        this.sequence = sequence;
        this.position = position;
        for (final Iterator<Waiter> it = waiters.iterator(); it.hasNext(); )
        {
            final Waiter waiter = it.next();
            if (waiter.reached.isDone())
            {
                it.remove();
            }
            else if (position >= waiter.position && sequence >= waiter.sequence)
            {
                waiter.reached.complete(true);
                it.remove();
            }
        }
    }
}
