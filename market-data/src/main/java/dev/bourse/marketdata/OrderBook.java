package dev.bourse.marketdata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One instrument's order-by-order book as the feed describes it, with the aggregated depth it
 * implies (levels: price, total quantity, order count). Changed only by {@link OrderBooks}.
 */
public final class OrderBook
{
    public static final byte BUY = 1;
    public static final byte SELL = 2;
    public static final byte OPEN = 1;
    public static final byte HALTED = 2;
    public static final byte CLOSED = 3;
    /** Phases: the engine's TradingPhase values (see the md schema's MdTradingPhase). */
    public static final byte CONTINUOUS = 1;
    public static final byte OPENING_CALL = 4;
    public static final byte CLOSING_CALL = 5;
    public static final byte REOPENING_CALL = 6;
    public static final byte VOLATILITY_CALL = 7;
    public static final byte POST_CLOSE = 8;

    final int instrumentId;
    final byte[] symbol = new byte[16];
    int symbolLength;
    String symbolString;
    long tickSize;
    long lotSize;
    byte status;
    byte phase = CONTINUOUS;
    /** During a call, the last indication (all 0 outside calls, or when the book does not cross). */
    long indicativePrice;
    long indicativeQty;
    long imbalanceQty;
    byte imbalanceSide;
    int orderCount;
    final BookSideLevels bids;
    final BookSideLevels asks;
    /** Subscriber: incrementals up to this sequence are already in the book (it came from a snapshot). */
    long snapshotSequence;
    /** Set while the book is in the list of books a fragment changed. */
    boolean dirty;

    OrderBook(final int instrumentId, final ArrayDeque<BookLevel> levelPool)
    {
        this.instrumentId = instrumentId;
        this.bids = new BookSideLevels(true, levelPool);
        this.asks = new BookSideLevels(false, levelPool);
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    /** The symbol (cached; allocates only when it changes). */
    public String symbol()
    {
        if (symbolString == null)
        {
            symbolString = new String(symbol, 0, symbolLength, StandardCharsets.US_ASCII);
        }
        return symbolString;
    }

    public long tickSize()
    {
        return tickSize;
    }

    public long lotSize()
    {
        return lotSize;
    }

    /** {@link #OPEN}, {@link #HALTED} or {@link #CLOSED}. */
    public byte status()
    {
        return status;
    }

    /** The trading phase: {@link #CONTINUOUS}, a call, {@link #POST_CLOSE}, or HALTED/CLOSED (2, 3). */
    public byte phase()
    {
        return phase;
    }

    /** A call: orders collect and nothing trades until its auction. */
    public boolean inCall()
    {
        return dev.bourse.protocol.TradingPhases.isCall(phase);
    }

    /** During a call: the price the auction would have now; 0 if the book does not cross. */
    public long indicativePrice()
    {
        return indicativePrice;
    }

    public long indicativeQty()
    {
        return indicativeQty;
    }

    public long imbalanceQty()
    {
        return imbalanceQty;
    }

    /** {@link #BUY}, {@link #SELL} or 0 (no surplus). */
    public byte imbalanceSide()
    {
        return imbalanceSide;
    }

    void phase(final byte phase)
    {
        this.phase = phase;
        this.status = phase == 2 ? HALTED : phase == 3 || phase == POST_CLOSE ? CLOSED : OPEN;
        if (!inCall())
        {
            indication(0, 0, 0, (byte)0);
        }
    }

    /** The legacy status: OPEN is continuous trading. */
    void status(final byte status)
    {
        phase(status == HALTED ? 2 : status == CLOSED ? (byte)3 : CONTINUOUS);
    }

    void indication(final long price, final long quantity, final long imbalance, final byte side)
    {
        indicativePrice = price;
        indicativeQty = quantity;
        imbalanceQty = imbalance;
        imbalanceSide = side;
    }

    /** Resting orders on both sides. */
    public int orderCount()
    {
        return orderCount;
    }

    public BookSideLevels bids()
    {
        return bids;
    }

    public BookSideLevels asks()
    {
        return asks;
    }

    public BookSideLevels side(final byte side)
    {
        return side == BUY ? bids : asks;
    }

    /** Best bid price or {@link Long#MIN_VALUE}. */
    public long bestBid()
    {
        final BookLevel best = bids.best();
        return best == null ? Long.MIN_VALUE : best.price;
    }

    /** Best ask price or {@link Long#MAX_VALUE}. */
    public long bestAsk()
    {
        final BookLevel best = asks.best();
        return best == null ? Long.MAX_VALUE : best.price;
    }

    void symbol(final org.agrona.DirectBuffer buffer, final int offset)
    {
        int length = 0;
        boolean changed = false;
        for (int i = 0; i < 16; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b == 0)
            {
                break;
            }
            // keep only printable ASCII: a symbol from the wire is shown to people
            final byte printable = b >= 0x21 && b <= 0x7e ? b : (byte)'?';
            changed |= symbol[i] != printable;
            symbol[i] = printable;
            length++;
        }
        for (int i = length; i < 16; i++)
        {
            symbol[i] = 0;
        }
        if (changed || length != symbolLength)
        {
            symbolLength = length;
            symbolString = null;
        }
    }

    /** Text dump of the book, one order per line in priority order (tests and tools). */
    public String describe()
    {
        final StringBuilder out = new StringBuilder();
        out.append(instrumentId).append(' ').append(symbol()).append(" status=").append(status).append(" phase=").append(phase);
        if (indicativeQty > 0)
        {
            out.append(" indicative=").append(indicativePrice).append(" x").append(indicativeQty)
                .append(" imbalance=").append(imbalanceQty).append('/').append(imbalanceSide);
        }
        out.append('\n');
        describe(out, bids, "B");
        describe(out, asks, "S");
        return out.toString();
    }

    private static void describe(final StringBuilder out, final BookSideLevels side, final String tag)
    {
        for (int rank = 0; rank < side.size(); rank++)
        {
            final BookLevel level = side.level(rank);
            out.append(tag).append(' ').append(level.price).append(" x").append(level.totalQty)
                .append(" (").append(level.orderCount).append("):");
            for (BookOrder o = level.head; o != null; o = o.next)
            {
                out.append(' ').append(o.orderId).append('=').append(o.quantity);
            }
            out.append('\n');
        }
    }
}
