package dev.bourse.readmodels.stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The hand-off from the projection thread to the stream publisher: a single-producer ring of
 * fixed-layout binary messages (no object per message, never blocks: a full ring is reported, not
 * waited on). Every message starts with the channel key, the channel's sequence number, and the
 * journal position and timestamp of the entry it comes from.
 */
final class StreamRing
{
    static final int UPDATE = 1;
    static final int SNAPSHOT = 2;
    static final int OVERFLOW = 3;

    // Common header.
    static final int KEY = 0;
    static final int SEQUENCE = 8;
    static final int POSITION = 16;
    static final int TIMESTAMP = 24;
    static final int BODY = 32;

    // TRADES
    static final int TRADE_ID = BODY;
    static final int TRADE_PRICE = BODY + 8;
    static final int TRADE_QUANTITY = BODY + 16;
    static final int TRADE_TAKER_SIDE = BODY + 24;
    static final int TRADE_LENGTH = BODY + 32;
    // DEPTH
    static final int DEPTH_SIDE = BODY;
    static final int DEPTH_PRICE = BODY + 8;
    static final int DEPTH_QUANTITY = BODY + 16;
    static final int DEPTH_ORDERS = BODY + 24;
    static final int DEPTH_LENGTH = BODY + 32;
    // BBO (quantity 0: no level)
    static final int BID_PRICE = BODY;
    static final int BID_QUANTITY = BODY + 8;
    static final int ASK_PRICE = BODY + 16;
    static final int ASK_QUANTITY = BODY + 24;
    static final int BBO_LENGTH = BODY + 32;
    // CANDLES
    static final int CANDLE_INTERVAL = BODY;
    static final int CANDLE_START = BODY + 8;
    static final int CANDLE_OPEN = BODY + 16;
    static final int CANDLE_HIGH = BODY + 24;
    static final int CANDLE_LOW = BODY + 32;
    static final int CANDLE_CLOSE = BODY + 40;
    static final int CANDLE_VOLUME = BODY + 48;
    static final int CANDLE_NOTIONAL = BODY + 56;
    static final int CANDLE_COUNT = BODY + 64;
    static final int CANDLE_LENGTH = BODY + 72;
    // STATUS
    static final int STATUS_STATUS = BODY;
    static final int STATUS_PHASE = BODY + 1;
    static final int STATUS_IMBALANCE_SIDE = BODY + 2;
    static final int STATUS_AUCTION_CALL = BODY + 3;
    static final int STATUS_REFERENCE_PRICE = BODY + 8;
    static final int STATUS_INDICATIVE_PRICE = BODY + 16;
    static final int STATUS_INDICATIVE_QTY = BODY + 24;
    static final int STATUS_IMBALANCE_QTY = BODY + 32;
    static final int STATUS_AUCTION_PRICE = BODY + 40;
    static final int STATUS_AUCTION_QTY = BODY + 48;
    static final int STATUS_AUCTION_TIMESTAMP = BODY + 56;
    static final int STATUS_LENGTH = BODY + 64;
    // ORDERS
    static final int ORDER_ID = BODY;
    static final int ORDER_INSTRUMENT = BODY + 8;
    static final int ORDER_SIDE = BODY + 12;
    static final int ORDER_TYPE = BODY + 13;
    static final int ORDER_TIME_IN_FORCE = BODY + 14;
    static final int ORDER_STATUS = BODY + 15;
    static final int ORDER_CANCEL_REASON = BODY + 16;
    static final int ORDER_POST_ONLY = BODY + 17;
    static final int ORDER_STP_MODE = BODY + 18;
    static final int ORDER_PRICE = BODY + 24;
    static final int ORDER_QUANTITY = BODY + 32;
    static final int ORDER_LEAVES = BODY + 40;
    static final int ORDER_CUM = BODY + 48;
    static final int ORDER_CUM_NOTIONAL = BODY + 56;
    static final int ORDER_CREATED = BODY + 64;
    static final int ORDER_UPDATED = BODY + 72;
    static final int ORDER_CL_ORD_ID = BODY + 80;
    static final int ORDER_ORIG_CL_ORD_ID = ORDER_CL_ORD_ID + StreamRing.ID_FIELD;
    static final int ORDER_STOP_PRICE = ORDER_ORIG_CL_ORD_ID + StreamRing.ID_FIELD;
    static final int ORDER_DISPLAY_QTY = ORDER_STOP_PRICE + 8;
    static final int ORDER_EXPIRE_TIME = ORDER_DISPLAY_QTY + 8;
    static final int ORDER_ACCOUNT = ORDER_EXPIRE_TIME + 8;
    static final int ORDER_LENGTH = ORDER_ACCOUNT + 8;
    // FILLS
    static final int FILL_ORDER_ID = BODY;
    static final int FILL_INSTRUMENT = BODY + 8;
    static final int FILL_SIDE = BODY + 12;
    /** A {@code Liquidity} value. */
    static final int FILL_LIQUIDITY = BODY + 13;
    static final int FILL_TRADE_ID = BODY + 16;
    static final int FILL_PRICE = BODY + 24;
    static final int FILL_QUANTITY = BODY + 32;
    static final int FILL_LEAVES = BODY + 40;
    static final int FILL_CUM = BODY + 48;
    static final int FILL_CL_ORD_ID = BODY + 56;
    static final int FILL_LENGTH = FILL_CL_ORD_ID + StreamRing.ID_FIELD;

    /** A ClOrdID: a length byte and up to 23 ASCII characters (FIX ClOrdIDs here are at most 20). */
    static final int ID_FIELD = 24;

    private StreamRing()
    {
    }

    static OneToOneRingBuffer allocate(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    static String getId(final org.agrona.DirectBuffer buffer, final int offset)
    {
        final int length = buffer.getByte(offset);
        return length == 0 ? "" : buffer.getStringWithoutLengthAscii(offset + 1, length);
    }
}
