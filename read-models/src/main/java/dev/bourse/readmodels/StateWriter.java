package dev.bourse.readmodels;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes {@link ReadModels}' state a slice at a time ({@link ReadModels#stateWriter}), in
 * {@link ReadModels#writeTo}'s canonical order: the orders put in OrderID order ({@link
 * RowsInKeyOrder}), the orders, the accounts with their open OrderIDs, then the markets. The
 * models must not change until {@link #writeSome} says it is done.
 */
public final class StateWriter
{
    /** A market (depth, recent trades, candles) weighs this many orders in a slice. */
    private static final int MARKET_WEIGHT = 16;
    private static final int ORDERS_IN_ORDER = 0;
    private static final int ORDERS = 1;
    private static final int ACCOUNTS = 2;
    private static final int MARKETS = 3;
    private static final int DONE = 4;

    private final DataOutput out;
    private final KeyedRows orders;
    private final Map<Long, AccountView> accounts;
    private final Map<Integer, MarketView> markets;
    private final OrderRecord orderView = new OrderRecord();
    private final RowsInKeyOrder orderRows;
    private final long[] accountIds;
    private final int[] instrumentIds;
    private int stage = ORDERS_IN_ORDER;
    /** The next item of the stage. */
    private int next;
    /** The open orders of the account being written: an account may hold most of the live orders. */
    private Iterator<OrderRecord> openOrderIds;

    StateWriter(final ReadModels models, final DataOutput out) throws IOException
    {
        this.out = out;
        this.orders = models.orderRows();
        this.accounts = models.accounts();
        this.markets = models.markets();
        out.writeLong(models.position());
        out.writeLong(models.sequence());
        out.writeLong(models.entryTimestamp());
        out.writeLong(models.entriesApplied());
        out.writeLong(models.eventsApplied());
        out.writeLong(models.tradingDay().number());
        out.writeLong(models.tradingDay().date());
        orderRows = new RowsInKeyOrder(orders); // by OrderID
        accountIds = accounts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        instrumentIds = markets.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * Writes about {@code items} more orders' worth (an order, an account's head or one of its
     * open OrderIDs counts one); true once all is written.
     */
    public boolean writeSome(final int items) throws IOException
    {
        int left = items;
        while (left > 0 && stage != DONE)
        {
            switch (stage)
            {
                case ORDERS_IN_ORDER:
                    if (orderRows.ready())
                    {
                        out.writeInt(orderRows.count());
                        stage = ORDERS;
                    }
                    else
                    {
                        left -= orderRows.prepare(left);
                    }
                    break;
                case ORDERS:
                    if (next < orderRows.count())
                    {
                        orderView.wrap(orders.rows(), orderRows.nextRow()).write(out);
                        next++;
                        left--;
                    }
                    else
                    {
                        out.writeInt(accountIds.length);
                        stage = ACCOUNTS;
                        next = 0;
                    }
                    break;
                case ACCOUNTS:
                    if (openOrderIds != null && openOrderIds.hasNext())
                    {
                        out.writeLong(openOrderIds.next().orderId());
                        left--;
                    }
                    else if (next < accountIds.length)
                    {
                        final AccountView account = accounts.get(accountIds[next++]);
                        account.writeHead(out);
                        openOrderIds = account.openOrders().iterator();
                        left--;
                    }
                    else
                    {
                        out.writeInt(instrumentIds.length);
                        stage = MARKETS;
                        next = 0;
                    }
                    break;
                default:
                    if (next < instrumentIds.length)
                    {
                        markets.get(instrumentIds[next++]).write(out);
                        left -= MARKET_WEIGHT;
                    }
                    else
                    {
                        stage = DONE;
                    }
                    break;
            }
        }
        return stage == DONE;
    }
}
