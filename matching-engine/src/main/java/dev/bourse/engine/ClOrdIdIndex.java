package dev.bourse.engine;

/**
 * Every ClOrdID used today per account, mapped to the order that carried it (0 for requests that
 * are not orders). Whether that order is still live and still carries the id is the caller's
 * question ({@link LiveCheck}): keeping it here would cost a cache miss per replace, cancel and
 * fill. No boxing, no per-entry objects; account ids are positive. Entries are only removed
 * wholesale when the ClOrdID day ends.
 * <p>
 * Layout, chosen because this table holds every id of the day and nearly every access to it
 * misses the cache (on a day-sized table the duplicate check was 40% of the engine's time):
 * <ul>
 *   <li>the entries (account, the three id words, order id) are appended to a log in arrival
 *       order, so writing one is a sequential store, never a miss. The log is kept in pages of
 *       {@value #PAGE_ENTRIES} entries, allocated as the day needs them beyond the expected count:
 *       a log that doubled held up to twice the day's entries, and the old and the new array at
 *       once while it copied (a soak measured about 250 bytes of heap per ClOrdID over the
 *       engine's and the snapshotter's two indexes; see {@link #heapBytesAtMost});</li>
 *   <li>the hash table is one long per slot: a 16-bit tag from the hash (never 0) and the entry's
 *       place in the log; 0 is an empty slot. Open addressing, linear probing.</li>
 * </ul>
 * A check of a new ClOrdID (nearly every one) reads one slot and stops at an empty one; recording
 * it writes that same slot (already in cache) and appends to the log. An entry is read only when
 * its tag matches. Resizing and the day's end rebuild the slots from the log.
 * <p>
 * Replay records every id of the day with no check before it, so each of its writes missed the
 * cache one after another: a third of a full replay's time (JFR, {@code bench journal}). So a
 * state that is only replayed queues its puts ({@link #put}): up to {@value #PENDING_PUTS} entries,
 * and the next read of the table (or a full queue) first reads all their slots back to back, so
 * that their misses overlap, then writes them in order. The live engine checks an id (and so
 * brings its slot into the cache) just before it records it, and writes at once
 * ({@link #writeImmediately()}): queued there, a put cost the 1,000-instrument workload 4%.
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
    private static final int TAG_SHIFT = 48;
    private static final long INDEX_MASK = (1L << TAG_SHIFT) - 1;
    private static final int PENDING_PUTS = 32;
    /** Entries per page of the log: 320 KiB a page, under half of G1's smallest region, so no page is a humongous object. */
    static final int PAGE_ENTRIES = 1 << 13;
    private static final int PAGE_SHIFT = 13;
    private static final int PAGE_MASK = PAGE_ENTRIES - 1;
    private static final int PAGE_LONGS = PAGE_ENTRIES * STRIDE;

    private long[] slots;
    private int capacity;
    private int mask;
    private int resizeAt;
    /** The log's pages; those for the expected entries are allocated up front and kept across day ends. */
    private long[][] pages;
    private final int preallocatedPages;
    private int size;
    private final int expectedEntries;
    /** Queued puts, {@link #STRIDE} longs each as in the log, and their hashes. */
    private final long[] pending = new long[PENDING_PUTS * STRIDE];
    private final long[] pendingHashes = new long[PENDING_PUTS];
    private int pendingCount;
    private boolean immediate;
    /** What the overlapping reads returned, kept so the compiler cannot drop them; the value means nothing. */
    private long touched;

    ClOrdIdIndex(final int expectedEntries)
    {
        this.expectedEntries = expectedEntries;
        preallocatedPages = pagesFor(Math.max(16, expectedEntries));
        pages = new long[Math.max(16, preallocatedPages)][];
        for (int i = 0; i < preallocatedPages; i++)
        {
            pages[i] = new long[PAGE_LONGS];
        }
        allocate(capacityFor(expectedEntries));
    }

    private static int pagesFor(final int entries)
    {
        return (int)(((long)entries + PAGE_ENTRIES - 1) >>> PAGE_SHIFT);
    }

    /**
     * The most heap an index made for {@code expectedEntries} takes while it holds up to
     * {@code maxEntries}: its log's pages and its slots, and the old slots (half as many) that a
     * resize holds until it is done.
     */
    static long heapBytesAtMost(final int expectedEntries, final int maxEntries)
    {
        final int entries = Math.max(Math.max(16, expectedEntries), maxEntries);
        final long slots = slotsFor(entries); // not capacityFor: an estimate may be for bounds no table could reach
        return (long)pagesFor(entries) * PAGE_LONGS * Long.BYTES + (slots + slots / 2) * Long.BYTES;
    }

    /** The heap its arrays take now (pages, slots, page table). */
    long heapBytes()
    {
        long bytes = (long)capacity * Long.BYTES + (long)pages.length * 4;
        for (final long[] page : pages)
        {
            if (page != null)
            {
                bytes += (long)page.length * Long.BYTES;
            }
        }
        return bytes;
    }

    /** The smallest power of two of slots that holds {@code entries} at most 3/5 full. */
    private static long slotsFor(final int entries)
    {
        final long needed = ((long)Math.max(16, entries) * LOAD_DENOMINATOR + LOAD_NUMERATOR - 1) / LOAD_NUMERATOR;
        final long capacity = Long.highestOneBit(needed);
        return capacity < needed ? capacity << 1 : capacity;
    }

    private static int capacityFor(final int entries)
    {
        final long capacity = slotsFor(entries);
        if (capacity > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("ClOrdID index too large: " + entries);
        }
        return (int)capacity;
    }

    private void allocate(final int capacity)
    {
        this.capacity = capacity;
        slots = new long[capacity];
        mask = capacity - 1;
        resizeAt = (int)((long)capacity * LOAD_NUMERATOR / LOAD_DENOMINATOR);
    }

    private static long hash(final long account, final long w0, final long w1, final int w2)
    {
        long h = account * 0x9E3779B97F4A7C15L;
        h = (h ^ w0) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ w1) * 0x165667B19E3779F9L;
        h = (h ^ w2) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29) ^ (h >>> 43);
    }

    /** The key's tag in its slot's top 16 bits: bits of the hash the slot number does not use, never 0. */
    private static long tag(final long hash)
    {
        final long tag = hash >>> TAG_SHIFT;
        return (tag == 0 ? 1 : tag) << TAG_SHIFT;
    }

    private boolean matches(final int entry, final long account, final long w0, final long w1, final int w2)
    {
        final long[] l = pages[entry >>> PAGE_SHIFT];
        final int base = (entry & PAGE_MASK) * STRIDE;
        return l[base + ACCOUNT] == account && l[base + WORD0] == w0 && l[base + WORD1] == w1 && l[base + WORD2] == w2;
    }

    /** The log index of the key's entry, or -1. */
    int find(final long account, final long w0, final long w1, final int w2)
    {
        drainPending();
        final long hash = hash(account, w0, w1, w2);
        final long tag = tag(hash);
        final long[] s = slots;
        int slot = (int)hash & mask;
        while (true)
        {
            final long v = s[slot];
            if (v == 0)
            {
                return -1;
            }
            if ((v & ~INDEX_MASK) == tag)
            {
                final int entry = (int)(v & INDEX_MASK) - 1;
                if (matches(entry, account, w0, w1, w2))
                {
                    return entry;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Where the key's probe starts, for {@link #readSlots}. */
    int firstSlotIndex(final long account, final long w0, final long w1, final int w2)
    {
        return (int)hash(account, w0, w1, w2) & mask;
    }

    /**
     * Reads these slots back to back, so that their cache misses overlap (a prefetch: the sum
     * means nothing). An index from before a resize still lands inside the table.
     */
    long readSlots(final int[] indexes, final int count)
    {
        final long[] s = slots;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += s[indexes[i] & mask];
        }
        return sum;
    }

    boolean contains(final long account, final long w0, final long w1, final int w2)
    {
        return find(account, w0, w1, w2) >= 0;
    }

    /** The order id a ClOrdID was recorded with (the order may be dead by now), or 0. */
    long orderId(final long account, final long w0, final long w1, final int w2)
    {
        final int entry = find(account, w0, w1, w2);
        return entry < 0 ? 0 : pages[entry >>> PAGE_SHIFT][(entry & PAGE_MASK) * STRIDE + ORDER_ID];
    }

    /** From now on puts are written at once instead of queued (a live engine's state); what is queued is written now. */
    void writeImmediately()
    {
        drainPending();
        immediate = true;
    }

    /** Inserts or updates an entry: queued unless {@link #writeImmediately()}, and in the table before anything reads it. */
    void put(final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        if (immediate)
        {
            insert(hash(account, w0, w1, w2), account, w0, w1, w2, orderId);
            return;
        }
        writeEntry(pending, pendingCount * STRIDE, account, w0, w1, w2, orderId);
        pendingHashes[pendingCount] = hash(account, w0, w1, w2);
        if (++pendingCount == PENDING_PUTS)
        {
            drainPending();
        }
    }

    /** Reads the queued puts' slots back to back, then writes the puts in the order they came. */
    private void drainPending()
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return;
        }
        pendingCount = 0;
        final long[] s = slots;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += s[(int)pendingHashes[i] & mask];
        }
        touched += sum;
        final long[] p = pending;
        for (int i = 0; i < count; i++)
        {
            final int base = i * STRIDE;
            insert(pendingHashes[i], p[base + ACCOUNT], p[base + WORD0], p[base + WORD1], (int)p[base + WORD2], p[base + ORDER_ID]);
        }
    }

    private void insert(final long hash, final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        final long tag = tag(hash);
        int slot = (int)hash & mask;
        while (true)
        {
            final long v = slots[slot];
            if (v == 0)
            {
                final int entry = append(account, w0, w1, w2, orderId);
                slots[slot] = tag | (entry + 1L);
                if (size > resizeAt)
                {
                    // Doubles: sized for twice the entries, as it was, the table quadrupled at
                    // each resize and its slots took up to 50 bytes per entry.
                    rebuild(capacityFor(size));
                }
                return;
            }
            if ((v & ~INDEX_MASK) == tag)
            {
                final int entry = (int)(v & INDEX_MASK) - 1;
                if (matches(entry, account, w0, w1, w2))
                {
                    pages[entry >>> PAGE_SHIFT][(entry & PAGE_MASK) * STRIDE + ORDER_ID] = orderId;
                    return;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    private int append(final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        final int entry = size;
        final int page = entry >>> PAGE_SHIFT;
        if (page == pages.length)
        {
            pages = java.util.Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[page] == null)
        {
            pages[page] = new long[PAGE_LONGS];
        }
        writeEntry(pages[page], (entry & PAGE_MASK) * STRIDE, account, w0, w1, w2, orderId);
        size++;
        return entry;
    }

    /** One entry, {@link #STRIDE} longs at {@code base}: the layout of both the log and the queue of puts. */
    private static void writeEntry(
        final long[] entries, final int base, final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        entries[base + ACCOUNT] = account;
        entries[base + WORD0] = w0;
        entries[base + WORD1] = w1;
        entries[base + WORD2] = w2;
        entries[base + ORDER_ID] = orderId;
    }

    /** Builds the slots again from the log, at {@code newCapacity}. */
    private void rebuild(final int newCapacity)
    {
        if (newCapacity != capacity)
        {
            allocate(newCapacity);
        }
        else
        {
            java.util.Arrays.fill(slots, 0L);
        }
        for (int entry = 0; entry < size; entry++)
        {
            final long[] l = pages[entry >>> PAGE_SHIFT];
            final int base = (entry & PAGE_MASK) * STRIDE;
            final long hash = hash(l[base + ACCOUNT], l[base + WORD0], l[base + WORD1], (int)l[base + WORD2]);
            int slot = (int)hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = tag(hash) | (entry + 1L);
        }
    }

    /**
     * Ends the ClOrdID day: forgets every id that no longer names a live order. The log keeps the
     * survivors in their order and the slots are rebuilt; nothing is allocated when the table's
     * size stays (a day-end every few seconds, as in the benchmarks, would otherwise throw away a
     * table sized for the whole day each time). Pages past the survivors and the expected count
     * go back to the heap.
     */
    void retainLiveOnly(final LiveCheck liveCheck)
    {
        drainPending();
        int live = 0;
        for (int entry = 0; entry < size; entry++)
        {
            final long[] l = pages[entry >>> PAGE_SHIFT];
            final int base = (entry & PAGE_MASK) * STRIDE;
            final long orderId = l[base + ORDER_ID];
            if (orderId != 0 && liveCheck.isLive(l[base + ACCOUNT], l[base + WORD0], l[base + WORD1], (int)l[base + WORD2], orderId))
            {
                if (live != entry)
                {
                    System.arraycopy(l, base, pages[live >>> PAGE_SHIFT], (live & PAGE_MASK) * STRIDE, STRIDE);
                }
                live++;
            }
        }
        // Entries past the survivors are cleared up to the old size (the pages past it are clear already).
        final int keptPages = Math.max(preallocatedPages, pagesFor(live));
        final int usedPages = pagesFor(size);
        for (int page = live >>> PAGE_SHIFT; page < pages.length; page++)
        {
            if (page >= keptPages)
            {
                pages[page] = null;
            }
            else if (page < usedPages)
            {
                final int from = page == live >>> PAGE_SHIFT ? (live & PAGE_MASK) * STRIDE : 0;
                final int to = page == usedPages - 1 && (size & PAGE_MASK) != 0 ? (size & PAGE_MASK) * STRIDE : PAGE_LONGS;
                java.util.Arrays.fill(pages[page], from, Math.max(from, to), 0L);
            }
        }
        size = live;
        rebuild(capacityFor(Math.max(expectedEntries, live * 2)));
    }

    int size()
    {
        drainPending();
        return size;
    }

    /** Visits every entry (snapshot writing; order is the log's, callers sort). */
    void forEach(final EntryVisitor visitor)
    {
        drainPending();
        for (int entry = 0; entry < size; entry++)
        {
            final long[] l = pages[entry >>> PAGE_SHIFT];
            final int base = (entry & PAGE_MASK) * STRIDE;
            visitor.visit(l[base + ACCOUNT], l[base + WORD0], l[base + WORD1], (int)l[base + WORD2], l[base + ORDER_ID]);
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
