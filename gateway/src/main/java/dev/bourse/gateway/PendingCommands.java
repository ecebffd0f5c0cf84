package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandSequencer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Commands that must reach the journal but found the ring full (audits, cancel on disconnect):
 * kept in a bounded FIFO and retried each duty cycle. Orders are never parked here; they get a
 * busy reject instead.
 */
final class PendingCommands
{
    private final UnsafeBuffer slots;
    private final int[] lengths;
    private final int slotSize;
    private final int capacity;
    private long head;
    private long tail;
    private long dropped;

    PendingCommands(final int capacity, final int slotSize)
    {
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.slots = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(capacity * slotSize));
        this.lengths = new int[capacity];
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    /** A scratch slot to encode into; {@link #commit} keeps it. Null when full. */
    MutableDirectBuffer claim()
    {
        return tail - head >= capacity ? null : slots;
    }

    int claimOffset()
    {
        return (int)(tail % capacity) * slotSize;
    }

    void commit(final int length)
    {
        lengths[(int)(tail % capacity)] = length;
        tail++;
    }

    void countDropped()
    {
        dropped++;
    }

    long dropped()
    {
        return dropped;
    }

    int drainTo(final CommandSequencer sequencer)
    {
        int moved = 0;
        while (head < tail)
        {
            final int index = (int)(head % capacity);
            if (!sequencer.tryPublish(slots, index * slotSize, lengths[index]))
            {
                break;
            }
            head++;
            moved++;
        }
        return moved;
    }
}
