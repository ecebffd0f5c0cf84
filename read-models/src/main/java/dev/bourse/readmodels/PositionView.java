package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;

/**
 * An account's position in one instrument, valued at average cost. The average cost is in price
 * units, rounded down at each purchase; realized P&amp;L is in cash units (price x quantity).
 * Spot rules keep the quantity at or above zero. Policy: a position deposit enters at the
 * instrument's reference price at that moment (a purchase); a withdrawal leaves at average cost
 * (no P&amp;L); a sale realizes (price - average cost) x quantity.
 */
public final class PositionView
{
    final int instrumentId;
    long quantity;
    long held;
    long averageCost;
    long realizedPnl;

    PositionView(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    /** (average x position + price x qty) / (position + qty), with 128-bit arithmetic when a product overflows. */
    void buy(final long qty, final long price)
    {
        final long total = quantity + qty;
        if (total <= 0)
        {
            quantity = total;
            return;
        }
        final long a = Math.multiplyHigh(averageCost, quantity) == 0 ? averageCost * quantity : -1;
        final long b = Math.multiplyHigh(price, qty) == 0 ? price * qty : -1;
        if (quantity <= 0)
        {
            averageCost = price;
        }
        else if (a >= 0 && b >= 0 && a + b >= 0)
        {
            averageCost = (a + b) / total;
        }
        else if (averageCost >= 0 && price >= 0 && qty >= 0)
        {
            // 128-bit sum of two products of non-negative longs (each below 2^126), without allocating:
            // a position this big trades often
            final long lowA = averageCost * quantity;
            final long lowB = price * qty;
            final long low = lowA + lowB;
            final long high = Math.multiplyHigh(averageCost, quantity) + Math.multiplyHigh(price, qty) +
                (Long.compareUnsigned(low, lowA) < 0 ? 1 : 0);
            averageCost = divideUnsigned128(high, low, total); // a weighted average of two longs: it fits
        }
        else
        {
            averageCost = BigInteger.valueOf(averageCost).multiply(BigInteger.valueOf(quantity))
                .add(BigInteger.valueOf(price).multiply(BigInteger.valueOf(qty)))
                .divide(BigInteger.valueOf(total)).longValue();
        }
        quantity = total;
    }

    /**
     * (high:low) / divisor, all unsigned, for {@code high < divisor} so that the quotient fits in 64
     * bits: long division in 32-bit digits after normalizing the divisor (Knuth's algorithm D, as
     * in Hacker's Delight's {@code divlu}).
     */
    static long divideUnsigned128(final long high, final long low, final long divisor)
    {
        final long digit = 0xFFFF_FFFFL;
        final int shift = Long.numberOfLeadingZeros(divisor);
        final long d = divisor << shift;
        final long dHigh = d >>> 32;
        final long dLow = d & digit;
        final long n32 = shift == 0 ? high : (high << shift) | (low >>> (64 - shift));
        final long n10 = low << shift;
        final long n1 = n10 >>> 32;
        final long n0 = n10 & digit;

        long q1 = Long.divideUnsigned(n32, dHigh);
        long remainder = n32 - q1 * dHigh;
        while (Long.compareUnsigned(q1, digit) > 0 || Long.compareUnsigned(q1 * dLow, (remainder << 32) | n1) > 0)
        {
            q1--;
            remainder += dHigh;
            if (Long.compareUnsigned(remainder, digit) > 0)
            {
                break;
            }
        }
        final long n21 = (n32 << 32) + n1 - q1 * d;
        long q0 = Long.divideUnsigned(n21, dHigh);
        remainder = n21 - q0 * dHigh;
        while (Long.compareUnsigned(q0, digit) > 0 || Long.compareUnsigned(q0 * dLow, (remainder << 32) | n0) > 0)
        {
            q0--;
            remainder += dHigh;
            if (Long.compareUnsigned(remainder, digit) > 0)
            {
                break;
            }
        }
        return (q1 << 32) | q0;
    }

    void remove(final long qty)
    {
        quantity -= qty;
        if (quantity <= 0)
        {
            averageCost = 0;
        }
    }

    void sell(final long qty, final long price)
    {
        realizedPnl += (price - averageCost) * qty;
        remove(qty);
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public long quantity()
    {
        return quantity;
    }

    public long held()
    {
        return held;
    }

    public long realizedPnl()
    {
        return realizedPnl;
    }

    /** Average cost per unit in price units, rounded down; 0 when flat. */
    public long averageCost()
    {
        return averageCost;
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(instrumentId);
        out.writeLong(quantity);
        out.writeLong(held);
        out.writeLong(averageCost);
        out.writeLong(realizedPnl);
    }

    static PositionView read(final DataInput in) throws IOException
    {
        final PositionView position = new PositionView(in.readInt());
        position.quantity = in.readLong();
        position.held = in.readLong();
        position.averageCost = in.readLong();
        position.realizedPnl = in.readLong();
        return position;
    }
}
