package dev.bourse.gateway.store;

import dev.bourse.journal.AllocatedFiles;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * A FIX session's sent messages (MsgType, SendingTime, body), appended in MsgSeqNum order for
 * answering ResendRequests, in memory-mapped segment files of the session's directory:
 * <ul>
 * <li>{@code messages}: the segment being written. It grows by remapping at twice the size, up
 * to a segment's limit ({@value #SEGMENT_BYTES} bytes, about 6 million messages);</li>
 * <li>{@code messages.prev}: the segment before it. When {@code messages} is full it becomes
 * {@code messages.prev} (the older one is dropped) and a new {@code messages} starts, so a
 * session whose numbers run for weeks keeps its newest 1-2 segments, never more, and never stops
 * sending: a ResendRequest for a message that rolled off is answered with a gap fill, as for
 * session messages. Rolling renames files and copies nothing; a crash at any step leaves at worst
 * one segment fewer.</li>
 * </ul>
 * Single-threaded (the gateway thread); only the unmapping and deleting of a dropped segment runs
 * on a background thread.
 */
final class MessageLog implements AutoCloseable
{
    /** Record layout in a segment. */
    private static final int RECORD_LENGTH = 0;
    private static final int RECORD_SEQ = 4;
    private static final int RECORD_MSG_TYPE_LENGTH = 8;
    private static final int RECORD_MSG_TYPE = 9;
    private static final int RECORD_SENDING_TIME = 11;
    static final int SENDING_TIME_LENGTH = 21;
    private static final int RECORD_BODY = 32;

    /**
     * The most one segment file holds: 1 GiB, so that an index entry keeps a segment's offsets in
     * 30 bits and the segment's generation's parity in the 31st. Two segments at most: 2 GiB of
     * disk per session.
     */
    static final int SEGMENT_BYTES = 1 << 30;
    private static final String CURRENT = "messages";
    private static final String PREVIOUS = "messages.prev";
    /** A segment rolled off, renamed to this prefix and deleted in the background (at open, any left). */
    private static final String DROPPED = "messages.dropped-";
    private static final int PARITY_BIT = 1 << 30;
    /**
     * Unmaps and deletes the segments that rolled off: deleting a written 1 GiB file took 0.36 s on
     * this project's machine, a stall no gateway thread may take. Daemon, one for all stores.
     */
    static final Executor BACKGROUND = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "session-store-cleanup");
        thread.setDaemon(true);
        return thread;
    });

    private final Path directory;
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
    /** The current segment's generation (the previous one's is one less); only its parity is kept in the index. */
    private int generation = 1;
    /** The first MsgSeqNum in the current segment (0 while it holds none). */
    private int firstSeqInCurrent;
    private final Executor cleanup;
    /** MsgSeqNum -> offset in its segment, with {@link #PARITY_BIT} set for a segment of odd generation. */
    private final SequenceIndex index = new SequenceIndex();
    /** What the walk at open found (see {@link #walk}): a start checks them against the session's state. */
    private long currentSizeAtOpen = -1;
    private long previousSizeAtOpen = -1;
    private int lastSeqWalked;
    private int lastSeqInPrevious;
    private int lastSeqInCurrent;
    private int firstSeqAtOpen;
    private String damage;

    MessageLog(final Path directory, final int initialMessagesSize, final int segmentBytes, final Executor cleanup) throws IOException
    {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.initialMessagesSize = Math.min(initialMessagesSize, segmentBytes);
        this.cleanup = cleanup;
        deleteDroppedSegments();
        mapPrevious();
        mapCurrentAsFound();
        rebuildIndex();
    }

    /**
     * Maps {@code messages} as it is on disk, creating and extending nothing, for the walk that
     * rebuilds the index: a file cut short is seen at its own length (extended first, a record cut
     * at the end read as whole, zeros for its missing part), and a start refused for it leaves the
     * file as it found it. {@link #ready} then makes it ready for writing.
     */
    private void mapCurrentAsFound() throws IOException
    {
        final Path path = directory.resolve(CURRENT);
        if (!Files.exists(path))
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            currentSizeAtOpen = channel.size();
            if (currentSizeAtOpen > 0)
            {
                messagesMap = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.min(currentSizeAtOpen, MAX_MAPPING));
                messages.wrap(messagesMap);
            }
        }
    }

    /** Creates or extends {@code messages} for writing (after the checks of a store found at start). */
    void ready() throws IOException
    {
        openCurrent();
    }

    private void openCurrent() throws IOException
    {
        messagesChannel = FileChannel.open(directory.resolve(CURRENT), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        // a new segment's first part gets its blocks for real (1 MiB, a millisecond): on a full disk opening or rolling
        // fails with an IOException instead of the first message's write dying of SIGBUS. Growing past it stays sparse:
        // writing hundreds of MiB of zeros would stall the gateway thread.
        try
        {
            AllocatedFiles.allocate(messagesChannel, directory.resolve(CURRENT), initialMessagesSize);
        }
        catch (final IOException e)
        {
            messagesChannel.close();
            throw e;
        }
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
                previousSizeAtOpen = channel.size();
                previousMap = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.min(previousSizeAtOpen, MAX_MAPPING));
            }
            previous.wrap(previousMap);
        }
    }

    /** Segments a roll or a reset handed to the background and a crash left behind. */
    private void deleteDroppedSegments() throws IOException
    {
        try (DirectoryStream<Path> dropped = Files.newDirectoryStream(directory, DROPPED + "*"))
        {
            for (final Path file : dropped)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Takes the previous segment away: renamed out of the store's names at once, unmapped and
     * deleted in the background. Nothing reads its buffer after this.
     */
    private void dropPrevious() throws IOException
    {
        final Path path = directory.resolve(PREVIOUS);
        final MappedByteBuffer map = previousMap;
        previousMap = null;
        previous.wrap(0, 0);
        final Path dropped = Files.exists(path) ? directory.resolve(DROPPED + System.nanoTime()) : null;
        if (dropped != null)
        {
            Files.move(path, dropped, StandardCopyOption.ATOMIC_MOVE);
        }
        if (map != null || dropped != null)
        {
            cleanup.execute(() ->
            {
                if (map != null)
                {
                    IoUtil.unmap(map);
                }
                try
                {
                    if (dropped != null)
                    {
                        Files.deleteIfExists(dropped);
                    }
                }
                catch (final IOException ignore)
                {
                    // left for the next open to delete
                }
            });
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
     * The current segment is full: it becomes the previous one (its mapping kept: the file is only
     * renamed), the older previous is dropped ({@link #dropPrevious}) and an empty one starts. The
     * index keeps every entry; the dropped segment's numbers fall below its lower bound. Each step
     * leaves a store that opens: the older previous renamed away first (a crash then loses only what
     * rolls off anyway), then the rename of the current (atomic), then the new file.
     */
    private void roll()
    {
        try
        {
            dropPrevious();
            Files.move(directory.resolve(CURRENT), directory.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE);
            previousMap = messagesMap;
            previous.wrap(previousMap);
            messagesMap = null;
            messagesChannel.close();
            openCurrent();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot roll the FIX session store " + directory + ": " + e.getMessage(), e);
        }
        messages.putInt(0, 0);
        writePosition = 0;
        index.dropBelow(firstSeqInCurrent);
        firstSeqInCurrent = 0;
        generation++;
        segmentsRolled++;
    }

    /** Indexes the previous segment's messages, then the current one's; leaves {@link #writePosition} at the end of the current. */
    private void rebuildIndex()
    {
        index.clear();
        walk(previous, generation - 1, PREVIOUS, previousSizeAtOpen <= MAX_MAPPING);
        lastSeqInPrevious = lastSeqWalked;
        firstSeqInCurrent = 0;
        writePosition = walk(messages, generation, CURRENT, currentSizeAtOpen <= MAX_MAPPING);
        lastSeqInCurrent = lastSeqWalked;
        firstSeqAtOpen = firstSeqInCurrent;
    }

    /**
     * Indexes one segment's records up to the first that is not one; returns where that is. Offsets
     * must fit below {@link #PARITY_BIT}: the records of a file of an older version past 1 GiB are
     * not indexed (resends gap-fill them), and it rolls at the next message.
     * <p>
     * The walk ends at a length of 0: the end mark {@link #append} writes after each record before
     * the record's length, or a new file's zeros. Anything else where a record should begin is
     * damage, never a crash's doing (a record's length is written last, as one aligned int, after its
     * bytes and its end mark, all within the file's length; files never shrink), and is noted in
     * {@link #damage()} for a start to refuse: a length that is no record's (below the header, or not
     * a multiple of 8), a record running past the end of the file ({@code wholeFile}: the segment
     * mapped whole), a MsgSeqNum below 1 or below the one before it (equal is a crash's: a message
     * stored but the state not yet advanced, stored again under the same number), a MsgType length
     * other than 1 or 2.
     */
    private int walk(final UnsafeBuffer segment, final int segmentGeneration, final String name, final boolean wholeFile)
    {
        lastSeqWalked = 0;
        int position = 0;
        while (position + RECORD_SEQ <= segment.capacity())
        {
            final int length = segment.getInt(position + RECORD_LENGTH);
            if (length == 0)
            {
                break;
            }
            if (length < RECORD_BODY || (length & 7) != 0)
            {
                damage(name, "where a message should begin at offset " + position + " it holds a length of " + length
                    + ", which is no message's");
                break;
            }
            if ((long)position + length > segment.capacity())
            {
                if (wholeFile)
                {
                    damage(name, "the message at offset " + position + " (" + length + " bytes) runs past the end of the file ("
                        + segment.capacity() + " bytes): the file was cut short");
                }
                break;
            }
            final int seq = segment.getInt(position + RECORD_SEQ);
            final byte typeLength = segment.getByte(position + RECORD_MSG_TYPE_LENGTH);
            if (seq < 1 || seq < lastSeqWalked || (typeLength != 1 && typeLength != 2))
            {
                damage(name, "the message at offset " + position + " does not decode (MsgSeqNum " + seq
                    + (lastSeqWalked > 0 ? " after " + lastSeqWalked : "") + ", MsgType length " + typeLength + ")");
                break;
            }
            if (position < PARITY_BIT)
            {
                index.put(seq, where(position, segmentGeneration));
                if (segmentGeneration == generation && firstSeqInCurrent == 0)
                {
                    firstSeqInCurrent = seq;
                }
            }
            lastSeqWalked = seq;
            position += length;
        }
        return position;
    }

    private void damage(final String name, final String what)
    {
        if (damage == null)
        {
            damage = directory.resolve(name) + ": " + what;
        }
    }

    /** The first damage the walk at open found ("<file>: <what>"), or null. */
    String damage()
    {
        return damage;
    }

    /** The last MsgSeqNum stored at open: the current segment's, or the previous one's if the current holds none (0: none). */
    int lastSeqAtOpen()
    {
        return lastSeqInCurrent > 0 ? lastSeqInCurrent : lastSeqInPrevious;
    }

    /** The last MsgSeqNum found in {@code messages} at open (0: none). */
    int lastSeqInCurrentAtOpen()
    {
        return lastSeqInCurrent;
    }

    /** The first MsgSeqNum found in {@code messages} at open (0: none). */
    int firstSeqInCurrentAtOpen()
    {
        return firstSeqAtOpen;
    }

    /** The last MsgSeqNum found in {@code messages.prev} at open (0: none, or no such file). */
    int lastSeqInPreviousAtOpen()
    {
        return lastSeqInPrevious;
    }

    /** The length of {@code messages.prev} at open (-1: there was none). */
    long previousSizeAtOpen()
    {
        return previousSizeAtOpen;
    }

    /** The length of {@code messages} at open, before anything extended it (-1: there was none). */
    long currentSizeAtOpen()
    {
        return currentSizeAtOpen;
    }

    private static int where(final int offset, final int segmentGeneration)
    {
        return (segmentGeneration & 1) != 0 ? offset | PARITY_BIT : offset;
    }

    /** Drops every message: a sequence reset. */
    void clear()
    {
        try
        {
            dropPrevious();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot reset the FIX session store " + directory + ": " + e.getMessage(), e);
        }
        messages.putInt(0, 0);
        writePosition = 0;
        index.clear();
        firstSeqInCurrent = 0;
    }

    /** Stores a sent message, rolling to a new segment first if it does not fit. */
    void append(
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
        index.put(seq, where(p, generation));
        if (firstSeqInCurrent == 0)
        {
            firstSeqInCurrent = seq;
        }
    }

    /** How many times the store rolled to a new segment since it was opened. */
    int segmentsRolled()
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
    long find(final int seq)
    {
        final int where = index.get(seq);
        if (where < 0)
        {
            return -1;
        }
        final boolean inCurrent = ((where & PARITY_BIT) != 0) == ((generation & 1) != 0);
        final int offset = where & ~PARITY_BIT;
        return inCurrent ? offset : (1L << 32) | offset;
    }

    /** The segment holding the message {@link #find} placed at {@code position}; the static readers take both. */
    DirectBuffer messagesAt(final long position)
    {
        return (position >>> 32) != 0 ? previous : messages;
    }

    static byte msgType0(final DirectBuffer messages, final long position)
    {
        return messages.getByte((int)position + RECORD_MSG_TYPE);
    }

    static byte msgType1(final DirectBuffer messages, final long position)
    {
        return messages.getByte((int)position + RECORD_MSG_TYPE + 1);
    }

    static int sendingTimeOffset(final long position)
    {
        return (int)position + RECORD_SENDING_TIME;
    }

    static int bodyOffset(final long position)
    {
        return (int)position + RECORD_BODY;
    }

    /** Body length (padding is trailing zero bytes, which a message body never contains). */
    static int bodyLength(final DirectBuffer messages, final long position)
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
        if (previousMap != null)
        {
            IoUtil.unmap(previousMap);
            previousMap = null;
        }
        if (messagesMap != null)
        {
            IoUtil.unmap(messagesMap);
            messagesMap = null;
        }
        try
        {
            if (messagesChannel != null)
            {
                messagesChannel.close();
            }
        }
        catch (final IOException ignore)
        {
            // closing a file we only mapped
        }
    }
}
