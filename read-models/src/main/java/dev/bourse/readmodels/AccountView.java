package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hot state of one account: cash, holds, positions and live orders. Bounded by live state:
 * an order leaves the account when it is filled or canceled (its history is in the history store).
 */
public final class AccountView
{
    final long accountId;
    byte stpMode;
    long cash;
    long cashHeld;
    final TreeMap<Integer, PositionView> positions = new TreeMap<>();
    /** Live orders by OrderID, ascending (the order pagination walks). */
    final OpenOrders openOrders;

    /** An account whose live orders are rows of {@code orderRows}. */
    AccountView(final long accountId, final RowStore orderRows)
    {
        this.accountId = accountId;
        this.openOrders = new OpenOrders(orderRows);
    }

    PositionView position(final int instrumentId)
    {
        PositionView position = positions.get(instrumentId);
        if (position == null)
        {
            position = new PositionView(instrumentId);
            positions.put(instrumentId, position);
        }
        return position;
    }

    public long accountId()
    {
        return accountId;
    }

    public long cash()
    {
        return cash;
    }

    public long cashHeld()
    {
        return cashHeld;
    }

    public Map<Integer, PositionView> positions()
    {
        return positions;
    }

    public OpenOrders openOrders()
    {
        return openOrders;
    }

    /** Writes the account; its live orders are written by the caller (they are shared with the order index). */
    void write(final DataOutput out) throws IOException
    {
        writeHead(out);
        for (final OrderRecord order : openOrders)
        {
            out.writeLong(order.orderId());
        }
    }

    /**
     * Writes what {@link #write} writes up to the count of open orders; their OrderIDs follow, in
     * {@link #openOrders} order.
     */
    void writeHead(final DataOutput out) throws IOException
    {
        out.writeLong(accountId);
        out.writeByte(stpMode);
        out.writeLong(cash);
        out.writeLong(cashHeld);
        out.writeInt(positions.size());
        for (final PositionView position : positions.values())
        {
            position.write(out);
        }
        out.writeInt(openOrders.size());
    }

    static AccountView read(final DataInput in, final KeyedRows orders) throws IOException
    {
        final AccountView account = new AccountView(in.readLong(), orders.rows());
        final OrderRecord order = new OrderRecord();
        account.stpMode = in.readByte();
        account.cash = in.readLong();
        account.cashHeld = in.readLong();
        int count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final PositionView position = PositionView.read(in);
            account.positions.put(position.instrumentId, position);
        }
        count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final long orderId = in.readLong();
            final int row = orders.find(orderId);
            if (row == KeyedRows.NONE)
            {
                throw new IOException("corrupt checkpoint: unknown order " + orderId);
            }
            account.openOrders.add(order.wrap(orders.rows(), row));
        }
        return account;
    }
}
