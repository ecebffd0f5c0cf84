package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The average cost of a purchase whose products overflow 64 bits, against BigInteger. */
class PositionViewTest
{
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void divisionOf128BitsMatchesBigInteger()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++)
        {
            final long divisor = 1 + (random.nextLong() >>> random.nextInt(1, 64));
            final long high = Long.remainderUnsigned(random.nextLong() >>> random.nextInt(0, 64), divisor);
            final long low = random.nextLong();
            final BigInteger dividend = BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
            final BigInteger expected = dividend.divide(new BigInteger(Long.toUnsignedString(divisor)));
            assertEquals(expected.mod(TWO_64).longValue(), PositionView.divideUnsigned128(high, low, divisor),
                () -> high + ":" + low + " / " + divisor);
        }
        assertEquals(-1L, PositionView.divideUnsigned128(Long.MAX_VALUE - 1, -1L, Long.MAX_VALUE), "the largest quotient");
        assertEquals(3L, PositionView.divideUnsigned128(0, 10, 3));
    }

    @Test
    void purchasesWhoseProductsOverflowAverageAsBigIntegerDoes()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++)
        {
            final PositionView position = new PositionView(1);
            final long firstQty = 1 + (random.nextLong() >>> random.nextInt(1, 40));
            final long firstPrice = random.nextLong() >>> random.nextInt(1, 40);
            position.buy(firstQty, firstPrice);
            final long qty = 1 + (random.nextLong() >>> random.nextInt(2, 40));
            final long price = random.nextLong() >>> random.nextInt(1, 40);
            if (position.quantity + qty <= 0)
            {
                continue; // the quantity itself would overflow
            }
            final long expected = BigInteger.valueOf(position.averageCost).multiply(BigInteger.valueOf(position.quantity))
                .add(BigInteger.valueOf(price).multiply(BigInteger.valueOf(qty)))
                .divide(BigInteger.valueOf(position.quantity + qty)).longValueExact();
            position.buy(qty, price);
            assertEquals(expected, position.averageCost, () -> firstQty + " @ " + firstPrice + " then " + qty + " @ " + price);
        }
    }

    /**
     * A probe's numbers: 300 bought for 56,600 average 188.6667 (half up, as FIX AvgPx), not
     * 188.6666; selling 104 at 191.5 realizes 294.6667, not 294.6736 from the truncated average.
     */
    @org.junit.jupiter.api.Test
    void theAverageIsRoundedHalfUpAndASaleRealizesItsExactShareOfTheCost()
    {
        final PositionView p = new PositionView(1);
        p.buy(100, dev.bourse.protocol.Prices.parse("188"));
        p.buy(200, dev.bourse.protocol.Prices.parse("189"));
        assertEquals(dev.bourse.protocol.Prices.parse("188.6667"), p.averageCost());
        p.sell(104, dev.bourse.protocol.Prices.parse("191.5"));
        assertEquals(dev.bourse.protocol.Prices.parse("294.6667"), p.realizedPnl());
        assertEquals(196, p.quantity());
        assertEquals(dev.bourse.protocol.Prices.parse("188.6667"), p.averageCost(), "the rest keeps its exact cost");
        p.sell(196, dev.bourse.protocol.Prices.parse("188"));
        // the whole cost is accounted for: 56,600 paid, 19,916 + 36,848 received
        assertEquals(dev.bourse.protocol.Prices.parse("164"), p.realizedPnl());
        assertEquals(0, p.averageCost());
    }
}
