package dev.bourse.marketdata;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Every instrument's order-by-order book and the one index of resting orders by id. The
 * publisher keeps one (to know what each journal event does to the displayed book and to send
 * snapshots) and each subscriber keeps one (its local copy). Orders and levels are pooled, so
 * steady state allocates nothing. Single-threaded.
 * <p>
 * Mutators return false when the change does not fit the book (unknown order, quantity larger
 * than displayed): for a subscriber that means its copy has diverged and must be recovered.
 */
public final class OrderBooks
{
    private final Int2ObjectHashMap<OrderBook> books = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<BookOrder> orders;
    private final ArrayDeque<BookOrder> orderPool = new ArrayDeque<>();
    private final ArrayDeque<BookLevel> levelPool = new ArrayDeque<>();

    public OrderBooks(final int expectedOrders)
    {
        orders = new Long2ObjectHashMap<>(Math.max(16, expectedOrders * 2), 0.65f);
        for (int i = 0; i < expectedOrders; i++)
        {
            orderPool.addFirst(new BookOrder());
        }
        for (int i = 0; i < Math.max(16, expectedOrders / 8); i++)
        {
            levelPool.addFirst(new BookLevel());
        }
    }

    /** The book of an instrument, or null if it is not defined. */
    public OrderBook book(final int instrumentId)
    {
        return books.get(instrumentId);
    }

    public int bookCount()
    {
        return books.size();
    }

    /** Visits every book (allocation-free iteration is not needed off the hot path). */
    public void forEachBook(final Consumer<OrderBook> consumer)
    {
        books.values().forEach(consumer);
    }

    /** A resting order by id, or null. */
    public BookOrder order(final long orderId)
    {
        return orders.get(orderId);
    }

    public int orderCount()
    {
        return orders.size();
    }

    /** Defines (or redefines) an instrument; its book is kept. */
    OrderBook define(final int instrumentId, final long tickSize, final long lotSize, final byte status)
    {
        OrderBook book = books.get(instrumentId);
        if (book == null)
        {
            book = new OrderBook(instrumentId, levelPool);
            books.put(instrumentId, book);
        }
        book.tickSize = tickSize;
        book.lotSize = lotSize;
        book.status(status);
        return book;
    }

    boolean add(final int instrumentId, final long orderId, final byte side, final long price, final long quantity)
    {
        final OrderBook book = books.get(instrumentId);
        if (book == null || quantity <= 0 || (side != OrderBook.BUY && side != OrderBook.SELL) || orders.containsKey(orderId))
        {
            return false;
        }
        BookOrder order = orderPool.pollFirst();
        if (order == null)
        {
            order = new BookOrder();
        }
        order.orderId = orderId;
        order.instrumentId = instrumentId;
        order.side = side;
        order.price = price;
        order.quantity = quantity;
        book.side(side).getOrCreate(price).append(order);
        book.orderCount++;
        orders.put(orderId, order);
        return true;
    }

    /** Takes {@code quantity} off a resting order (execution or reduction); it leaves when none is left. */
    boolean reduce(final int instrumentId, final long orderId, final long quantity)
    {
        final BookOrder order = orders.get(orderId);
        if (order == null || order.instrumentId != instrumentId || quantity <= 0 || quantity > order.quantity)
        {
            return false;
        }
        if (quantity == order.quantity)
        {
            remove(order);
        }
        else
        {
            order.quantity -= quantity;
            order.level.totalQty -= quantity;
        }
        return true;
    }

    /**
     * A resting order traded {@code quantity}: its displayed quantity goes down by as much of it
     * as was displayed (an iceberg in an auction can trade past its peak), and it leaves the book
     * when nothing displayed is left.
     */
    boolean execute(final int instrumentId, final long orderId, final long quantity)
    {
        final BookOrder order = orders.get(orderId);
        if (order == null || order.instrumentId != instrumentId || quantity <= 0)
        {
            return false;
        }
        return reduce(instrumentId, orderId, Math.min(quantity, order.quantity));
    }

    boolean delete(final int instrumentId, final long orderId)
    {
        final BookOrder order = orders.get(orderId);
        if (order == null || order.instrumentId != instrumentId)
        {
            return false;
        }
        remove(order);
        return true;
    }

    /** The order leaves its place and joins the back of the level at its new price. */
    boolean replace(final int instrumentId, final long orderId, final long price, final long quantity)
    {
        final BookOrder order = orders.get(orderId);
        if (order == null || order.instrumentId != instrumentId || quantity <= 0)
        {
            return false;
        }
        final byte side = order.side;
        remove(order);
        return add(instrumentId, orderId, side, price, quantity);
    }

    /** Empties an instrument's book (before a snapshot is applied to it). */
    void clear(final int instrumentId)
    {
        final OrderBook book = books.get(instrumentId);
        if (book == null)
        {
            return;
        }
        clearSide(book.bids);
        clearSide(book.asks);
    }

    private void clearSide(final BookSideLevels side)
    {
        while (side.size() > 0)
        {
            final BookLevel level = side.best();
            while (level.head != null)
            {
                remove(level.head);
            }
        }
    }

    private void remove(final BookOrder order)
    {
        final BookLevel level = order.level;
        final OrderBook book = books.get(order.instrumentId);
        level.unlink(order);
        if (level.orderCount == 0)
        {
            book.side(order.side).remove(level);
        }
        book.orderCount--;
        orders.remove(order.orderId);
        order.orderId = 0;
        orderPool.addFirst(order);
    }
}
