package dev.bourse.gateway;

/** A token bucket in integer arithmetic: {@code rate} tokens per second up to {@code burst}. */
final class TokenBucket
{
    private final long rate;
    private final long burst;
    /** Idle time after which the bucket is full whatever it held: {@code burst / rate} seconds, rounded up. */
    private final long fillNanos;
    private long tokensMilli;
    private long lastNanos;

    TokenBucket(final long rate, final long burst, final long nowNanos)
    {
        this.rate = rate;
        this.burst = burst;
        this.fillNanos = 1_000_000_000L * ((burst + rate - 1) / rate);
        this.tokensMilli = burst * 1000;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(final long nowNanos)
    {
        refill(nowNanos);
        if (tokensMilli >= 1000)
        {
            tokensMilli -= 1000;
            return true;
        }
        return false;
    }

    /** True if a token is there to take now (none is taken). */
    boolean hasToken(final long nowNanos)
    {
        refill(nowNanos);
        return tokensMilli >= 1000;
    }

    private void refill(final long nowNanos)
    {
        final long elapsed = nowNanos - lastNanos;
        if (elapsed > 0)
        {
            // milli-tokens gained: rate * elapsed / 1e6, capped; a long idle fills it without the overflow
            final long gained = elapsed >= fillNanos ? burst * 1000 : rate * elapsed / 1_000_000;
            tokensMilli = Math.min(burst * 1000, tokensMilli + gained);
            lastNanos = nowNanos;
        }
    }
}
