package dev.bourse.engine;

/**
 * Sizing of an engine. Pools and indexes are allocated up front so steady-state matching never
 * allocates; the limits are enforced with explicit rejects.
 */
public final class EngineConfig
{
    private int maxInstruments = 16_384;
    private long maxLiveOrders = 16_000_000;
    private int preallocatedOrders = 65_536;
    private int preallocatedLevels = 16_384;
    private int levelsPerSide = 64;
    private int expectedAccounts = 1_024;
    private int expectedClOrdIdsPerDay = 1 << 20;
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

    /** Presizes the ClOrdID index (grows by doubling beyond it). */
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
