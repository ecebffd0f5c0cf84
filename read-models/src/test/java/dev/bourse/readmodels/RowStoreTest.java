package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rows in chunks: a big chunk is made outside the heap (as a heap array it was humongous to G1 and
 * started a concurrent cycle in the exchange's JVM), a small one on it; rows come zeroed, freed
 * rows are reused first.
 */
class RowStoreTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void aDefaultChunkIsMadeOutsideTheHeap()
    {
        final RowStore rows = new RowStore(OrderRecord.ROW_BYTES, RowStore.DEFAULT_ROWS_PER_CHUNK);
        rows.allocate(); // the class and its first paths loaded
        for (int i = 1; i < RowStore.DEFAULT_ROWS_PER_CHUNK; i++)
        {
            rows.allocate();
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final int first = rows.allocate(); // the second chunk
        final long heapBytes = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertEquals(RowStore.DEFAULT_ROWS_PER_CHUNK, first);
        assertNull(rows.chunk(first).byteArray(), "a direct chunk");
        assertTrue(heapBytes < 4_096, heapBytes + " heap bytes for a chunk of "
            + (long)OrderRecord.ROW_BYTES * RowStore.DEFAULT_ROWS_PER_CHUNK + " bytes");
        for (int b = 0; b < OrderRecord.ROW_BYTES; b++)
        {
            assertEquals(0, rows.chunk(first).getByte(rows.offset(first) + b), "zeroed at " + b);
        }
    }

    @Test
    void aSmallChunkStaysOnTheHeap()
    {
        final RowStore rows = new RowStore(OrderRecord.ROW_BYTES, 1);
        assertNotNull(rows.chunk(rows.allocate()).byteArray());
    }

    @Test
    void aFreedRowIsHandedOutAgainZeroed()
    {
        final RowStore rows = new RowStore(16, RowStore.OFF_HEAP_CHUNK_BYTES / 16);
        final int a = rows.allocate();
        final int b = rows.allocate();
        rows.chunk(a).putLong(rows.offset(a), -1L);
        rows.chunk(b).putLong(rows.offset(b), 42L);
        rows.free(a);
        assertEquals(a, rows.allocate());
        assertEquals(0L, rows.chunk(a).getLong(rows.offset(a)));
        assertEquals(42L, rows.chunk(b).getLong(rows.offset(b)), "the neighbour untouched");
        assertThrows(IllegalArgumentException.class, () -> rows.free(7), "never allocated");
    }
}
