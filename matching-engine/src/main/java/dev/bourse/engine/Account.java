package dev.bourse.engine;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * Cash and positions of one account under spot rules: buy orders hold cash (price x quantity at
 * the hold price), sell orders hold units of the position; fills settle both sides.
 */
public final class Account
{
    final long id;
    byte stpMode;
    long cash;
    long cashHeld;
    final Int2ObjectHashMap<Position> positions = new Int2ObjectHashMap<>();
    /** Live orders in order-id order (for mass cancel). */
    Order ordersHead;
    Order ordersTail;
    int liveOrders;

    Account(final long id, final byte stpMode)
    {
        this.id = id;
        this.stpMode = stpMode;
    }

    Position position(final int instrumentId)
    {
        return positions.get(instrumentId);
    }

    Position positionOrCreate(final int instrumentId)
    {
        Position position = positions.get(instrumentId);
        if (position == null)
        {
            position = new Position(instrumentId);
            positions.put(instrumentId, position);
        }
        return position;
    }

    void appendLive(final Order order)
    {
        order.accountNext = null;
        order.accountPrev = ordersTail;
        if (ordersTail == null)
        {
            ordersHead = order;
        }
        else
        {
            ordersTail.accountNext = order;
        }
        ordersTail = order;
        liveOrders++;
    }

    void unlinkLive(final Order order)
    {
        final Order prev = order.accountPrev;
        final Order next = order.accountNext;
        if (prev == null)
        {
            ordersHead = next;
        }
        else
        {
            prev.accountNext = next;
        }
        if (next == null)
        {
            ordersTail = prev;
        }
        else
        {
            next.accountPrev = prev;
        }
        order.accountPrev = null;
        order.accountNext = null;
        liveOrders--;
    }

    public long id()
    {
        return id;
    }

    public byte stpMode()
    {
        return stpMode;
    }

    public long cash()
    {
        return cash;
    }

    public long cashHeld()
    {
        return cashHeld;
    }

    public long availableCash()
    {
        return cash - cashHeld;
    }

    public int liveOrders()
    {
        return liveOrders;
    }

    /** Position quantity in an instrument (0 if none). */
    public long positionQuantity(final int instrumentId)
    {
        final Position position = positions.get(instrumentId);
        return position == null ? 0 : position.quantity;
    }

    /** Position units held by resting sells (0 if none). */
    public long positionHeld(final int instrumentId)
    {
        final Position position = positions.get(instrumentId);
        return position == null ? 0 : position.held;
    }
}
