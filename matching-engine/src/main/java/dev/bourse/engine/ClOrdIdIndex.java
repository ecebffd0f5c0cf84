package dev.bourse.engine;

/**
 * Every ClOrdID used today per account, mapped to the live order that currently carries it (or 0
 * once it no longer names a live order). Open addressing with linear probing over parallel
 * primitive arrays: no boxing, no per-entry objects. Account ids are positive, so account 0
 * marks an empty slot. Entries are only removed wholesale when the ClOrdID day ends.
 */
final class ClOrdIdIndex
{
    /** Resize at 3/5 full: integer arithmetic keeps floating point out of the engine entirely. */
    private static final int LOAD_NUMERATOR = 3;
    private static final int LOAD_DENOMINATOR = 5;

    private long[] accounts;
    private long[] words0;
    private long[] words1;
    private int[] words2;
    private long[] orderIds;
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
        if (capacity > (1 << 30))
        {
            throw new IllegalArgumentException("ClOrdID index too large: " + entries);
        }
        return (int)capacity;
    }

    private void allocate(final int capacity)
    {
        accounts = new long[capacity];
        words0 = new long[capacity];
        words1 = new long[capacity];
        words2 = new int[capacity];
        orderIds = new long[capacity];
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

    /** Slot holding the key, or -1. */
    int find(final long account, final long w0, final long w1, final int w2)
    {
        int slot = hash(account, w0, w1, w2) & mask;
        while (true)
        {
            final long a = accounts[slot];
            if (a == 0)
            {
                return -1;
            }
            if (a == account && words0[slot] == w0 && words1[slot] == w1 && words2[slot] == w2)
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
        return slot < 0 ? 0 : orderIds[slot];
    }

    /** Inserts or updates an entry. */
    void put(final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        int slot = hash(account, w0, w1, w2) & mask;
        while (true)
        {
            final long a = accounts[slot];
            if (a == 0)
            {
                accounts[slot] = account;
                words0[slot] = w0;
                words1[slot] = w1;
                words2[slot] = w2;
                orderIds[slot] = orderId;
                if (++size > resizeAt)
                {
                    rehash(capacityFor(size * 2));
                }
                return;
            }
            if (a == account && words0[slot] == w0 && words1[slot] == w1 && words2[slot] == w2)
            {
                orderIds[slot] = orderId;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Ends the ClOrdID day: forgets every id that no longer names a live order. */
    void retainLiveOnly()
    {
        final long[] oldAccounts = accounts;
        final long[] old0 = words0;
        final long[] old1 = words1;
        final int[] old2 = words2;
        final long[] oldIds = orderIds;
        int live = 0;
        for (int i = 0; i < oldAccounts.length; i++)
        {
            if (oldAccounts[i] != 0 && oldIds[i] != 0)
            {
                live++;
            }
        }
        final int capacity = capacityFor(Math.max(expectedEntries, live * 2));
        if (capacity == oldAccounts.length)
        {
            retainLiveInPlace(live);
            return;
        }
        allocate(capacity);
        for (int i = 0; i < oldAccounts.length; i++)
        {
            if (oldAccounts[i] != 0 && oldIds[i] != 0)
            {
                put(oldAccounts[i], old0[i], old1[i], old2[i], oldIds[i]);
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
        for (int i = 0; i < accounts.length; i++)
        {
            if (accounts[i] != 0 && orderIds[i] == 0)
            {
                accounts[i] = 0;
            }
            else if (accounts[i] == 0)
            {
                orderIds[i] = 0;
            }
        }
        size = live;
        // Walk from an empty slot so each cluster is visited from its start: re-putting an entry
        // then only ever moves it back towards its home slot, never past an unvisited one.
        int start = 0;
        while (accounts[start] != 0)
        {
            start++;
        }
        for (int k = 1; k <= mask + 1; k++)
        {
            final int slot = (start + k) & mask;
            final long account = accounts[slot];
            if (account != 0)
            {
                final long orderId = orderIds[slot];
                accounts[slot] = 0;
                orderIds[slot] = 0;
                size--;
                put(account, words0[slot], words1[slot], words2[slot], orderId);
            }
        }
    }

    private void rehash(final int capacity)
    {
        final long[] oldAccounts = accounts;
        final long[] old0 = words0;
        final long[] old1 = words1;
        final int[] old2 = words2;
        final long[] oldIds = orderIds;
        allocate(capacity);
        for (int i = 0; i < oldAccounts.length; i++)
        {
            if (oldAccounts[i] != 0)
            {
                put(oldAccounts[i], old0[i], old1[i], old2[i], oldIds[i]);
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
        for (int i = 0; i < accounts.length; i++)
        {
            if (accounts[i] != 0)
            {
                visitor.visit(accounts[i], words0[i], words1[i], words2[i], orderIds[i]);
            }
        }
    }

    interface EntryVisitor
    {
        void visit(long account, long w0, long w1, int w2, long orderId);
    }
}
