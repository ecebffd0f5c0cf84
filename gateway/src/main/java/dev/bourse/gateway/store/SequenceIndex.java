package dev.bourse.gateway.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * MsgSeqNum -> an int the store chose (where the message is), -1 when absent. Off the heap: it
 * grows by doubling as a session's day grows, and a heap array would make that growth garbage on
 * the gateway thread (8 bytes per message sent, amortised). Relative to the first number put
 * since the last {@link #clear}, so that numbers that run for weeks do not make it grow past the
 * messages the store holds. Single-threaded.
 */
final class SequenceIndex implements AutoCloseable
{
    private ByteBuffer memory = ByteBuffer.allocateDirect(1024 * Integer.BYTES);
    private final UnsafeBuffer entries = new UnsafeBuffer(memory);
    private int capacity = 1024;
    /** The MsgSeqNum at entry 0 (0 while nothing is indexed). */
    private int base;

    SequenceIndex()
    {
        clear();
    }

    void clear()
    {
        entries.setMemory(0, capacity * Integer.BYTES, (byte)0xFF);
        base = 0;
    }

    /** Records {@code value} (not negative) for {@code seq}; a number below the first one put is ignored. */
    void put(final int seq, final int value)
    {
        if (seq < 1 || seq < base)
        {
            return;
        }
        if (base == 0)
        {
            base = seq;
        }
        final int slot = seq - base;
        while (slot >= capacity)
        {
            final ByteBuffer grown = ByteBuffer.allocateDirect(capacity * 2 * Integer.BYTES);
            final UnsafeBuffer view = new UnsafeBuffer(grown);
            view.putBytes(0, entries, 0, capacity * Integer.BYTES);
            view.setMemory(capacity * Integer.BYTES, capacity * Integer.BYTES, (byte)0xFF);
            BufferUtil.free(memory);
            memory = grown;
            entries.wrap(grown);
            capacity *= 2;
        }
        entries.putInt(slot * Integer.BYTES, value);
    }

    /** The value put for {@code seq}, or -1. */
    int get(final int seq)
    {
        final long slot = (long)seq - base;
        if (seq < 1 || base == 0 || slot < 0 || slot >= capacity)
        {
            return -1;
        }
        return entries.getInt((int)slot * Integer.BYTES);
    }

    @Override
    public void close()
    {
        BufferUtil.free(memory);
    }
}
