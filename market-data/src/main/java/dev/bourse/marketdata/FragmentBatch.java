package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.*;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Stages the messages of one stream into fragments no longer than the publication's payload
 * (so Aeron never splits one and every fragment stands alone), stamps each message with the
 * stream's next sequence number, and offers the fragments without ever blocking: what the
 * publication cannot take now stays staged for the next duty cycle.
 * <p>
 * A batch that {@linkplain #markContinuations() marks continuations} holds one journal entry at a
 * time: when the entry outgrows a fragment, the fragment it closes ends with an EntryContinues
 * message (room for it is kept in every fragment), so a subscriber knows the entry goes on and
 * does not show a book half-way through it. The fragment that ends the entry carries no mark.
 */
final class FragmentBatch
{
    static final int SENT = 0;
    static final int PENDING = 1;
    static final int DROPPED_NOT_CONNECTED = 2;

    final MessageHeaderEncoder header = new MessageHeaderEncoder();
    final ExpandableDirectByteBuffer buffer;
    private final int maxPayload;
    private EntryContinuesEncoder continuation;
    private int reservedTail;
    private int lastMessageOffset = -1;
    private int[] fragmentEnds = new int[64];
    private int fragmentCount;
    private int fragmentStart;
    private int limit;
    private int nextToSend;
    private int nextToSendOffset;
    private long nextSequence = 1;
    long backPressureEvents;

    FragmentBatch(final int maxPayload, final int initialCapacity)
    {
        this.maxPayload = maxPayload;
        this.buffer = new ExpandableDirectByteBuffer(Math.max(initialCapacity, maxPayload * 4));
    }

    int maxPayload()
    {
        return maxPayload;
    }

    /** Ends each fragment that the same entry goes on from with an EntryContinues (the incremental stream). */
    FragmentBatch markContinuations()
    {
        continuation = new EntryContinuesEncoder();
        reservedTail = MessageHeaderEncoder.ENCODED_LENGTH + EntryContinuesEncoder.BLOCK_LENGTH;
        return this;
    }

    /** Sequence the next message will carry. */
    long nextSequence()
    {
        return nextSequence;
    }

    /** Sequence of the last message staged (0 before the first). */
    long lastSequence()
    {
        return nextSequence - 1;
    }

    /**
     * The stream's first message carries {@code first} instead of 1 (before anything was staged): the
     * numbers below stand for what the stream starts from without sending it.
     */
    void startAt(final long first)
    {
        if (nextSequence != 1)
        {
            throw new IllegalStateException("messages were staged already");
        }
        nextSequence = first;
    }

    /** Takes the next sequence number for a message about to be encoded. */
    long takeSequence()
    {
        return nextSequence++;
    }

    /** Stages a heartbeat carrying the last sequence (it takes none itself). */
    void heartbeat(final HeartbeatEncoder encoder, final long timestamp)
    {
        final int offset = reserve(MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH);
        encoder.wrapAndApplyHeader(buffer, offset, header).sequence(lastSequence()).timestamp(timestamp);
    }

    /** Offset at which to encode a message of {@code length} bytes (header included). */
    int reserve(final int length)
    {
        if (limit - fragmentStart + length + reservedTail > maxPayload && limit > fragmentStart)
        {
            if (continuation != null)
            {
                markContinuation();
            }
            closeFragment();
        }
        final int offset = limit;
        buffer.checkLimit(offset + length);
        limit += length;
        lastMessageOffset = offset;
        return offset;
    }

    /** The entry goes on in the next fragment: say so at the end of this one, with the last message's timestamp. */
    private void markContinuation()
    {
        final long timestamp = buffer.getLong(lastMessageOffset + MessageHeaderEncoder.ENCODED_LENGTH + Long.BYTES, java.nio.ByteOrder.LITTLE_ENDIAN);
        final int offset = limit;
        buffer.checkLimit(offset + reservedTail);
        limit += reservedTail;
        continuation.wrapAndApplyHeader(buffer, offset, header).sequence(lastSequence()).timestamp(timestamp);
    }

    /** Ends the current fragment: the next message starts a new one. */
    void closeFragment()
    {
        if (limit == fragmentStart)
        {
            return;
        }
        if (fragmentCount == fragmentEnds.length)
        {
            final int[] grown = new int[fragmentEnds.length * 2];
            System.arraycopy(fragmentEnds, 0, grown, 0, fragmentCount);
            fragmentEnds = grown;
        }
        fragmentEnds[fragmentCount++] = limit;
        fragmentStart = limit;
    }

    boolean hasPending()
    {
        return nextToSend < fragmentCount || limit > fragmentStart;
    }

    /**
     * Offers every closed fragment in order.
     *
     * @return {@link #SENT} when all are out (the batch is then empty), {@link #PENDING} when the
     *         publication pushed back, {@link #DROPPED_NOT_CONNECTED} when nobody listens (the
     *         staged fragments are discarded: a subscriber that connects later recovers by snapshot).
     */
    int offer(final ExclusivePublication publication)
    {
        closeFragment();
        while (nextToSend < fragmentCount)
        {
            final int end = fragmentEnds[nextToSend];
            final long result = publication.offer(buffer, nextToSendOffset, end - nextToSendOffset);
            if (result > 0)
            {
                nextToSend++;
                nextToSendOffset = end;
            }
            else if (result == Publication.NOT_CONNECTED)
            {
                reset();
                return DROPPED_NOT_CONNECTED;
            }
            else if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                backPressureEvents++;
                return PENDING;
            }
            else
            {
                throw new IllegalStateException("market-data publication failed: " + Publication.errorString(result));
            }
        }
        reset();
        return SENT;
    }

    /** Closes the fragment being staged and keeps a copy of every fragment not yet offered. */
    void recordTo(final RecentFragments recent)
    {
        closeFragment();
        int start = nextToSendOffset;
        for (int i = nextToSend; i < fragmentCount; i++)
        {
            recent.record(buffer, start, fragmentEnds[i] - start);
            start = fragmentEnds[i];
        }
    }

    /** Discards everything staged (sequence numbers already taken stay taken). */
    void reset()
    {
        fragmentCount = 0;
        fragmentStart = 0;
        limit = 0;
        nextToSend = 0;
        nextToSendOffset = 0;
        lastMessageOffset = -1;
    }

    int fragmentCount()
    {
        return fragmentCount;
    }
}
