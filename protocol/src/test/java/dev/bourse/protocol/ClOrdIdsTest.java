package dev.bourse.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClOrdIdsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void idsUpToTwentyPrintableCharactersRoundTripThroughTheirThreeWords()
    {
        assertTrue(ClOrdIds.put(buffer, 4, "ORD-0001"));
        assertEquals("ORD-0001", ClOrdIds.toString(buffer, 4));
        assertEquals(8, ClOrdIds.length(buffer, 4));
        final long w0 = ClOrdIds.word0(buffer, 4);
        final long w1 = ClOrdIds.word1(buffer, 4);
        final int w2 = ClOrdIds.word2(buffer, 4);
        assertEquals("ORD-0001", ClOrdIds.toString(w0, w1, w2));
        assertFalse(ClOrdIds.isBlank(w0, w1, w2));

        assertTrue(ClOrdIds.put(buffer, 0, "12345678901234567890"));
        assertEquals(ClOrdIds.LENGTH, ClOrdIds.length(buffer, 0));
    }

    @Test
    void refusesTooLongOrUnprintableIds()
    {
        assertFalse(ClOrdIds.put(buffer, 0, "123456789012345678901"));
        assertFalse(ClOrdIds.put(buffer, 0, "has space"));
        assertFalse(ClOrdIds.put(buffer, 0, "tab\t"));
        assertFalse(ClOrdIds.put(buffer, 0, "caf\u00e9"));
        final UnsafeBuffer src = new UnsafeBuffer(new byte[] {'a', 1, 'b'});
        assertFalse(ClOrdIds.put(buffer, 0, src, 0, 3));
        assertFalse(ClOrdIds.put(buffer, 0, src, 0, -1));
    }

    @Test
    void aShorterIdOverwritesALongerOneCompletely()
    {
        ClOrdIds.put(buffer, 0, "AAAAAAAAAAAAAAAAAAAA");
        ClOrdIds.put(buffer, 0, "B");
        assertEquals("B", ClOrdIds.toString(buffer, 0));
        ClOrdIds.putNumber(buffer, 0, 'x', 42);
        assertEquals("x42", ClOrdIds.toString(buffer, 0));
        ClOrdIds.putBlank(buffer, 0);
        assertTrue(ClOrdIds.isBlank(ClOrdIds.word0(buffer, 0), ClOrdIds.word1(buffer, 0), ClOrdIds.word2(buffer, 0)));
    }
}
