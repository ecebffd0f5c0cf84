package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.DepthSide;
import org.agrona.collections.Long2LongHashMap;

/**
 * Where the depth channel's top levels ended before the current journal entry, for each book side
 * the entry changed: the price of the side's last level in them, or {@link #NONE} if the side had
 * no more levels than that (all of them were in). With the cut after the entry this tells which
 * levels left or entered the top levels without being changed themselves.
 * <p>
 * Noted at a side's first change in the entry, from the side after that one change (undone in the
 * arithmetic: no copy of the book). A side no deeper than the limit costs a comparison of sizes.
 * Allocation-free once its arrays have grown to the most sides one entry changed.
 */
final class DepthCuts
{
    /** No cut: the side had no more levels than the limit. No book reports this price. */
    static final long NONE = Long.MIN_VALUE;
    private static final long MISSING = -1;

    private final int limit;
    private final Long2LongHashMap indexBySide = new Long2LongHashMap(MISSING);
    private int[] instruments = new int[16];
    private byte[] sides = new byte[16];
    private long[] cuts = new long[16];
    private DepthSide[] depths = new DepthSide[16];
    private int count;
    /** The side noted last: an entry mostly changes one side, so most changes are found without the map. */
    private int lastInstrument = -1;
    private byte lastSide;
    private int lastIndex;

    DepthCuts(final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("the depth channel needs at least one level a side, not " + limit);
        }
        this.limit = limit;
    }

    int limit()
    {
        return limit;
    }

    /**
     * A level of the side changed from {@code ordersBefore} to {@code ordersAfter} orders and
     * {@code depth} is the side after that change; notes the side's cut before the entry if this is
     * its first change in the entry. Returns the side's index (see {@link #cut}).
     */
    int note(final int instrumentId, final byte side, final long price, final DepthSide depth, final long ordersBefore,
        final long ordersAfter)
    {
        if (instrumentId == lastInstrument && side == lastSide)
        {
            return lastIndex;
        }
        final long sideKey = ((long)instrumentId << 8) | (side & 0xFF);
        int index = (int)indexBySide.get(sideKey);
        if (index == MISSING)
        {
            if (count == cuts.length)
            {
                grow();
            }
            index = count++;
            instruments[index] = instrumentId;
            sides[index] = side;
            cuts[index] = cutBefore(side, price, depth, ordersBefore > 0, ordersAfter > 0);
            depths[index] = depth;
            indexBySide.put(sideKey, index);
        }
        lastInstrument = instrumentId;
        lastSide = side;
        lastIndex = index;
        return index;
    }

    /** The cut before the side's first change: the side now, with that change (at {@code price}) undone. */
    private long cutBefore(final byte side, final long price, final DepthSide depth, final boolean levelBefore, final boolean levelAfter)
    {
        final int inserted = !levelBefore && levelAfter ? 1 : 0;
        final int removed = levelBefore && !levelAfter ? 1 : 0;
        if (depth.size() - inserted + removed <= limit)
        {
            return NONE;
        }
        if (inserted == 1)
        {
            // the level was not there: the ones after it were a rank better
            return levelsBetter(depth, side, price) < limit ? depth.price(limit) : depth.price(limit - 1);
        }
        if (removed == 1)
        {
            // the level was there: the ones after it were a rank worse
            final int rank = levelsBetter(depth, side, price);
            return rank < limit - 1 ? depth.price(limit - 2) : rank == limit - 1 ? price : depth.price(limit - 1);
        }
        return depth.price(limit - 1);
    }

    /** The cut of a side as it is now. */
    long cutNow(final DepthSide depth)
    {
        return depth.size() > limit ? depth.price(limit - 1) : NONE;
    }

    /** Whether a level at {@code price} is in the top levels of a side whose cut is {@code cut}. */
    static boolean inTop(final byte side, final long price, final long cut)
    {
        return cut == NONE || !better(side, cut, price);
    }

    /** Whether {@code price} is a better level than {@code than} on the side (1: BUY, higher is better). */
    static boolean better(final byte side, final long price, final long than)
    {
        return side == 1 ? price > than : price < than;
    }

    /** The number of the side's levels better than {@code price} (its rank, if it is a level). */
    private static int levelsBetter(final DepthSide depth, final byte side, final long price)
    {
        int low = 0;
        int high = depth.size();
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (better(side, depth.price(mid), price))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    int size()
    {
        return count;
    }

    int instrumentId(final int index)
    {
        return instruments[index];
    }

    byte side(final int index)
    {
        return sides[index];
    }

    /** The side itself (as it is now). */
    DepthSide depth(final int index)
    {
        return depths[index];
    }

    /** The side's cut before the entry. */
    long cut(final int index)
    {
        return cuts[index];
    }

    private void grow()
    {
        final int length = cuts.length * 2;
        instruments = java.util.Arrays.copyOf(instruments, length);
        sides = java.util.Arrays.copyOf(sides, length);
        cuts = java.util.Arrays.copyOf(cuts, length);
        depths = java.util.Arrays.copyOf(depths, length);
    }

    /** Forgets this entry's sides key by key (clearing the whole map costs its capacity). */
    void clear()
    {
        for (int i = 0; i < count; i++)
        {
            indexBySide.remove(((long)instruments[i] << 8) | (sides[i] & 0xFF));
        }
        count = 0;
        lastInstrument = -1;
    }
}
