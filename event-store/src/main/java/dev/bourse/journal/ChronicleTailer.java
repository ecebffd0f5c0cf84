package dev.bourse.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads journal entries in order, polling: each {@link #poll} delivers what is there (up to a
 * limit) and returns, so it fits an Agent's duty cycle. Each Chronicle document (a batch of
 * entries, see {@link JournalDocument}) is copied once into a reusable buffer and its entries are
 * delivered from there, possibly over several polls; steady-state polling allocates nothing. One
 * thread per tailer.
 */
public final class ChronicleTailer implements JournalTailer
{
    private static final int SEQUENCE_OFFSET = 8;

    private final SingleChronicleQueue queue;
    private final JournalPosition positions;
    private final ExcerptTailer tailer;
    private final AtomicLong durableIndex;
    /**
     * Holds the largest batch document the journal writes from the start, so reading one never
     * allocates: a tailer that grew on demand did so the first time a burst made a big batch, on
     * whichever thread tails (the order path's reports included). Only an entry too big for a batch
     * (a mass cancel of a huge book: a document of its own) grows it.
     */
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[ChronicleJournal.MAX_BATCH_BYTES]);
    private final byte[] standard = view.byteArray();
    private byte[] scratch = standard;
    /** What a part's header is read into before its bytes go where they belong. */
    private final UnsafeBuffer partHeader = new UnsafeBuffer(new byte[JournalDocument.PART_HEADER_LENGTH]);

    // an entry written in parts being put together in scratch: the index of its first part, bytes so far, its length
    private long partsFirstIndex;
    private int partsAssembled;
    private int partsTotal = -1;

    // the document being delivered
    private long documentIndex;
    private int documentLength;
    private int count;
    private int nextOrdinal;
    private int cursor;
    private boolean legacy;
    /** Ordinals of the first document read that were asked to be skipped (seeking into a document). */
    private int skipThroughOrdinal = -1;

    private long position;
    private long lastSequence;

    /** Sequence and position of the last entries delivered, for {@link #rewind}; null unless asked for. */
    private long[] recentSequences;
    private long[] recentPositions;
    private long deliveredCount;

    ChronicleTailer(final SingleChronicleQueue queue, final long after, final AtomicLong durableIndex)
    {
        this(queue, after, true, durableIndex);
    }

    /**
     * @param position a position from this journal, or {@link #START}.
     * @param after    true: deliver the entries after {@code position}; false: from the entry at it.
     */
    ChronicleTailer(final SingleChronicleQueue queue, final long position, final boolean after, final AtomicLong durableIndex)
    {
        this.queue = queue;
        this.positions = new JournalPosition(queue.rollCycle());
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
        this.durableIndex = durableIndex;
        this.position = after ? position : position - 1;
        if (position == START)
        {
            toFirstCycleThere();
            return;
        }
        final long document = positions.documentIndex(position);
        if (position < 0 || !tailer.moveToIndex(document))
        {
            throw new JournalException("journal " + queue.file() + " has no entry at position " + position);
        }
        skipThroughOrdinal = JournalPosition.ordinal(position) - (after ? 0 : 1);
    }

    /**
     * The start of the first cycle file there is. Chronicle's own start is the first cycle of the
     * listing in the metadata file, which a reader cannot refresh: after retention deleted old cycle
     * files it names a deleted one, and the tailer would find nothing at all (a journal that "has no
     * entries"). Then the cycles after it are tried in turn; a missing one is skipped, none is created.
     */
    private void toFirstCycleThere()
    {
        tailer.toStart();
        if (tailer.cycle() != Integer.MIN_VALUE || queue.lastCycle() == Integer.MIN_VALUE)
        {
            return; // started, or the journal is empty
        }
        for (int cycle = queue.firstCycle(); cycle <= queue.lastCycle(); cycle++)
        {
            if (tailer.moveToIndex(queue.rollCycle().toIndex(cycle, 0)))
            {
                return;
            }
        }
        tailer.toStart(); // no entry anywhere yet: wait at Chronicle's start for the first one, as before
    }

    @Override
    public int poll(final JournalHandler handler, final int limit)
    {
        int delivered = 0;
        while (delivered < limit)
        {
            if (nextOrdinal < count)
            {
                deliver(handler);
                delivered++;
            }
            else if (!readDocument())
            {
                break;
            }
        }
        return delivered;
    }

    private void deliver(final JournalHandler handler)
    {
        final int offset;
        final int length;
        if (legacy)
        {
            offset = 0;
            length = documentLength;
        }
        else
        {
            length = view.getInt(cursor, JournalDocument.ORDER);
            offset = cursor + JournalDocument.FRAME_HEADER_LENGTH;
            if (length < 0 || offset + length > documentLength)
            {
                throw corrupt();
            }
        }
        cursor = offset + length;
        position = positions.of(documentIndex, nextOrdinal++);
        if (length >= SEQUENCE_OFFSET + 8)
        {
            lastSequence = view.getLong(offset + SEQUENCE_OFFSET, JournalDocument.ORDER);
        }
        if (recentSequences != null)
        {
            final int slot = (int)(deliveredCount++ & (recentSequences.length - 1));
            recentSequences[slot] = lastSequence;
            recentPositions[slot] = position;
        }
        handler.onEntry(position, view, offset, length);
    }

    /**
     * Remembers the sequence and position of the last {@code entries} entries delivered (a power of
     * two), so that {@link #rewind} can go back that far: the gateway's reports tailer, which reads
     * again what a session should have been sent (16 bytes an entry, allocated here, once).
     */
    public ChronicleTailer rememberForRewind(final int entries)
    {
        if (Integer.bitCount(entries) != 1)
        {
            throw new IllegalArgumentException("entries must be a power of two: " + entries);
        }
        recentSequences = new long[entries];
        recentPositions = new long[entries];
        deliveredCount = 0;
        return this;
    }

    /** Back to just after the entry of {@code afterSequence}, if it is among those remembered ({@link #rememberForRewind}). */
    @Override
    public boolean rewind(final long afterSequence)
    {
        if (recentSequences == null)
        {
            return false;
        }
        if (afterSequence == lastSequence)
        {
            return true;
        }
        final long oldest = Math.max(0, deliveredCount - recentSequences.length);
        for (long k = deliveredCount - 1; k >= oldest; k--)
        {
            final int slot = (int)(k & (recentSequences.length - 1));
            final long sequence = recentSequences[slot];
            if (sequence < afterSequence)
            {
                return false;
            }
            if (sequence == afterSequence)
            {
                final long at = recentPositions[slot];
                if (!tailer.moveToIndex(positions.documentIndex(at)))
                {
                    return false;
                }
                count = 0; // the document being delivered is read again from its start, skipping through the entry
                nextOrdinal = 0;
                partsTotal = -1;
                skipThroughOrdinal = JournalPosition.ordinal(at);
                position = at;
                lastSequence = sequence;
                deliveredCount = k + 1;
                return true;
            }
        }
        return false;
    }

    /** Reads the next document into the buffer; false when there is none (yet) or it is not durable yet. */
    private boolean readDocument()
    {
        final long durable = durableIndex == null ? Long.MAX_VALUE : durableIndex.getAcquire();
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return false;
            }
            final long index = document.index();
            if (index > durable)
            {
                document.rollbackOnClose();
                return false;
            }
            if (document.isMetaData())
            {
                return true;
            }
            final Bytes<?> bytes = document.wire().bytes();
            final int length = (int)bytes.readRemaining();
            final int headerLength = (int)Math.min(length, JournalDocument.PART_HEADER_LENGTH);
            bytes.read(partHeader.byteArray(), 0, headerLength);
            if (JournalDocument.isPart(partHeader, 0, headerLength))
            {
                return readPart(index, bytes, length);
            }
            partsTotal = -1; // parts a crash left unfinished, if any: another entry follows them
            if (length > scratch.length || (scratch != standard && length <= standard.length))
            {
                scratch = length <= standard.length ? standard : new byte[Math.max(length, scratch.length * 2)];
                view.wrap(scratch);
            }
            partHeader.getBytes(0, scratch, 0, headerLength);
            bytes.read(scratch, headerLength, length - headerLength);
            documentIndex = index;
            documentLength = length;
        }
        return startDocument();
    }

    /**
     * Adds one part of an entry written in parts ({@link JournalDocument}); delivers the entry,
     * as one document of one entry at its first part's index, once the last part is in. A part
     * that does not continue the entry being put together (the rest of parts a reader started
     * among, or a crash left unfinished) is dropped.
     */
    private boolean readPart(final long index, final Bytes<?> bytes, final int length)
    {
        final int partOffset = JournalDocument.partOffset(partHeader);
        final int partLength = JournalDocument.partLength(partHeader);
        final int totalLength = JournalDocument.partTotalLength(partHeader);
        if (partLength < 0 || partOffset < 0 || totalLength < 0 || (long)partOffset + partLength > totalLength
            || JournalDocument.PART_HEADER_LENGTH + partLength != length)
        {
            throw corrupt(index);
        }
        if (partOffset == 0)
        {
            partsFirstIndex = index;
            partsAssembled = 0;
            partsTotal = totalLength;
            if (totalLength > scratch.length)
            {
                scratch = new byte[totalLength];
                view.wrap(scratch);
            }
        }
        else if (partsTotal != totalLength || partsAssembled != partOffset)
        {
            partsTotal = -1;
            return true; // not the continuation of an entry this reader holds the start of
        }
        bytes.read(scratch, partOffset, partLength);
        partsAssembled += partLength;
        if (partsAssembled < partsTotal)
        {
            return true;
        }
        partsTotal = -1;
        documentIndex = partsFirstIndex;
        documentLength = totalLength;
        return startDocument();
    }

    /** Sets up delivery of the document now in the buffer, past the entries asked to be skipped. */
    private boolean startDocument()
    {
        nextOrdinal = 0;
        if (JournalDocument.isBatch(view, 0, documentLength))
        {
            legacy = false;
            count = JournalDocument.count(view, 0);
            cursor = JournalDocument.HEADER_LENGTH;
            if (count < 0 || count > JournalPosition.MAX_ENTRIES_PER_DOCUMENT)
            {
                throw corrupt();
            }
        }
        else
        {
            legacy = true;
            count = 1;
            cursor = 0;
        }
        while (skipThroughOrdinal >= nextOrdinal && nextOrdinal < count)
        {
            skip();
        }
        skipThroughOrdinal = -1;
        return true;
    }

    private void skip()
    {
        if (legacy)
        {
            cursor = documentLength;
        }
        else
        {
            final int length = view.getInt(cursor, JournalDocument.ORDER);
            if (length < 0 || cursor + JournalDocument.FRAME_HEADER_LENGTH + length > documentLength)
            {
                throw corrupt();
            }
            cursor += JournalDocument.FRAME_HEADER_LENGTH + length;
        }
        nextOrdinal++;
    }

    private JournalException corrupt()
    {
        return corrupt(documentIndex);
    }

    private JournalException corrupt(final long index)
    {
        return new JournalException("journal " + queue.file() + ": document at index " + index + " is corrupt");
    }

    @Override
    public long position()
    {
        return position;
    }

    @Override
    public long lastSequence()
    {
        return lastSequence;
    }

    /** The roll-cycle file the tailer is in (retention), or null. */
    java.io.File currentFile()
    {
        return tailer.currentFile();
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
