package dev.bourse.gateway.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * MsgSeqNum -> an int the store chose (where the message is), for the numbers from {@link #low}
 * to the last one put; -1 for any other. A ring off the heap indexed by the number's low bits:
 * dropping the oldest numbers ({@link #dropBelow}) moves a bound and rewrites nothing, so a store
 * that rolls a segment of millions of messages does not stall the gateway thread, and numbers that
 * run for weeks need only as much room as the messages still held. It grows by doubling (off the
 * heap: a heap array's growth would be garbage on the gateway thread). Numbers are put in
 * ascending order. Single-threaded.
 */
final class SequenceIndex implements AutoCloseable
{
    private static final int ABSENT = -1;

    private ByteBuffer memory;
    private final UnsafeBuffer entries = new UnsafeBuffer(0, 0);
    private int mask;
    /** The lowest number that may be present (0 while nothing was put since the last clear). */
    private int low;
    /** The highest number put (0 while none). */
    private int high;

    SequenceIndex()
    {
        memory = ByteBuffer.allocateDirect(1024 * Integer.BYTES);
        entries.wrap(memory);
        mask = 1023;
    }

    void clear()
    {
        low = 0;
        high = 0;
    }

    /** Forgets every number below {@code seq}. */
    void dropBelow(final int seq)
    {
        if (seq > high)
        {
            clear();
        }
        else if (seq > low)
        {
            low = seq;
        }
    }

    /** Records {@code value} (not negative) for {@code seq}, which is above every number put before (else it is ignored). */
    void put(final int seq, final int value)
    {
        if (seq < 1 || (high != 0 && seq <= high))
        {
            return;
        }
        if (high == 0)
        {
            low = seq;
            high = seq - 1;
        }
        while ((long)seq - low + 1 > mask + 1L)
        {
            grow();
        }
        for (int skipped = high + 1; skipped < seq; skipped++) // a number never stored reads as absent
        {
            entries.putInt((skipped & mask) * Integer.BYTES, ABSENT);
        }
        entries.putInt((seq & mask) * Integer.BYTES, value);
        high = seq;
    }

    /** The value put for {@code seq}, or -1. */
    int get(final int seq)
    {
        if (high == 0 || seq < low || seq > high)
        {
            return ABSENT;
        }
        return entries.getInt((seq & mask) * Integer.BYTES);
    }

    private void grow()
    {
        final int capacity = (mask + 1) * 2;
        final ByteBuffer grown = ByteBuffer.allocateDirect(capacity * Integer.BYTES);
        final UnsafeBuffer view = new UnsafeBuffer(grown);
        final int newMask = capacity - 1;
        long seq = low;
        while (high != 0 && seq <= high) // in runs that wrap in neither ring: a few block copies
        {
            final int from = (int)seq & mask;
            final int to = (int)seq & newMask;
            final long run = Math.min(high - seq + 1, Math.min(mask + 1L - from, newMask + 1L - to));
            view.putBytes(to * Integer.BYTES, entries, from * Integer.BYTES, (int)run * Integer.BYTES);
            seq += run;
        }
        BufferUtil.free(memory);
        memory = grown;
        entries.wrap(grown);
        mask = newMask;
    }

    @Override
    public void close()
    {
        BufferUtil.free(memory);
    }
}
