package dev.bourse.gateway;

import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * The timestamp commands carry into the engine (which reads no clock): epoch nanoseconds from the
 * monotonic clock plus an offset to the epoch sampled now and then, so timestamps are precise to
 * the microsecond, never go back, and compare with another {@code OffsetEpochNanoClock} in the
 * same host (the benchmark client's).
 */
final class CommandClock
{
    private final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();

    long timestamp()
    {
        return clock.nanoTime();
    }
}
