package dev.bourse.journal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShortTurnsTest
{
    private static final long TURN = TimeUnit.MICROSECONDS.toNanos(50);

    private long now = 1_000;
    private final AtomicInteger slept = new AtomicInteger();
    private final AtomicBoolean yielding = new AtomicBoolean(true);

    private ShortTurns turns(final long maxTurnNanos)
    {
        return new ShortTurns(maxTurnNanos, yielding::get, () -> now, slept::incrementAndGet);
    }

    @Test
    void pausesOnceATurnHasRunOutAndStartsANewOne()
    {
        final ShortTurns turns = turns(TURN);
        turns.begin();
        now += TURN - 1;
        assertFalse(turns.between(), "the turn has 1 ns left");
        now += 1;
        assertTrue(turns.between());
        assertEquals(1, slept.get());
        now += TURN - 1;
        assertFalse(turns.between(), "a fresh turn began after the pause");
        now += 1;
        assertTrue(turns.between());
        assertEquals(2, turns.pauses());
    }

    @Test
    void eachDutyCycleIsAFreshTurn()
    {
        final ShortTurns turns = turns(TURN);
        turns.begin();
        now += TURN * 10; // idled in between
        turns.begin();
        assertFalse(turns.between());
        assertEquals(0, slept.get());
    }

    @Test
    void neverPausesAFollowerThatCompetesForTheCores()
    {
        final ShortTurns turns = turns(TURN);
        yielding.set(false);
        turns.begin();
        now += TURN * 3;
        assertFalse(turns.between(), "catching up at its own priority: no pauses");
        assertFalse(turns.cutting());
        yielding.set(true);
        assertTrue(turns.cutting());
        assertTrue(turns.between());
        assertEquals(1, slept.get());
    }

    @Test
    void aTurnOfZeroTurnsItOff()
    {
        final ShortTurns turns = turns(0);
        turns.begin();
        now += TURN * 100;
        assertFalse(turns.between());
        assertFalse(turns.cutting());
        assertEquals(0, slept.get());
    }

    @Test
    void noneNeverCutsOrPauses()
    {
        ShortTurns.NONE.begin();
        assertFalse(ShortTurns.NONE.cutting());
        assertFalse(ShortTurns.NONE.between());
        assertEquals(0, ShortTurns.NONE.pauses());
    }

    @Test
    void refusesANegativeTurn()
    {
        assertThrows(IllegalArgumentException.class, () -> turns(-1));
    }

    @Test
    void theRealPauseSleepsAndReturns()
    {
        final ShortTurns turns = new ShortTurns(1, () -> true);
        turns.begin();
        while (!turns.between())
        {
            Thread.onSpinWait();
        }
        assertEquals(1, turns.pauses());
    }
}
