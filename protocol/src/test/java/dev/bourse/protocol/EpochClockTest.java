package dev.bourse.protocol;

import org.agrona.concurrent.HighResolutionClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochClockTest
{
    /**
     * Two measurements of the offset agree far better than the millisecond an offset taken from
     * {@code currentTimeMillis} can be off by (each keeps its tightest bracket, so a thread
     * preempted during one try does not count).
     */
    @Test
    void everyMeasurementOfTheOffsetAgreesToMicroseconds()
    {
        final long first = EpochClock.measureOffset();
        long widest = 0;
        for (int i = 0; i < 20; i++)
        {
            widest = Math.max(widest, Math.abs(EpochClock.measureOffset() - first));
        }
        assertTrue(widest < 100_000, "offsets measured one after the other differ by up to " + widest + " ns");
    }

    @Test
    void readsTheWallClockAndNeverGoesBack()
    {
        final EpochClock clock = new EpochClock();
        final long before = HighResolutionClock.epochNanos();
        final long read = clock.nanoTime();
        final long after = HighResolutionClock.epochNanos();
        assertTrue(read >= before - 1_000_000 && read <= after + 1_000_000, before + " <= " + read + " <= " + after);
        long last = clock.nanoTime();
        for (int i = 0; i < 100_000; i++)
        {
            final long now = clock.nanoTime();
            assertTrue(now >= last, "went back from " + last + " to " + now);
            last = now;
        }
    }
}
