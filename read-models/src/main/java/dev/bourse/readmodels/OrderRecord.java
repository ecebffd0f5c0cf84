package dev.bourse.readmodels;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.CancelReason;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One order as the journal tells it: its current state. The hot projections keep only live orders
 * (an order is dropped once filled or canceled); an order's history is in the history store.
 * <p>
 * A flyweight over one row of a {@link RowStore} ({@link KeyedRows} finds the live ones), so a
 * live order costs no object and no string of its own: see {@link RowStore} for why. The
 * projection thread reuses a few of these for the orders an event names; a flyweight handed to
 * a listener or a query reads the order only until the end of the journal entry being applied,
 * after which a closed order's row may hold another order. The field-by-field constructor makes a
 * standalone order with a row of its own (orders read from the history store).
 * <p>
 * About 500 lines, nearly all of them one getter and one setter per field over the row's layout:
 * the layout and its accessors belong together.
 */
public final class OrderRecord extends RowView<OrderRecord>
{
    // The engine's OrdStatus values (FIX OrdStatus 0, 1, 2, 4, C).
    public static final byte NEW = 0;
    public static final byte PARTIALLY_FILLED = 1;
    public static final byte FILLED = 2;
    public static final byte CANCELED = 4;
    /** Canceled with reason EXPIRED (GTD expiry, end of day, at-the-open or at-the-close leftovers): FIX OrdStatus C. */
    public static final byte EXPIRED = 6;

    /** No row: the end of an account's open-order list. */
    static final int NONE = -1;

    // The row's layout.
    private static final int ORDER_ID = 0;
    private static final int ACCOUNT_ID = 8;
    private static final int INSTRUMENT_ID = 16;
    private static final int SESSION_ID = 20;
    private static final int PRICE = 24;
    private static final int QUANTITY = 32;
    private static final int LEAVES_QTY = 40;
    private static final int CUM_QTY = 48;
    private static final int CUM_NOTIONAL = 56;
    private static final int HOLD_PRICE = 64;
    private static final int CREATED_SEQUENCE = 72;
    private static final int CREATED_TIMESTAMP = 80;
    private static final int UPDATED_SEQUENCE = 88;
    private static final int UPDATED_TIMESTAMP = 96;
    private static final int DISPLAYED = 104;
    private static final int STOP_PRICE = 112;
    private static final int DISPLAY_QTY = 120;
    private static final int EXPIRE_TIME = 128;
    private static final int PREVIOUS_OPEN = 136;
    private static final int NEXT_OPEN = 140;
    private static final int CL_ORD_ID = 144;
    private static final int ORIG_CL_ORD_ID = CL_ORD_ID + ClOrdIds.LENGTH;
    private static final int SIDE = ORIG_CL_ORD_ID + ClOrdIds.LENGTH;
    private static final int ORD_TYPE = SIDE + 1;
    private static final int TIME_IN_FORCE = SIDE + 2;
    private static final int POST_ONLY = SIDE + 3;
    private static final int STP_MODE = SIDE + 4;
    private static final int STATUS = SIDE + 5;
    private static final int CANCEL_REASON = SIDE + 6;
    private static final int RESTING = SIDE + 7;
    /** The {@link OpenOrders} list the order is in (its id), 0 for none. */
    private static final int OPEN_IN = SIDE + 8;
    static final int ROW_BYTES = 200;

    static
    {
        if (OPEN_IN + Integer.BYTES > ROW_BYTES)
        {
            throw new AssertionError("an order's row does not fit in " + ROW_BYTES + " bytes");
        }
    }

    /** A flyweight to {@link #wrap} onto a row. */
    OrderRecord()
    {
    }

    /** A standalone order, in a row of its own. */
    OrderRecord(
        final long orderId, final long accountId, final int instrumentId, final int sessionId, final byte side,
        final byte ordType, final byte timeInForce, final boolean postOnly, final byte stpMode,
        final long createdSequence, final long createdTimestamp)
    {
        final RowStore own = new RowStore(ROW_BYTES, 1);
        wrap(own, own.allocate());
        init(orderId, accountId, instrumentId, sessionId, side, ordType, timeInForce, postOnly, stpMode, createdSequence,
            createdTimestamp);
    }

    /** A standalone flyweight with a zeroed row of its own, for reading an order before it has a row in a store. */
    static OrderRecord standalone()
    {
        final RowStore own = new RowStore(ROW_BYTES, 1);
        return new OrderRecord().wrap(own, own.allocate());
    }

    /** Makes this row a copy of the other's. */
    void copyFrom(final OrderRecord other)
    {
        buffer.putBytes(base, other.buffer, other.base, ROW_BYTES);
    }

    /** Sets what never changes after acceptance; the rest of a fresh row is zero (status NEW, no ClOrdID). */
    void init(
        final long orderId, final long accountId, final int instrumentId, final int sessionId, final byte side,
        final byte ordType, final byte timeInForce, final boolean postOnly, final byte stpMode,
        final long createdSequence, final long createdTimestamp)
    {
        buffer.putLong(base + ORDER_ID, orderId);
        buffer.putLong(base + ACCOUNT_ID, accountId);
        buffer.putInt(base + INSTRUMENT_ID, instrumentId);
        buffer.putInt(base + SESSION_ID, sessionId);
        buffer.putByte(base + SIDE, side);
        buffer.putByte(base + ORD_TYPE, ordType);
        buffer.putByte(base + TIME_IN_FORCE, timeInForce);
        buffer.putByte(base + POST_ONLY, (byte)(postOnly ? 1 : 0));
        buffer.putByte(base + STP_MODE, stpMode);
        buffer.putLong(base + CREATED_SEQUENCE, createdSequence);
        buffer.putLong(base + CREATED_TIMESTAMP, createdTimestamp);
        buffer.putInt(base + PREVIOUS_OPEN, NONE);
        buffer.putInt(base + NEXT_OPEN, NONE);
    }

    /** The status of an order canceled for this reason (a {@code CancelReason} value): EXPIRED for an expiry, else CANCELED. */
    public static byte canceledStatus(final byte cancelReason)
    {
        return cancelReason == CancelReason.EXPIRED.value() ? EXPIRED : CANCELED;
    }

    /** Canceled or expired: the order's answer carries its {@code cancelReason}. */
    public static boolean isCanceled(final byte status)
    {
        return status == CANCELED || status == EXPIRED;
    }

    /** The status as the API and the streams name it. */
    public static String statusName(final byte status)
    {
        switch (status)
        {
            case NEW: return "NEW";
            case PARTIALLY_FILLED: return "PARTIALLY_FILLED";
            case FILLED: return "FILLED";
            case CANCELED: return "CANCELED";
            case EXPIRED: return "EXPIRED";
            default: return "UNKNOWN";
        }
    }

    boolean isOpen()
    {
        final byte status = status();
        return status == NEW || status == PARTIALLY_FILLED;
    }

    // ------------------------------------------------------------------ what never changes

    public long orderId()
    {
        return buffer.getLong(base + ORDER_ID);
    }

    public long accountId()
    {
        return buffer.getLong(base + ACCOUNT_ID);
    }

    public int instrumentId()
    {
        return buffer.getInt(base + INSTRUMENT_ID);
    }

    int sessionId()
    {
        return buffer.getInt(base + SESSION_ID);
    }

    public byte side()
    {
        return buffer.getByte(base + SIDE);
    }

    public byte ordType()
    {
        return buffer.getByte(base + ORD_TYPE);
    }

    /** A stop's type becomes what it was elected as (MARKET or LIMIT), as FIX's reports say from then on. */
    void ordType(final byte ordType)
    {
        buffer.putByte(base + ORD_TYPE, ordType);
    }

    public byte timeInForce()
    {
        return buffer.getByte(base + TIME_IN_FORCE);
    }

    public boolean postOnly()
    {
        return buffer.getByte(base + POST_ONLY) != 0;
    }

    public byte stpMode()
    {
        return buffer.getByte(base + STP_MODE);
    }

    long createdSequence()
    {
        return buffer.getLong(base + CREATED_SEQUENCE);
    }

    public long createdTimestamp()
    {
        return buffer.getLong(base + CREATED_TIMESTAMP);
    }

    // ------------------------------------------------------------------ what the journal changes

    public long price()
    {
        return buffer.getLong(base + PRICE);
    }

    void price(final long price)
    {
        buffer.putLong(base + PRICE, price);
    }

    public long quantity()
    {
        return buffer.getLong(base + QUANTITY);
    }

    void quantity(final long quantity)
    {
        buffer.putLong(base + QUANTITY, quantity);
    }

    public long leavesQty()
    {
        return buffer.getLong(base + LEAVES_QTY);
    }

    void leavesQty(final long leavesQty)
    {
        buffer.putLong(base + LEAVES_QTY, leavesQty);
    }

    public long cumQty()
    {
        return buffer.getLong(base + CUM_QTY);
    }

    void cumQty(final long cumQty)
    {
        buffer.putLong(base + CUM_QTY, cumQty);
    }

    public long cumNotional()
    {
        return buffer.getLong(base + CUM_NOTIONAL);
    }

    void cumNotional(final long cumNotional)
    {
        buffer.putLong(base + CUM_NOTIONAL, cumNotional);
    }

    /** The price a buy order's funds are held at. */
    long holdPrice()
    {
        return buffer.getLong(base + HOLD_PRICE);
    }

    void holdPrice(final long holdPrice)
    {
        buffer.putLong(base + HOLD_PRICE, holdPrice);
    }

    public byte status()
    {
        return buffer.getByte(base + STATUS);
    }

    void status(final byte status)
    {
        buffer.putByte(base + STATUS, status);
    }

    public byte cancelReason()
    {
        return buffer.getByte(base + CANCEL_REASON);
    }

    void cancelReason(final byte reason)
    {
        buffer.putByte(base + CANCEL_REASON, reason);
    }

    long updatedSequence()
    {
        return buffer.getLong(base + UPDATED_SEQUENCE);
    }

    public long updatedTimestamp()
    {
        return buffer.getLong(base + UPDATED_TIMESTAMP);
    }

    void updated(final long sequence, final long timestamp)
    {
        buffer.putLong(base + UPDATED_SEQUENCE, sequence);
        buffer.putLong(base + UPDATED_TIMESTAMP, timestamp);
    }

    /** In the projected book: the engine said so (OrderRested), or, in journals before it did, a LIMIT DAY/GTC order with leaves at the end of an entry. */
    boolean resting()
    {
        return buffer.getByte(base + RESTING) != 0;
    }

    void resting(final boolean resting)
    {
        buffer.putByte(base + RESTING, (byte)(resting ? 1 : 0));
    }

    /** What the book shows of it while resting: its leaves, or an iceberg's current peak. */
    long displayed()
    {
        return buffer.getLong(base + DISPLAYED);
    }

    void displayed(final long displayed)
    {
        buffer.putLong(base + DISPLAYED, displayed);
    }

    /** A stop or stop-limit order's stop price (the last a replace gave it); else 0. */
    public long stopPrice()
    {
        return buffer.getLong(base + STOP_PRICE);
    }

    void stopPrice(final long stopPrice)
    {
        buffer.putLong(base + STOP_PRICE, stopPrice);
    }

    /** An iceberg's peak size (FIX MaxFloor); 0: fully visible. */
    public long displayQty()
    {
        return buffer.getLong(base + DISPLAY_QTY);
    }

    void displayQty(final long displayQty)
    {
        buffer.putLong(base + DISPLAY_QTY, displayQty);
    }

    /** A GTD order's expire time (nanos since the epoch); else 0. */
    public long expireTime()
    {
        return buffer.getLong(base + EXPIRE_TIME);
    }

    void expireTime(final long expireTime)
    {
        buffer.putLong(base + EXPIRE_TIME, expireTime);
    }

    // ------------------------------------------------------------------ ClOrdIDs

    /** A new string each call: read it off the hot path (queries, JSON). */
    public String clOrdId()
    {
        return id(CL_ORD_ID);
    }

    /** The ClOrdID this order had before its last replace; null if it was never replaced. */
    public String origClOrdId()
    {
        final String id = id(ORIG_CL_ORD_ID);
        return id.isEmpty() ? null : id;
    }

    /** Copies a journal event's ClOrdId field. */
    void clOrdId(final DirectBuffer source, final int offset)
    {
        id(CL_ORD_ID, source, offset);
    }

    void clOrdId(final String clOrdId)
    {
        id(CL_ORD_ID, clOrdId);
    }

    void origClOrdId(final String origClOrdId)
    {
        id(ORIG_CL_ORD_ID, origClOrdId);
    }

    /** A replace: the current ClOrdID becomes the original one. */
    void clOrdIdBecomesOrig()
    {
        buffer.putBytes(base + ORIG_CL_ORD_ID, buffer, base + CL_ORD_ID, ClOrdIds.LENGTH);
    }

    /** Writes the ClOrdID into the live streams' id field without making a string. */
    public void putClOrdId(final MutableDirectBuffer target, final int offset)
    {
        putIdCounted(CL_ORD_ID, target, offset);
    }

    /** As {@link #putClOrdId}, for the ClOrdID before the last replace (length 0 if none). */
    public void putOrigClOrdId(final MutableDirectBuffer target, final int offset)
    {
        putIdCounted(ORIG_CL_ORD_ID, target, offset);
    }

    // ------------------------------------------------------------------ an account's open-order list (OpenOrders)

    int openIn()
    {
        return buffer.getInt(base + OPEN_IN);
    }

    void openIn(final int listId)
    {
        buffer.putInt(base + OPEN_IN, listId);
    }

    int previousOpen()
    {
        return buffer.getInt(base + PREVIOUS_OPEN);
    }

    void previousOpen(final int row)
    {
        buffer.putInt(base + PREVIOUS_OPEN, row);
    }

    int nextOpen()
    {
        return buffer.getInt(base + NEXT_OPEN);
    }

    void nextOpen(final int row)
    {
        buffer.putInt(base + NEXT_OPEN, row);
    }

    // ------------------------------------------------------------------ checkpoints

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(orderId());
        out.writeLong(accountId());
        out.writeInt(instrumentId());
        out.writeInt(sessionId());
        out.writeByte(side());
        out.writeByte(ordType());
        out.writeByte(timeInForce());
        out.writeBoolean(postOnly());
        out.writeByte(stpMode());
        out.writeLong(createdSequence());
        out.writeLong(createdTimestamp());
        out.writeLong(price());
        out.writeLong(quantity());
        out.writeLong(leavesQty());
        out.writeLong(cumQty());
        out.writeLong(cumNotional());
        out.writeLong(holdPrice());
        writeId(out, CL_ORD_ID);
        writeId(out, ORIG_CL_ORD_ID); // blank when never replaced: "", as origClOrdId()'s null was written
        out.writeByte(status());
        out.writeByte(cancelReason());
        out.writeLong(updatedSequence());
        out.writeLong(updatedTimestamp());
        out.writeBoolean(resting());
        out.writeLong(displayed());
        out.writeLong(stopPrice());
        out.writeLong(displayQty());
        out.writeLong(expireTime());
    }

    /** Reads what {@link #write} wrote into this flyweight's (fresh) row. */
    OrderRecord readFrom(final DataInput in) throws IOException
    {
        init(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readByte(), in.readByte(), in.readByte(),
            in.readBoolean(), in.readByte(), in.readLong(), in.readLong());
        price(in.readLong());
        quantity(in.readLong());
        leavesQty(in.readLong());
        cumQty(in.readLong());
        cumNotional(in.readLong());
        holdPrice(in.readLong());
        try
        {
            clOrdId(in.readUTF());
            origClOrdId(in.readUTF());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IOException("corrupt checkpoint: order " + orderId() + ": " + e.getMessage());
        }
        status(in.readByte());
        cancelReason(in.readByte());
        updated(in.readLong(), in.readLong());
        resting(in.readBoolean());
        displayed(in.readLong());
        stopPrice(in.readLong());
        displayQty(in.readLong());
        expireTime(in.readLong());
        return this;
    }
}
