package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdStatus;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * How the orders that today's ClOrdID index can still name ended: filled, canceled or expired. A
 * cancel or replace that names such an order by its OrigClOrdID is too late, and FIX's
 * OrderCancelReject then gives the order's id and its final status (2, 4 or C), not "rejected".
 * <p>
 * Orders entered since the ClOrdID day began (ids from {@link #base} up, handed out in sequence)
 * take one byte each in an array: noting an order's end is one store near the other recent ones,
 * with no lookup on the fill or cancel path. The few orders that were live when the day began
 * (good-till orders whose ClOrdIDs the index kept) go in a map when they end. Both are emptied when
 * the ClOrdID day ends, as the index forgets the ids of orders no longer live.
 */
final class DeadOrders
{
    static final byte LIVE_OR_UNKNOWN = 0;
    static final byte FILLED = 1;
    static final byte CANCELED = 2;
    static final byte EXPIRED = 3;

    private long base = 1;
    private byte[] recent;
    private final Long2LongHashMap older = new Long2LongHashMap(LIVE_OR_UNKNOWN);

    DeadOrders(final int expectedOrdersPerDay)
    {
        recent = new byte[Math.max(16, expectedOrdersPerDay)];
    }

    /** Order {@code orderId} ended {@code how} ({@link #FILLED}, {@link #CANCELED} or {@link #EXPIRED}). */
    void ended(final long orderId, final byte how)
    {
        final long index = orderId - base;
        if (index < 0)
        {
            older.put(orderId, how);
            return;
        }
        if (index >= recent.length)
        {
            grow(index);
        }
        recent[(int)index] = how;
    }

    /** How order {@code orderId} ended, or {@link #LIVE_OR_UNKNOWN}. */
    byte how(final long orderId)
    {
        final long index = orderId - base;
        if (index < 0)
        {
            return (byte)older.get(orderId);
        }
        return index < recent.length ? recent[(int)index] : LIVE_OR_UNKNOWN;
    }

    static OrdStatus asOrdStatus(final byte how)
    {
        switch (how)
        {
            case FILLED:
                return OrdStatus.FILLED;
            case CANCELED:
                return OrdStatus.CANCELED;
            case EXPIRED:
                return OrdStatus.EXPIRED;
            default:
                return OrdStatus.UNKNOWN;
        }
    }

    /** The ClOrdID day ended: orders from {@code nextOrderId} up are the new day's. */
    void dayStarted(final long nextOrderId)
    {
        Arrays.fill(recent, LIVE_OR_UNKNOWN);
        older.clear();
        base = nextOrderId;
    }

    private void grow(final long index)
    {
        if (index >= Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " orders in one ClOrdID day");
        }
        recent = Arrays.copyOf(recent, (int)Math.min(Integer.MAX_VALUE - 8, Math.max(index + 1, recent.length * 2L)));
    }

    // ------------------------------------------------------------------ snapshots (canonical: same state, same bytes)

    void write(final StateOutput out, final long lastOrderId)
    {
        out.putLong(base);
        final long count = Math.max(0, Math.min(recent.length, lastOrderId - base + 1));
        out.putInt((int)count);
        for (int i = 0; i < count; i++)
        {
            out.putByte(recent[i]);
        }
        final long[] keys = new long[older.size()];
        int k = 0;
        for (final Long2LongHashMap.KeyIterator it = older.keySet().iterator(); it.hasNext(); )
        {
            keys[k++] = it.nextValue();
        }
        Arrays.sort(keys);
        out.putInt(keys.length);
        for (final long key : keys)
        {
            out.putLong(key);
            out.putByte((byte)older.get(key));
        }
    }

    void read(final StateInput in)
    {
        dayStarted(in.getLong());
        final int count = in.getInt();
        if (count > 0)
        {
            grow(count - 1L);
        }
        for (int i = 0; i < count; i++)
        {
            recent[i] = in.getByte();
        }
        final int olderCount = in.getInt();
        for (int i = 0; i < olderCount; i++)
        {
            older.put(in.getLong(), in.getByte());
        }
    }
}
