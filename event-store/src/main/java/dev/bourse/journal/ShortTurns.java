package dev.bourse.journal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Cuts a background follower's work into short turns while it yields the cores
 * ({@link IdleClassGovernor#yielding()}): once a turn has run {@code maxTurnNanos}, the follower
 * sleeps for a moment before its next piece of work.
 * <p>
 * Why: on Linux 6.6 and later (EEVDF) the idle scheduling class does not make a running follower
 * give way at once. A thread woken onto its core, such as the order path or a client's reader, waited
 * behind the history sink for up to 5 ms, a timer tick and more: the scheduler counts the follower
 * as owed time and the woken thread, having just run a burst, as not yet due. With the idle class the
 * sink's core even looks free to the scheduler, so woken threads are placed there first. At 10k
 * orders/s that wait was most of the order path's ack p99 (docs/BENCHMARKS.md, 2026-12-06 midday).
 * A sleep takes the follower off its run queue, so whatever waits runs at once; the kernel's timer
 * slack (50 us by default) makes {@code parkNanos(1)} such a sleep.
 * <p>
 * Called by the follower's thread only; {@link #pauses()} may be read from any.
 */
public final class ShortTurns
{
    /** The shortest sleep; the kernel's timer slack decides its real length. */
    static final long PAUSE_NANOS = 1;
    /** No turns: never cuts, never pauses (it keeps no state then, so one serves every follower). */
    public static final ShortTurns NONE = new ShortTurns(0, () -> false);

    private final long maxTurnNanos;
    private final BooleanSupplier active;
    private final LongSupplier clock;
    private final Runnable pause;
    private long turnStartNanos;
    private volatile long pauses;

    /**
     * @param maxTurnNanos longest turn; 0 never pauses
     * @param active       whether the follower yields the cores now (pauses only then)
     */
    public ShortTurns(final long maxTurnNanos, final BooleanSupplier active)
    {
        this(maxTurnNanos, active, System::nanoTime, () -> LockSupport.parkNanos(PAUSE_NANOS));
    }

    ShortTurns(final long maxTurnNanos, final BooleanSupplier active, final LongSupplier clock, final Runnable pause)
    {
        if (maxTurnNanos < 0)
        {
            throw new IllegalArgumentException("a turn cannot be negative: " + maxTurnNanos);
        }
        this.maxTurnNanos = maxTurnNanos;
        this.active = active;
        this.clock = clock;
        this.pause = pause;
    }

    /** A duty cycle starts: its work is a fresh turn (the follower has just idled or slept). */
    public void begin()
    {
        if (maxTurnNanos > 0)
        {
            turnStartNanos = clock.getAsLong();
        }
    }

    /**
     * Between two pieces of work: if the turn has run out and the follower yields the cores, sleeps
     * for a moment and starts a new turn.
     *
     * @return whether it paused
     */
    public boolean between()
    {
        if (maxTurnNanos == 0 || clock.getAsLong() - turnStartNanos < maxTurnNanos || !active.getAsBoolean())
        {
            return false;
        }
        pause.run();
        pauses++;
        turnStartNanos = clock.getAsLong();
        return true;
    }

    /** Whether pieces of work should be small enough to pause between (turns are on and the follower yields). */
    public boolean cutting()
    {
        return maxTurnNanos > 0 && active.getAsBoolean();
    }

    /** How many times it has paused. */
    public long pauses()
    {
        return pauses;
    }
}
