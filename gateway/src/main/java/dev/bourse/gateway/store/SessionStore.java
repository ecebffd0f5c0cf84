package dev.bourse.gateway.store;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One FIX session's persistent state in its own directory, as two memory-mapped files (they
 * survive a crash of the process; the OS writes them back):
 * <ul>
 * <li>{@code state}: engine session id, next outbound and next expected inbound MsgSeqNum, the
 * username the CompID belongs to;</li>
 * <li>{@code messages}: the outbound messages as sent (MsgType, SendingTime, body), appended in
 * MsgSeqNum order, for answering ResendRequests. The file grows by remapping at twice the size, up
 * to a segment's limit ({@value #SEGMENT_BYTES} bytes, about 6 million messages);</li>
 * <li>{@code messages.prev}: the segment before it. When {@code messages} is full it becomes
 * {@code messages.prev} (the older one is deleted) and a new {@code messages} starts, so a
 * session whose numbers run for weeks keeps its newest 1-2 segments, never more, and never stops
 * sending: a ResendRequest for a message that rolled off is answered with a gap fill, as for
 * session messages. Rolling renames files, it copies nothing; a crash at any step leaves at worst
 * one segment fewer.</li>
 * </ul>
 * Single-threaded (the gateway thread).
 * <p>
 * About 570 lines: the state file's fields (numbers, reservations, takeover) and the message
 * segments change together on a reset or a takeover, which must leave both consistent in one
 * call; the MsgSeqNum index is a class of its own ({@link SequenceIndex}).
 */
public final class SessionStore implements AutoCloseable
{
    private static final int MAGIC = 0x46495853;
    private static final int STATE_SIZE = 4096;
    private static final int MAGIC_OFFSET = 0;
    private static final int SESSION_ID_OFFSET = 4;
    private static final int NEXT_OUT_OFFSET = 8;
    private static final int NEXT_IN_OFFSET = 12;
    private static final int USERNAME_LENGTH_OFFSET = 16;
    private static final int USERNAME_OFFSET = 20;
    private static final int MAX_USERNAME = 64;
    /** The inbound MsgSeqNum up to which (exclusive) messages count as received: see {@link #receivedInSeq()}. */
    private static final int RECEIVED_IN_OFFSET = 96;
    /** Journal sequence at the session's last sequence reset: MsgSeqNums in earlier entries are of old numbering. */
    private static final int RESET_SEQUENCE_OFFSET = 104;

    /** Record layout in {@code messages}. */
    private static final int RECORD_LENGTH = 0;
    private static final int RECORD_SEQ = 4;
    private static final int RECORD_MSG_TYPE_LENGTH = 8;
    private static final int RECORD_MSG_TYPE = 9;
    private static final int RECORD_SENDING_TIME = 11;
    public static final int SENDING_TIME_LENGTH = 21;
    private static final int RECORD_BODY = 32;

    /**
     * The most one segment file holds: 1 GiB, so that an index entry keeps a segment's offsets in
     * 30 bits and the segment in the 31st. Two segments at most: 2 GiB of disk per session.
     */
    static final int SEGMENT_BYTES = 1 << 30;
    private static final String CURRENT = "messages";
    private static final String PREVIOUS = "messages.prev";
    /** Index entries of the previous segment carry this bit; a position's segment is its bit 32. */
    private static final int PREVIOUS_BIT = 1 << 30;

    private final Path directory;
    private final String compId;
    private final byte[] compIdBytes;
    private final MappedByteBuffer stateMap;
    private final UnsafeBuffer state;
    private final int segmentBytes;
    private final int initialMessagesSize;
    private FileChannel messagesChannel;
    private MappedByteBuffer messagesMap;
    private final UnsafeBuffer messages = new UnsafeBuffer(0, 0);
    /** The previous segment, mapped while it exists (capacity 0 when there is none). */
    private MappedByteBuffer previousMap;
    private final UnsafeBuffer previous = new UnsafeBuffer(0, 0);
    private int writePosition;
    private int segmentsRolled;
    /** MsgSeqNum -> offset in its segment, with {@link #PREVIOUS_BIT} for the previous segment's. */
    private final SequenceIndex index = new SequenceIndex();

    private SessionStore(final Path directory, final String compId, final int initialMessagesSize, final int segmentBytes)
        throws IOException
    {
        this.directory = directory;
        this.compId = compId;
        this.compIdBytes = compId.getBytes(StandardCharsets.US_ASCII);
        this.segmentBytes = segmentBytes;
        this.initialMessagesSize = Math.min(initialMessagesSize, segmentBytes);
        Files.createDirectories(directory);
        stateMap = map(directory.resolve("state"), STATE_SIZE);
        state = new UnsafeBuffer(stateMap);
        mapPrevious();
        openCurrent();
        rebuildIndex();
    }

    /** Opens (or creates) the store of {@code compId} under {@code root}. */
    public static SessionStore open(final Path root, final String compId, final int initialMessagesSize)
    {
        return open(root, compId, initialMessagesSize, SEGMENT_BYTES);
    }

    /** As {@link #open(Path, String, int)} with segments of {@code segmentBytes}, 4 KiB to 1 GiB (tests roll small ones). */
    public static SessionStore open(final Path root, final String compId, final int initialMessagesSize, final int segmentBytes)
    {
        if (segmentBytes < 4096 || segmentBytes > SEGMENT_BYTES)
        {
            throw new IllegalArgumentException("segment size out of range: " + segmentBytes);
        }
        try
        {
            return new SessionStore(root.resolve(compId), compId, initialMessagesSize, segmentBytes);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot open FIX session store " + root.resolve(compId) + ": " + e.getMessage(), e);
        }
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
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    private void openCurrent() throws IOException
    {
        messagesChannel = FileChannel.open(directory.resolve(CURRENT), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        // a file of an older version may be larger than a segment (up to 2 GiB): mapped whole, it rolls at the next message
        remap(Math.min(Math.max(initialMessagesSize, messagesChannel.size()), MAX_MAPPING));
    }

    private void mapPrevious() throws IOException
    {
        final Path path = directory.resolve(PREVIOUS);
        if (Files.exists(path))
        {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                previousMap = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.min(channel.size(), MAX_MAPPING));
            }
            previous.wrap(previousMap);
        }
    }

    private void unmapPrevious()
    {
        if (previousMap != null)
        {
            IoUtil.unmap(previousMap);
            previousMap = null;
            previous.wrap(0, 0);
        }
    }

    private void remap(final long size) throws IOException
    {
        if (messagesMap != null)
        {
            IoUtil.unmap(messagesMap);
        }
        messagesMap = messagesChannel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        messages.wrap(messagesMap);
    }

    /**
     * The current segment is full: it becomes the previous one (the older previous is deleted) and
     * an empty one starts. Each step leaves a store that opens: the previous deleted first (a crash
     * then loses only what rolls off anyway), then the rename (atomic), then the new file.
     */
    private void roll()
    {
        try
        {
            unmapPrevious();
            Files.deleteIfExists(directory.resolve(PREVIOUS));
            IoUtil.unmap(messagesMap);
            messagesMap = null;
            messagesChannel.close();
            Files.move(directory.resolve(CURRENT), directory.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE);
            mapPrevious();
            openCurrent();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot roll the FIX session store " + directory + ": " + e.getMessage(), e);
        }
        messages.putInt(0, 0);
        segmentsRolled++;
        rebuildIndex();
    }

    /** Indexes the previous segment's messages, then the current one's; leaves {@link #writePosition} at the end of the current. */
    private void rebuildIndex()
    {
        index.clear();
        walk(previous, PREVIOUS_BIT);
        writePosition = walk(messages, 0);
    }

    /**
     * Indexes one segment's records up to the first that is not one; returns where that is. Offsets
     * must fit beside {@link #PREVIOUS_BIT}: the records of a file of an older version past 1 GiB
     * are not indexed (resends gap-fill them), and it rolls at the next message.
     */
    private int walk(final UnsafeBuffer segment, final int segmentBit)
    {
        int position = 0;
        while (position + RECORD_BODY <= segment.capacity())
        {
            final int length = segment.getInt(position + RECORD_LENGTH);
            if (length < RECORD_BODY || position + length > segment.capacity())
            {
                break;
            }
            if (position < PREVIOUS_BIT)
            {
                index.put(segment.getInt(position + RECORD_SEQ), position | segmentBit);
            }
            position += length;
        }
        return position;
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
        state.putLong(RESET_SEQUENCE_OFFSET, journalSequence);
        state.putInt(NEXT_OUT_OFFSET, 1);
        state.putInt(NEXT_IN_OFFSET, 1);
        state.putInt(RECEIVED_IN_OFFSET, 1);
        unmapPrevious();
        try
        {
            Files.deleteIfExists(directory.resolve(PREVIOUS));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot reset the FIX session store " + directory + ": " + e.getMessage(), e);
        }
        messages.putInt(0, 0);
        writePosition = 0;
        index.clear();
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
        final int length = (RECORD_BODY + bodyLength + 7) & ~7;
        if ((long)writePosition + length + RECORD_BODY > segmentBytes)
        {
            roll();
        }
        ensureCapacity(writePosition + length + RECORD_BODY);
        final int p = writePosition;
        messages.putInt(p + RECORD_SEQ, seq);
        messages.putByte(p + RECORD_MSG_TYPE_LENGTH, (byte)(msgType1 == 0 ? 1 : 2));
        messages.putByte(p + RECORD_MSG_TYPE, msgType0);
        messages.putByte(p + RECORD_MSG_TYPE + 1, msgType1);
        messages.putBytes(p + RECORD_SENDING_TIME, sendingTime, sendingTimeOffset, SENDING_TIME_LENGTH);
        messages.putBytes(p + RECORD_BODY, body, bodyOffset, bodyLength);
        // the padding must read as zeros (bodyLength relies on it): after a reset it holds an older record's bytes
        messages.setMemory(p + RECORD_BODY + bodyLength, length - RECORD_BODY - bodyLength, (byte)0);
        messages.putInt(p + length, 0);
        messages.putIntOrdered(p + RECORD_LENGTH, length);
        writePosition += length;
        index.put(seq, p);
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
        reset(journalSequence);
        state.putInt(NEXT_OUT_OFFSET, nextOut);
        state.putInt(NEXT_IN_OFFSET, nextIn);
        state.putInt(RECEIVED_IN_OFFSET, nextIn);
        firstNumberHere = nextOut;
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
        return segmentsRolled;
    }

    /** The most one mapping holds, 8-byte aligned: what a file of an older version may have grown to. */
    private static final long MAX_MAPPING = (Integer.MAX_VALUE - 8) & ~7L;

    private void ensureCapacity(final long needed)
    {
        if (needed <= messages.capacity())
        {
            return;
        }
        long size = messages.capacity();
        while (size < needed)
        {
            size *= 2;
        }
        size = Math.min(size, segmentBytes); // the last step to the segment's limit, not past it
        try
        {
            remap(size);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where a stored message is (read it from {@link #messagesAt}), or -1: never stored, or rolled
     * off with an older segment.
     */
    public long find(final int seq)
    {
        final int where = index.get(seq);
        if (where < 0)
        {
            return -1;
        }
        return (where & PREVIOUS_BIT) != 0 ? (1L << 32) | (where & ~PREVIOUS_BIT) : where;
    }

    /** The segment holding the message {@link #find} placed at {@code position}; the static readers take both. */
    public DirectBuffer messagesAt(final long position)
    {
        return (position >>> 32) != 0 ? previous : messages;
    }

    public static byte msgType0(final DirectBuffer messages, final long position)
    {
        return messages.getByte((int)position + RECORD_MSG_TYPE);
    }

    public static byte msgType1(final DirectBuffer messages, final long position)
    {
        return messages.getByte((int)position + RECORD_MSG_TYPE + 1);
    }

    public static int sendingTimeOffset(final long position)
    {
        return (int)position + RECORD_SENDING_TIME;
    }

    public static int bodyOffset(final long position)
    {
        return (int)position + RECORD_BODY;
    }

    /** Body length (padding is trailing zero bytes, which a message body never contains). */
    public static int bodyLength(final DirectBuffer messages, final long position)
    {
        final int p = (int)position;
        int length = messages.getInt(p + RECORD_LENGTH) - RECORD_BODY;
        while (length > 0 && messages.getByte(p + RECORD_BODY + length - 1) == 0)
        {
            length--;
        }
        return length;
    }

    @Override
    public void close()
    {
        index.close();
        IoUtil.unmap(stateMap);
        unmapPrevious();
        if (messagesMap != null)
        {
            IoUtil.unmap(messagesMap);
            messagesMap = null;
        }
        try
        {
            messagesChannel.close();
        }
        catch (final IOException ignore)
        {
            // closing a file we only mapped
        }
    }
}
