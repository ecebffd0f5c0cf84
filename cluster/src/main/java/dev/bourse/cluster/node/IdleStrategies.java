package dev.bourse.cluster.node;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Idle strategies by name, for the node's four threads (driver, archive, consensus module,
 * service) and the client. Three nodes on two cores must not spin: {@code backoff} (the default)
 * spins a few times, yields, then parks from 1 µs up to a ceiling, 100 µs unless given as
 * {@code backoff:<micros>}; {@code sleeping} parks 1 ms; {@code yielding} and {@code busy-spin}
 * are for dedicated cores only.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    public static Supplier<IdleStrategy> named(final String name)
    {
        final String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("backoff"))
        {
            return () -> backoff(100);
        }
        if (n.startsWith("backoff:"))
        {
            final long micros;
            try
            {
                micros = Long.parseLong(n.substring("backoff:".length()));
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("idle strategy '" + name + "': backoff:<max park in microseconds>");
            }
            if (micros < 1 || micros > 1_000_000)
            {
                throw new IllegalArgumentException("idle strategy '" + name + "': max park 1 to 1,000,000 µs");
            }
            return () -> backoff(micros);
        }
        switch (n)
        {
            case "sleeping":
                return () -> new SleepingMillisIdleStrategy(1);
            case "yielding":
                return YieldingIdleStrategy::new;
            case "busy-spin":
                return BusySpinIdleStrategy::new;
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "' (backoff, backoff:<µs>, sleeping, yielding, busy-spin)");
        }
    }

    private static IdleStrategy backoff(final long maxParkMicros)
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(maxParkMicros));
    }
}
