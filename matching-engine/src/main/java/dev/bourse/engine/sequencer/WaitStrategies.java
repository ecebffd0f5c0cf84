package dev.bourse.engine.sequencer;

import com.lmax.disruptor.*;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Names for the engine thread's wait strategies. On a 2-core machine a busy-spinning engine takes
 * a core from the gateway and the journal readers, so the default sleeps after a short spin.
 */
public final class WaitStrategies
{
    public static final String DEFAULT = "sleeping";
    public static final String NAMES = "sleeping, yielding, blocking, backoff, busy-spin";

    private WaitStrategies()
    {
    }

    /** @throws IllegalArgumentException naming the valid choices. */
    public static WaitStrategy of(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "sleeping":
                return new SleepingWaitStrategy(100, TimeUnit.MICROSECONDS.toNanos(20));
            case "yielding":
                return new YieldingWaitStrategy();
            case "blocking":
                return new BlockingWaitStrategy();
            case "backoff":
                return PhasedBackoffWaitStrategy.withSleep(10, 100, TimeUnit.MICROSECONDS);
            case "busy-spin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("unknown wait strategy '" + name + "', choose one of: " + NAMES);
        }
    }
}
