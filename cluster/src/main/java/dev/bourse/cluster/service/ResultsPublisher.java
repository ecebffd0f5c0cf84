package dev.bourse.cluster.service;

import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.ClientAckEncoder;
import dev.bourse.cluster.sbe.ClientErrorEncoder;
import dev.bourse.cluster.sbe.EntryEncoder;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.cluster.sbe.HeartbeatEncoder;
import dev.bourse.cluster.sbe.MembersEncoder;
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
 * acks, resends, heartbeats. Only the leader sends (Aeron Cluster mocks a follower's sends); every
 * node knows who subscribed, but where each client's stream stands is the leader's own business:
 * a client tells a new leader where it is (a ResendRequest after every leader change).
 * <p>
 * A subscriber is live (entries go out as they are applied) or catching up. It catches up after a
 * request, or when an entry could not be sent (back pressure): from then on the leader pushes it up
 * to {@code resendChunk} entries after every message it processes, and on every client request,
 * until it has everything and goes live again. Recent entries come from memory
 * ({@link RecentEntries}), older ones from this node's journal. Nothing here changes replicated state.
 */
final class ResultsPublisher implements JournalHandler
{
    /** Entries longer than this go out in fragments (the egress term-length must be at least 8x). */
    static final int MAX_FRAGMENT = 16 * 1024;

    /** What one client session receives. */
    static final class Subscriber
    {
        final ClientSession session;
        /** The next sequence this client should receive (0: unknown until it asks, after a leader change). */
        long next;
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
    private final RecentEntries recent;
    private final int resendChunk;
    private final ServiceCounters counters;

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[MAX_FRAGMENT + 256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final EntryEncoder entry = new EntryEncoder();
    private final ClientAckEncoder ack = new ClientAckEncoder();
    private final ResendEndEncoder resendEnd = new ResendEndEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ClientErrorEncoder error = new ClientErrorEncoder();
    private final MembersEncoder membersEncoder = new MembersEncoder();

    private boolean leader;
    private int catchingUp;
    // a journal read in progress (tailer callback)
    private Subscriber reading;
    private long readLast;
    private boolean readFailed;

    ResultsPublisher(final JournalIndex index, final RecentEntries recent, final int resendChunk, final ServiceCounters counters)
    {
        this.index = index;
        this.recent = recent;
        this.resendChunk = resendChunk;
        this.counters = counters;
    }

    /** Whether this node sends. A new leader waits for each client to say where it is. */
    void leader(final boolean leader)
    {
        if (leader != this.leader)
        {
            for (int i = 0, n = ordered.size(); i < n; i++)
            {
                final Subscriber s = ordered.get(i);
                s.next = 0;
                s.live = false;
                closeTailer(s);
            }
            catchingUp = 0;
        }
        this.leader = leader;
    }

    int subscribers()
    {
        return ordered.size();
    }

    /**
     * A client asks for entries from {@code from} (-1: from the next one applied). {@code head} is
     * the newest sequence applied.
     */
    void request(final ClientSession session, final long from, final long head)
    {
        Subscriber s = subscribers.get(session.id());
        if (s == null)
        {
            s = new Subscriber(session);
            subscribers.put(session.id(), s);
            ordered.add(s);
        }
        counters.resends.incrementRelease();
        if (!leader)
        {
            return;
        }
        if (!s.live && s.next > 0)
        {
            catchingUp--;
        }
        s.next = from < 0 ? head + 1 : Math.max(1, from);
        s.live = false;
        catchingUp++;
        pump(s, head, true);
    }

    /**
     * Sends a catching-up subscriber up to one chunk; it goes live once it has {@code head}.
     * {@code answer}: end with a ResendEnd, telling the client where to ask next.
     */
    private void pump(final Subscriber s, final long head, final boolean answer)
    {
        final long last = Math.min(head, s.next + resendChunk - 1);
        boolean sent = true;
        if (s.next <= last)
        {
            sent = recent.contains(s.next) ? sendFromMemory(s, last) : sendFromJournal(s, last);
        }
        if (sent && s.next > head)
        {
            s.live = true;
            catchingUp--;
            closeTailer(s);
        }
        if (!sent)
        {
            counters.stalls.incrementRelease();
        }
        else if (answer || s.live)
        {
            resendEnd.wrapAndApplyHeader(out, 0, header).nextSequence(s.next).headSequence(head);
            offerControl(s.session, MessageHeaderEncoder.ENCODED_LENGTH + ResendEndEncoder.BLOCK_LENGTH);
        }
    }

    private boolean sendFromMemory(final Subscriber s, final long last)
    {
        while (s.next <= last)
        {
            if (!sendEntry(s.session, s.next, recent.buffer(), recent.offset(s.next), recent.length(s.next)))
            {
                return false;
            }
            s.next++;
        }
        return true;
    }

    private boolean sendFromJournal(final Subscriber s, final long last)
    {
        if (s.tailer == null || s.tailer.lastSequence() != s.next - 1)
        {
            closeTailer(s);
            s.tailer = index.tailerNear(s.next);
        }
        reading = s;
        readLast = last;
        readFailed = false;
        try
        {
            while (s.next <= last && !readFailed)
            {
                if (s.tailer.poll(this, 1) == 0)
                {
                    return false; // not in this node's journal yet: the next pump tries again
                }
            }
        }
        finally
        {
            reading = null;
        }
        return !readFailed;
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + 8);
        if (reading == null || readFailed || sequence != reading.next || sequence > readLast)
        {
            return;
        }
        if (sendEntry(reading.session, sequence, buffer, offset, length))
        {
            reading.next++;
        }
        else
        {
            readFailed = true;
        }
    }

    /**
     * A batch's entries (as [int length][bytes]) are applied: kept in memory, sent to live
     * subscribers, and catching-up ones are pushed on.
     */
    void broadcast(final DirectBuffer batch, final int batchLength, final long head)
    {
        for (int at = 0; at < batchLength; )
        {
            final int length = batch.getInt(at);
            final int offset = at + Integer.BYTES;
            recent.append(batch.getLong(offset + 8), batch, offset, length);
            at = offset + length;
        }
        if (!leader)
        {
            return;
        }
        for (int i = 0, n = ordered.size(); i < n; i++)
        {
            final Subscriber s = ordered.get(i);
            if (!s.live)
            {
                continue;
            }
            for (int at = 0; at < batchLength; )
            {
                final int length = batch.getInt(at);
                final int offset = at + Integer.BYTES;
                at = offset + length;
                final long sequence = batch.getLong(offset + 8);
                if (sequence < s.next)
                {
                    continue;
                }
                if (sequence > s.next || !sendEntry(s.session, sequence, batch, offset, length))
                {
                    // Behind (or the client is not draining): catch up from memory instead.
                    s.live = false;
                    catchingUp++;
                    counters.stalls.incrementRelease();
                    break;
                }
                s.next = sequence + 1;
            }
        }
        pumpAll(head);
    }

    /** Pushes every catching-up subscriber a chunk (after each message the leader processes). */
    void pumpAll(final long head)
    {
        if (!leader || catchingUp == 0)
        {
            return;
        }
        for (int i = 0, n = ordered.size(); i < n; i++)
        {
            final Subscriber s = ordered.get(i);
            if (!s.live && s.next > 0)
            {
                pump(s, head, false);
            }
        }
    }

    /**
     * Offers a control message (ack, error, resend end, heartbeat), which unlike an entry is not sent
     * again later: tried again at once on ADMIN_ACTION (a term rotation, which one retry gets past;
     * a fuzz test found acks lost to it, leaving the client waiting) and a few times while
     * back-pressured. One that still does not go is counted as a stall; the client's next ack or
     * heartbeat carries the same.
     */
    private void offerControl(final ClientSession session, final int length)
    {
        for (int attempt = 0; attempt < 64; attempt++)
        {
            final long result = session.offer(out, 0, length);
            if (result >= 0 || (result != io.aeron.Publication.ADMIN_ACTION && result != io.aeron.Publication.BACK_PRESSURED))
            {
                return; // sent, or the client is gone
            }
            Thread.onSpinWait();
        }
        counters.stalls.incrementRelease();
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
            final int entryLength = MessageHeaderEncoder.ENCODED_LENGTH + entry.encodedLength();
            long result = session.offer(out, 0, entryLength);
            if (result == io.aeron.Publication.ADMIN_ACTION)
            {
                result = session.offer(out, 0, entryLength); // a term rotation: at once, it goes
            }
            if (result < 0)
            {
                return false; // the client is behind: the next pump sends it
            }
            fragmentOffset += fragment;
        }
        while (fragmentOffset < length);
        return true;
    }

    void sendAck(final ClientSession session, final long clientId, final long lastCommandId, final long head, final AckStatus status)
    {
        if (!leader)
        {
            return;
        }
        ack.wrapAndApplyHeader(out, 0, header).clientId(clientId).lastCommandId(lastCommandId).headSequence(head).status(status);
        offerControl(session, MessageHeaderEncoder.ENCODED_LENGTH + ClientAckEncoder.BLOCK_LENGTH);
    }

    /** After a welcome: the leader's cluster.members, for the client to compare with its own (not on the hot path). */
    void sendMembers(final ClientSession session, final int leaderMemberId, final String members)
    {
        if (!leader || session == null || members == null)
        {
            return;
        }
        membersEncoder.wrapAndApplyHeader(out, 0, header).leaderMemberId(leaderMemberId).members(members);
        offerControl(session, MessageHeaderEncoder.ENCODED_LENGTH + membersEncoder.encodedLength());
    }

    void sendError(final ClientSession session, final ErrorCode code, final long detail)
    {
        if (!leader || session == null)
        {
            return;
        }
        error.wrapAndApplyHeader(out, 0, header).code(code).detail(detail);
        offerControl(session, MessageHeaderEncoder.ENCODED_LENGTH + ClientErrorEncoder.BLOCK_LENGTH);
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
            offerControl(ordered.get(i).session, length);
        }
        pumpAll(head);
    }

    void remove(final long sessionId)
    {
        final Subscriber s = subscribers.remove(sessionId);
        if (s != null)
        {
            if (!s.live && s.next > 0)
            {
                catchingUp--;
            }
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
