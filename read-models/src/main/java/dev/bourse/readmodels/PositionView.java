package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;

/**
 * An account's position in one instrument, valued at average cost. Cost basis and realized P&amp;L
 * are in cash units (price units x quantity). Spot rules keep the quantity at or above zero.
 * Policy: a position deposit enters at the instrument's reference price at that moment; a
 * withdrawal leaves at average cost (no P&amp;L); a sale realizes price x qty minus the average
 * cost of the quantity sold.
 */
public final class PositionView
{
    final int instrumentId;
    long quantity;
    long held;
    long costBasis;
    long realizedPnl;

    PositionView(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    void buy(final long quantity, final long cost)
    {
        this.quantity += quantity;
        costBasis += cost;
    }

    /** Removes quantity at average cost and returns the cost removed. */
    long remove(final long quantity)
    {
        final long cost = costOf(quantity);
        this.quantity -= quantity;
        costBasis -= cost;
        return cost;
    }

    void sell(final long quantity, final long proceeds)
    {
        realizedPnl += proceeds - remove(quantity);
    }

    /** costBasis x qty / position, rounded toward zero, exact when selling everything. */
    long costOf(final long qty)
    {
        if (quantity <= 0 || qty >= quantity)
        {
            return costBasis;
        }
        final long high = Math.multiplyHigh(costBasis, qty);
        final long low = costBasis * qty;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0))
        {
            return low / quantity;
        }
        return BigInteger.valueOf(costBasis).multiply(BigInteger.valueOf(qty)).divide(BigInteger.valueOf(quantity)).longValue();
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

    public long costBasis()
    {
        return costBasis;
    }

    public long realizedPnl()
    {
        return realizedPnl;
    }

    /** Average cost per unit in price units, rounded down; 0 when flat. */
    public long averageCost()
    {
        return quantity == 0 ? 0 : costBasis / quantity;
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(instrumentId);
        out.writeLong(quantity);
        out.writeLong(held);
        out.writeLong(costBasis);
        out.writeLong(realizedPnl);
    }

    static PositionView read(final DataInput in) throws IOException
    {
        final PositionView position = new PositionView(in.readInt());
        position.quantity = in.readLong();
        position.held = in.readLong();
        position.costBasis = in.readLong();
        position.realizedPnl = in.readLong();
        return position;
    }
}
