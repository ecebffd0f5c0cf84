package dev.bourse.marketdata;

/**
 * One resting order as the feed shows it: anonymous (no account), its displayed quantity and its
 * place in its price level's queue. Pooled and mutable: valid only during a callback.
 */
public final class BookOrder
{
    long orderId;
    int instrumentId;
    byte side;
    long price;
    long quantity;
    BookLevel level;
    BookOrder prev;
    BookOrder next;

    public long orderId()
    {
        return orderId;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    /** {@link OrderBook#BUY} or {@link OrderBook#SELL}. */
    public byte side()
    {
        return side;
    }

    public long price()
    {
        return price;
    }

    /** Displayed (leaves) quantity. */
    public long quantity()
    {
        return quantity;
    }

    /** The next order in time priority at the same price, or null. */
    public BookOrder next()
    {
        return next;
    }

    @Override
    public String toString()
    {
        return orderId + (side == OrderBook.BUY ? " B " : " S ") + quantity + "@" + price;
    }
}
