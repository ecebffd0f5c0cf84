package dev.bourse.cluster.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandWindowTest
{
    @Test
    void commandsStayUntilAcknowledgedAndAFullWindowRefuses()
    {
        final CommandWindow window = new CommandWindow(4, 16);
        for (int i = 1; i <= 4; i++)
        {
            final long id = window.tryClaim();
            assertEquals(i, id);
            window.buffer(id).putInt(0, i * 10);
            window.commit(id, 4);
        }
        assertEquals(-1, window.tryClaim(), "four in flight fill a window of four");
        assertEquals(4, window.inFlight());
        window.ack(2);
        assertEquals(2, window.inFlight());
        assertEquals(30, window.slots().getInt(window.dataOffset(3)), "unacknowledged commands are still there to resend");
        assertEquals(5, window.tryClaim());
        window.ack(99);
        assertEquals(4, window.acked(), "an ack cannot run ahead of what was committed");
    }

    @Test
    void aClientResumesAfterTheIdsTheClusterKnows()
    {
        final CommandWindow window = new CommandWindow(8, 16);
        window.resumeAfter(41);
        assertEquals(42, window.tryClaim());
        assertThrows(IllegalStateException.class, () -> window.commit(7, 4));
        assertThrows(IllegalArgumentException.class, () -> window.commit(42, 17));
    }
}
