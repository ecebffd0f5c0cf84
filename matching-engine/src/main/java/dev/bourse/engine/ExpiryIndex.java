package dev.bourse.engine;

/**
 * GTD orders by expire time: a binary min-heap of (expireTime, orderId) in two parallel arrays,
 * so an expiry command finds what is due without walking every live order. Entries are not
 * removed when an order ends early; {@link #poll} hands them out anyway and the caller skips
 * orders that are no longer live. Unique keys (order ids never repeat) make the order in which
 * entries come out a function of the keys alone, so an index rebuilt from a snapshot yields live
 * orders in the same order as the original. Engine thread only; grows by doubling.
 */
final class ExpiryIndex
{
    private long[] times = new long[64];
    private long[] orderIds = new long[64];
    private int size;

    int size()
    {
        return size;
    }

    void add(final long expireTime, final long orderId)
    {
        if (size == times.length)
        {
            times = java.util.Arrays.copyOf(times, size * 2);
            orderIds = java.util.Arrays.copyOf(orderIds, size * 2);
        }
        int child = size++;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (!less(expireTime, orderId, times[parent], orderIds[parent]))
            {
                break;
            }
            times[child] = times[parent];
            orderIds[child] = orderIds[parent];
            child = parent;
        }
        times[child] = expireTime;
        orderIds[child] = orderId;
    }

    /** True if the earliest entry expires at or before {@code time}. */
    boolean hasDue(final long time)
    {
        return size > 0 && times[0] <= time;
    }

    /** Removes the earliest entry and returns its order id. Call only if {@link #hasDue}. */
    long poll()
    {
        final long orderId = orderIds[0];
        final int last = --size;
        if (last > 0)
        {
            final long time = times[last];
            final long id = orderIds[last];
            int parent = 0;
            while (true)
            {
                int child = 2 * parent + 1;
                if (child >= last)
                {
                    break;
                }
                if (child + 1 < last && less(times[child + 1], orderIds[child + 1], times[child], orderIds[child]))
                {
                    child++;
                }
                if (!less(times[child], orderIds[child], time, id))
                {
                    break;
                }
                times[parent] = times[child];
                orderIds[parent] = orderIds[child];
                parent = child;
            }
            times[parent] = time;
            orderIds[parent] = id;
        }
        return orderId;
    }

    private static boolean less(final long timeA, final long idA, final long timeB, final long idB)
    {
        return timeA < timeB || (timeA == timeB && idA < idB);
    }
}
