package dev.bourse.readmodels.stream;

import org.agrona.collections.Long2LongHashMap;

/**
 * The price levels one journal entry changed, each once, with the quantity and order count it had
 * before the entry: at the entry's end a level is sent only if it differs from that, once. Sent per
 * event, a replace that kept its place (an iceberg's hidden part amended) sent an unchanged level,
 * a signal the market-data feed does not give (an outside probe), and a sweep sent each level
 * half-way through it. Allocation-free once its arrays have grown to the largest entry.
 */
final class TouchedLevels
{
    private static final long NONE = -1;

    private final Long2LongHashMap indexByKey = new Long2LongHashMap(NONE);
    private int[] instruments = new int[64];
    private byte[] sides = new byte[64];
    private long[] prices = new long[64];
    private long[] quantitiesBefore = new long[64];
    private long[] ordersBefore = new long[64];
    /** The level's side in {@link DepthCuts}. */
    private int[] sideIndexes = new int[64];
    private int count;

    /**
     * A level changed by ({@code quantityDelta}, {@code orderDelta}) to ({@code quantityAfter},
     * {@code ordersAfter}); its value before the entry is kept the first time it is seen, with the
     * index of its side in {@link DepthCuts}.
     */
    void touch(final int instrumentId, final byte side, final long price, final long quantityAfter, final long ordersAfter,
        final long quantityDelta, final long orderDelta, final int sideIndex)
    {
        final long key = key(instrumentId, side, price);
        final long hinted = indexByKey.get(key);
        if (hinted != NONE && matches((int)hinted, instrumentId, side, price))
        {
            return;
        }
        if (hinted != NONE && indexOf(instrumentId, side, price) >= 0)
        {
            return; // two levels whose keys collide: the first holds the hint, the scan finds the other
        }
        if (count == prices.length)
        {
            grow();
        }
        instruments[count] = instrumentId;
        sides[count] = side;
        prices[count] = price;
        quantitiesBefore[count] = quantityAfter - quantityDelta;
        ordersBefore[count] = ordersAfter - orderDelta;
        sideIndexes[count] = sideIndex;
        if (hinted == NONE)
        {
            indexByKey.put(key, count);
        }
        count++;
    }

    private static long key(final int instrumentId, final byte side, final long price)
    {
        return price ^ ((long)instrumentId << 40) ^ ((long)side << 62);
    }

    private boolean matches(final int i, final int instrumentId, final byte side, final long price)
    {
        return instruments[i] == instrumentId && sides[i] == side && prices[i] == price;
    }

    /** Whether the entry changed this level. */
    boolean contains(final int instrumentId, final byte side, final long price)
    {
        final long hinted = indexByKey.get(key(instrumentId, side, price));
        if (hinted == NONE)
        {
            return false;
        }
        return matches((int)hinted, instrumentId, side, price) || indexOf(instrumentId, side, price) >= 0;
    }

    private int indexOf(final int instrumentId, final byte side, final long price)
    {
        for (int i = 0; i < count; i++)
        {
            if (matches(i, instrumentId, side, price))
            {
                return i;
            }
        }
        return -1;
    }

    private void grow()
    {
        final int length = prices.length * 2;
        instruments = java.util.Arrays.copyOf(instruments, length);
        sides = java.util.Arrays.copyOf(sides, length);
        prices = java.util.Arrays.copyOf(prices, length);
        quantitiesBefore = java.util.Arrays.copyOf(quantitiesBefore, length);
        ordersBefore = java.util.Arrays.copyOf(ordersBefore, length);
        sideIndexes = java.util.Arrays.copyOf(sideIndexes, length);
    }

    int size()
    {
        return count;
    }

    int instrumentId(final int i)
    {
        return instruments[i];
    }

    byte side(final int i)
    {
        return sides[i];
    }

    long price(final int i)
    {
        return prices[i];
    }

    int sideIndex(final int i)
    {
        return sideIndexes[i];
    }

    /** True if the level was in the book before the entry. */
    boolean existedBefore(final int i)
    {
        return ordersBefore[i] > 0;
    }

    /** True if the level now differs from what it was before the entry. */
    boolean changed(final int i, final long quantityNow, final long ordersNow)
    {
        return quantityNow != quantitiesBefore[i] || ordersNow != ordersBefore[i];
    }

    /** Forgets this entry's levels key by key: clearing the whole map costs its capacity, which a large entry grew. */
    void clear()
    {
        for (int i = 0; i < count; i++)
        {
            indexByKey.remove(key(instruments[i], sides[i], prices[i]));
        }
        count = 0;
    }
}
