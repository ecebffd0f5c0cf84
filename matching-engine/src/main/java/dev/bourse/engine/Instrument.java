package dev.bourse.engine;

import dev.bourse.protocol.Prices;

/**
 * A tradable instrument with its rules, trading phase (and the status it implies), order book,
 * held stop orders, volatility guards and, during a call, the last published auction indication.
 */
public final class Instrument
{
    final int id;
    final long symbol0;
    final long symbol1;
    /* The rules below change only by AmendInstrument (see amend): resting orders keep what they were checked against. */
    long tickSize;
    long lotSize;
    long minQuantity;
    long maxQuantity;
    long maxNotional;
    int priceBandBps;
    long referencePrice;
    long bandLow;
    long bandHigh;
    byte status;
    byte phase;
    final BookSide bids;
    final BookSide asks;
    /** Held buy stops: lowest stop price first (a rising price reaches them in that order). */
    final BookSide buyStops;
    /** Held sell stops: highest stop price first. */
    final BookSide sellStops;
    int heldStops;
    /**
     * All accounts' positions in this instrument (derived, like {@link EngineState#totalCash}:
     * changed only by deposits and withdrawals, recomputed when a snapshot is read).
     */
    long totalPosition;

    /** The last trade's price (0: never traded); the dynamic guard and the uncross look at it. */
    long lastTradePrice;
    /** The last trade's price before the entry {@link #lastTradeSequence} (the dynamic guard's anchor then). */
    long priorTradePrice;
    long lastTradeSequence;
    /**
     * Live-engine bookkeeping for stop elections: the lowest and highest price printed in entry
     * {@link #lastTradeSequence} since its last election round began. A sweep that prints through
     * a stop's price triggers it, though the last price ends past it.
     */
    long printLow;
    long printHigh;
    /** The price of the last auction that traded (0: none): the static guard's anchor. */
    long lastAuctionPrice;
    int dynamicBandBps;
    int staticBandBps;
    long interruptionNanos;

    /** The auction indication last published during the current call (all 0 outside calls). */
    long indicativePrice;
    long indicativeQty;
    long imbalanceQty;
    byte imbalanceSide;

    /** Live-engine bookkeeping: in the current command's list of instruments to look at when it ends. */
    boolean touched;
    /** Live-engine bookkeeping: triggered stops left for the next command (the election bound was reached). */
    boolean stopsPending;
    /** Live orders of this instrument in order-id order (for day-end expiry). */
    Order ordersHead;
    Order ordersTail;
    int liveOrders;

    Instrument(
        final int id,
        final long symbol0,
        final long symbol1,
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps,
        final byte status,
        final LevelPool levelPool,
        final int levelCapacity)
    {
        this.id = id;
        this.symbol0 = symbol0;
        this.symbol1 = symbol1;
        this.status = status;
        this.phase = EngineCodes.phaseOf(status);
        this.bids = new BookSide(true, levelPool, levelCapacity);
        this.asks = new BookSide(false, levelPool, levelCapacity);
        this.buyStops = new BookSide(false, levelPool, 4);
        this.sellStops = new BookSide(true, levelPool, 4);
        amend(tickSize, lotSize, minQuantity, maxQuantity, maxNotional, referencePrice, priceBandBps);
    }

    /**
     * The band is reference +/- reference x bps / 10,000, rounded inwards to whole ticks and never
     * below one tick. Callers validate first with {@link #bandFits}.
     */
    void setReferencePrice(final long referencePrice)
    {
        this.referencePrice = referencePrice;
        final long width = Prices.multiplyOrOverflow(referencePrice, priceBandBps) / 10_000L;
        final long high = referencePrice + width;
        final long low = referencePrice - width;
        bandHigh = high - Math.floorMod(high, tickSize);
        final long lowOnTick = low + Math.floorMod(-low, tickSize);
        bandLow = Math.max(tickSize, lowOnTick);
    }

    /** The trading rules, at creation or from an AmendInstrument (validated first); the band is recomputed around the reference price. */
    void amend(
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps)
    {
        this.tickSize = tickSize;
        this.lotSize = lotSize;
        this.minQuantity = minQuantity;
        this.maxQuantity = maxQuantity;
        this.maxNotional = maxNotional;
        this.priceBandBps = priceBandBps;
        setReferencePrice(referencePrice);
    }

    /** True if a band around this reference price can be computed without overflow. */
    static boolean bandFits(final long referencePrice, final int priceBandBps)
    {
        final long product = Prices.multiplyOrOverflow(referencePrice, priceBandBps);
        return product >= 0 && referencePrice + product / 10_000L > 0;
    }

    void appendLive(final Order order)
    {
        order.instrumentNext = null;
        order.instrumentPrev = ordersTail;
        if (ordersTail == null)
        {
            ordersHead = order;
        }
        else
        {
            ordersTail.instrumentNext = order;
        }
        ordersTail = order;
        liveOrders++;
    }

    void unlinkLive(final Order order)
    {
        final Order prev = order.instrumentPrev;
        final Order next = order.instrumentNext;
        if (prev == null)
        {
            ordersHead = next;
        }
        else
        {
            prev.instrumentNext = next;
        }
        if (next == null)
        {
            ordersTail = prev;
        }
        else
        {
            next.instrumentPrev = prev;
        }
        order.instrumentPrev = null;
        order.instrumentNext = null;
        liveOrders--;
    }

    BookSide side(final byte side)
    {
        return side == EngineCodes.BUY ? bids : asks;
    }

    /** Where held stops of a side wait. */
    BookSide stops(final byte side)
    {
        return side == EngineCodes.BUY ? buyStops : sellStops;
    }

    boolean inCall()
    {
        return EngineCodes.isCall(phase);
    }

    /** The price the dynamic guard is centred on for a trade in entry {@code sequence}: the last price before it. */
    long dynamicAnchor(final long sequence)
    {
        return lastTradeSequence == sequence ? priorTradePrice : lastTradePrice;
    }

    /** The price the static guard is centred on: the last auction's, else the reference price. */
    long staticAnchor()
    {
        return lastAuctionPrice > 0 ? lastAuctionPrice : referencePrice;
    }

    /** The price an auction's last tie-break is closest to: the last trade's, else the reference price. */
    long auctionReference()
    {
        return lastTradePrice > 0 ? lastTradePrice : referencePrice;
    }

    boolean hasGuards()
    {
        return dynamicBandBps > 0 || staticBandBps > 0;
    }

    /** Lowest price a trade in entry {@code sequence} may print at without a volatility interruption. */
    long guardLow(final long sequence)
    {
        long low = Long.MIN_VALUE;
        if (dynamicBandBps > 0)
        {
            final long anchor = dynamicAnchor(sequence);
            if (anchor > 0)
            {
                low = anchor - width(anchor, dynamicBandBps);
            }
        }
        if (staticBandBps > 0)
        {
            final long anchor = staticAnchor();
            low = Math.max(low, anchor - width(anchor, staticBandBps));
        }
        return low;
    }

    /** Highest price a trade in entry {@code sequence} may print at without a volatility interruption. */
    long guardHigh(final long sequence)
    {
        long high = Long.MAX_VALUE;
        if (dynamicBandBps > 0)
        {
            final long anchor = dynamicAnchor(sequence);
            if (anchor > 0)
            {
                high = anchor + width(anchor, dynamicBandBps);
            }
        }
        if (staticBandBps > 0)
        {
            final long anchor = staticAnchor();
            high = Math.min(high, anchor + width(anchor, staticBandBps));
        }
        return high;
    }

    /** anchor x bps / 10,000; a product past a long is no limit at all. */
    private static long width(final long anchor, final int bps)
    {
        final long product = Prices.multiplyOrOverflow(anchor, bps);
        return product < 0 ? Long.MAX_VALUE / 2 : product / 10_000L;
    }

    BookSide opposite(final byte side)
    {
        return side == EngineCodes.BUY ? asks : bids;
    }

    public int id()
    {
        return id;
    }

    public long tickSize()
    {
        return tickSize;
    }

    public long lotSize()
    {
        return lotSize;
    }

    public long minQuantity()
    {
        return minQuantity;
    }

    public long maxQuantity()
    {
        return maxQuantity;
    }

    public long maxNotional()
    {
        return maxNotional;
    }

    public long referencePrice()
    {
        return referencePrice;
    }

    public int priceBandBps()
    {
        return priceBandBps;
    }

    public long bandLow()
    {
        return bandLow;
    }

    public long bandHigh()
    {
        return bandHigh;
    }

    public byte status()
    {
        return status;
    }

    public byte phase()
    {
        return phase;
    }

    public long lastTradePrice()
    {
        return lastTradePrice;
    }

    public long lastAuctionPrice()
    {
        return lastAuctionPrice;
    }

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

    public byte imbalanceSide()
    {
        return imbalanceSide;
    }

    public int heldStops()
    {
        return heldStops;
    }

    public BookSide buyStops()
    {
        return buyStops;
    }

    public BookSide sellStops()
    {
        return sellStops;
    }

    public BookSide bids()
    {
        return bids;
    }

    public BookSide asks()
    {
        return asks;
    }

    public int liveOrders()
    {
        return liveOrders;
    }

    /** Writes the symbol's 16 bytes (zero padded, as InstrumentAdded carries them) at {@code offset}. */
    public void symbolBytes(final org.agrona.MutableDirectBuffer buffer, final int offset)
    {
        buffer.putLong(offset, symbol0, java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + 8, symbol1, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** The symbol as a String (allocates; tools and tests only). */
    public String symbol()
    {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(symbol0 >>> (8 * i));
            bytes[8 + i] = (byte)(symbol1 >>> (8 * i));
        }
        int length = 0;
        while (length < 16 && bytes[length] != 0)
        {
            length++;
        }
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
