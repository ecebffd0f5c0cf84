package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One order as the journal tells it: its current state. The hot projections keep only live orders
 * (an order is dropped once filled or canceled); an order's history is in the history store.
 */
public final class OrderRecord
{
    public static final byte NEW = 0;
    public static final byte PARTIALLY_FILLED = 1;
    public static final byte FILLED = 2;
    public static final byte CANCELED = 4;

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
    /** In the projected book: the engine said so (OrderRested), or, in journals before it did, a LIMIT DAY/GTC order with leaves at the end of an entry. */
    boolean resting;
    /** The account list this order is open in ({@link OpenOrders}), and its neighbours there; null once closed. */
    OpenOrders openIn;
    OrderRecord previousOpen;
    OrderRecord nextOpen;
    /** What the book shows of it while resting: its leaves, or an iceberg's current peak. */
    long displayed;
    /** A stop or stop-limit order's stop price (the last a replace gave it); else 0. */
    long stopPrice;
    /** An iceberg's peak size (FIX MaxFloor); 0: fully visible. */
    long displayQty;
    /** A GTD order's expire time (nanos since the epoch); else 0. */
    long expireTime;

    OrderRecord(
        final long orderId, final long accountId, final int instrumentId, final int sessionId, final byte side,
        final byte ordType, final byte timeInForce, final boolean postOnly, final byte stpMode,
        final long createdSequence, final long createdTimestamp)
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

    public long createdTimestamp()
    {
        return createdTimestamp;
    }

    public long updatedTimestamp()
    {
        return updatedTimestamp;
    }

    public String origClOrdId()
    {
        return origClOrdId;
    }

    public boolean postOnly()
    {
        return postOnly;
    }

    public byte cancelReason()
    {
        return cancelReason;
    }

    public byte ordType()
    {
        return ordType;
    }

    public byte timeInForce()
    {
        return timeInForce;
    }

    /** A stop or stop-limit order's stop price; else 0. */
    public long stopPrice()
    {
        return stopPrice;
    }

    /** An iceberg's peak size; 0: fully visible. */
    public long displayQty()
    {
        return displayQty;
    }

    /** A GTD order's expire time (nanos since the epoch); else 0. */
    public long expireTime()
    {
        return expireTime;
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
        out.writeLong(displayed);
        out.writeLong(stopPrice);
        out.writeLong(displayQty);
        out.writeLong(expireTime);
    }

    static OrderRecord read(final DataInput in) throws IOException
    {
        final OrderRecord order = new OrderRecord(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readByte(),
            in.readByte(), in.readByte(), in.readBoolean(), in.readByte(), in.readLong(), in.readLong());
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
        order.displayed = in.readLong();
        order.stopPrice = in.readLong();
        order.displayQty = in.readLong();
        order.expireTime = in.readLong();
        return order;
    }
}
