package dev.bourse.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputPollsTest
{
    private final InputPolls polls = new InputPolls();

    @Test
    void aWakeUpWithAnOrderCostsOnePollTheBlockingOne()
    {
        polls.awaited(true);
        assertFalse(polls.pollThisCycle(), "the cycle that handles what the blocking poll read");
        assertFalse(polls.pollThisCycle(), "the cycle after it: the next blocking poll looks instead");
        assertTrue(polls.pollThisCycle(), "a third busy cycle in a row polls");
    }

    @Test
    void aWakeUpWithNothingReadSkipsOnlyTheCycleRightAfterIt()
    {
        polls.awaited(false);
        assertFalse(polls.pollThisCycle());
        assertTrue(polls.pollThisCycle());
    }

    @Test
    void underContinuousInputEveryOtherCyclePolls()
    {
        assertTrue(polls.pollThisCycle(), "nothing known yet: poll");
        for (int i = 0; i < 5; i++)
        {
            polls.polled(true);
            assertFalse(polls.pollThisCycle());
            assertTrue(polls.pollThisCycle());
        }
    }

    @Test
    void anEmptyPollDoesNotSkipTheNext()
    {
        assertTrue(polls.pollThisCycle());
        polls.polled(false);
        assertTrue(polls.pollThisCycle());
        polls.polled(false);
        assertTrue(polls.pollThisCycle());
    }
}
