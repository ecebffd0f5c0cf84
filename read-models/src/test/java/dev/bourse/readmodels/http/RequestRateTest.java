package dev.bourse.readmodels.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The request rate under a clock the test moves: a burst of a second's worth, then the rate. */
class RequestRateTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aBurstOfOneSecondsWorthThenTheRate()
    {
        final RequestRate rate = new RequestRate(10);
        final long start = 5_000 * MS;
        for (int i = 0; i < 10; i++)
        {
            assertTrue(rate.admit(start), "request " + i + " of the burst");
        }
        assertFalse(rate.admit(start), "the 11th at once");
        assertFalse(rate.admit(start + 50 * MS), "half an interval later");
        assertTrue(rate.admit(start + 100 * MS), "one interval later: one more");
        assertFalse(rate.admit(start + 100 * MS));
        // a quiet second fills the burst again, never more
        for (int i = 0; i < 10; i++)
        {
            assertTrue(rate.admit(start + 5_000 * MS), "request " + i + " after a quiet spell");
        }
        assertFalse(rate.admit(start + 5_000 * MS));
    }

    @Test
    void refusedRequestsUseNothingUpAndTheClockMayStartAnywhere()
    {
        final RequestRate rate = new RequestRate(1);
        final long start = -7 * MS; // System.nanoTime may be negative
        assertTrue(rate.admit(start));
        for (int i = 0; i < 100; i++)
        {
            assertFalse(rate.admit(start + i * MS));
        }
        assertTrue(rate.admit(start + 1_000 * MS), "a second after the first, whatever was refused in between");
        assertThrows(IllegalArgumentException.class, () -> new RequestRate(0));
    }

    @Test
    void aReservationSaysTheWaitAndTakesOnlyWhatItMayWaitFor()
    {
        final RequestRate rate = new RequestRate(1, 2); // one a second, two at once
        final long start = 1_000 * MS;
        assertEquals(0, rate.reserve(start, 0));
        assertEquals(0, rate.reserve(start, 0), "the burst of two");
        assertEquals(1_000 * MS, rate.reserve(start, 500 * MS), "a second to wait: longer than allowed, so not taken");
        assertEquals(1_000 * MS, rate.reserve(start, 1_000 * MS), "still a second: nothing was taken; now taken");
        assertEquals(2_000 * MS, rate.reserve(start, 1_000 * MS), "the next would wait two");
        assertFalse(rate.full(start + 2_999 * MS));
        assertTrue(rate.full(start + 3_000 * MS), "everything taken (three requests' worth) has come back");
        assertThrows(IllegalArgumentException.class, () -> new RequestRate(1, 0));
    }

    @Test
    void chargedWorkIsWaitedOutByLaterRequests()
    {
        final RequestRate rate = new RequestRate(1, 1);
        final long start = 0;
        rate.charge(start, 3_000 * MS);
        assertEquals(3_000 * MS, rate.reserve(start, 0), "three seconds owed, and a burst of one has no slack");
        assertFalse(rate.admit(start + 2_999 * MS));
        assertTrue(rate.admit(start + 3_000 * MS));
        assertEquals(1_000 * MS, rate.intervalNanos());
    }
}
