package dev.bourse.gateway;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A session's OrdStatusReqIDs (790) of the status requests whose answers have not come back from
 * the engine yet, by the request's MsgSeqNum (which the answer's journal entry carries). FIX 4.4
 * asks the answer to echo it; the engine's command has no room for it, so it waits here. A fixed
 * table, allocating nothing: at most {@value #SLOTS} outstanding requests with an id, and ids of
 * at most {@value #MAX_LENGTH} bytes; the order entry refuses a request beyond either (a table
 * that gave the oldest's slot to a newer one sent the oldest's answer without its id, unsaid: an
 * outside tester's burst of 17). Lost with the gateway: an answer resent after a restart carries
 * none. Gateway thread only.
 */
final class StatusRequestIds
{
    static final int SLOTS = 64;
    static final int MAX_LENGTH = 64;

    private final int[] msgSeqNums = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final UnsafeBuffer ids = new UnsafeBuffer(new byte[SLOTS * MAX_LENGTH]);
    /** Where the search for a free slot starts: just after the last one taken. */
    private int next;
    /** Slots holding an id: {@link #hasRoom} is asked on every status request with one. */
    private int taken;

    /**
     * Keeps {@code length} bytes (1 to {@value #MAX_LENGTH}) at {@code offset} as the id of the
     * request {@code msgSeqNum} (positive); false, keeping nothing, if every slot is taken.
     */
    boolean remember(final int msgSeqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (msgSeqNum <= 0 || length <= 0 || length > MAX_LENGTH)
        {
            throw new IllegalArgumentException("request " + msgSeqNum + ", id of " + length + " bytes");
        }
        for (int i = 0; i < SLOTS; i++)
        {
            final int slot = (next + i) % SLOTS;
            if (lengths[slot] == 0)
            {
                next = (slot + 1) % SLOTS;
                taken++;
                msgSeqNums[slot] = msgSeqNum;
                lengths[slot] = length;
                ids.putBytes(slot * MAX_LENGTH, buffer, offset, length);
                return true;
            }
        }
        return false;
    }

    /** Whether another id can be kept now. */
    boolean hasRoom()
    {
        return taken < SLOTS;
    }

    /** Forgets every id (the session's numbering started again). */
    void clear()
    {
        java.util.Arrays.fill(lengths, 0);
        java.util.Arrays.fill(msgSeqNums, 0);
        taken = 0;
    }

    /** The slot holding the id of the request {@code msgSeqNum}, or -1. */
    int slotOf(final int msgSeqNum)
    {
        if (msgSeqNum <= 0)
        {
            return -1;
        }
        for (int i = 0; i < SLOTS; i++)
        {
            if (msgSeqNums[i] == msgSeqNum && lengths[i] > 0)
            {
                return i;
            }
        }
        return -1;
    }

    DirectBuffer buffer()
    {
        return ids;
    }

    int offset(final int slot)
    {
        return slot * MAX_LENGTH;
    }

    int length(final int slot)
    {
        return lengths[slot];
    }

    /** The answer went out: the slot is free. */
    void forget(final int slot)
    {
        if (lengths[slot] != 0)
        {
            taken--;
        }
        lengths[slot] = 0;
        msgSeqNums[slot] = 0;
    }
}
