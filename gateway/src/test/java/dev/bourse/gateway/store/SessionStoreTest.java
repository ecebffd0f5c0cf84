package dev.bourse.gateway.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The outbound message store answers ResendRequests with exactly the bodies it was given. */
class SessionStoreTest
{
    private static final UnsafeBuffer SENDING_TIME =
        new UnsafeBuffer("20261203-12:00:00.000".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    @Test
    void aNewStoresFilesHaveTheirBlocksForRealSoThatAFullDiskFailsAtOpenNotAsASigbus() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 20); GatewayState state = new GatewayState(dir))
        {
            final long messages = allocatedBytes(store.directory().resolve("messages"));
            org.junit.jupiter.api.Assumptions.assumeTrue(messages >= 0, "stat is missing");
            assertTrue(messages >= 1 << 20, "messages: " + messages + " bytes allocated");
            assertTrue(allocatedBytes(store.directory().resolve("state")) >= 4096);
            assertTrue(allocatedBytes(dir.resolve("gateway.state")) >= 4096);
        }
    }

    /** Blocks the filesystem gave the file, in bytes (stat's %b counts 512-byte units); -1 without stat. */
    private static long allocatedBytes(final Path file) throws Exception
    {
        try
        {
            final Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
            final String out = new String(stat.getInputStream().readAllBytes()).trim();
            return stat.waitFor() == 0 ? Long.parseLong(out) * 512 : -1;
        }
        catch (final java.io.IOException | NumberFormatException e)
        {
            return -1;
        }
    }

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

    /** A session whose numbers run for weeks: the store rolls to a new segment and keeps the newest, instead of failing. */
    @Test
    void aFullSegmentRollsAndTheNewestMessagesStayReadable() throws Exception
    {
        final int segment = 4096;
        final int count = 200; // each record 32 + about 60 bytes, padded: some 45 to a segment
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, segment, Runnable::run))
        {
            for (int seq = 1; seq <= count; seq++)
            {
                append(store, seq, body(seq));
                assertEquals(seq + 1, store.nextOutSeq());
                assertEquals(body(seq), stored(store, seq), "message " + seq + " right after it was stored");
            }
            assertTrue(store.segmentsRolled() >= 3, "rolled " + store.segmentsRolled());
            assertReadable(store, count, segment);
        }
        try (Stream<Path> files = Files.list(dir.resolve("ALICE")))
        {
            assertEquals(List.of("messages", "messages.prev", "state"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.size(dir.resolve("ALICE").resolve("messages")) <= segment);
        try (SessionStore reopened = SessionStore.open(dir, "ALICE", 1024, segment, Runnable::run))
        {
            assertReadable(reopened, count, segment);
            append(reopened, count + 1, body(count + 1));
            assertEquals(body(count + 1), stored(reopened, count + 1));
        }
    }

    /** Each step of a roll may be the last before a crash: the store still opens, keeps what it can and goes on. */
    @Test
    void aStoreCutOffInTheMiddleOfARollOpensAndGoesOn() throws Exception
    {
        final int segment = 4096;
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, segment, Runnable::run))
        {
            for (int seq = 1; seq <= 100; seq++)
            {
                append(store, seq, body(seq));
            }
        }
        final Path session = dir.resolve("ALICE");
        // the rename done, the new segment not yet created
        Files.delete(session.resolve("messages.prev"));
        Files.move(session.resolve("messages"), session.resolve("messages.prev"));
        Files.write(session.resolve("messages.dropped-1234"), new byte[8192]); // handed to the background, not yet deleted
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, segment, Runnable::run))
        {
            assertEquals(100, newestStored(store, 100), "what was the current segment is the previous one");
            assertFalse(Files.exists(session.resolve("messages.dropped-1234")), "a dropped segment left behind is deleted at open");
            for (int seq = 101; seq <= 150; seq++)
            {
                append(store, seq, body(seq));
            }
            assertReadable(store, 150, segment);
        }
        // the older segment deleted, the rename not yet done: the current segment alone
        Files.delete(session.resolve("messages.prev"));
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, segment, Runnable::run))
        {
            for (int seq = 151; seq <= 250; seq++)
            {
                append(store, seq, body(seq));
            }
            assertReadable(store, 250, segment);
        }
    }

    @Test
    void aResetDropsThePreviousSegmentToo() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, 4096, Runnable::run))
        {
            for (int seq = 1; seq <= 100; seq++)
            {
                append(store, seq, body(seq));
            }
            assertTrue(Files.exists(dir.resolve("ALICE").resolve("messages.prev")));
            store.reset(9);
            assertFalse(Files.exists(dir.resolve("ALICE").resolve("messages.prev")));
            for (int seq = 1; seq <= 100; seq++)
            {
                assertEquals(-1, store.find(seq), "message " + seq + " of the old numbering");
            }
            append(store, 1, body(1));
            assertEquals(body(1), stored(store, 1));
        }
    }

    /** Every message from the oldest still stored to {@code newest} reads back; the ones before it are gone (never half there). */
    private static void assertReadable(final SessionStore store, final int newest, final int segment)
    {
        int oldest = newest;
        while (oldest > 1 && store.find(oldest - 1) >= 0)
        {
            oldest--;
        }
        for (int seq = oldest; seq <= newest; seq++)
        {
            assertEquals(body(seq), stored(store, seq), "message " + seq);
        }
        for (int seq = 1; seq < oldest; seq++)
        {
            assertEquals(-1, store.find(seq), "message " + seq + " rolled off");
        }
        // records of 80 to 88 bytes; a segment rolls when the next would not fit with its end mark
        final int kept = newest - oldest + 1;
        assertTrue(kept * 88 >= segment - 200, "at least a segment's worth kept: " + kept);
        assertTrue(kept * 80 <= 2 * segment, "at most two segments kept: " + kept);
    }

    private static int newestStored(final SessionStore store, final int upTo)
    {
        for (int seq = upTo; seq >= 1; seq--)
        {
            if (store.find(seq) >= 0)
            {
                return seq;
            }
        }
        return 0;
    }

    private static String body(final int seq)
    {
        return "37=ORDER-" + seq + "\u000111=CLORDID-" + seq + "\u000114=0\u000139=0\u0001150=0\u0001151=100\u0001";
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
        final int length = SessionStore.bodyLength(store.messagesAt(position), position);
        final byte[] bytes = new byte[length];
        store.messagesAt(position).getBytes(SessionStore.bodyOffset(position), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
