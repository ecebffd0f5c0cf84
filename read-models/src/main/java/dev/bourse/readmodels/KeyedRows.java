package dev.bourse.readmodels;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Rows of a {@link RowStore} found by a long key (live orders by OrderID), for state that comes and
 * goes without an object per row. A closed key's row is given back only when its owner says it is
 * safe ({@link #releaseClosed}): the projections do it at the end of a journal entry, so every
 * flyweight the entry handed out still reads its order until then. Not thread-safe.
 */
public final class KeyedRows
{
    /** No row. */
    public static final int NONE = -1;

    private final RowStore rows;
    private final Long2LongHashMap rowByKey = new Long2LongHashMap(NONE);
    private final IntArrayList closedRows = new IntArrayList();
    private long largestKeyEver;
    private boolean anyNegativeKey;

    public KeyedRows(final int rowBytes)
    {
        this(rowBytes, RowStore.DEFAULT_ROWS_PER_CHUNK);
    }

    public KeyedRows(final int rowBytes, final int rowsPerChunk)
    {
        rows = new RowStore(rowBytes, rowsPerChunk);
    }

    public RowStore rows()
    {
        return rows;
    }

    /** A zeroed row for a new key; {@link #NONE} if the key already has one. */
    public int create(final long key)
    {
        if (rowByKey.containsKey(key))
        {
            return NONE;
        }
        final int row = rows.allocate();
        rowByKey.put(key, row);
        largestKeyEver = Math.max(largestKeyEver, key);
        anyNegativeKey |= key < 0;
        return row;
    }

    /** The key's row, or {@link #NONE}. */
    public int find(final long key)
    {
        return (int)rowByKey.get(key);
    }

    /** The key goes; its row is reused after {@link #releaseClosed}. */
    public void close(final long key)
    {
        final long row = rowByKey.remove(key);
        if (row != NONE)
        {
            closedRows.addInt((int)row);
        }
    }

    /** The rows of the keys closed since the last call can hold other keys now. */
    public void releaseClosed()
    {
        for (int i = 0, n = closedRows.size(); i < n; i++)
        {
            rows.free(closedRows.getInt(i));
        }
        closedRows.clear();
    }

    public int size()
    {
        return rowByKey.size();
    }

    public boolean isEmpty()
    {
        return rowByKey.isEmpty();
    }

    /** The smallest key with a row; {@link Long#MAX_VALUE} if none. One pass over the keys. */
    public long smallestKey()
    {
        long smallest = Long.MAX_VALUE;
        for (final Long2LongHashMap.KeyIterator it = rowByKey.keySet().iterator(); it.hasNext(); )
        {
            smallest = Math.min(smallest, it.nextValue());
        }
        return smallest;
    }

    /**
     * A walk over every key and its row, in no order, a few at a time ({@link RowsInKeyOrder}):
     * the keys must not change until it ends. The map's entry iterator is this walk's alone
     * (Agrona hands out one per map and resets it on each call), so nothing else here uses it.
     */
    Walk walk()
    {
        return new Walk(rowByKey.entrySet().iterator());
    }

    /** See {@link #walk}. */
    static final class Walk
    {
        private final Long2LongHashMap.EntryIterator entries;

        private Walk(final Long2LongHashMap.EntryIterator entries)
        {
            this.entries = entries;
        }

        /** Moves to the next key; false after the last. */
        boolean next()
        {
            if (!entries.hasNext())
            {
                return false;
            }
            entries.next();
            return true;
        }

        long key()
        {
            return entries.getLongKey();
        }

        int row()
        {
            return (int)entries.getLongValue();
        }
    }

    /** The largest key ever given a row (0 if none), so that a key and a row can be packed in a long. */
    long largestKeyEver()
    {
        return largestKeyEver;
    }

    /** Whether a negative key was ever given a row. */
    boolean anyNegativeKey()
    {
        return anyNegativeKey;
    }

    /** The keys with a row, ascending. */
    public long[] sortedKeys()
    {
        final long[] keys = new long[rowByKey.size()];
        int i = 0;
        for (final Long2LongHashMap.KeyIterator it = rowByKey.keySet().iterator(); it.hasNext(); )
        {
            keys[i++] = it.nextValue();
        }
        Arrays.sort(keys);
        return keys;
    }
}
