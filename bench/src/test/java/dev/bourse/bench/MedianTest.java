package dev.bourse.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MedianTest
{
    @Test
    void anOddCountGivesTheMiddleValue()
    {
        assertEquals(5, Median.of(new long[]{9, 1, 5}));
        assertEquals(7, Median.of(new long[]{7}));
        assertEquals(2.5, Median.of(new double[]{9.0, 2.5, 1.0}));
    }

    @Test
    void anEvenCountGivesTheMeanOfTheTwoMiddleValuesNotTheUpperOne()
    {
        // --quick's two runs: the median of 100 and 300 is 200, not the better run
        assertEquals(200, Median.of(new long[]{300, 100}));
        assertEquals(200.0, Median.of(new double[]{300.0, 100.0}));
        assertEquals(25, Median.of(new long[]{40, 10, 20, 30}));
        assertEquals(25.0, Median.of(new double[]{40, 10, 20, 30}));
    }

    @Test
    void wholeNumbersRoundHalfUp()
    {
        assertEquals(2, Median.of(new long[]{1, 2}));
        assertEquals(-1, Median.of(new long[]{-2, -1}));
        assertEquals(Long.MAX_VALUE, Median.of(new long[]{Long.MAX_VALUE, Long.MAX_VALUE}), "no overflow");
    }

    @Test
    void theValuesAreLeftAsTheyWere()
    {
        final long[] values = {3, 1, 2};
        Median.of(values);
        assertEquals(3, values[0]);
    }

    @Test
    void noValuesHaveNoMedian()
    {
        assertThrows(IllegalArgumentException.class, () -> Median.of(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> Median.of(new double[0]));
    }
}
