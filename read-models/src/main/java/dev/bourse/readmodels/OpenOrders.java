package dev.bourse.readmodels;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An account's live orders in the order they were accepted, which is OrderID order (the engine
 * assigns ids in increasing order): the order the open-orders pages walk. A list threaded through
 * the orders' rows ({@link OrderRecord#previousOpen}, {@link OrderRecord#nextOpen}), so keeping an
 * order here costs no object of its own (BENCHMARKS.md). An iteration hands out one flyweight,
 * moved along the list: read each order before taking the next. Written by the projection thread only.
 */
public final class OpenOrders implements Iterable<OrderRecord>
{
    private static final AtomicInteger LIST_IDS = new AtomicInteger();

    private final RowStore rows;
    /** Marks the orders in this list (never 0, which means "in no list"). */
    private final int listId = LIST_IDS.incrementAndGet();
    private final OrderRecord neighbour = new OrderRecord();
    private int first = OrderRecord.NONE;
    private int last = OrderRecord.NONE;
    private int size;

    /** A list of orders kept in {@code rows}. */
    OpenOrders(final RowStore rows)
    {
        this.rows = rows;
    }

    /** Appends a newly accepted order (it must not be in any account's list). */
    void add(final OrderRecord order)
    {
        if (order.openIn() != 0)
        {
            throw new IllegalStateException("order " + order.orderId() + " is already open");
        }
        final int row = order.row();
        order.openIn(listId);
        order.previousOpen(last);
        order.nextOpen(OrderRecord.NONE);
        if (last == OrderRecord.NONE)
        {
            first = row;
        }
        else
        {
            neighbour.wrap(rows, last).nextOpen(row);
        }
        last = row;
        size++;
    }

    /** Takes the order out if it is in this list; false if it is not (already closed). */
    boolean remove(final OrderRecord order)
    {
        if (order.openIn() != listId)
        {
            return false;
        }
        final int previous = order.previousOpen();
        final int next = order.nextOpen();
        if (previous == OrderRecord.NONE)
        {
            first = next;
        }
        else
        {
            neighbour.wrap(rows, previous).nextOpen(next);
        }
        if (next == OrderRecord.NONE)
        {
            last = previous;
        }
        else
        {
            neighbour.wrap(rows, next).previousOpen(previous);
        }
        order.previousOpen(OrderRecord.NONE);
        order.nextOpen(OrderRecord.NONE);
        order.openIn(0);
        size--;
        return true;
    }

    public int size()
    {
        return size;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    @Override
    public Iterator<OrderRecord> iterator()
    {
        return new Iterator<>()
        {
            private final OrderRecord cursor = new OrderRecord();
            private int next = first;

            @Override
            public boolean hasNext()
            {
                return next != OrderRecord.NONE;
            }

            @Override
            public OrderRecord next()
            {
                if (next == OrderRecord.NONE)
                {
                    throw new NoSuchElementException();
                }
                cursor.wrap(rows, next);
                next = cursor.nextOpen();
                return cursor;
            }
        };
    }
}
