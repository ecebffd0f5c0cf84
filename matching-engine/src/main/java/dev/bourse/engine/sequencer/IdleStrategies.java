package dev.bourse.engine.sequencer;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The idle strategies an agent thread can be given, by name (configuration). On a 2-core machine a
 * busy-spinning thread takes a core from everything else, so the defaults back off and park;
 * {@code busy-spin} is for a user who pins the thread to an isolated core.
 */
public final class IdleStrategies
{
    public static final String NAMES = "backoff, sleeping, sleeping-1ms, yielding, busy-spin, no-op";

    private IdleStrategies()
    {
    }

    /** @throws IllegalArgumentException naming the valid choices. */
    public static IdleStrategy of(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "backoff":
                // spin a little, yield a little, then park from 1 us growing to 100 us
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case "sleeping":
                return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50));
            case "sleeping-1ms":
                return new SleepingMillisIdleStrategy(1);
            case "yielding":
                return new YieldingIdleStrategy();
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "no-op":
                return NoOpIdleStrategy.INSTANCE;
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "', choose one of: " + NAMES);
        }
    }
}
