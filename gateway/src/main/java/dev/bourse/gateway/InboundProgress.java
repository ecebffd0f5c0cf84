package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;

/**
 * Which inbound messages of one FIX session count as received. A message that the gateway answers
 * alone (a heartbeat, a session reject, a throttled order) is received once handled; a message that
 * became a command is received only once that command is journaled. The first number not yet
 * received is kept in the session's store, so after a crash the gateway asks for a resend of what
 * it had read but never journaled, instead of expecting the number after it.
 * <p>
 * The MsgSeqNums of commands on their way to the journal are kept in a ring that grows to at most
 * {@link #MAX_TRACKED}; past that (a burst far ahead of the journal), later ones are not kept one by
 * one and the first of them stands for all until the journal passes the last: the store's number
 * then lags a little, which after a crash only asks for a few messages more than needed.
 */
final class InboundProgress
{
    static final int MAX_TRACKED = 1 << 14;

    private int[] ring = new int[64];
    private int head;
    private int size;
    /** The first MsgSeqNum submitted while the ring was full (0: none). */
    private int untrackedFrom;
    private int lastSubmitted;

    void commandSubmitted(final int msgSeqNum)
    {
        lastSubmitted = msgSeqNum;
        if (untrackedFrom != 0)
        {
            return;
        }
        if (size == ring.length)
        {
            if (ring.length == MAX_TRACKED)
            {
                untrackedFrom = msgSeqNum;
                return;
            }
            final int[] bigger = new int[ring.length * 2];
            for (int i = 0; i < size; i++)
            {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = msgSeqNum;
        size++;
    }

    /** The journal holds the command of {@code msgSeqNum} (and so every earlier one of this session). */
    void commandJournaled(final int msgSeqNum)
    {
        while (size > 0 && ring[head] <= msgSeqNum)
        {
            head = (head + 1) & (ring.length - 1);
            size--;
        }
        if (untrackedFrom != 0 && msgSeqNum >= lastSubmitted)
        {
            untrackedFrom = 0;
        }
    }

    /** Sequence numbers start over (ResetSeqNumFlag). */
    void reset()
    {
        head = 0;
        size = 0;
        untrackedFrom = 0;
        lastSubmitted = 0;
    }

    /** Writes the first MsgSeqNum not yet received for good to the store. */
    void update(final SessionStore store)
    {
        store.receivedInSeq(size > 0 ? ring[head] : untrackedFrom != 0 ? untrackedFrom : store.nextInSeq());
    }

    /** Commands submitted and not yet seen in the journal (at least). */
    int outstanding()
    {
        return size + (untrackedFrom != 0 ? 1 : 0);
    }
}
