package dev.bourse.marketdata;

/**
 * What a {@link MarketDataSubscriber} reports, on the thread that polls it. Books and orders are
 * live views: read them during the call, copy what you keep. Every method has an empty default.
 */
public interface MarketDataListener
{
    /** The subscriber's local books became exact ({@link MarketDataSubscriber.State#SYNCED}) or stopped being so. */
    default void onStateChanged(MarketDataSubscriber.State state)
    {
    }

    /** An instrument was defined (or redefined by a snapshot). */
    default void onInstrument(OrderBook book)
    {
    }

    /**
     * A book changed; called once per book per journal entry, after the entry's last message (a
     * large entry, a sweep of many levels or an uncross, spans several fragments: the book is shown
     * once the last has been applied, never half-way through). Trades, statuses and auction
     * messages are reported as they come.
     */
    default void onBookChanged(OrderBook book)
    {
    }

    /**
     * A trade, for the tape. {@code aggressorSide} is {@link OrderBook#BUY} or {@link OrderBook#SELL},
     * or 0 for the trades of an auction.
     */
    default void onTrade(
        int instrumentId, long tradeId, long price, long quantity, byte aggressorSide, long timestamp, long sequence)
    {
    }

    /** The instrument's status or phase changed ({@link OrderBook#status()}, {@link OrderBook#phase()}). */
    default void onTradingStatus(OrderBook book)
    {
    }

    /** During a call: the indicative price, matched quantity and imbalance changed (read them from the book). */
    default void onAuctionIndication(OrderBook book)
    {
    }

    /**
     * A call's auction: price and quantity (0 if nothing crossed), the quantity left on the surplus
     * side; its trades follow with aggressor side 0.
     */
    default void onAuctionResult(OrderBook book, byte callPhase, long price, long quantity, long imbalance, byte imbalanceSide)
    {
    }
}
