package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One order as the journal tells it: its current state and every change since it was accepted. */
public final class OrderRecord
{
    public static final byte NEW = 0;
    public static final byte PARTIALLY_FILLED = 1;
    public static final byte FILLED = 2;
    public static final byte CANCELED = 4;
    /** Canceled with reason EXPIRED: an expiry is its own status, as FIX's OrdStatus C. */
    public static final byte EXPIRED = 6;

    final long orderId;
    final long accountId;
    final int instrumentId;
    final int sessionId;
    final byte side;
    final byte ordType;
    final byte timeInForce;
    final boolean postOnly;
    final byte stpMode;
    long price;
    long quantity;
    long leavesQty;
    long cumQty;
    long cumNotional;
    long holdPrice;
    String clOrdId;
    String origClOrdId;
    byte status;
    byte cancelReason;
    final long createdSequence;
    final long createdTimestamp;
    long updatedSequence;
    long updatedTimestamp;
    /** In the projected book (a LIMIT DAY/GTC order with leaves at the end of an entry). */
    boolean resting;
    final List<OrderChange> history;

    OrderRecord(
        final long orderId, final long accountId, final int instrumentId, final int sessionId, final byte side,
        final byte ordType, final byte timeInForce, final boolean postOnly, final byte stpMode,
        final long createdSequence, final long createdTimestamp, final int historyCapacity)
    {
        this.orderId = orderId;
        this.accountId = accountId;
        this.instrumentId = instrumentId;
        this.sessionId = sessionId;
        this.side = side;
        this.ordType = ordType;
        this.timeInForce = timeInForce;
        this.postOnly = postOnly;
        this.stpMode = stpMode;
        this.createdSequence = createdSequence;
        this.createdTimestamp = createdTimestamp;
        this.history = new ArrayList<>(historyCapacity);
    }

    boolean isOpen()
    {
        return status == NEW || status == PARTIALLY_FILLED;
    }

    public long orderId()
    {
        return orderId;
    }

    public long accountId()
    {
        return accountId;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public byte side()
    {
        return side;
    }

    public long price()
    {
        return price;
    }

    public long quantity()
    {
        return quantity;
    }

    public long leavesQty()
    {
        return leavesQty;
    }

    public long cumQty()
    {
        return cumQty;
    }

    public long cumNotional()
    {
        return cumNotional;
    }

    public byte status()
    {
        return status;
    }

    public String clOrdId()
    {
        return clOrdId;
    }

    public List<OrderChange> history()
    {
        return history;
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(orderId);
        out.writeLong(accountId);
        out.writeInt(instrumentId);
        out.writeInt(sessionId);
        out.writeByte(side);
        out.writeByte(ordType);
        out.writeByte(timeInForce);
        out.writeBoolean(postOnly);
        out.writeByte(stpMode);
        out.writeLong(createdSequence);
        out.writeLong(createdTimestamp);
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeLong(leavesQty);
        out.writeLong(cumQty);
        out.writeLong(cumNotional);
        out.writeLong(holdPrice);
        out.writeUTF(clOrdId);
        out.writeUTF(origClOrdId == null ? "" : origClOrdId);
        out.writeByte(status);
        out.writeByte(cancelReason);
        out.writeLong(updatedSequence);
        out.writeLong(updatedTimestamp);
        out.writeBoolean(resting);
        out.writeInt(history.size());
        for (final OrderChange change : history)
        {
            change.write(out);
        }
    }

    static OrderRecord read(final DataInput in) throws IOException
    {
        final OrderRecord order = new OrderRecord(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readByte(),
            in.readByte(), in.readByte(), in.readBoolean(), in.readByte(), in.readLong(), in.readLong(), 4);
        order.price = in.readLong();
        order.quantity = in.readLong();
        order.leavesQty = in.readLong();
        order.cumQty = in.readLong();
        order.cumNotional = in.readLong();
        order.holdPrice = in.readLong();
        order.clOrdId = in.readUTF();
        final String orig = in.readUTF();
        order.origClOrdId = orig.isEmpty() ? null : orig;
        order.status = in.readByte();
        order.cancelReason = in.readByte();
        order.updatedSequence = in.readLong();
        order.updatedTimestamp = in.readLong();
        order.resting = in.readBoolean();
        final int changes = Checkpoints.readCount(in);
        for (int i = 0; i < changes; i++)
        {
            order.history.add(OrderChange.read(in, order));
        }
        return order;
    }
}
