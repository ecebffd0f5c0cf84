package dev.bourse.gateway.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The outbound message store answers ResendRequests with exactly the bodies it was given. */
class SessionStoreTest
{
    private static final UnsafeBuffer SENDING_TIME =
        new UnsafeBuffer("20261203-12:00:00.000".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    @Test
    void aShorterMessageStoredAfterAResetOverALongerOneReadsBackExactly()
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 16))
        {
            for (int seq = 1; seq <= 5; seq++)
            {
                append(store, seq, "11=LONG-CLORDID-00000" + seq + "\u000114=0\u00016=0\u0001151=100\u0001");
            }
            store.reset(7);
            for (int seq = 1; seq <= 5; seq++)
            {
                final String body = "11=S" + seq + "\u000114=0\u00016=0\u0001";
                append(store, seq, body);
                assertEquals(body, stored(store, seq), "message " + seq + " after the reset");
            }
        }
        try (SessionStore reopened = SessionStore.open(dir, "ALICE", 1 << 16))
        {
            for (int seq = 1; seq <= 5; seq++)
            {
                assertEquals("11=S" + seq + "\u000114=0\u00016=0\u0001", stored(reopened, seq), "message " + seq + " reopened");
            }
            assertEquals(-1, reopened.find(6), "nothing of the old numbering past the new messages");
        }
    }

    private static void append(final SessionStore store, final int seq, final String body)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(body.getBytes(StandardCharsets.US_ASCII));
        store.append(seq, (byte)'8', (byte)0, SENDING_TIME, 0, bytes, 0, bytes.capacity());
    }

    private static String stored(final SessionStore store, final int seq)
    {
        final long position = store.find(seq);
        assertTrue(position >= 0, "message " + seq + " is stored");
        final int length = SessionStore.bodyLength(store.messages(), position);
        final byte[] bytes = new byte[length];
        store.messages().getBytes(SessionStore.bodyOffset(position), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
