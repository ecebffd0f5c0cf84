package dev.bourse.readmodels;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An account's live orders in the order they were accepted, which is OrderID order (the engine
 * assigns ids in increasing order): the order the open-orders pages walk. A list threaded through
 * the orders themselves ({@link OrderRecord#previousOpen}, {@link OrderRecord#nextOpen}), so keeping
 * an order here costs no object of its own. A map entry and a boxed key per resting order were a
 * sixth of what every young collection copied while the book grew (BENCHMARKS.md). Written by the
 * projection thread only.
 */
public final class OpenOrders implements Iterable<OrderRecord>
{
    private OrderRecord first;
    private OrderRecord last;
    private int size;

    /** Appends a newly accepted order (it must not be in any account's list). */
    void add(final OrderRecord order)
    {
        if (order.openIn != null)
        {
            throw new IllegalStateException("order " + order.orderId + " is already open");
        }
        order.openIn = this;
        order.previousOpen = last;
        order.nextOpen = null;
        if (last == null)
        {
            first = order;
        }
        else
        {
            last.nextOpen = order;
        }
        last = order;
        size++;
    }

    /** Takes the order out if it is in this list; false if it is not (already closed). */
    boolean remove(final OrderRecord order)
    {
        if (order.openIn != this)
        {
            return false;
        }
        final OrderRecord previous = order.previousOpen;
        final OrderRecord next = order.nextOpen;
        if (previous == null)
        {
            first = next;
        }
        else
        {
            previous.nextOpen = next;
        }
        if (next == null)
        {
            last = previous;
        }
        else
        {
            next.previousOpen = previous;
        }
        order.previousOpen = null;
        order.nextOpen = null;
        order.openIn = null;
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
            private OrderRecord next = first;

            @Override
            public boolean hasNext()
            {
                return next != null;
            }

            @Override
            public OrderRecord next()
            {
                if (next == null)
                {
                    throw new NoSuchElementException();
                }
                final OrderRecord order = next;
                next = order.nextOpen;
                return order;
            }
        };
    }
}
