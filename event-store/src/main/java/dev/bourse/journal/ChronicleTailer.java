package dev.bourse.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads journal entries in order, polling: each {@link #poll} delivers what is there (up to a
 * limit) and returns, so it fits an Agent's duty cycle. Each entry is copied into a reusable
 * buffer (entries are small; the copy is cheaper than reasoning about mapped chunk boundaries),
 * so steady-state polling allocates nothing. One thread per tailer.
 */
public final class ChronicleTailer implements JournalTailer
{
    private static final int SEQUENCE_OFFSET = 8;

    private final ExcerptTailer tailer;
    private final AtomicLong durableIndex;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[4096]);
    private byte[] scratch = view.byteArray();
    private long position;
    private long lastSequence;

    ChronicleTailer(final SingleChronicleQueue queue, final long after, final AtomicLong durableIndex)
    {
        this(queue, after, true, durableIndex);
    }

    ChronicleTailer(final SingleChronicleQueue queue, final long index, final boolean after, final AtomicLong durableIndex)
    {
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
        this.durableIndex = durableIndex;
        this.position = after ? index : index - 1;
        if (index == START)
        {
            tailer.toStart();
        }
        else
        {
            if (!tailer.moveToIndex(index))
            {
                throw new JournalException("journal " + queue.file() + " has no entry at position " + index);
            }
            if (!after)
            {
                return;
            }
            // moveToIndex puts the tailer at the entry itself: step over it.
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    throw new JournalException("journal " + queue.file() + " has no entry at position " + index);
                }
            }
        }
    }

    @Override
    public int poll(final JournalHandler handler, final int limit)
    {
        final long durable = durableIndex == null ? Long.MAX_VALUE : durableIndex.getAcquire();
        int delivered = 0;
        while (delivered < limit)
        {
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    break;
                }
                final long index = document.index();
                if (index > durable)
                {
                    document.rollbackOnClose();
                    break;
                }
                if (document.isMetaData())
                {
                    continue;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final int length = (int)bytes.readRemaining();
                if (length > scratch.length)
                {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                    view.wrap(scratch);
                }
                bytes.read(scratch, 0, length);
                position = index;
                if (length >= SEQUENCE_OFFSET + 8)
                {
                    lastSequence = view.getLong(SEQUENCE_OFFSET);
                }
                delivered++;
                handler.onEntry(index, view, 0, length);
            }
        }
        return delivered;
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
