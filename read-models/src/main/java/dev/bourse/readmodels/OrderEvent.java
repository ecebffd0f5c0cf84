package dev.bourse.readmodels;

/** One change in an order's life, as the history store keeps it (see V1__history.sql, order_events). */
record OrderEvent(
    long sequence, long timestamp, byte type, long price, long quantity, long leavesQty, long cumQty, long cumNotional,
    long tradeId, byte reason, String clOrdId, long stopPrice)
{
}
