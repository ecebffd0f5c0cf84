package dev.bourse.engine;

/**
 * Sizing of an engine. Pools and indexes are allocated up front so steady-state matching never
 * allocates; the limits are enforced with explicit rejects.
 */
public final class EngineConfig
{
    /**
     * About 220 bytes of heap per live order in the engine besides its ClOrdID (measured: 2 million
     * resting orders in 540 MiB with their ClOrdIDs, which {@link #heapBytesAtMost()} counts in the
     * day's index). A server holds the engine's state twice (the snapshotter's copy), and the default
     * heap of `./exchange start` (2 GiB) holds both copies at this bound and the default ClOrdID bound,
     * with room for the query side; a bigger book needs a bigger heap and this raised.
     */
    public static final long DEFAULT_MAX_LIVE_ORDERS = 1_000_000;
    /** About 60 bytes of heap each in the engine's index (see {@link #heapBytesAtMost()}). */
    public static final int DEFAULT_MAX_CLORDIDS_PER_DAY = 8_000_000;
    /** Heap one live order takes in the engine besides its ClOrdID (measured, rounded up). */
    public static final long HEAP_BYTES_PER_LIVE_ORDER = 220;

    private int maxInstruments = 16_384;
    private long maxLiveOrders = DEFAULT_MAX_LIVE_ORDERS;
    private int preallocatedOrders = 65_536;
    private int preallocatedLevels = 16_384;
    private int levelsPerSide = 64;
    private int expectedAccounts = 1_024;
    private int expectedClOrdIdsPerDay = 1 << 20;
    private int maxClOrdIdsPerDay = DEFAULT_MAX_CLORDIDS_PER_DAY;
    private int maxStopElectionsPerCommand = 100;

    /** Highest instrument id + 1 (ids run from 1). */
    public int maxInstruments()
    {
        return maxInstruments;
    }

    public EngineConfig maxInstruments(final int value)
    {
        maxInstruments = value;
        return this;
    }

    /** Orders resting at once across the engine; beyond it new orders are rejected TOO_MANY_ORDERS. */
    public long maxLiveOrders()
    {
        return maxLiveOrders;
    }

    public EngineConfig maxLiveOrders(final long value)
    {
        maxLiveOrders = value;
        return this;
    }

    public int preallocatedOrders()
    {
        return preallocatedOrders;
    }

    public EngineConfig preallocatedOrders(final int value)
    {
        preallocatedOrders = value;
        return this;
    }

    public int preallocatedLevels()
    {
        return preallocatedLevels;
    }

    public EngineConfig preallocatedLevels(final int value)
    {
        preallocatedLevels = value;
        return this;
    }

    /** Initial capacity of each book side's level array (grows by doubling). */
    public int levelsPerSide()
    {
        return levelsPerSide;
    }

    public EngineConfig levelsPerSide(final int value)
    {
        levelsPerSide = value;
        return this;
    }

    public int expectedAccounts()
    {
        return expectedAccounts;
    }

    public EngineConfig expectedAccounts(final int value)
    {
        expectedAccounts = value;
        return this;
    }

    /** Presizes the ClOrdID index (it grows a page at a time beyond it). */
    public int expectedClOrdIdsPerDay()
    {
        return expectedClOrdIdsPerDay;
    }

    public EngineConfig expectedClOrdIdsPerDay(final int value)
    {
        expectedClOrdIdsPerDay = value;
        return this;
    }

    /**
     * Stop orders elected at most per command (a cascade of stops triggering stops is cut there;
     * the rest are elected at the end of the following commands).
     */
    public int maxStopElectionsPerCommand()
    {
        return maxStopElectionsPerCommand;
    }

    public EngineConfig maxStopElectionsPerCommand(final int value)
    {
        maxStopElectionsPerCommand = value;
        return this;
    }

    /**
     * ClOrdIDs of new orders and replaces the engine takes in one ClOrdID day; beyond it they are
     * refused CLORDID_DAY_FULL until the day ends (cancels still work). The day's index keeps
     * every id (about 60 bytes of heap each, and the ids of the cancels that ended orders besides;
     * see {@link #heapBytesAtMost()}):
     * without a bound a day long enough outgrew the heap, and an engine that runs out of heap
     * halts. The same on every node of a cluster, as every engine setting.
     */
    public int maxClOrdIdsPerDay()
    {
        return maxClOrdIdsPerDay;
    }

    public EngineConfig maxClOrdIdsPerDay(final int value)
    {
        maxClOrdIdsPerDay = value;
        return this;
    }

    /**
     * The most heap these bounds let one engine state take: its live orders, and the day's ClOrdID
     * index at its bound plus the ids of cancels that end orders after it is full (one per live
     * order at most). For the start's heap check; measured by {@code MemoryFootprintTest}.
     */
    public long heapBytesAtMost()
    {
        return maxLiveOrders * HEAP_BYTES_PER_LIVE_ORDER + clOrdIdIndexHeapBytesAtMost();
    }

    /**
     * The ClOrdID index's part of {@link #heapBytesAtMost()}: 40 bytes an id and a hash table that
     * doubles, so it grows in steps (16 to 27 bytes an id between them, 1.5 times that while one
     * is taken).
     */
    public long clOrdIdIndexHeapBytesAtMost()
    {
        final long clOrdIds = Math.min((long)maxClOrdIdsPerDay + maxLiveOrders, 1L << 29);
        return ClOrdIdIndex.heapBytesAtMost(expectedClOrdIdsPerDay, (int)clOrdIds);
    }

    /** Validates the values; throws IllegalArgumentException naming the bad one. */
    public EngineConfig conclude()
    {
        require(maxInstruments >= 2 && maxInstruments <= 1 << 24, "maxInstruments", maxInstruments);
        require(maxLiveOrders >= 1, "maxLiveOrders", maxLiveOrders);
        require(preallocatedOrders >= 0, "preallocatedOrders", preallocatedOrders);
        require(preallocatedLevels >= 0, "preallocatedLevels", preallocatedLevels);
        require(levelsPerSide >= 1, "levelsPerSide", levelsPerSide);
        require(expectedAccounts >= 1, "expectedAccounts", expectedAccounts);
        require(expectedClOrdIdsPerDay >= 1 && expectedClOrdIdsPerDay <= 1 << 29, "expectedClOrdIdsPerDay", expectedClOrdIdsPerDay);
        require(maxClOrdIdsPerDay >= 1 && maxClOrdIdsPerDay <= 1 << 28, "maxClOrdIdsPerDay", maxClOrdIdsPerDay);
        require(maxStopElectionsPerCommand >= 1, "maxStopElectionsPerCommand", maxStopElectionsPerCommand);
        return this;
    }

    private static void require(final boolean ok, final String name, final long value)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("engine." + name + " out of range: " + value);
        }
    }
}
