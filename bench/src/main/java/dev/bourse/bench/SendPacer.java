package dev.bourse.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * How a benchmark's sending thread (the FIX load generator's, {@code bench read-models}' query
 * clients') waits for the next planned send, one step at a time: it parks, and spins only the last
 * few microseconds, so that it sends on time without holding a core the system under test needs.
 * Latency counts from the planned time, so a send that starts late is charged to the system under
 * test.
 * <p>
 * With exact parks ({@link TimerSlack} set to 1 ns on the sending thread) a park ends when asked,
 * so only the last {@value #EXACT_PARK_SPIN_NANOS} ns are spun. Where the slack cannot be set a park
 * may end 50 us late: then a wait under {@value #SPIN_BELOW_NANOS} ns is spun, except at rates whose
 * interval is that short or shorter (50k/s and up), where a spin between every two messages would
 * hold a whole core (docs/BENCHMARKS.md, 2026-12-06 evening).
 */
public final class SendPacer
{
    static final long EXACT_PARK_SPIN_NANOS = 5_000;
    static final long SPIN_BELOW_NANOS = 20_000;

    private final double intervalNanos;
    private final boolean exactParks;

    /** On the sending thread: asks the kernel for exact parks for it. */
    public SendPacer(final double intervalNanos)
    {
        this.intervalNanos = intervalNanos;
        this.exactParks = TimerSlack.set(1);
    }

    /** One step of waiting for a send due in {@code waitNanos} (nothing if it is due already). */
    public void waitFor(final long waitNanos)
    {
        if (waitNanos <= 0)
        {
            return;
        }
        if (exactParks)
        {
            if (waitNanos > EXACT_PARK_SPIN_NANOS)
            {
                LockSupport.parkNanos(waitNanos - EXACT_PARK_SPIN_NANOS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        else if (intervalNanos <= SPIN_BELOW_NANOS)
        {
            LockSupport.parkNanos(waitNanos);
        }
        else if (waitNanos > SPIN_BELOW_NANOS)
        {
            LockSupport.parkNanos(waitNanos - SPIN_BELOW_NANOS / 2);
        }
        else
        {
            Thread.onSpinWait();
        }
    }
}
