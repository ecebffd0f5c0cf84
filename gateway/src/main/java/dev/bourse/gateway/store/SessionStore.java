package dev.bourse.gateway.store;

import dev.bourse.journal.AllocatedFiles;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;

/**
 * One FIX session's persistent state in its own directory, as two memory-mapped files (they
 * survive a crash of the process; the OS writes them back):
 * <ul>
 * <li>{@code state}: engine session id, next outbound and next expected inbound MsgSeqNum, the
 * username the CompID belongs to;</li>
 * <li>{@code messages} and {@code messages.prev}: the messages sent, for answering ResendRequests,
 * in segments that roll when full ({@link MessageLog}).</li>
 * </ul>
 * Single-threaded (the gateway thread).
 */
public final class SessionStore implements AutoCloseable
{
    static final int MAGIC = 0x46495853;
    static final int STATE_SIZE = 4096;
    static final int MAGIC_OFFSET = 0;
    static final int SESSION_ID_OFFSET = 4;
    static final int NEXT_OUT_OFFSET = 8;
    static final int NEXT_IN_OFFSET = 12;
    static final int USERNAME_LENGTH_OFFSET = 16;
    private static final int USERNAME_OFFSET = 20;
    static final int MAX_USERNAME = 64;
    /** The inbound MsgSeqNum up to which (exclusive) messages count as received: see {@link #receivedInSeq()}. */
    static final int RECEIVED_IN_OFFSET = 96;
    /** Journal sequence at the session's last sequence reset: MsgSeqNums in earlier entries are of old numbering. */
    static final int RESET_SEQUENCE_OFFSET = 104;
    /**
     * 1 while a sequence reset or a takeover renumbers the session (set before, cleared after):
     * the numbers and the messages change in several writes, and a crash between them leaves them
     * disagreeing, which a start must not take for damage. 0 in stores written before it was kept.
     */
    static final int RENUMBERING_OFFSET = 112;
    /**
     * The next outbound MsgSeqNum at the session's takeover from another gateway, which stored none
     * of the numbers below it (0: the numbering was not taken over, it starts here at 1).
     */
    static final int TAKEN_OVER_AT_OFFSET = 116;

    private final Path directory;
    private final String compId;
    private final byte[] compIdBytes;
    private final MappedByteBuffer stateMap;
    private final UnsafeBuffer state;
    private final MessageLog log;

    private SessionStore(final Path directory, final String compId, final int initialMessagesSize, final int segmentBytes,
        final Executor cleanup, final boolean check) throws IOException
    {
        this.directory = directory;
        this.compId = compId;
        this.compIdBytes = compId.getBytes(StandardCharsets.US_ASCII);
        Files.createDirectories(directory);
        final Path stateFile = directory.resolve("state");
        // read before anything is mapped: mapping extends a file cut short with zeros
        final byte[] found = check && Files.exists(stateFile) ? Files.readAllBytes(stateFile) : null;
        log = new MessageLog(directory, initialMessagesSize, segmentBytes, cleanup); // reads, creates and extends nothing
        try
        {
            if (found != null)
            {
                SessionStoreCheck.refuseIfDamaged(stateFile, found, log);
            }
            stateMap = map(stateFile, STATE_SIZE);
            log.ready();
        }
        catch (final IOException | RuntimeException e)
        {
            log.close();
            throw e;
        }
        state = new UnsafeBuffer(stateMap);
        if (found != null)
        {
            numberOnAfterStoredMessages();
        }
    }

    /**
     * A copy of a running store can hold messages sent after its state was copied (an outside
     * tester's backup, restored, was refused as "not this session's"): those numbers reached the
     * client, so the next message takes the one after the last stored. The one message a crash can
     * leave stored ahead of the state (stored, the state not yet advanced) was not sent: its number
     * is used again, as before.
     */
    private void numberOnAfterStoredMessages()
    {
        final int lastStored = log.lastSeqAtOpen();
        if (state.getInt(MAGIC_OFFSET) == MAGIC && state.getInt(RENUMBERING_OFFSET) == 0 && lastStored > state.getInt(NEXT_OUT_OFFSET))
        {
            state.putInt(NEXT_OUT_OFFSET, lastStored + 1);
        }
    }

    /** Opens (or creates) the store of {@code compId} under {@code root}. */
    public static SessionStore open(final Path root, final String compId, final int initialMessagesSize)
    {
        return open(root, compId, initialMessagesSize, MessageLog.SEGMENT_BYTES);
    }

    /** As {@link #open(Path, String, int)} with segments of {@code segmentBytes}, 4 KiB to 1 GiB (tests roll small ones). */
    public static SessionStore open(final Path root, final String compId, final int initialMessagesSize, final int segmentBytes)
    {
        return open(root, compId, initialMessagesSize, segmentBytes, MessageLog.BACKGROUND);
    }

    /** As above, segments that roll off unmapped and deleted by {@code cleanup} (tests: at once). */
    static SessionStore open(final Path root, final String compId, final int initialMessagesSize, final int segmentBytes,
        final Executor cleanup)
    {
        return open(root, compId, initialMessagesSize, segmentBytes, cleanup, false);
    }

    /** As above; {@code check}: a store found at start, refused if damaged ({@link #openFound}). */
    static SessionStore open(final Path root, final String compId, final int initialMessagesSize, final int segmentBytes,
        final Executor cleanup, final boolean check)
    {
        if (segmentBytes < 4096 || segmentBytes > MessageLog.SEGMENT_BYTES)
        {
            throw new IllegalArgumentException("segment size out of range: " + segmentBytes);
        }
        try
        {
            return new SessionStore(root.resolve(compId), compId, initialMessagesSize, segmentBytes, cleanup, check);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot open FIX session store " + root.resolve(compId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the store of {@code compId} found under {@code root} at start, refusing
     * ({@link DamagedStoreException}) one whose files no run of the gateway can have left, however
     * it ended: see {@link SessionStoreCheck#refuseIfDamaged}. A refused store's files are left as they were (but for
     * segments a roll or reset had already dropped, deleted at any open).
     */
    public static SessionStore openFound(final Path root, final String compId, final int initialMessagesSize)
    {
        return open(root, compId, initialMessagesSize, MessageLog.SEGMENT_BYTES, MessageLog.BACKGROUND, true);
    }

    /**
     * Opens the store of a CompID about to be bound to a user ({@link #initialise}). Segments left
     * in its directory without a state that holds a binding are no session's (a release cut off by
     * a crash in a version that deleted the files in place, or a first Logon cut off before its
     * store was bound, which holds none): no client was told of them under this binding, so they
     * are deleted, where they had been read as this session's messages.
     */
    public static SessionStore openNew(final Path root, final String compId, final int initialMessagesSize)
    {
        final Path directory = root.resolve(compId);
        try
        {
            final Path stateFile = directory.resolve("state");
            if (!Files.exists(stateFile) || !SessionStoreCheck.beginsWithMagic(stateFile))
            {
                Files.deleteIfExists(directory.resolve("messages"));
                Files.deleteIfExists(directory.resolve("messages.prev"));
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot open FIX session store " + directory + ": " + e.getMessage(), e);
        }
        return open(root, compId, initialMessagesSize);
    }

    /** Refuses a session directory found at start without a {@code state} but with messages: {@link SessionStoreCheck#refuseIfStateLost}. */
    public static void refuseIfStateLost(final Path directory)
    {
        SessionStoreCheck.refuseIfStateLost(directory);
    }

    /** True if {@code name} is safe as a directory name and a CompID we accept. */
    public static boolean isValidCompId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > 32)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            final boolean ok = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' || b == '-';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static MappedByteBuffer map(final Path path, final int size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            AllocatedFiles.allocate(channel, path, size); // a full disk fails here, not as a SIGBUS at a later write
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    public String compId()
    {
        return compId;
    }

    public byte[] compIdBytes()
    {
        return compIdBytes;
    }

    public Path directory()
    {
        return directory;
    }

    public boolean isInitialised()
    {
        return state.getInt(MAGIC_OFFSET) == MAGIC;
    }

    /** First use of a CompID: binds it to a username and an engine session id. */
    public void initialise(final int sessionId, final String username)
    {
        final byte[] user = username.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(user.length, MAX_USERNAME);
        state.putInt(SESSION_ID_OFFSET, sessionId);
        state.putInt(NEXT_OUT_OFFSET, 1);
        state.putInt(NEXT_IN_OFFSET, 1);
        state.putInt(RECEIVED_IN_OFFSET, 1);
        state.putInt(RENUMBERING_OFFSET, 0);
        state.putInt(TAKEN_OVER_AT_OFFSET, 0);
        state.putInt(USERNAME_LENGTH_OFFSET, length);
        state.putBytes(USERNAME_OFFSET, user, 0, length);
        this.username = null;
        state.putIntOrdered(MAGIC_OFFSET, MAGIC);
    }

    public int sessionId()
    {
        return state.getInt(SESSION_ID_OFFSET);
    }

    public String username()
    {
        if (username == null) // decoded once: the order path's reservations ask for it
        {
            final byte[] user = new byte[Math.min(MAX_USERNAME, Math.max(0, state.getInt(USERNAME_LENGTH_OFFSET)))];
            state.getBytes(USERNAME_OFFSET, user);
            username = new String(user, StandardCharsets.UTF_8);
        }
        return username;
    }

    private String username;

    public int nextOutSeq()
    {
        return state.getInt(NEXT_OUT_OFFSET);
    }

    public int nextInSeq()
    {
        return state.getInt(NEXT_IN_OFFSET);
    }

    public void nextInSeq(final int seq)
    {
        state.putInt(NEXT_IN_OFFSET, seq);
    }

    /**
     * The first inbound MsgSeqNum not yet received for good: a message counts as received once it
     * was handled in the gateway alone, or once the command it became is journaled. After a crash
     * the gateway expects this number (or later, if the journal shows more), so a message that was
     * read but whose command never reached the journal is asked for again. 0 in stores written
     * before it was kept: unknown, {@link #nextInSeq()} is all there is.
     */
    public int receivedInSeq()
    {
        return state.getInt(RECEIVED_IN_OFFSET);
    }

    public void receivedInSeq(final int seq)
    {
        state.putInt(RECEIVED_IN_OFFSET, seq);
    }

    /** The engine sequence of the newest journal entry when the numbers were last reset (0: never). */
    public long resetSequence()
    {
        return state.getLong(RESET_SEQUENCE_OFFSET);
    }

    /**
     * Sequence reset (ResetSeqNumFlag): both directions restart at 1 and the stored messages are
     * dropped. {@code journalSequence} is the newest journal entry at this point: the MsgSeqNums
     * journaled up to it belong to the numbering that ends here.
     */
    public void reset(final long journalSequence)
    {
        state.putIntVolatile(RENUMBERING_OFFSET, 1);
        clearNumbering(journalSequence);
        state.putIntVolatile(RENUMBERING_OFFSET, 0);
    }

    private void clearNumbering(final long journalSequence)
    {
        state.putInt(TAKEN_OVER_AT_OFFSET, 0);
        state.putLong(RESET_SEQUENCE_OFFSET, journalSequence);
        state.putInt(NEXT_OUT_OFFSET, 1);
        state.putInt(NEXT_IN_OFFSET, 1);
        state.putInt(RECEIVED_IN_OFFSET, 1);
        log.clear();
        reservedUpTo = 0; // a new numbering: nothing of it reserved yet
        reservationRequested = 0;
        firstNumberHere = 0;
    }

    /**
     * Stores an outbound message and advances the outbound MsgSeqNum (which the caller used).
     *
     * @param msgType one or two ASCII bytes.
     */
    public void append(
        final int seq,
        final byte msgType0,
        final byte msgType1,
        final DirectBuffer sendingTime,
        final int sendingTimeOffset,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        log.append(seq, msgType0, msgType1, sendingTime, sendingTimeOffset, body, bodyOffset, bodyLength);
        state.putInt(NEXT_OUT_OFFSET, seq + 1);
    }

    // Not kept in the files: what the journal says (SEQUENCE_RESERVED audits), read again at start.
    private int reservedUpTo;
    private int reservationRequested;
    private int firstNumberHere;

    /** The highest outbound MsgSeqNum reserved in the journal for this gateway (see SessionDirectory). */
    public int reservedUpTo()
    {
        return reservedUpTo;
    }

    public void reservedUpTo(final int seq)
    {
        reservedUpTo = seq;
    }

    /** The reservation asked for and not yet read back (at most {@link #reservedUpTo()} when none is). */
    public int reservationRequested()
    {
        return reservationRequested;
    }

    public void reservationRequested(final int seq)
    {
        reservationRequested = seq;
    }

    /**
     * The first outbound MsgSeqNum this gateway sent after taking the session over from another
     * gateway (0: it has served the numbering from its start): nothing below it is stored here.
     */
    public int firstNumberHere()
    {
        return firstNumberHere;
    }

    /**
     * Takes the numbering over from another gateway: nothing stored, the next outbound and the
     * expected inbound MsgSeqNum as given, and the journal's MsgSeqNums up to
     * {@code journalSequence} accounted for.
     */
    public void takeOver(final long journalSequence, final int nextOut, final int nextIn)
    {
        state.putIntVolatile(RENUMBERING_OFFSET, 1);
        clearNumbering(journalSequence);
        state.putInt(NEXT_OUT_OFFSET, nextOut);
        state.putInt(NEXT_IN_OFFSET, nextIn);
        state.putInt(RECEIVED_IN_OFFSET, nextIn);
        state.putInt(TAKEN_OVER_AT_OFFSET, nextOut);
        firstNumberHere = nextOut;
        state.putIntVolatile(RENUMBERING_OFFSET, 0);
    }

    public void clearFirstNumberHere()
    {
        firstNumberHere = 0;
    }

    /** Advances the outbound MsgSeqNum for a message that is not stored (none today). */
    public void skipOutSeq(final int seq)
    {
        state.putInt(NEXT_OUT_OFFSET, seq + 1);
    }

    /** How many times the store rolled to a new segment since it was opened. */
    public int segmentsRolled()
    {
        return log.segmentsRolled();
    }

    /**
     * Where a stored message is (read it from {@link #messagesAt}), or -1: never stored, or rolled
     * off with an older segment.
     */
    public long find(final int seq)
    {
        return log.find(seq);
    }

    /** The segment holding the message {@link #find} placed at {@code position}; the static readers take both. */
    public DirectBuffer messagesAt(final long position)
    {
        return log.messagesAt(position);
    }

    public static final int SENDING_TIME_LENGTH = MessageLog.SENDING_TIME_LENGTH;

    public static byte msgType0(final DirectBuffer messages, final long position)
    {
        return MessageLog.msgType0(messages, position);
    }

    public static byte msgType1(final DirectBuffer messages, final long position)
    {
        return MessageLog.msgType1(messages, position);
    }

    public static int sendingTimeOffset(final long position)
    {
        return MessageLog.sendingTimeOffset(position);
    }

    public static int bodyOffset(final long position)
    {
        return MessageLog.bodyOffset(position);
    }

    /** Body length (padding is trailing zero bytes, which a message body never contains). */
    public static int bodyLength(final DirectBuffer messages, final long position)
    {
        return MessageLog.bodyLength(messages, position);
    }

    @Override
    public void close()
    {
        log.close();
        IoUtil.unmap(stateMap);
    }
}
