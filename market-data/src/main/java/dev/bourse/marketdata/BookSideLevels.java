package dev.bourse.marketdata;

import java.util.ArrayDeque;

/**
 * One side of a book: levels in a sorted array with the best price last, so changes at the top
 * of the book touch the end of the array. Empty levels go back to a pool shared by the side.
 */
public final class BookSideLevels
{
    private final boolean bid;
    private final ArrayDeque<BookLevel> pool;
    private BookLevel[] levels = new BookLevel[16];
    private int size;

    BookSideLevels(final boolean bid, final ArrayDeque<BookLevel> pool)
    {
        this.bid = bid;
        this.pool = pool;
    }

    public boolean isBid()
    {
        return bid;
    }

    /** Number of price levels. */
    public int size()
    {
        return size;
    }

    /** The best level, or null when the side is empty. */
    public BookLevel best()
    {
        return size == 0 ? null : levels[size - 1];
    }

    /** Level by rank, 0 being the best. */
    public BookLevel level(final int rank)
    {
        return levels[size - 1 - rank];
    }

    private long key(final long price)
    {
        return bid ? price : -price;
    }

    private int search(final long price)
    {
        final long key = key(price);
        int low = 0;
        int high = size - 1;
        if (high >= 0)
        {
            final long topKey = key(levels[high].price);
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
            final long midKey = key(levels[mid].price);
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

    BookLevel getOrCreate(final long price)
    {
        final int index = search(price);
        if (index >= 0)
        {
            return levels[index];
        }
        final int insertAt = -index - 1;
        if (size == levels.length)
        {
            final BookLevel[] grown = new BookLevel[levels.length * 2];
            System.arraycopy(levels, 0, grown, 0, size);
            levels = grown;
        }
        System.arraycopy(levels, insertAt, levels, insertAt + 1, size - insertAt);
        BookLevel level = pool.pollFirst();
        if (level == null)
        {
            level = new BookLevel();
        }
        level.price = price;
        levels[insertAt] = level;
        size++;
        return level;
    }

    /** The level at a price, or null. */
    public BookLevel find(final long price)
    {
        final int index = search(price);
        return index >= 0 ? levels[index] : null;
    }

    void remove(final BookLevel level)
    {
        final int index = level == best() ? size - 1 : search(level.price);
        System.arraycopy(levels, index + 1, levels, index, size - index - 1);
        levels[--size] = null;
        level.head = null;
        level.tail = null;
        level.orderCount = 0;
        level.totalQty = 0;
        pool.addFirst(level);
    }
}
