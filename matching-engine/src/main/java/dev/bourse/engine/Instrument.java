package dev.bourse.engine;

import dev.bourse.protocol.Prices;

/** A tradable instrument with its rules, trading status and order book. */
public final class Instrument
{
    final int id;
    final long symbol0;
    final long symbol1;
    final long tickSize;
    final long lotSize;
    final long minQuantity;
    final long maxQuantity;
    final long maxNotional;
    final int priceBandBps;
    long referencePrice;
    long bandLow;
    long bandHigh;
    byte status;
    final BookSide bids;
    final BookSide asks;
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
        this.tickSize = tickSize;
        this.lotSize = lotSize;
        this.minQuantity = minQuantity;
        this.maxQuantity = maxQuantity;
        this.maxNotional = maxNotional;
        this.priceBandBps = priceBandBps;
        this.status = status;
        this.bids = new BookSide(true, levelPool, levelCapacity);
        this.asks = new BookSide(false, levelPool, levelCapacity);
        setReferencePrice(referencePrice);
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
