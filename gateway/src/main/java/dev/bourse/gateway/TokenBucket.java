package dev.bourse.gateway;

/** A token bucket in integer arithmetic: {@code rate} tokens per second up to {@code burst}. */
final class TokenBucket
{
    private final long rate;
    private final long burst;
    private long tokensMilli;
    private long lastNanos;

    TokenBucket(final long rate, final long burst, final long nowNanos)
    {
        this.rate = rate;
        this.burst = burst;
        this.tokensMilli = burst * 1000;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(final long nowNanos)
    {
        final long elapsed = nowNanos - lastNanos;
        if (elapsed > 0)
        {
            // milli-tokens gained: rate * elapsed / 1e6, capped; avoid overflow on long idles
            final long gained = elapsed >= 1_000_000_000L ? burst * 1000 : rate * elapsed / 1_000_000;
            tokensMilli = Math.min(burst * 1000, tokensMilli + gained);
            lastNanos = nowNanos;
        }
        if (tokensMilli >= 1000)
        {
            tokensMilli -= 1000;
            return true;
        }
        return false;
    }
}
