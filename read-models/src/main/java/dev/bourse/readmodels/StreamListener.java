package dev.bourse.readmodels;

/**
 * Hears every change of the hot projections as it is applied, on the projection thread: the live
 * streams' source. Implementations must be quick and must never block (they hand off to another
 * thread); the default does nothing.
 */
public interface StreamListener
{
    StreamListener NONE = new StreamListener()
    {
    };

    /** A journal entry at this position begins (its events follow). */
    default void onEntryStart(long position, long sequence, long timestamp)
    {
    }

    /** A trade print (the market's recent trades and current candles already include it); an auction's has no taker side (0). */
    default void onTrade(MarketView market, long tradeId, long price, long quantity, byte takerSide)
    {
    }

    /**
     * A price level changed by {@code quantityDelta} and {@code orderDelta} (quantity 0: it is gone);
     * {@code depth} is the side after the change.
     */
    default void onDepth(MarketView market, byte side, long price, DepthSide depth, long quantityDelta, int orderDelta)
    {
    }

    /** The instrument was added, or its trading status or reference price changed. */
    default void onStatus(MarketView market)
    {
    }

    /** An order's state after a change (accepted, filled, canceled, replaced). */
    default void onOrder(OrderRecord order)
    {
    }

    /** A fill of an order (the order's state is already updated); {@code liquidity} a {@link Liquidity} value. */
    default void onFill(OrderRecord order, long tradeId, long price, long quantity, byte liquidity)
    {
    }

    /** All events of the current journal entry have been applied. */
    default void onEntryEnd(ReadModels models)
    {
    }
}
