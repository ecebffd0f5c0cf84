package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** One fill of one of an account's orders. */
public record Execution(
    long sequence, long timestamp, long tradeId, long orderId, String clOrdId, int instrumentId, byte side, long price,
    long quantity, boolean maker, long leavesQty, long cumQty)
{
    void write(final DataOutput out) throws IOException
    {
        out.writeLong(sequence);
        out.writeLong(timestamp);
        out.writeLong(tradeId);
        out.writeLong(orderId);
        out.writeUTF(clOrdId);
        out.writeInt(instrumentId);
        out.writeByte(side);
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeBoolean(maker);
        out.writeLong(leavesQty);
        out.writeLong(cumQty);
    }

    static Execution read(final DataInput in) throws IOException
    {
        return new Execution(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readUTF(), in.readInt(),
            in.readByte(), in.readLong(), in.readLong(), in.readBoolean(), in.readLong(), in.readLong());
    }
}
