package dev.bourse.readmodels;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Fixed-size rows of bytes kept in large chunks, with a free list: live state that comes and goes
 * (open orders) without an object per row. Flyweights read a row in place ({@link #chunk},
 * {@link #offset}).
 * <p>
 * Why: an object per open order (a record, its ClOrdID strings, a map entry) survives young
 * collections while the book grows, so every young pause copied them again and scanned the cards
 * linking them to older objects (BENCHMARKS.md, 2026-12-02). A chunk is one array allocated once;
 * at the default size it is big enough for G1 to place it directly in the old generation, and a
 * freed row is reused before a new chunk is made. Rows are zeroed when handed out. Not thread-safe.
 */
public final class RowStore
{
    /** Rows per chunk by default: 8,192 rows of 200 bytes is a 1.6 MB array (G1 allocates it outside the young generation for heaps up to 8 GB). */
    public static final int DEFAULT_ROWS_PER_CHUNK = 8192;

    private final int rowBytes;
    private final int rowsPerChunk;
    private UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    private int[] free = new int[16];
    private int freeCount;
    private int nextFresh;

    public RowStore(final int rowBytes, final int rowsPerChunk)
    {
        if (rowBytes <= 0 || rowsPerChunk <= 0 || (long)rowBytes * rowsPerChunk > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("rows of " + rowBytes + " bytes, " + rowsPerChunk + " per chunk");
        }
        this.rowBytes = rowBytes;
        this.rowsPerChunk = rowsPerChunk;
    }

    /** A zeroed row: a freed one if there is one, else the next fresh one (a new chunk when the last is full). */
    public int allocate()
    {
        final int row;
        if (freeCount > 0)
        {
            row = free[--freeCount];
            chunk(row).setMemory(offset(row), rowBytes, (byte)0);
        }
        else
        {
            row = nextFresh++;
            final int chunk = row / rowsPerChunk;
            if (chunk == chunks.length)
            {
                chunks = Arrays.copyOf(chunks, chunk + 1);
                chunks[chunk] = new UnsafeBuffer(new byte[rowBytes * rowsPerChunk]);
            }
        }
        return row;
    }

    /** Rows handed out at least once: every row number is below it. */
    public int rowsEverAllocated()
    {
        return nextFresh;
    }

    /** Gives the row back; the caller no longer reads or writes it. */
    public void free(final int row)
    {
        if (row < 0 || row >= nextFresh)
        {
            throw new IllegalArgumentException("row " + row + " was never allocated");
        }
        if (freeCount == free.length)
        {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = row;
    }

    /** The chunk holding the row. */
    public UnsafeBuffer chunk(final int row)
    {
        return chunks[row / rowsPerChunk];
    }

    /** The row's first byte in its {@link #chunk}. */
    public int offset(final int row)
    {
        return (row % rowsPerChunk) * rowBytes;
    }
}
