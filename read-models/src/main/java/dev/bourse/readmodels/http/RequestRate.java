package dev.bourse.readmodels.http;

/**
 * A rate of requests with a burst: the generic cell rate algorithm, one long of state, no floating
 * point. {@link #admit} says whether a request at {@code nowNanos} is within the rate (a refused
 * one uses nothing up); {@link #reserve} says how long one would have to wait and takes its place
 * if that is short enough; {@link #charge} adds work to what later requests wait out. One caller at
 * a time (a stream session's requests arrive one after another; {@link AddressBudget} locks).
 */
public final class RequestRate
{
    private static final long SECOND = 1_000_000_000L;

    private final long intervalNanos;
    private final long toleranceNanos;
    /** When the next request would be on time if they came at exactly the rate. */
    private long theoreticalArrival = Long.MIN_VALUE;

    /** {@code perSecond} requests a second, in bursts of as many. */
    public RequestRate(final int perSecond)
    {
        this(perSecond, perSecond);
    }

    /** {@code perSecond} requests a second, in bursts of {@code burst}. */
    public RequestRate(final int perSecond, final int burst)
    {
        if (perSecond < 1)
        {
            throw new IllegalArgumentException("a request rate is at least 1 a second: " + perSecond);
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("a burst is at least 1 request: " + burst);
        }
        intervalNanos = Math.max(1, SECOND / perSecond);
        toleranceNanos = intervalNanos * (burst - 1L);
    }

    /** Whether a request now is within the rate; if so it is counted. */
    public boolean admit(final long nowNanos)
    {
        return reserve(nowNanos, 0) == 0;
    }

    /**
     * How long a request now would wait to be within the rate (0: at once). It is taken (counted)
     * only if that is at most {@code maxWaitNanos}; a longer wait takes nothing.
     */
    public long reserve(final long nowNanos, final long maxWaitNanos)
    {
        final long arrival = theoreticalArrival == Long.MIN_VALUE || theoreticalArrival - nowNanos < 0 ? nowNanos : theoreticalArrival;
        final long wait = Math.max(0, arrival - nowNanos - toleranceNanos);
        if (wait <= maxWaitNanos)
        {
            theoreticalArrival = arrival + intervalNanos;
        }
        return wait;
    }

    /** Adds {@code nanos} of the rate's time as work done now: later requests wait it out. */
    public void charge(final long nowNanos, final long nanos)
    {
        final long arrival = theoreticalArrival == Long.MIN_VALUE || theoreticalArrival - nowNanos < 0 ? nowNanos : theoreticalArrival;
        theoreticalArrival = arrival + nanos;
    }

    /** Whether nothing is owed at {@code nowNanos}: the whole burst is there again. */
    public boolean full(final long nowNanos)
    {
        return theoreticalArrival == Long.MIN_VALUE || theoreticalArrival - nowNanos <= 0;
    }

    /** The time one request uses of the rate. */
    public long intervalNanos()
    {
        return intervalNanos;
    }
}
