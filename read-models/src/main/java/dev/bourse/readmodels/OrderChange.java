package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One change in an order's life. {@code price}/{@code quantity} mean: ACCEPTED the order's
 * price and quantity; FILL the trade's; CANCELED the order's price and the quantity removed;
 * REPLACED the new price and total quantity.
 */
public record OrderChange(
    long sequence, long timestamp, byte type, long price, long quantity, long leavesQty, long cumQty, long tradeId,
    byte reason, String clOrdId)
{
    public static final byte ACCEPTED = 1;
    public static final byte FILL = 2;
    public static final byte CANCELED = 3;
    public static final byte REPLACED = 4;

    public static String typeName(final byte type)
    {
        switch (type)
        {
            case ACCEPTED: return "ACCEPTED";
            case FILL: return "FILL";
            case CANCELED: return "CANCELED";
            case REPLACED: return "REPLACED";
            default: return "UNKNOWN";
        }
    }

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

    static OrderChange read(final DataInput in) throws IOException
    {
        return new OrderChange(in.readLong(), in.readLong(), in.readByte(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), in.readLong(), in.readByte(), in.readUTF());
    }
}
