package dev.bourse.readmodels;

import java.util.Arrays;

/**
 * The rows of a {@link KeyedRows} in ascending key order (a checkpoint's canonical order), worked
 * out a slice at a time so that the thread doing it can answer queries in between: the keys must
 * not change until the last row is taken.
 * <ol>
 * <li>collect: each key and its row packed in one long (key above, row below), without a lookup
 *     per key (a lookup missed the cache on nearly every key: 300 ms for a million);</li>
 * <li>sort: runs of {@link #RUN} longs, a run at a time (the whole million at once took 80 ms);</li>
 * <li>{@link #nextRow}: the runs merged through a small heap of their heads.</li>
 * </ol>
 * If a key is negative or a key and a row do not fit in 63 bits together (never with the
 * engine's OrderIDs), the keys are sorted and looked up at once instead.
 */
final class RowsInKeyOrder
{
    /** Longs per sorted run: about a millisecond of sorting here. */
    static final int RUN = 16_384;

    private final int count;
    private final KeyedRows.Walk walk;
    private final int rowBits;
    private final long rowMask;
    private long[] packed;
    private int collected;
    private int sortedRuns;
    private int runs;
    /** Merge: each run's next index, and a binary min-heap of runs by their next packed value. */
    private int[] runNext;
    private int[] runEnd;
    private int[] heap;
    private int heapSize;
    private boolean ready;
    /** The fallback's rows, in order, when keys and rows cannot be packed. */
    private int[] unpacked;
    private int taken;

    RowsInKeyOrder(final KeyedRows rows)
    {
        count = rows.size();
        rowBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(rows.rows().rowsEverAllocated()));
        rowMask = (1L << rowBits) - 1;
        if (rows.anyNegativeKey() || 64 - Long.numberOfLeadingZeros(rows.largestKeyEver()) + rowBits > 63)
        {
            final long[] keys = rows.sortedKeys();
            unpacked = new int[count];
            for (int i = 0; i < count; i++)
            {
                unpacked[i] = rows.find(keys[i]);
            }
            walk = null;
            ready = true;
            return;
        }
        packed = new long[count];
        runs = (count + RUN - 1) / RUN;
        walk = rows.walk();
    }

    /** Rows in all. */
    int count()
    {
        return count;
    }

    /**
     * Collects and sorts about {@code items} orders' worth (collecting eight keys, or sorting eight
     * keys of a run, costs about what writing one order to a checkpoint does); returns what it used.
     */
    int prepare(final int items)
    {
        long used = 0;
        while (used < items && !ready)
        {
            if (collected < packed.length)
            {
                final int end = (int)Math.min(packed.length, collected + (items - used) * 8);
                used += (end - collected + 7) / 8;
                while (collected < end)
                {
                    if (!walk.next())
                    {
                        throw new IllegalStateException("keys changed while their rows were put in order");
                    }
                    packed[collected++] = walk.key() << rowBits | walk.row();
                }
            }
            else if (sortedRuns < runs)
            {
                final int from = sortedRuns * RUN;
                Arrays.sort(packed, from, Math.min(packed.length, from + RUN));
                sortedRuns++;
                used += RUN / 8;
            }
            else
            {
                runNext = new int[runs];
                runEnd = new int[runs];
                heap = new int[runs];
                for (int run = 0; run < runs; run++)
                {
                    runNext[run] = run * RUN;
                    runEnd[run] = Math.min(packed.length, run * RUN + RUN);
                    push(run);
                }
                ready = true;
            }
        }
        return (int)Math.min(used, items);
    }

    /** Whether {@link #nextRow} may be called. */
    boolean ready()
    {
        return ready;
    }

    /** The row of the next key in ascending order (after {@link #prepare} said so); -1 after the last. */
    int nextRow()
    {
        if (unpacked != null)
        {
            return taken < unpacked.length ? unpacked[taken++] : -1;
        }
        if (heapSize == 0)
        {
            return -1;
        }
        final int run = heap[0];
        final long value = packed[runNext[run]++];
        if (runNext[run] < runEnd[run])
        {
            siftDown(0);
        }
        else
        {
            heap[0] = heap[--heapSize];
            if (heapSize > 0)
            {
                siftDown(0);
            }
        }
        return (int)(value & rowMask);
    }

    private long head(final int run)
    {
        return packed[runNext[run]];
    }

    private void push(final int run)
    {
        int at = heapSize++;
        heap[at] = run;
        while (at > 0)
        {
            final int parent = (at - 1) >>> 1;
            if (head(heap[parent]) <= head(heap[at]))
            {
                break;
            }
            swap(parent, at);
            at = parent;
        }
    }

    private void siftDown(final int from)
    {
        int at = from;
        while (true)
        {
            final int left = 2 * at + 1;
            if (left >= heapSize)
            {
                return;
            }
            final int right = left + 1;
            final int smaller = right < heapSize && head(heap[right]) < head(heap[left]) ? right : left;
            if (head(heap[at]) <= head(heap[smaller]))
            {
                return;
            }
            swap(at, smaller);
            at = smaller;
        }
    }

    private void swap(final int a, final int b)
    {
        final int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
