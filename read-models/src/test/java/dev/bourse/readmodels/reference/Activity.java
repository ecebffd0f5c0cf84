package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A line of an account's activity report that is not one of its orders' own changes (those are
 * the {@link OrderChange}s): account created, deposits and withdrawals, rejects, mass cancels,
 * audit records. Fields a kind does not use are 0 or empty.
 */
public record Activity(
    long sequence, long timestamp, byte kind, long orderId, String clOrdId, int instrumentId, byte side, long price,
    long quantity, long leavesQty, long cumQty, String detail, long balance) implements ActivityLine
{
    public static final byte ACCOUNT_CREATED = 1;
    public static final byte ORDER_ACCEPTED = 2;
    public static final byte ORDER_REJECTED = 3;
    public static final byte FILL = 4;
    public static final byte ORDER_CANCELED = 5;
    public static final byte ORDER_REPLACED = 6;
    public static final byte CANCEL_REJECTED = 7;
    public static final byte MASS_CANCEL = 8;
    public static final byte DEPOSIT = 9;
    public static final byte WITHDRAW = 10;
    public static final byte COMMAND_REJECTED = 11;
    public static final byte AUDIT = 12;
    public static final byte ORDER_EXPIRED = 13;

    private static final String[] NAMES = {
        "UNKNOWN", "ACCOUNT_CREATED", "ORDER_ACCEPTED", "ORDER_REJECTED", "FILL", "ORDER_CANCELED", "ORDER_REPLACED",
        "CANCEL_REJECTED", "MASS_CANCEL", "DEPOSIT", "WITHDRAW", "COMMAND_REJECTED", "AUDIT", "ORDER_EXPIRED"};

    public static String kindName(final byte kind)
    {
        return kind > 0 && kind < NAMES.length ? NAMES[kind] : NAMES[0];
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(sequence);
        out.writeLong(timestamp);
        out.writeByte(kind);
        out.writeLong(orderId);
        out.writeUTF(clOrdId);
        out.writeInt(instrumentId);
        out.writeByte(side);
        out.writeLong(price);
        out.writeLong(quantity);
        out.writeLong(leavesQty);
        out.writeLong(cumQty);
        out.writeUTF(detail);
        out.writeLong(balance);
    }

    static Activity read(final DataInput in) throws IOException
    {
        return new Activity(in.readLong(), in.readLong(), in.readByte(), in.readLong(), in.readUTF(), in.readInt(),
            in.readByte(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readUTF(), in.readLong());
    }
}
