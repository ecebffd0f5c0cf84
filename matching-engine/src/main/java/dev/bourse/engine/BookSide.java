package dev.bourse.engine;

/**
 * One side of a book: price levels in a sorted array with the best price at the end, so taking
 * or adding at the top of book touches the tail of the array and inserting near the top shifts
 * only a few references. Binary search finds a price in a parallel array of sort keys, so a
 * search reads one contiguous array instead of dereferencing a level per step (with many levels
 * most of those were cache misses). Levels come from a shared pool.
 */
public final class BookSide
{
    private final boolean bid;
    private final LevelPool pool;
    private PriceLevel[] levels;
    /** keys[i] == key(levels[i].price), ascending. */
    private long[] keys;
    private int size;

    BookSide(final boolean bid, final LevelPool pool, final int initialCapacity)
    {
        this.bid = bid;
        this.pool = pool;
        this.levels = new PriceLevel[Math.max(4, initialCapacity)];
        this.keys = new long[levels.length];
    }

    public boolean isBid()
    {
        return bid;
    }

    /** Levels in the book. */
    public int size()
    {
        return size;
    }

    /** The best level or null. */
    public PriceLevel best()
    {
        return size == 0 ? null : levels[size - 1];
    }

    /** Level by rank: 0 is best. */
    public PriceLevel level(final int rank)
    {
        return levels[size - 1 - rank];
    }

    /** Sort key: ascending keys, best (highest bid, lowest ask) last. */
    private long key(final long price)
    {
        return bid ? price : -price;
    }

    /** Index of the price, or -(insertion point) - 1. */
    private int search(final long price)
    {
        final long key = key(price);
        int low = 0;
        int high = size - 1;
        // Fast path: new orders usually arrive at or near the top of the book.
        if (high >= 0)
        {
            final long topKey = keys[high];
            if (key == topKey)
            {
                return high;
            }
            if (key > topKey)
            {
                return -(size + 1);
            }
        }
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midKey = keys[mid];
            if (midKey < key)
            {
                low = mid + 1;
            }
            else if (midKey > key)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** The level at a price, created (from the pool) if absent. */
    PriceLevel getOrCreate(final long price)
    {
        final int index = search(price);
        if (index >= 0)
        {
            return levels[index];
        }
        final int insertAt = -index - 1;
        if (size == levels.length)
        {
            final PriceLevel[] grown = new PriceLevel[levels.length * 2];
            System.arraycopy(levels, 0, grown, 0, size);
            levels = grown;
            keys = java.util.Arrays.copyOf(keys, grown.length);
        }
        System.arraycopy(levels, insertAt, levels, insertAt + 1, size - insertAt);
        System.arraycopy(keys, insertAt, keys, insertAt + 1, size - insertAt);
        final PriceLevel level = pool.acquire(price);
        levels[insertAt] = level;
        keys[insertAt] = key(price);
        size++;
        return level;
    }

    /** The level at a price or null. */
    public PriceLevel find(final long price)
    {
        final int index = search(price);
        return index >= 0 ? levels[index] : null;
    }

    /** Removes an empty level and returns it to the pool. */
    void remove(final PriceLevel level)
    {
        final int index = level == best() ? size - 1 : search(level.price);
        System.arraycopy(levels, index + 1, levels, index, size - index - 1);
        System.arraycopy(keys, index + 1, keys, index, size - index - 1);
        levels[--size] = null;
        pool.release(level);
    }

    /** True if a resting price on this side would trade with an incoming order limited at {@code limit}. */
    boolean crosses(final long restingPrice, final long limit)
    {
        return bid ? restingPrice >= limit : restingPrice <= limit;
    }
}
