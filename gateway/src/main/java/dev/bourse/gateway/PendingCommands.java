package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandPublisher;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Commands that must reach the journal but found the ring full (audits, cancel on disconnect):
 * kept in a bounded FIFO and retried each duty cycle. Orders are never parked here; they get a
 * busy reject instead, and while anything waits here they are refused too, so the journal keeps
 * each session's commands in the order they were made (a Logon's audit before its first order).
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

    int drainTo(final CommandPublisher publisher)
    {
        int moved = 0;
        while (head < tail)
        {
            final int index = (int)(head % capacity);
            final int length = lengths[index];
            final long claim = length <= publisher.slotCapacity() ? publisher.tryClaim() : CommandPublisher.NO_CLAIM;
            if (claim == CommandPublisher.NO_CLAIM)
            {
                break;
            }
            publisher.buffer(claim).putBytes(0, slots, index * slotSize, length);
            publisher.commit(claim, length);
            head++;
            moved++;
        }
        return moved;
    }
}
