package dev.bourse.engine;

/**
 * What the {@link Matcher} reports while it walks a book (parity style). The engine's
 * {@link EntryWriter} is the listener: each call encodes one event and applies it to the state
 * before returning, so the matcher always sees the book as it is after the last match.
 */
interface MatchListener
{
    /** {@code maker} (resting) and {@code taker} trade {@code quantity} at {@code price}. */
    void onMatch(Order maker, Order taker, long price, long quantity);

    /** Self-trade prevention cancels the rest of {@code order} (the resting order or the taker). */
    void onSelfTradePrevented(Order order);

    /** A resting iceberg's visible peak traded away and it has more: it refills at the back of its level. */
    void onPeakExhausted(Order iceberg);
}
