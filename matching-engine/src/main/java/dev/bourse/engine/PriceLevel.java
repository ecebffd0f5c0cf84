package dev.bourse.engine;

/** All resting orders at one price on one side, in time priority (a doubly linked queue). */
public final class PriceLevel
{
    long price;
    Order head;
    Order tail;
    int orderCount;
    long totalQty;

    void append(final Order order)
    {
        order.level = this;
        order.next = null;
        order.prev = tail;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.next = order;
        }
        tail = order;
        orderCount++;
        totalQty += order.leavesQty;
    }

    void unlink(final Order order)
    {
        final Order prev = order.prev;
        final Order next = order.next;
        if (prev == null)
        {
            head = next;
        }
        else
        {
            prev.next = next;
        }
        if (next == null)
        {
            tail = prev;
        }
        else
        {
            next.prev = prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        orderCount--;
        totalQty -= order.leavesQty;
    }

    public long price()
    {
        return price;
    }

    public Order head()
    {
        return head;
    }

    public int orderCount()
    {
        return orderCount;
    }

    public long totalQty()
    {
        return totalQty;
    }
}
