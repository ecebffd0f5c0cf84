package dev.bourse.engine;

/**
 * A live order. Pooled and mutable: the engine reuses instances, so nothing outside the engine
 * thread may hold one. Intrusive links place it in its price level's queue (a book level, or a
 * stop level while a stop is held off the book), its account's list and its instrument's list
 * (the last two in order-id order).
 */
public final class Order
{
    long orderId;
    long accountId;
    int instrumentId;
    int sessionId;
    byte side;
    byte ordType;
    byte timeInForce;
    byte flags;
    byte stpMode;
    long price;
    long quantity;
    long leavesQty;
    long cumQty;
    long cumNotional;
    long holdPrice;
    long clOrdId0;
    long clOrdId1;
    int clOrdId2;
    /** STOP, STOP_LIMIT: the trigger price (kept after election, for reports); else 0. */
    long stopPrice;
    /** Iceberg: the peak size (FIX MaxFloor); 0 for a fully visible order. */
    long maxFloor;
    /** Iceberg: what is visible of it now (0 until it rests; a refill puts it back to the peak). */
    long displayQty;
    /** GTD: nanos since the epoch; else 0. */
    long expireTime;

    Account account;
    Instrument instrument;
    PriceLevel level;
    Order prev;
    Order next;
    Order accountPrev;
    Order accountNext;
    Order instrumentPrev;
    Order instrumentNext;

    void reset()
    {
        account = null;
        instrument = null;
        level = null;
        prev = null;
        next = null;
        accountPrev = null;
        accountNext = null;
        instrumentPrev = null;
        instrumentNext = null;
    }

    public long orderId()
    {
        return orderId;
    }

    public long accountId()
    {
        return accountId;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public int sessionId()
    {
        return sessionId;
    }

    public byte side()
    {
        return side;
    }

    public byte ordType()
    {
        return ordType;
    }

    public byte timeInForce()
    {
        return timeInForce;
    }

    public boolean isPostOnly()
    {
        return (flags & EngineCodes.FLAG_POST_ONLY) != 0;
    }

    public byte stpMode()
    {
        return stpMode;
    }

    public long price()
    {
        return price;
    }

    public long quantity()
    {
        return quantity;
    }

    public long leavesQty()
    {
        return leavesQty;
    }

    public long cumQty()
    {
        return cumQty;
    }

    public long cumNotional()
    {
        return cumNotional;
    }

    public long holdPrice()
    {
        return holdPrice;
    }

    /** The next order in time priority at its price (or at its stop price while held), or null. */
    public Order nextInLevel()
    {
        return next;
    }

    /** True while on the book (a held stop is not). */
    public boolean isResting()
    {
        return level != null && !EngineCodes.isStop(ordType);
    }

    /** A stop or stop-limit order not yet elected: held off the book. */
    public boolean isHeldStop()
    {
        return EngineCodes.isStop(ordType);
    }

    public long stopPrice()
    {
        return stopPrice;
    }

    public long maxFloor()
    {
        return maxFloor;
    }

    public boolean isIceberg()
    {
        return maxFloor > 0;
    }

    /** The quantity the book shows: an iceberg's current peak, else all of its leaves. */
    public long visibleQty()
    {
        return maxFloor > 0 ? displayQty : leavesQty;
    }

    public long expireTime()
    {
        return expireTime;
    }
}
