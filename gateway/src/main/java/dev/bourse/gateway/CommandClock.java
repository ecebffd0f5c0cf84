package dev.bourse.gateway;

import dev.bourse.protocol.EpochClock;

/**
 * The timestamp commands carry into the engine (which reads no clock): epoch nanoseconds from the
 * monotonic clock plus an offset to the epoch measured once ({@link EpochClock}), so timestamps are
 * precise to the microsecond, never go back, and compare with another {@code EpochClock} in the
 * same host (the benchmark client's).
 */
final class CommandClock
{
    private final EpochClock clock = new EpochClock();

    long timestamp()
    {
        return clock.nanoTime();
    }
}
