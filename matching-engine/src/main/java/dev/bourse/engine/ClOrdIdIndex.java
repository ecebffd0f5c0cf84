package dev.bourse.engine;

/**
 * Every ClOrdID used today per account, mapped to the order that carried it (0 for requests that
 * are not orders). Whether that order is still live and still carries the id is the caller's
 * question ({@link LiveCheck}): keeping it here would cost a cache miss per replace, cancel and fill. Open addressing with linear probing over one primitive
 * array holding each entry's five fields side by side (account, the three id words, order id):
 * a probe and an insert touch one or two cache lines instead of one per field, which matters
 * because this table holds every id of the day and nearly every access misses the cache. No
 * boxing, no per-entry objects. Account ids are positive, so account 0 marks an empty slot.
 * Entries are only removed wholesale when the ClOrdID day ends.
 */
final class ClOrdIdIndex
{
    /** Resize at 3/5 full: integer arithmetic keeps floating point out of the engine entirely. */
    private static final int LOAD_NUMERATOR = 3;
    private static final int LOAD_DENOMINATOR = 5;
    private static final int STRIDE = 5;
    private static final int ACCOUNT = 0;
    private static final int WORD0 = 1;
    private static final int WORD1 = 2;
    private static final int WORD2 = 3;
    private static final int ORDER_ID = 4;

    private long[] table;
    private int capacity;
    private int mask;
    private int size;
    private int resizeAt;
    private final int expectedEntries;

    ClOrdIdIndex(final int expectedEntries)
    {
        this.expectedEntries = expectedEntries;
        allocate(capacityFor(expectedEntries));
    }

    private static int capacityFor(final int entries)
    {
        final long needed = ((long)Math.max(16, entries) * LOAD_DENOMINATOR + LOAD_NUMERATOR - 1) / LOAD_NUMERATOR;
        long capacity = Long.highestOneBit(needed);
        if (capacity < needed)
        {
            capacity <<= 1;
        }
        if (capacity * STRIDE > Integer.MAX_VALUE - 16)
        {
            throw new IllegalArgumentException("ClOrdID index too large: " + entries);
        }
        return (int)capacity;
    }

    private void allocate(final int capacity)
    {
        this.capacity = capacity;
        table = new long[capacity * STRIDE];
        mask = capacity - 1;
        size = 0;
        resizeAt = (int)((long)capacity * LOAD_NUMERATOR / LOAD_DENOMINATOR);
    }

    private static int hash(final long account, final long w0, final long w1, final int w2)
    {
        long h = account * 0x9E3779B97F4A7C15L;
        h = (h ^ w0) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ w1) * 0x165667B19E3779F9L;
        h = (h ^ w2) * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 29) ^ (h >>> 43));
    }

    private boolean matches(final int base, final long account, final long w0, final long w1, final int w2)
    {
        final long[] t = table;
        return t[base + ACCOUNT] == account && t[base + WORD0] == w0 && t[base + WORD1] == w1 && t[base + WORD2] == w2;
    }

    /** Slot holding the key, or -1. */
    int find(final long account, final long w0, final long w1, final int w2)
    {
        int slot = hash(account, w0, w1, w2) & mask;
        while (true)
        {
            final int base = slot * STRIDE;
            final long a = table[base + ACCOUNT];
            if (a == 0)
            {
                return -1;
            }
            if (a == account && matches(base, account, w0, w1, w2))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    boolean contains(final long account, final long w0, final long w1, final int w2)
    {
        return find(account, w0, w1, w2) >= 0;
    }

    /** The live order id a ClOrdID names, or 0. */
    long orderId(final long account, final long w0, final long w1, final int w2)
    {
        final int slot = find(account, w0, w1, w2);
        return slot < 0 ? 0 : table[slot * STRIDE + ORDER_ID];
    }

    /** Inserts or updates an entry. */
    void put(final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        int slot = hash(account, w0, w1, w2) & mask;
        while (true)
        {
            final int base = slot * STRIDE;
            final long a = table[base + ACCOUNT];
            if (a == 0)
            {
                final long[] t = table;
                t[base + ACCOUNT] = account;
                t[base + WORD0] = w0;
                t[base + WORD1] = w1;
                t[base + WORD2] = w2;
                t[base + ORDER_ID] = orderId;
                if (++size > resizeAt)
                {
                    rehash(capacityFor(size * 2));
                }
                return;
            }
            if (a == account && matches(base, account, w0, w1, w2))
            {
                table[base + ORDER_ID] = orderId;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Ends the ClOrdID day: forgets every id that no longer names a live order. */
    void retainLiveOnly(final LiveCheck liveCheck)
    {
        final long[] old = table;
        final int oldCapacity = capacity;
        int live = 0;
        for (int i = 0; i < oldCapacity; i++)
        {
            final int base = i * STRIDE;
            if (old[base + ACCOUNT] != 0 && old[base + ORDER_ID] != 0)
            {
                if (liveCheck.isLive(old[base + ACCOUNT], old[base + WORD0], old[base + WORD1], (int)old[base + WORD2],
                    old[base + ORDER_ID]))
                {
                    live++;
                }
                else
                {
                    old[base + ORDER_ID] = 0;
                }
            }
        }
        final int newCapacity = capacityFor(Math.max(expectedEntries, live * 2));
        if (newCapacity == oldCapacity)
        {
            retainLiveInPlace(live);
            return;
        }
        allocate(newCapacity);
        for (int i = 0; i < oldCapacity; i++)
        {
            final int base = i * STRIDE;
            if (old[base + ACCOUNT] != 0 && old[base + ORDER_ID] != 0)
            {
                put(old[base + ACCOUNT], old[base + WORD0], old[base + WORD1], (int)old[base + WORD2], old[base + ORDER_ID]);
            }
        }
    }

    /**
     * Same table size: drops the dead entries where they are and re-seats the survivors, so a
     * day's end allocates nothing (a day-end every few seconds, as in the benchmarks, would
     * otherwise throw away a table sized for the whole day each time).
     */
    private void retainLiveInPlace(final int live)
    {
        final long[] t = table;
        for (int i = 0; i < capacity; i++)
        {
            final int base = i * STRIDE;
            if (t[base + ACCOUNT] != 0 && t[base + ORDER_ID] == 0)
            {
                t[base + ACCOUNT] = 0;
            }
            else if (t[base + ACCOUNT] == 0)
            {
                t[base + ORDER_ID] = 0;
            }
        }
        size = live;
        // Walk from an empty slot so each cluster is visited from its start: re-putting an entry
        // then only ever moves it back towards its home slot, never past an unvisited one.
        int start = 0;
        while (t[start * STRIDE + ACCOUNT] != 0)
        {
            start++;
        }
        for (int k = 1; k <= mask + 1; k++)
        {
            final int base = ((start + k) & mask) * STRIDE;
            final long account = t[base + ACCOUNT];
            if (account != 0)
            {
                final long orderId = t[base + ORDER_ID];
                t[base + ACCOUNT] = 0;
                t[base + ORDER_ID] = 0;
                size--;
                put(account, t[base + WORD0], t[base + WORD1], (int)t[base + WORD2], orderId);
            }
        }
    }

    private void rehash(final int newCapacity)
    {
        final long[] old = table;
        final int oldCapacity = capacity;
        allocate(newCapacity);
        for (int i = 0; i < oldCapacity; i++)
        {
            final int base = i * STRIDE;
            if (old[base + ACCOUNT] != 0)
            {
                put(old[base + ACCOUNT], old[base + WORD0], old[base + WORD1], (int)old[base + WORD2], old[base + ORDER_ID]);
            }
        }
    }

    int size()
    {
        return size;
    }

    /** Visits every entry (snapshot writing; order is the table's, callers sort). */
    void forEach(final EntryVisitor visitor)
    {
        for (int i = 0; i < capacity; i++)
        {
            final int base = i * STRIDE;
            if (table[base + ACCOUNT] != 0)
            {
                visitor.visit(table[base + ACCOUNT], table[base + WORD0], table[base + WORD1], (int)table[base + WORD2],
                    table[base + ORDER_ID]);
            }
        }
    }

    interface LiveCheck
    {
        boolean isLive(long account, long w0, long w1, int w2, long orderId);
    }

    interface EntryVisitor
    {
        void visit(long account, long w0, long w1, int w2, long orderId);
    }
}
