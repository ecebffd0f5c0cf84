package dev.bourse.marketdata;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;

/**
 * The incremental messages a recovering subscriber keeps while it waits for a snapshot cycle: a
 * run without holes, from {@link #start()} to just before {@link #next()}. A hole, or more than
 * the configured bytes, starts the run again; a heartbeat with nothing buffered past it moves an
 * empty run's start, so a snapshot taken at the stream's end is usable.
 */
final class RecoveryBuffer
{
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(1 << 16);
    private final IntArrayList offsets = new IntArrayList();
    private final int maxBytes;
    private int limit;
    private long start;
    private long next;

    RecoveryBuffer(final int maxBytes)
    {
        this.maxBytes = maxBytes;
    }

    /** Nothing buffered and no position known from a heartbeat either. */
    boolean isEmpty()
    {
        return next == 0;
    }

    long start()
    {
        return start;
    }

    long next()
    {
        return next;
    }

    int size()
    {
        return offsets.size();
    }

    DirectBuffer bytes()
    {
        return bytes;
    }

    int offset(final int index)
    {
        return offsets.getInt(index);
    }

    /**
     * Keeps one message.
     *
     * @return true if it left a hole after what was buffered (the run started again from it).
     */
    boolean add(final DirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        if (next != 0 && sequence < next)
        {
            return false;
        }
        boolean hole = false;
        if (next != 0 && sequence > next)
        {
            hole = true;
            clear();
        }
        if (limit + length > maxBytes)
        {
            // the snapshot is taking too long: start again from here
            clear();
        }
        if (next == 0)
        {
            start = sequence;
        }
        offsets.addInt(limit);
        bytes.putBytes(limit, buffer, offset, length);
        limit += length;
        next = sequence + 1;
        return hole;
    }

    /** A heartbeat says messages up to {@code lastSent} exist: an empty run starts after them. */
    void onHeartbeat(final long lastSent)
    {
        if (next == 0 || lastSent >= next)
        {
            clear();
            start = lastSent + 1;
            next = lastSent + 1;
        }
    }

    void clear()
    {
        offsets.clear();
        limit = 0;
        start = 0;
        next = 0;
    }

    @Override
    public String toString()
    {
        return next == 0 ? "none" : start + ".." + (next - 1);
    }
}
