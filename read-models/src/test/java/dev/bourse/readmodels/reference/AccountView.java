package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything the read side knows about one account. */
public final class AccountView
{
    private static final byte OTHER = 0;
    private static final byte ORDER_CHANGE = 1;

    final long accountId;
    byte stpMode;
    long cash;
    long cashHeld;
    final TreeMap<Integer, PositionView> positions = new TreeMap<>();
    /**
     * Live orders by OrderID, ascending (the order pagination walks): the engine assigns ids in
     * increasing order, so insertion order is id order and no tree is needed.
     */
    final LinkedHashMap<Long, OrderRecord> openOrders = new LinkedHashMap<>();
    /** Every ClOrdID the account used (original and replacement ids) to its order; the latest use wins. */
    final HashMap<String, OrderRecord> byClOrdId = new HashMap<>();
    final ArrayList<OrderChange> executions = new ArrayList<>();
    final ArrayList<ActivityLine> activity = new ArrayList<>();

    AccountView(final long accountId)
    {
        this.accountId = accountId;
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

    public Map<Long, OrderRecord> openOrders()
    {
        return openOrders;
    }

    public List<OrderChange> executions()
    {
        return executions;
    }

    public List<ActivityLine> activity()
    {
        return activity;
    }

    public OrderRecord orderByClOrdId(final String clOrdId)
    {
        return byClOrdId.get(clOrdId);
    }

    /** Writes the account; orders are written by the caller (they are shared with the order index). */
    void write(final DataOutput out) throws IOException
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
        for (final Long orderId : openOrders.keySet())
        {
            out.writeLong(orderId);
        }
        final TreeMap<String, OrderRecord> sortedIds = new TreeMap<>(byClOrdId);
        out.writeInt(sortedIds.size());
        for (final Map.Entry<String, OrderRecord> e : sortedIds.entrySet())
        {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().orderId);
        }
        out.writeInt(executions.size());
        for (final OrderChange fill : executions)
        {
            writeReference(out, fill);
        }
        out.writeInt(activity.size());
        for (final ActivityLine line : activity)
        {
            if (line instanceof OrderChange change)
            {
                // Shared with the order's history: written as a reference into it.
                out.writeByte(ORDER_CHANGE);
                writeReference(out, change);
            }
            else
            {
                out.writeByte(OTHER);
                ((Activity)line).write(out);
            }
        }
    }

    static AccountView read(final DataInput in, final Map<Long, OrderRecord> orders) throws IOException
    {
        final AccountView account = new AccountView(in.readLong());
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
            account.openOrders.put(orderId, find(orders, orderId));
        }
        count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final String clOrdId = in.readUTF();
            account.byClOrdId.put(clOrdId, find(orders, in.readLong()));
        }
        count = Checkpoints.readCount(in);
        account.executions.ensureCapacity(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++)
        {
            account.executions.add(readReference(in, orders));
        }
        count = Checkpoints.readCount(in);
        account.activity.ensureCapacity(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++)
        {
            final byte tag = in.readByte();
            if (tag == ORDER_CHANGE)
            {
                account.activity.add(readReference(in, orders));
            }
            else if (tag == OTHER)
            {
                account.activity.add(Activity.read(in));
            }
            else
            {
                throw new IOException("corrupt checkpoint: activity tag " + tag);
            }
        }
        return account;
    }

    /** A change shared with its order's history: written as (order, index in the history). */
    private static void writeReference(final DataOutput out, final OrderChange change) throws IOException
    {
        out.writeLong(change.orderId());
        out.writeInt(change.order().history.indexOf(change));
    }

    private static OrderChange readReference(final DataInput in, final Map<Long, OrderRecord> orders) throws IOException
    {
        final OrderRecord order = find(orders, in.readLong());
        final int index = in.readInt();
        if (index < 0 || index >= order.history.size())
        {
            throw new IOException("corrupt checkpoint: no change " + index + " in the history of order " + order.orderId);
        }
        return order.history.get(index);
    }

    private static OrderRecord find(final Map<Long, OrderRecord> orders, final long orderId) throws IOException
    {
        final OrderRecord order = orders.get(orderId);
        if (order == null)
        {
            throw new IOException("corrupt checkpoint: unknown order " + orderId);
        }
        return order;
    }
}
