package dev.bourse.cluster.service;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The newest journal entries in memory, so the usual repair (a client that missed entries to back
 * pressure or a leader change, moments ago) is served without opening the journal: a ring of
 * {@code capacity} bytes holding [int length][entry] records in sequence order, and the ring
 * position of each of the last {@code window} sequences. Allocates nothing after construction.
 * Older entries come from the journal.
 */
final class RecentEntries
{
    private final UnsafeBuffer ring;
    private final int capacity;
    private final long[] positions;
    private final int mask;
    /** Total bytes ever written: the next record starts at {@code written % capacity}. */
    private long written;
    private long newest;
    private long oldest = 1;

    RecentEntries(final int capacity, final int window)
    {
        if (Integer.bitCount(window) != 1)
        {
            throw new IllegalArgumentException("window must be a power of two: " + window);
        }
        this.capacity = capacity;
        this.ring = new UnsafeBuffer(new byte[capacity]);
        this.positions = new long[window];
        this.mask = window - 1;
    }

    /** Keeps an entry; sequences must come in order without gaps (a gap starts the ring afresh). */
    void append(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (Integer.BYTES + length > capacity)
        {
            // Too large to keep: everything older is now unreachable through the ring.
            oldest = sequence + 1;
            newest = sequence;
            return;
        }
        if (sequence != newest + 1)
        {
            oldest = sequence;
        }
        final int start = (int)(written % capacity);
        // A record never wraps: if it does not fit before the end, it starts at 0.
        final long position = start + Integer.BYTES + length > capacity ? written + (capacity - start) : written;
        final int at = (int)(position % capacity);
        ring.putInt(at, length);
        ring.putBytes(at + Integer.BYTES, buffer, offset, length);
        positions[(int)(sequence & mask)] = position;
        written = position + Integer.BYTES + length;
        newest = sequence;
        // Drop what the write overran, and what fell out of the position window.
        while (oldest <= newest && (newest - oldest >= positions.length || positions[(int)(oldest & mask)] < written - capacity))
        {
            oldest++;
        }
    }

    /** Whether {@code sequence} (up to the newest) is still in the ring. */
    boolean contains(final long sequence)
    {
        return sequence >= oldest && sequence <= newest;
    }

    /** Ring offset of the entry's bytes (valid while {@link #contains}). */
    int offset(final long sequence)
    {
        return (int)(positions[(int)(sequence & mask)] % capacity) + Integer.BYTES;
    }

    int length(final long sequence)
    {
        return ring.getInt((int)(positions[(int)(sequence & mask)] % capacity));
    }

    DirectBuffer buffer()
    {
        return ring;
    }

    long newest()
    {
        return newest;
    }
}
