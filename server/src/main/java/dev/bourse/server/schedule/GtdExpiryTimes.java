package dev.bourse.server.schedule;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.TimeInForce;

import java.util.Arrays;

/**
 * Expires each GTD order at its own ExpireTime (FIX 126), not at the next round of
 * {@link GtdExpirySchedule}: with rounds a minute apart an order traded up to a minute after the
 * time its owner gave (an outside probe). The engine reads no clock, so it cannot expire an order by
 * itself; this source reads every accepted GTD order's expire time from the journal (a
 * {@link JournalEventListener}, fed on the scheduler's thread as {@link VolatilityCallEnds} is) and
 * sends one ExpireOrders as soon as the clock reaches the earliest of them, stamped with that time.
 * The engine then expires every GTD order due by it, so orders sharing an expire time, or falling
 * due between two duty cycles, take one command. Orders that ended earlier cost an ExpireOrders
 * that expires nothing. At a start every expire time already past is covered by one command.
 * <p>
 * A command that reaches the engine before the ExpireOrders (stamped after the expire time by the
 * gateway) can still trade with the order: the window is the scheduler's duty cycle plus the
 * ring's, about a millisecond, where it was the whole interval.
 */
public final class GtdExpiryTimes implements ScheduleSource, JournalEventListener
{
    /** A binary min-heap of expire times (nanos since the epoch), primitive: a busy day adds millions. */
    private long[] heap = new long[64];
    private int size;

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        if (event.timeInForce() == TimeInForce.GTD)
        {
            final long expireTime = event.expireTime();
            if (expireTime > 0) // the null value (an entry from before GTD) is negative
            {
                add(expireTime);
            }
        }
    }

    @Override
    public void poll(final long nowNanos, final DayPlan plan)
    {
        if (size == 0 || heap[0] > nowNanos)
        {
            return;
        }
        final long earliest = heap[0];
        while (size > 0 && heap[0] <= nowNanos)
        {
            removeFirst();
        }
        plan.schedule(nowNanos, null, "GTD orders due at " + earliest + " ns",
            (writer, buffer, timestamp) -> writer.expireOrders(buffer, 0, timestamp, timestamp));
    }

    /** Expire times read and not yet reached (tests). */
    public int pending()
    {
        return size;
    }

    private void add(final long time)
    {
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int child = size++;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (heap[parent] <= time)
            {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = time;
    }

    private void removeFirst()
    {
        final long last = heap[--size];
        int parent = 0;
        while (true)
        {
            int child = 2 * parent + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child])
            {
                child++;
            }
            if (heap[child] >= last)
            {
                break;
            }
            heap[parent] = heap[child];
            parent = child;
        }
        if (size > 0)
        {
            heap[parent] = last;
        }
    }
}
