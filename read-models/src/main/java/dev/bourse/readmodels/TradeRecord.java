package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A public (anonymous) trade print; {@code takerSide} is {@link #NO_SIDE} for an auction's trade. */
public record TradeRecord(long tradeId, long sequence, long timestamp, long price, long quantity, byte takerSide)
{
    /** The taker side of an auction's trade: none (both orders were resting), JSON {@code "NONE"}. */
    public static final byte NO_SIDE = 0;

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
