package dev.bourse.gateway;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A session's OrdStatusReqIDs (790) of the status requests whose answers have not come back from
 * the engine yet, by the request's MsgSeqNum (which the answer's journal entry carries). FIX 4.4
 * asks the answer to echo it; the engine's command has no room for it, so it waits here. A fixed
 * table, allocating nothing: at most {@value #SLOTS} outstanding requests are remembered (a newer
 * one takes the oldest's slot, whose answer then goes without the echo), and an id longer than
 * {@value #MAX_LENGTH} bytes is not. Lost with the gateway: an answer resent after a restart carries none.
 * Gateway thread only.
 */
final class StatusRequestIds
{
    static final int SLOTS = 16;
    static final int MAX_LENGTH = 64;

    private final int[] msgSeqNums = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final UnsafeBuffer ids = new UnsafeBuffer(new byte[SLOTS * MAX_LENGTH]);
    private int next;

    /** Keeps {@code length} bytes at {@code offset} as the id of the request {@code msgSeqNum} (positive). */
    void remember(final int msgSeqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (msgSeqNum <= 0 || length <= 0 || length > MAX_LENGTH)
        {
            return;
        }
        final int slot = next;
        next = (next + 1) % SLOTS;
        msgSeqNums[slot] = msgSeqNum;
        lengths[slot] = length;
        ids.putBytes(slot * MAX_LENGTH, buffer, offset, length);
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
        lengths[slot] = 0;
        msgSeqNums[slot] = 0;
    }
}
