package dev.bourse.readmodels.stream;

/**
 * A rate of requests, in bursts of as many as a second's worth: the generic cell rate algorithm,
 * one long of state, no floating point. {@link #admit} says whether a request at {@code nowNanos}
 * is within the rate; a refused one uses nothing up. One caller at a time (a session's requests
 * arrive one after another).
 */
final class RequestRate
{
    private static final long SECOND = 1_000_000_000L;

    private final long intervalNanos;
    private final long toleranceNanos;
    /** When the next request would be on time if they came at exactly the rate. */
    private long theoreticalArrival = Long.MIN_VALUE;

    RequestRate(final int perSecond)
    {
        if (perSecond < 1)
        {
            throw new IllegalArgumentException("a request rate is at least 1 a second: " + perSecond);
        }
        intervalNanos = Math.max(1, SECOND / perSecond);
        toleranceNanos = intervalNanos * (perSecond - 1L);
    }

    boolean admit(final long nowNanos)
    {
        final long arrival = theoreticalArrival == Long.MIN_VALUE || theoreticalArrival - nowNanos < 0 ? nowNanos : theoreticalArrival;
        if (arrival - nowNanos > toleranceNanos)
        {
            return false;
        }
        theoreticalArrival = arrival + intervalNanos;
        return true;
    }
}
