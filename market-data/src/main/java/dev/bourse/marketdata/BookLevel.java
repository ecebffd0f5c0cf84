package dev.bourse.marketdata;

/** All orders at one price on one side, oldest first: the aggregated depth is price, total and count. */
public final class BookLevel
{
    long price;
    BookOrder head;
    BookOrder tail;
    int orderCount;
    long totalQty;

    void append(final BookOrder order)
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
        totalQty += order.quantity;
    }

    void unlink(final BookOrder order)
    {
        final BookOrder prev = order.prev;
        final BookOrder next = order.next;
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
        totalQty -= order.quantity;
    }

    public long price()
    {
        return price;
    }

    /** The oldest order at this price. */
    public BookOrder head()
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
