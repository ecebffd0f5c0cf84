package dev.bourse.server;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history sink parks a quarter of its batch delay when caught up, within 1 to 5 ms. */
class QuerySideTest
{
    @Test
    void theSinkParksAQuarterOfItsBatchDelayBetweenOneAndFiveMilliseconds()
    {
        assertEquals(5_000_000L, sleepNanos(Duration.ofMillis(20)));
        assertEquals(2_500_000L, sleepNanos(Duration.ofMillis(10)));
        assertEquals(5_000_000L, sleepNanos(Duration.ofSeconds(1)));
        assertEquals(1_000_000L, sleepNanos(Duration.ofMillis(1)));
    }

    @Test
    void otherStrategiesAreTheConfiguredOnes()
    {
        assertInstanceOf(BackoffIdleStrategy.class, QuerySide.sinkIdleStrategy("backoff", Duration.ofMillis(20)));
    }

    private static long sleepNanos(final Duration maxDelay)
    {
        final SleepingIdleStrategy strategy = (SleepingIdleStrategy)QuerySide.sinkIdleStrategy("sleeping", maxDelay);
        final String text = strategy.toString();
        final String key = "sleepPeriodNs=";
        assertTrue(text.contains(key), text);
        final int from = text.indexOf(key) + key.length();
        int to = from;
        while (to < text.length() && Character.isDigit(text.charAt(to)))
        {
            to++;
        }
        return Long.parseLong(text.substring(from, to));
    }
}
