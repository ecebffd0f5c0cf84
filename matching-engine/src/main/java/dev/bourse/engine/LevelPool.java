package dev.bourse.engine;

/** Free list of price levels shared by all books of an engine (engine thread only). */
final class LevelPool
{
    private PriceLevel[] free;
    private int size;

    LevelPool(final int preallocate)
    {
        free = new PriceLevel[Math.max(16, preallocate)];
        for (int i = 0; i < preallocate; i++)
        {
            free[size++] = new PriceLevel();
        }
    }

    PriceLevel acquire(final long price)
    {
        final PriceLevel level = size == 0 ? new PriceLevel() : free[--size];
        free[size] = null;
        level.price = price;
        level.head = null;
        level.tail = null;
        level.orderCount = 0;
        level.totalQty = 0;
        return level;
    }

    void release(final PriceLevel level)
    {
        level.head = null;
        level.tail = null;
        if (size == free.length)
        {
            final PriceLevel[] grown = new PriceLevel[free.length * 2];
            System.arraycopy(free, 0, grown, 0, size);
            free = grown;
        }
        free[size++] = level;
    }
}
