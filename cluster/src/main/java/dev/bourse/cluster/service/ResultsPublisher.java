package dev.bourse.cluster.service;

import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.ClientAckEncoder;
import dev.bourse.cluster.sbe.ClientErrorEncoder;
import dev.bourse.cluster.sbe.EntryEncoder;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.cluster.sbe.HeartbeatEncoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import dev.bourse.cluster.sbe.ResendEndEncoder;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.journal.JournalHandler;
import io.aeron.cluster.service.ClientSession;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The egress side of the service: committed journal entries to the clients that asked for them,
 * acks, resends from this node's own journal, heartbeats.
 * <p>
 * Only the leader really sends (Aeron Cluster mocks a follower's sends), but every node keeps the
 * same book of who wants what, since it changes only on log messages, so a new leader carries on
 * where the old one was. The exception is back pressure: an entry the leader could not send stalls
 * that client's stream (no more live entries for it) until the client, seeing a gap in the
 * sequences, a heartbeat ahead of it or a silence, asks for a resend. A resend is served in chunks
 * of {@code resendChunk} entries, each ended by a ResendEnd saying where to ask next, so a client
 * catching up from far back never stalls the log for long.
 */
final class ResultsPublisher implements JournalHandler
{
    /** Entries longer than this go out in fragments (egress term-length must be at least 8x). */
    static final int MAX_FRAGMENT = 16 * 1024;

    /** What one client session receives. */
    static final class Subscriber
    {
        final ClientSession session;
        /** The next sequence this client should receive. */
        long next;
        /** Receiving live entries as they are applied (else: catching up through resends, or stalled). */
        boolean live;
        ChronicleTailer tailer;

        Subscriber(final ClientSession session)
        {
            this.session = session;
        }
    }

    private final Long2ObjectHashMap<Subscriber> subscribers = new Long2ObjectHashMap<>();
    private final List<Subscriber> ordered = new ArrayList<>();
    private final JournalIndex index;
    private final int resendChunk;
    private final ServiceCounters counters;

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[MAX_FRAGMENT + 256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final EntryEncoder entry = new EntryEncoder();
    private final ClientAckEncoder ack = new ClientAckEncoder();
    private final ResendEndEncoder resendEnd = new ResendEndEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ClientErrorEncoder error = new ClientErrorEncoder();

    private boolean leader;
    // resend in progress (tailer callback)
    private Subscriber resending;
    private long resendFrom;
    private long resendLast;
    private boolean resendFailed;

    ResultsPublisher(final JournalIndex index, final int resendChunk, final ServiceCounters counters)
    {
        this.index = index;
        this.resendChunk = resendChunk;
        this.counters = counters;
    }

    /** Whether this node sends for real; a follower only keeps the books. */
    void leader(final boolean leader)
    {
        this.leader = leader;
        if (!leader)
        {
            for (final Subscriber s : ordered)
            {
                closeTailer(s);
            }
        }
    }

    int subscribers()
    {
        return ordered.size();
    }

    /**
     * A client asked for results from {@code from} (1: everything, -1: from the next entry).
     * {@code head} is the newest sequence applied.
     */
    void subscribe(final ClientSession session, final long from, final long head)
    {
        Subscriber s = subscribers.get(session.id());
        if (s == null)
        {
            s = new Subscriber(session);
            subscribers.put(session.id(), s);
            ordered.add(s);
        }
        resend(s, from < 0 ? head + 1 : Math.max(1, from), head);
    }

    void resend(final ClientSession session, final long from, final long head)
    {
        final Subscriber s = subscribers.get(session.id());
        if (s == null)
        {
            subscribe(session, from, head);
            return;
        }
        resend(s, Math.max(1, from), head);
    }

    private void resend(final Subscriber s, final long from, final long head)
    {
        counters.resends.incrementRelease();
        if (from > head)
        {
            s.next = from;
            s.live = true;
            closeTailer(s);
            sendResendEnd(s, head);
            return;
        }
        // The chunk is a fixed count, so every node books the same 'next' whether or not it reads the journal.
        final long last = Math.min(head, from + resendChunk - 1);
        s.live = false;
        boolean sent = true;
        if (leader)
        {
            sent = sendFromJournal(s, from, last);
        }
        if (!sent)
        {
            s.next = from; // stalled: the client asks again
            counters.stalls.incrementRelease();
            return;
        }
        s.next = last + 1;
        s.live = s.next > head;
        sendResendEnd(s, head);
        if (s.live)
        {
            closeTailer(s);
        }
    }

    private boolean sendFromJournal(final Subscriber s, final long from, final long last)
    {
        if (s.tailer == null || s.tailer.lastSequence() != from - 1)
        {
            closeTailer(s);
            s.tailer = index.tailerNear(from);
        }
        resending = s;
        resendFrom = from;
        resendLast = last;
        resendFailed = false;
        try
        {
            while (s.tailer.lastSequence() < last && !resendFailed)
            {
                if (s.tailer.poll(this, 1) == 0)
                {
                    return false; // not in this node's journal: the client asks again (or another node)
                }
            }
        }
        finally
        {
            resending = null;
        }
        return !resendFailed;
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + 8);
        if (resending == null || resendFailed || sequence < resendFrom || sequence > resendLast)
        {
            return;
        }
        if (!sendEntry(resending.session, sequence, buffer, offset, length))
        {
            resendFailed = true;
        }
    }

    /** Live: a batch's entries (as [int length][bytes]) to every live subscriber that is at that point. */
    void broadcast(final DirectBuffer batch, final int batchLength)
    {
        for (int i = 0, n = ordered.size(); i < n; i++)
        {
            final Subscriber s = ordered.get(i);
            if (!s.live)
            {
                continue;
            }
            int at = 0;
            while (at < batchLength)
            {
                final int length = batch.getInt(at);
                final int offset = at + Integer.BYTES;
                at = offset + length;
                final long sequence = batch.getLong(offset + 8);
                if (sequence != s.next)
                {
                    if (sequence > s.next)
                    {
                        // The client is behind what it could be sent live: it must ask for a resend.
                        s.live = false;
                        counters.stalls.incrementRelease();
                        break;
                    }
                    continue;
                }
                if (leader && !sendEntry(s.session, sequence, batch, offset, length))
                {
                    s.live = false;
                    counters.stalls.incrementRelease();
                    break;
                }
                s.next = sequence + 1;
            }
        }
    }

    private boolean sendEntry(final ClientSession session, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        int fragmentOffset = 0;
        do
        {
            final int fragment = Math.min(MAX_FRAGMENT, length - fragmentOffset);
            entry.wrapAndApplyHeader(out, 0, header)
                .sequence(sequence)
                .entryLength(length)
                .fragmentOffset(fragmentOffset)
                .putBytes(buffer, offset + fragmentOffset, fragment);
            if (session.offer(out, 0, MessageHeaderEncoder.ENCODED_LENGTH + entry.encodedLength()) < 0)
            {
                return false;
            }
            fragmentOffset += fragment;
        }
        while (fragmentOffset < length);
        return true;
    }

    private void sendResendEnd(final Subscriber s, final long head)
    {
        resendEnd.wrapAndApplyHeader(out, 0, header).nextSequence(s.next).headSequence(head);
        if (s.session.offer(out, 0, MessageHeaderEncoder.ENCODED_LENGTH + ResendEndEncoder.BLOCK_LENGTH) < 0 && leader)
        {
            s.live = false;
        }
    }

    void sendAck(final ClientSession session, final long clientId, final long lastCommandId, final long head, final AckStatus status)
    {
        if (!leader)
        {
            return;
        }
        ack.wrapAndApplyHeader(out, 0, header).clientId(clientId).lastCommandId(lastCommandId).headSequence(head).status(status);
        session.offer(out, 0, MessageHeaderEncoder.ENCODED_LENGTH + ClientAckEncoder.BLOCK_LENGTH);
    }

    void sendError(final ClientSession session, final ErrorCode code, final long detail)
    {
        if (!leader || session == null)
        {
            return;
        }
        error.wrapAndApplyHeader(out, 0, header).code(code).detail(detail);
        session.offer(out, 0, MessageHeaderEncoder.ENCODED_LENGTH + ClientErrorEncoder.BLOCK_LENGTH);
    }

    /** Tells every subscriber where the journal is, so a client that missed the last entries notices. */
    void heartbeat(final long head, final int leaderMemberId)
    {
        if (!leader)
        {
            return;
        }
        heartbeat.wrapAndApplyHeader(out, 0, header).headSequence(head).leaderMemberId(leaderMemberId);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
        for (int i = 0, n = ordered.size(); i < n; i++)
        {
            ordered.get(i).session.offer(out, 0, length);
        }
    }

    void remove(final long sessionId)
    {
        final Subscriber s = subscribers.remove(sessionId);
        if (s != null)
        {
            ordered.remove(s);
            closeTailer(s);
        }
    }

    private static void closeTailer(final Subscriber s)
    {
        if (s.tailer != null)
        {
            s.tailer.close();
            s.tailer = null;
        }
    }

    void close()
    {
        for (final Subscriber s : ordered)
        {
            closeTailer(s);
        }
    }
}
