package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A public (anonymous) trade print. */
public record TradeRecord(long tradeId, long sequence, long timestamp, long price, long quantity, byte takerSide)
{
    void write(final DataOutput out) throws IOException
    {
        out.writeLong(tradeId);
        out.writeLong(sequence);
        out.writeLong(timestamp);
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeByte(takerSide);
    }

    static TradeRecord read(final DataInput in) throws IOException
    {
        return new TradeRecord(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readByte());
    }
}
