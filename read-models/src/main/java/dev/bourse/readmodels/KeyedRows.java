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
