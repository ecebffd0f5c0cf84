package dev.bourse.cluster.client;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The commands a client has committed but the cluster has not yet acknowledged, numbered by
 * command id, in a ring of fixed slots. They stay here until an ack covers them, so any that a
 * dying leader lost can be sent again; the service drops the ones it had already applied.
 * Allocates nothing after construction.
 */
final class CommandWindow
{
    private static final int LENGTH_OFFSET = 0;
    private static final int DATA_OFFSET = 4;

    private final int capacity;
    private final int mask;
    private final int slotCapacity;
    private final int stride;
    private final UnsafeBuffer slots;
    private final UnsafeBuffer claimView = new UnsafeBuffer(0, 0);

    /** Every command up to here is acknowledged (applied by the cluster). */
    private long acked;
    /** The next command id to hand out. */
    private long next = 1;

    CommandWindow(final int capacity, final int slotCapacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("window capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotCapacity = slotCapacity;
        this.stride = DATA_OFFSET + slotCapacity;
        this.slots = new UnsafeBuffer(new byte[capacity * stride]);
    }

    /** The id the next claim gets, or -1 when the window is full. */
    long tryClaim()
    {
        return next - acked > capacity ? -1 : next;
    }

    /** A view of the claimed slot, capacity {@link #slotCapacity()}. */
    MutableDirectBuffer buffer(final long commandId)
    {
        claimView.wrap(slots, offset(commandId) + DATA_OFFSET, slotCapacity);
        return claimView;
    }

    /** Keeps the claimed command; {@code commandId} must be the id {@link #tryClaim()} gave. */
    void commit(final long commandId, final int length)
    {
        if (commandId != next)
        {
            throw new IllegalStateException("commit of command " + commandId + " but the claim was " + next);
        }
        if (length > slotCapacity)
        {
            throw new IllegalArgumentException("command of " + length + " bytes, slots hold " + slotCapacity);
        }
        slots.putInt(offset(commandId) + LENGTH_OFFSET, length);
        next++;
    }

    /** Everything up to {@code commandId} is applied: those slots are free again. */
    void ack(final long commandId)
    {
        if (commandId > acked)
        {
            acked = Math.min(commandId, next - 1);
        }
    }

    /** Starts numbering after {@code commandId} (a client id the cluster already knows). */
    void resumeAfter(final long commandId)
    {
        if (commandId >= next)
        {
            acked = commandId;
            next = commandId + 1;
        }
    }

    int length(final long commandId)
    {
        return slots.getInt(offset(commandId) + LENGTH_OFFSET);
    }

    int dataOffset(final long commandId)
    {
        return offset(commandId) + DATA_OFFSET;
    }

    UnsafeBuffer slots()
    {
        return slots;
    }

    long acked()
    {
        return acked;
    }

    /** Id of the newest committed command (acked when none is outstanding). */
    long last()
    {
        return next - 1;
    }

    int inFlight()
    {
        return (int)(next - 1 - acked);
    }

    int slotCapacity()
    {
        return slotCapacity;
    }

    int capacity()
    {
        return capacity;
    }

    private int offset(final long commandId)
    {
        return (int)(commandId & mask) * stride;
    }
}
