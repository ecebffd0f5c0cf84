package dev.bourse.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** AvgPx(6) is the notional over the quantity rounded half up to the price's four places, not truncated. */
class AveragePriceTest
{
    @Test
    void roundsToTheNearestPriceUnit()
    {
        // 100 @ 401 and 30 @ 402: 401.230769... is 401.2308
        assertEquals(4_012_308L, dev.bourse.protocol.Prices.average(100 * 4_010_000L + 30 * 4_020_000L, 130));
        // 10 @ 171 and 25 @ 173: 172.428571... is 172.4286
        assertEquals(1_724_286L, dev.bourse.protocol.Prices.average(10 * 1_710_000L + 25 * 1_730_000L, 35));
        // below half rounds down, exactly half rounds up
        assertEquals(1L, dev.bourse.protocol.Prices.average(4, 3));
        assertEquals(2L, dev.bourse.protocol.Prices.average(3, 2));
        assertEquals(4_010_000L, dev.bourse.protocol.Prices.average(4_010_000L * 7, 7));
        assertEquals(0L, dev.bourse.protocol.Prices.average(0, 0));
    }
}
