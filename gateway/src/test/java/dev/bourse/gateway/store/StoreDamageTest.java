package dev.bourse.gateway.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A session store's files damaged while the exchange was stopped (an outside tester's truncations)
 * refuse the start in one line naming the file, where the session had started afresh at MsgSeqNum
 * 1, reports had been sent again, or resends answered with gap fills; and what a crash at any
 * moment can leave still opens.
 */
class StoreDamageTest
{
    private static final UnsafeBuffer SENDING_TIME = new UnsafeBuffer("20261207-12:00:00.000".getBytes(StandardCharsets.US_ASCII));
    private static final int NEXT_OUT = 8;
    private static final int RENUMBERING = 112;

    private Path dir;
    private Path session;

    @BeforeEach
    void makeDir() throws IOException
    {
        dir = Files.createTempDirectory("bourse-store-damage-");
        session = dir.resolve("ALICE");
    }

    @AfterEach
    void removeDir() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    // ---- what a normal run or a crash leaves: opens

    @Test
    void anUndamagedStoreOpensWithItsNumbersAndMessages()
    {
        writeSession(1746);
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertTrue(store.isInitialised());
            assertEquals(1747, store.nextOutSeq());
            assertEquals("alice", store.username());
            assertEquals(body(1746), stored(store, 1746));
            append(store, 1747);
            assertEquals(body(1747), stored(store, 1747));
        }
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(1748, store.nextOutSeq(), "and again after it went on");
        }
    }

    @Test
    void aStoreCutOffBeforeItsFirstLogonWasAnsweredOpensUnbound() throws IOException
    {
        // the state created, not yet given its blocks
        Files.createDirectories(session);
        Files.write(session.resolve("state"), new byte[0]);
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertFalse(store.isInitialised());
        }
        // given its blocks (and the messages file made), not yet bound
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertFalse(store.isInitialised());
        }
        // bound half-way: fields written, the magic number (written last) not yet
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 20))
        {
            store.initialise(5, "alice");
        }
        putInt(session.resolve("state"), 0, 0);
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertFalse(store.isInitialised());
        }
    }

    @Test
    void aMessageStoredButTheStateNotYetAdvancedOpens() throws IOException
    {
        writeSession(40);
        putInt(session.resolve("state"), NEXT_OUT, 40); // message 40 written, the next number not yet 41
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(40, store.nextOutSeq());
            assertEquals(body(40), stored(store, 40));
        }
    }

    /**
     * A running store copied state first, messages after (OPERATIONS.md, "Backups"): the messages go
     * further than the state says were sent. An outside tester's restore was refused as "not this
     * session's"; those numbers reached the client, so the store numbers on after them.
     */
    @Test
    void messagesCopiedAfterTheirStateOpenAndTheNumberingGoesOnAfterThem() throws IOException
    {
        writeSession(40);
        putInt(session.resolve("state"), NEXT_OUT, 36); // the state as copied: messages 36 to 40 sent after it
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(41, store.nextOutSeq());
            assertEquals(body(40), stored(store, 40));
            append(store, 41);
        }
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(42, store.nextOutSeq(), "and again after it went on");
        }
    }

    @Test
    void aRollCutOffAfterTheRenameOpensFromThePreviousSegment() throws IOException
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, 4096, Runnable::run))
        {
            store.initialise(5, "alice");
            for (int seq = 1; seq <= 100; seq++)
            {
                append(store, seq);
            }
        }
        // the older segment dropped, the full one renamed, the new one not yet made
        Files.delete(session.resolve("messages.prev"));
        Files.move(session.resolve("messages"), session.resolve("messages.prev"));
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(101, store.nextOutSeq());
            assertEquals(body(100), stored(store, 100));
        }
        // the new one created but not yet given its blocks
        Files.write(session.resolve("messages"), new byte[0]);
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, 4096, Runnable::run))
        {
            assertEquals(body(100), stored(store, 100));
        }
        Files.delete(session.resolve("messages"));
        Files.write(session.resolve("messages"), new byte[0]);
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(101, store.nextOutSeq());
        }
    }

    @Test
    void aResetOrTakeoverCutOffHalfWayOpens() throws IOException
    {
        writeSession(60);
        // the numbers back to 1, the old messages not yet dropped
        putInt(session.resolve("state"), RENUMBERING, 1);
        putInt(session.resolve("state"), NEXT_OUT, 1);
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(1, store.nextOutSeq());
        }
    }

    @Test
    void aResetOrTakeoverWithNothingSentSinceOpens()
    {
        writeSession(60);
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 20))
        {
            store.reset(9);
        }
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(1, store.nextOutSeq());
            assertEquals(9, store.resetSequence());
            store.takeOver(12, 500, 30);
        }
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(500, store.nextOutSeq());
            append(store, 500);
        }
        try (SessionStore store = SessionStore.openFound(dir, "ALICE", 1 << 20))
        {
            assertEquals(501, store.nextOutSeq());
            assertEquals(body(500), stored(store, 500));
        }
    }

    // ---- a session's state damaged: refused, the files left as they were

    @Test
    void aStateCutToNothingIsRefusedNotTakenForANewSession() throws IOException
    {
        writeSession(1746);
        Files.write(session.resolve("state"), new byte[0]);
        final long messages = Files.size(session.resolve("messages"));
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("state") + " is empty"), message);
        assertTrue(message.contains("MsgSeqNum 1746"), message);
        assertAdvice(message);
        assertEquals(0, Files.size(session.resolve("state")), "a refused start leaves the file as it was");
        assertEquals(messages, Files.size(session.resolve("messages")));
    }

    @Test
    void aStateCutShortIsRefused() throws IOException
    {
        writeSession(10);
        truncate(session.resolve("state"), 100);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("state") + " is 100 bytes, shorter than the 4096 of its format"), message);
        assertAdvice(message);
    }

    @Test
    void aStateWithoutItsMagicNumberIsRefused() throws IOException
    {
        writeSession(10);
        putInt(session.resolve("state"), 0, 0x12345678);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("state") + " does not begin with a session state's magic number"), message);
        // zeroed, where messages were sent: the binding is lost
        putInt(session.resolve("state"), 0, 0);
        final String zeroed = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(zeroed.contains(session.resolve("state") + " has no magic number"), zeroed);
    }

    @Test
    void aStateWithAFieldNoSessionHasIsRefused() throws IOException
    {
        writeSession(10);
        putInt(session.resolve("state"), NEXT_OUT, -3);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("state") + " holds next outbound MsgSeqNum -3, which no session has"), message);
    }

    @Test
    void aStateDeletedBesideMessagesIsRefused() throws IOException
    {
        writeSession(10);
        Files.delete(session.resolve("state"));
        final String message = refusal(() -> SessionStore.refuseIfStateLost(session));
        assertTrue(message.contains(session.resolve("state") + " is missing, but " + session.resolve("messages") + " holds messages"),
            message);
        assertAdvice(message);
    }

    // ---- a session's messages damaged: refused

    @Test
    void messagesCutToNothingAreRefusedNotGapFilled() throws IOException
    {
        writeSession(1746);
        truncate(session.resolve("messages"), 0);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("messages") + " (0 bytes) holds no message, but " + session.resolve("state")
            + " says MsgSeqNum 1746 was the last sent"), message);
        assertAdvice(message);
        assertEquals(0, Files.size(session.resolve("messages")), "a refused start leaves the file as it was");
    }

    @Test
    void messagesCutPartWayThroughAMessageAreRefused() throws IOException
    {
        writeSession(3000);
        truncate(session.resolve("messages"), 200_003);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(session.resolve("messages") + ": the message at offset "), message);
        assertTrue(message.contains("runs past the end of the file (200003 bytes): the file was cut short"), message);
        assertAdvice(message);
    }

    @Test
    void messagesCutBetweenTwoMessagesAreRefused() throws IOException
    {
        writeSession(3000);
        final Path messages = session.resolve("messages");
        final int cut = recordBoundaryAfter(messages, 200_000);
        truncate(messages, cut);
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(messages + " (" + cut + " bytes) holds messages up to MsgSeqNum "), message);
        assertTrue(message.contains("says MsgSeqNum 3000 was the last sent: the messages after it are lost"), message);
    }

    @Test
    void aMessageThatDoesNotDecodeIsRefused() throws IOException
    {
        writeSession(100);
        final Path messages = session.resolve("messages");
        final int at = recordBoundaryAfter(messages, 2_000);
        putInt(messages, at, 13); // a length no message has
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(messages + ": where a message should begin at offset " + at + " it holds a length of 13"), message);
        putInt(messages, at, 64);
        putInt(messages, at + 4, 3); // MsgSeqNum 3 after a later one
        final String later = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(later.contains(messages + ": the message at offset " + at + " does not decode (MsgSeqNum 3 after "), later);
    }

    @Test
    void aPreviousSegmentCutShortIsRefused() throws IOException
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1024, 4096, Runnable::run))
        {
            store.initialise(5, "alice");
            for (int seq = 1; seq <= 100; seq++)
            {
                append(store, seq);
            }
        }
        final Path previous = session.resolve("messages.prev");
        truncate(previous, recordBoundaryAfter(previous, 1_000));
        final String message = refusal(() -> SessionStore.openFound(dir, "ALICE", 1 << 20));
        assertTrue(message.contains(previous + " ends at MsgSeqNum "), message);
        assertTrue(message.contains("messages between them are missing"), message);
    }

    // ---- gateway.state

    @Test
    void gatewayStateMissingOrDamagedBesideSessionStoresIsRefused() throws IOException
    {
        try (GatewayState state = new GatewayState(dir))
        {
            state.reportedPosition(123_456L);
        }
        writeSession(20);
        final Path file = dir.resolve("gateway.state");
        final byte[] good = Files.readAllBytes(file);

        Files.delete(file);
        final String missing = refusal(() -> new GatewayState(dir));
        assertTrue(missing.contains("the FIX gateway's state " + file + " is missing, but session stores are beside it (" + session),
            missing);
        assertTrue(missing.contains("Restore it from a backup"), missing);
        assertTrue(missing.contains("move " + dir + " (gateway.session-dir) away whole"), missing);
        assertTrue(missing.contains("the exchange does not start"), missing);
        assertFalse(Files.exists(file), "a refused start makes nothing");
        assertEquals(missing, refusal(() -> GatewayState.reportedPosition(dir)), "the journal's witness check says the same");

        Files.write(file, new byte[0]);
        assertTrue(refusal(() -> new GatewayState(dir)).contains(file + " is empty"));
        assertEquals(0, Files.size(file));

        Files.write(file, java.util.Arrays.copyOf(good, 16));
        assertTrue(refusal(() -> new GatewayState(dir)).contains(file + " is 16 bytes, shorter than the 4096 of its format"));

        final byte[] zeroMagic = good.clone();
        zeroMagic[0] = 0;
        zeroMagic[1] = 0;
        zeroMagic[2] = 0;
        zeroMagic[3] = 0;
        Files.write(file, zeroMagic);
        assertTrue(refusal(() -> new GatewayState(dir)).contains(file + " does not begin with the gateway state's magic number"));

        Files.write(file, good);
        try (GatewayState state = new GatewayState(dir))
        {
            assertEquals(123_456L, state.reportedPosition(), "an undamaged one opens as it was");
        }
        assertEquals(123_456L, GatewayState.reportedPosition(dir));
    }

    @Test
    void gatewayStateMissingOrEmptyOnAFirstStartIsMade() throws IOException
    {
        try (GatewayState state = new GatewayState(dir))
        {
            assertFalse(state.hasReportedPosition());
            assertEquals(1, state.allocateSessionId());
        }
        // a first start cut off before the file was whole, and a first Logon cut off before its store was bound
        Files.write(dir.resolve("gateway.state"), new byte[0]);
        try (SessionStore unbound = SessionStore.open(dir, "ALICE", 1 << 20))
        {
            assertFalse(unbound.isInitialised());
        }
        assertEquals(-1, GatewayState.reportedPosition(dir));
        try (GatewayState state = new GatewayState(dir))
        {
            assertEquals(1, state.allocateSessionId());
        }
    }

    // ---- helpers

    /** A session bound to alice that sent MsgSeqNums 1 to {@code last}, each stored, and stopped. */
    private void writeSession(final int last)
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 20))
        {
            store.initialise(5, "alice");
            for (int seq = 1; seq <= last; seq++)
            {
                append(store, seq);
            }
        }
    }

    private static String body(final int seq)
    {
        return "37=ORDER" + seq + "\u000117=EXEC" + seq + "\u0001150=F\u000139=2\u000155=ACME\u000154=1\u0001";
    }

    private static void append(final SessionStore store, final int seq)
    {
        final UnsafeBuffer body = new UnsafeBuffer(body(seq).getBytes(StandardCharsets.US_ASCII));
        store.append(seq, (byte)'8', (byte)0, SENDING_TIME, 0, body, 0, body.capacity());
    }

    private static String stored(final SessionStore store, final int seq)
    {
        final long position = store.find(seq);
        assertTrue(position >= 0, "message " + seq + " stored");
        final var messages = store.messagesAt(position);
        final byte[] bytes = new byte[SessionStore.bodyLength(messages, position)];
        messages.getBytes(SessionStore.bodyOffset(position), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String refusal(final org.junit.jupiter.api.function.Executable open)
    {
        final DamagedStoreException e = assertThrows(DamagedStoreException.class, open);
        assertNull(e.getCause(), "one line: no cause to print instead");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private void assertAdvice(final String message)
    {
        assertTrue(message.startsWith("the FIX session store of ALICE is damaged: "), message);
        assertTrue(message.contains("Restore " + session + " from a backup"), message);
        assertTrue(message.contains("or move " + session + " away to start session ALICE afresh at MsgSeqNum 1"), message);
        assertTrue(message.contains("tell its firm"), message);
        assertTrue(message.endsWith("the exchange does not start"), message);
    }

    /** The offset of the first record that begins at or after {@code from}, walking the records' lengths. */
    private static int recordBoundaryAfter(final Path segment, final int from) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.nativeOrder());
        int position = 0;
        while (position < from)
        {
            final int length = bytes.getInt(position);
            assertTrue(length > 0, "records up to " + from);
            position += length;
        }
        return position;
    }

    private static void putInt(final Path file, final int offset, final int value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value);
            channel.write(bytes, offset);
        }
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }
}
