package dev.bourse.readmodels.reference;

import dev.bourse.protocol.sbe.CancelReason;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One change in an order's life. {@code price}/{@code quantity} mean: ACCEPTED the order's
 * price and quantity; FILL the trade's; CANCELED and EXPIRED (a cancel with reason EXPIRED) the
 * order's price and the quantity removed; REPLACED the new price and total quantity.
 * {@code reason}: CANCELED and EXPIRED the cancel reason, REPLACED
 * 1 if priority was kept, FILL the liquidity (0 taker, 1 maker, 2 an auction's fill). It is also the account's activity
 * line for the change, and a FILL is also the account's execution, so it knows its order.
 */
public record OrderChange(
    long sequence, long timestamp, byte type, long price, long quantity, long leavesQty, long cumQty, long tradeId,
    byte reason, String clOrdId, OrderRecord order) implements ActivityLine
{
    public static final byte ACCEPTED = 1;
    public static final byte FILL = 2;
    public static final byte CANCELED = 3;
    public static final byte REPLACED = 4;
    public static final byte EXPIRED = 5;
    /** A FILL's reason. */
    public static final byte LIQUIDITY_TAKER = 0;
    public static final byte LIQUIDITY_MAKER = 1;
    public static final byte LIQUIDITY_AUCTION = 2;

    public static String typeName(final byte type)
    {
        switch (type)
        {
            case ACCEPTED: return "ACCEPTED";
            case FILL: return "FILL";
            case CANCELED: return "CANCELED";
            case REPLACED: return "REPLACED";
            case EXPIRED: return "EXPIRED";
            default: return "UNKNOWN";
        }
    }

    @Override
    public byte kind()
    {
        switch (type)
        {
            case ACCEPTED: return Activity.ORDER_ACCEPTED;
            case FILL: return Activity.FILL;
            case CANCELED: return Activity.ORDER_CANCELED;
            case EXPIRED: return Activity.ORDER_EXPIRED;
            default: return Activity.ORDER_REPLACED;
        }
    }

    @Override
    public long orderId()
    {
        return order.orderId;
    }

    @Override
    public int instrumentId()
    {
        return order.instrumentId;
    }

    @Override
    public byte side()
    {
        return order.side;
    }

    @Override
    public String detail()
    {
        switch (type)
        {
            case FILL: return reason == LIQUIDITY_MAKER ? "MAKER" : reason == LIQUIDITY_AUCTION ? "AUCTION" : "TAKER";
            case CANCELED:
            case EXPIRED:
                return CancelReason.get(reason).name();
            case REPLACED: return reason == 1 ? "KEPT_PRIORITY" : "LOST_PRIORITY";
            default: return "";
        }
    }

    /** For a FILL: the order was resting (maker) rather than the aggressor. */
    public boolean maker()
    {
        return type == FILL && reason == LIQUIDITY_MAKER;
    }

    @Override
    public long balance()
    {
        return 0;
    }

    /** Only identity makes sense between changes (the order refers back to its history). */
    @Override
    public boolean equals(final Object other)
    {
        return this == other;
    }

    @Override
    public int hashCode()
    {
        return System.identityHashCode(this);
    }

    @Override
    public String toString()
    {
        return typeName(type) + "@" + sequence + " order " + order.orderId;
    }

    /** The order is implied by the history the change is written in. */
    void write(final DataOutput out) throws IOException
    {
        out.writeLong(sequence);
        out.writeLong(timestamp);
        out.writeByte(type);
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeLong(leavesQty);
        out.writeLong(cumQty);
        out.writeLong(tradeId);
        out.writeByte(reason);
        out.writeUTF(clOrdId);
    }

    static OrderChange read(final DataInput in, final OrderRecord order) throws IOException
    {
        return new OrderChange(in.readLong(), in.readLong(), in.readByte(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), in.readLong(), in.readByte(), in.readUTF(), order);
    }
}
