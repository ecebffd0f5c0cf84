package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;

/**
 * An account's position in one instrument, valued at average cost. The cost is kept exactly, as
 * {@code averageCost x quantity + costRemainder} (the remainder below the quantity), so nothing is
 * lost to rounding: the average shown is rounded half up to the price's four places, as FIX AvgPx
 * is, and a sale realizes its price x quantity less its share of the cost, rounded half up in cash
 * units (a probe found the average truncated and each sale's P&amp;L drifting from it).
 * Spot rules keep the quantity at or above zero. Policy: a position deposit enters at the
 * instrument's reference price at that moment (a purchase); a withdrawal leaves at average cost
 * (no P&amp;L).
 */
public final class PositionView
{
    final int instrumentId;
    long quantity;
    long held;
    /** The cost over the quantity, rounded down; with {@link #costRemainder}, the exact cost. */
    long averageCost;
    long costRemainder;
    long realizedPnl;

    PositionView(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    /** (cost + price x qty) / (position + qty), exactly, with 128-bit arithmetic when a product overflows. */
    void buy(final long qty, final long price)
    {
        final long total = quantity + qty;
        if (total <= 0)
        {
            quantity = total;
            return;
        }
        if (quantity <= 0)
        {
            averageCost = price;
            costRemainder = 0;
            quantity = total;
            return;
        }
        final long a = Math.multiplyHigh(averageCost, quantity) == 0 ? averageCost * quantity : -1;
        final long b = Math.multiplyHigh(price, qty) == 0 ? price * qty : -1;
        if (a >= 0 && b >= 0 && a + b >= 0 && a + b + costRemainder >= 0)
        {
            final long cost = a + b + costRemainder;
            averageCost = cost / total;
            costRemainder = cost % total;
        }
        else if (averageCost >= 0 && price >= 0 && qty >= 0)
        {
            // 128-bit sum of two products of non-negative longs (each below 2^126) and the remainder, without
            // allocating: a position this big trades often
            final long lowA = averageCost * quantity;
            final long lowB = price * qty;
            final long lowAB = lowA + lowB;
            final long low = lowAB + costRemainder;
            final long high = Math.multiplyHigh(averageCost, quantity) + Math.multiplyHigh(price, qty) +
                (Long.compareUnsigned(lowAB, lowA) < 0 ? 1 : 0) + (Long.compareUnsigned(low, lowAB) < 0 ? 1 : 0);
            averageCost = divideUnsigned128(high, low, total); // a weighted average of two longs: it fits
            costRemainder = low - averageCost * total;         // below total, so the low 64 bits are exact
        }
        else
        {
            final BigInteger[] division = BigInteger.valueOf(averageCost).multiply(BigInteger.valueOf(quantity))
                .add(BigInteger.valueOf(price).multiply(BigInteger.valueOf(qty))).add(BigInteger.valueOf(costRemainder))
                .divideAndRemainder(BigInteger.valueOf(total));
            averageCost = division[0].longValue();
            costRemainder = division[1].longValue();
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

    /** Takes {@code qty} out at its share of the cost; returns the part of that share above averageCost x qty. */
    private long take(final long qty)
    {
        final long remaining = quantity - qty;
        if (quantity <= 0 || remaining <= 0)
        {
            final long rest = quantity > 0 ? costRemainder : 0;
            quantity = remaining;
            averageCost = 0;
            costRemainder = 0;
            return rest; // the whole position goes: all of its cost
        }
        // the share of the remainder, rounded half up: costRemainder x qty / quantity
        long share;
        final long high = Math.multiplyHigh(costRemainder, qty);
        final long low = costRemainder * qty;
        if (high == 0 && low >= 0)
        {
            share = low / quantity;
            final long rest = low % quantity;
            if (rest >= quantity - rest)
            {
                share++;
            }
        }
        else if (costRemainder >= 0 && qty >= 0)
        {
            // huge positions (quantities near 2^60 trade as often as any): 128-bit, without allocating;
            // the quotient fits since costRemainder < quantity
            share = divideUnsigned128(high, low, quantity);
            final long rest = low - share * quantity; // below quantity: the low 64 bits are exact
            if (rest >= quantity - rest)
            {
                share++;
            }
        }
        else
        {
            final BigInteger[] division = BigInteger.valueOf(costRemainder).multiply(BigInteger.valueOf(qty))
                .divideAndRemainder(BigInteger.valueOf(quantity));
            share = division[0].longValue() + (division[1].shiftLeft(1).compareTo(BigInteger.valueOf(quantity)) >= 0 ? 1 : 0);
        }
        long remainder = costRemainder - share; // from -1 to remaining: what the remaining quantity's cost keeps
        if (remainder < 0)
        {
            averageCost--;
            remainder += remaining;
        }
        else if (remainder >= remaining)
        {
            averageCost++;
            remainder -= remaining;
        }
        costRemainder = remainder;
        quantity = remaining;
        return share;
    }

    void remove(final long qty)
    {
        take(qty);
    }

    void sell(final long qty, final long price)
    {
        final long average = averageCost;
        realizedPnl += (price - average) * qty - take(qty);
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

    /** Average cost per unit in price units, rounded half up (as FIX AvgPx); 0 when flat. */
    public long averageCost()
    {
        return quantity <= 0 ? 0 : averageCost + (costRemainder >= quantity - costRemainder ? 1 : 0);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(instrumentId);
        out.writeLong(quantity);
        out.writeLong(held);
        out.writeLong(averageCost);
        out.writeLong(costRemainder);
        out.writeLong(realizedPnl);
    }

    static PositionView read(final DataInput in) throws IOException
    {
        final PositionView position = new PositionView(in.readInt());
        position.quantity = in.readLong();
        position.held = in.readLong();
        position.averageCost = in.readLong();
        position.costRemainder = in.readLong();
        position.realizedPnl = in.readLong();
        return position;
    }
}
