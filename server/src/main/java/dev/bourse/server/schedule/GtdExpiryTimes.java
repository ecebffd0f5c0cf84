package dev.bourse.server.schedule;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrdersExpiredDecoder;
import dev.bourse.protocol.sbe.TimeInForce;

import java.util.PriorityQueue;

/**
 * Expires each GTD order at its own ExpireTime (FIX 126), not at the next round of
 * {@link GtdExpirySchedule}: with rounds a minute apart an order traded up to a minute after the
 * time its owner gave (an outside probe). The engine reads no clock, so it cannot expire an order by
 * itself; this source reads every accepted GTD order's expire time from the journal (a
 * {@link JournalEventListener}, fed on the scheduler's thread as {@link VolatilityCallEnds} is) and
 * sends one ExpireOrders as soon as the clock reaches the earliest of them, stamped with that time.
 * The engine then expires every GTD order due by it, so orders sharing an expire time, or falling
 * due between two duty cycles, take one command. Orders that ended earlier cost an ExpireOrders
 * that expires nothing. Times an ExpireOrders in the journal covers are dropped, so at a start (or
 * on a node that becomes leader) one command covers only the expire times past and not yet covered.
 * <p>
 * A command that reaches the engine before the ExpireOrders (stamped after the expire time by the
 * gateway) can still trade with the order: the window is the scheduler's duty cycle plus the
 * ring's, about a millisecond, where it was the whole interval.
 */
public final class GtdExpiryTimes implements ScheduleSource, JournalEventListener
{
    /** Expire times read and not reached yet (nanos since the epoch), earliest first; off the order path, so boxed. */
    private final PriorityQueue<Long> due = new PriorityQueue<>();

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        final long expireTime = event.expireTime();
        if (event.timeInForce() == TimeInForce.GTD && expireTime > 0) // the null value (an entry from before GTD) is negative
        {
            due.add(expireTime);
        }
    }

    /**
     * An ExpireOrders reached the journal, from this scheduler or another (a cluster's leader while
     * this node followed, a round of {@link GtdExpirySchedule}): every time it covers is done, so a
     * node that becomes leader does not send again for orders that expired long ago (an outside probe).
     */
    @Override
    public void onOrdersExpired(final EntryHeaderDecoder header, final OrdersExpiredDecoder event)
    {
        dropDueBy(event.expireTime());
    }

    /** Forgets the expire times up to {@code time}; false if there were none. */
    private boolean dropDueBy(final long time)
    {
        if (due.isEmpty() || due.peek() > time)
        {
            return false;
        }
        while (!due.isEmpty() && due.peek() <= time)
        {
            due.poll();
        }
        return true;
    }

    /**
     * A restart catches up a missed action (an auction, a day end): the GTD orders due by its time
     * expire first, as they would have, and those due after it only after it (in {@link #poll}).
     */
    @Override
    public void beforeCatchUp(final long scheduledAt, final long nowNanos, final DayPlan plan)
    {
        if (!dropDueBy(scheduledAt))
        {
            return;
        }
        plan.schedule(nowNanos, null, "GTD orders due by " + scheduledAt + " ns, before a catch-up",
            (writer, buffer, timestamp) -> writer.expireOrders(buffer, 0, timestamp, scheduledAt));
    }

    @Override
    public void poll(final long nowNanos, final DayPlan plan)
    {
        final Long earliest = due.peek();
        if (!dropDueBy(nowNanos))
        {
            return;
        }
        plan.schedule(nowNanos, null, "GTD orders due at " + earliest + " ns",
            (writer, buffer, timestamp) -> writer.expireOrders(buffer, 0, timestamp, timestamp));
    }

    /** Expire times read and not yet reached (tests). */
    public int pending()
    {
        return due.size();
    }
}
