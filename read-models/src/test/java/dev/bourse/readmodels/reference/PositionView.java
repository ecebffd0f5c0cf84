package dev.bourse.readmodels.reference;

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
        else
        {
            averageCost = BigInteger.valueOf(averageCost).multiply(BigInteger.valueOf(quantity))
                .add(BigInteger.valueOf(price).multiply(BigInteger.valueOf(qty)))
                .divide(BigInteger.valueOf(total)).longValue();
        }
        quantity = total;
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
