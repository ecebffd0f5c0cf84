package dev.bourse.readmodels.history;

import dev.bourse.readmodels.RowStore;
import dev.bourse.readmodels.RowView;
import org.agrona.DirectBuffer;

/**
 * What the history sink remembers of a live order (a fill names only the order): a flyweight over
 * a row of a {@link RowStore}, so a live order costs the sink no object and no string (see
 * RowStore for why).
 */
final class LiveOrder extends RowView<LiveOrder>
{
    private static final int ORDER_ID = 0;
    private static final int ACCOUNT_ID = 8;
    private static final int PRICE = 16;
    private static final int INSTRUMENT_ID = 24;
    private static final int BATCH_ROW = 28;
    private static final int SIDE = 32;
    private static final int CL_ORD_ID = 33;
    static final int ROW_BYTES = 56;

    /** A new live order, not yet in a batch. */
    void init(final long orderId, final long accountId, final int instrumentId, final byte side)
    {
        buffer.putLong(base + ORDER_ID, orderId);
        buffer.putLong(base + ACCOUNT_ID, accountId);
        buffer.putInt(base + INSTRUMENT_ID, instrumentId);
        buffer.putByte(base + SIDE, side);
        batchRow(-1);
    }

    long orderId()
    {
        return buffer.getLong(base + ORDER_ID);
    }

    long accountId()
    {
        return buffer.getLong(base + ACCOUNT_ID);
    }

    int instrumentId()
    {
        return buffer.getInt(base + INSTRUMENT_ID);
    }

    byte side()
    {
        return buffer.getByte(base + SIDE);
    }

    /** The price of its last acceptance or replacement. */
    long price()
    {
        return buffer.getLong(base + PRICE);
    }

    void price(final long price)
    {
        buffer.putLong(base + PRICE, price);
    }

    /** Row in the current batch's orders buffer, or -1 if the order was inserted by an earlier batch. */
    int batchRow()
    {
        return buffer.getInt(base + BATCH_ROW);
    }

    void batchRow(final int batchRow)
    {
        buffer.putInt(base + BATCH_ROW, batchRow);
    }

    /** A new string each call (a row's column). */
    String clOrdId()
    {
        return id(CL_ORD_ID);
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
}
