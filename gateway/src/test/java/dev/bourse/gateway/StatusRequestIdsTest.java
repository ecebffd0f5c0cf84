package dev.bourse.gateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full table refuses a new id rather than dropping an older one's (an outside tester's burst of 17 lost the first's). */
class StatusRequestIdsTest
{
    private static final UnsafeBuffer ID = new UnsafeBuffer("REQ".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aFullTableKeepsWhatItHasAndSaysSo()
    {
        final StatusRequestIds ids = new StatusRequestIds();
        for (int seq = 1; seq <= StatusRequestIds.SLOTS; seq++)
        {
            assertTrue(ids.remember(seq, ID, 0, 3));
        }
        assertFalse(ids.hasRoom());
        assertFalse(ids.remember(StatusRequestIds.SLOTS + 1, ID, 0, 3));
        for (int seq = 1; seq <= StatusRequestIds.SLOTS; seq++)
        {
            assertTrue(ids.slotOf(seq) >= 0, "request " + seq + "'s id kept");
        }
        assertEquals(-1, ids.slotOf(StatusRequestIds.SLOTS + 1));

        ids.forget(ids.slotOf(7));
        assertTrue(ids.hasRoom());
        assertTrue(ids.remember(100, ID, 0, 2));
        assertEquals(2, ids.length(ids.slotOf(100)));
    }

    @Test
    void clearingForgetsEveryId()
    {
        final StatusRequestIds ids = new StatusRequestIds();
        ids.remember(5, ID, 0, 3);
        ids.clear();
        assertEquals(-1, ids.slotOf(5));
        assertTrue(ids.remember(5, ID, 0, 1));
        assertEquals(1, ids.length(ids.slotOf(5)));
    }
}
