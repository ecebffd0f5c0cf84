package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Rows in chunks: a new chunk is made when the last is full, rows come zeroed, freed rows are
 * reused first. (The tests of chunks outside the heap went with that change, 06ddcaf; these are the
 * ones that did not depend on it.)
 */
class RowStoreTest
{
    @Test
    void theRowAfterAFullChunkOpensTheNextOneZeroed()
    {
        final RowStore rows = new RowStore(OrderRecord.ROW_BYTES, 4);
        for (int i = 0; i < 4; i++)
        {
            rows.chunk(rows.allocate()).putLong(rows.offset(i), -1L);
        }
        final int first = rows.allocate();

        assertEquals(4, first);
        for (int b = 0; b < OrderRecord.ROW_BYTES; b++)
        {
            assertEquals(0, rows.chunk(first).getByte(rows.offset(first) + b), "zeroed at " + b);
        }
        assertEquals(-1L, rows.chunk(3).getLong(rows.offset(3)), "the full chunk untouched");
    }

    @Test
    void aFreedRowIsHandedOutAgainZeroed()
    {
        final RowStore rows = new RowStore(16, 4_096);
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
