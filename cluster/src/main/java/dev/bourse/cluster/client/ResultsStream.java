package dev.bourse.cluster.client;

import dev.bourse.journal.JournalHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A client's view of the committed entries: delivers them in sequence order, each once, joining
 * fragments of large ones, and decides when to ask the cluster for a resend: after a gap, after a
 * new leader, when a heartbeat shows the leader ahead while nothing arrives, when a resend chunk
 * ends short of the head, or when a request made no progress for {@code resendTimeoutNs}.
 * Allocates nothing once its assembly buffer has grown to the largest entry.
 */
final class ResultsStream
{
    private final boolean wanted;
    private final long resendTimeoutNs;
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    /** The next sequence to deliver (0: from the first one that comes, for "from now"). */
    private long expected;
    private long headSequence;
    private long expectedAtHeartbeat;
    private boolean resendNeeded;
    private boolean resendOutstanding;
    private long progressNs;
    private long lastDelivered;

    private JournalHandler handler;
    private int limit;
    private int delivered;
    private long totalDelivered;

    /** @param from the first sequence wanted (1: all), {@link ClusterClient#RESULTS_FROM_NOW} or {@link ClusterClient#NO_RESULTS}. */
    ResultsStream(final long from, final long resendTimeoutNs)
    {
        this.wanted = from != ClusterClient.NO_RESULTS;
        this.expected = from < 0 ? 0 : from;
        this.resendTimeoutNs = resendTimeoutNs;
    }

    boolean wanted()
    {
        return wanted;
    }

    /** Where a (re)connecting client asks results from, as Hello's resultsFrom. */
    long helloFrom()
    {
        return !wanted ? ClusterClient.NO_RESULTS : expected == 0 ? ClusterClient.RESULTS_FROM_NOW : expected;
    }

    /** The Hello asked for results from a sequence: that is a request in flight. */
    void helloSent(final long nowNs)
    {
        if (wanted && expected > 0)
        {
            resendOutstanding = true;
            progressNs = nowNs;
        }
    }

    /** The welcome names the newest sequence: "from now" starts after it. */
    void welcomed(final long head)
    {
        headSequence = Math.max(headSequence, head);
        if (wanted && expected == 0)
        {
            expected = head + 1;
        }
    }

    void beginPoll(final JournalHandler handler, final int limit)
    {
        this.handler = handler;
        this.limit = limit;
        this.delivered = 0;
    }

    int endPoll()
    {
        handler = null;
        return delivered;
    }

    boolean acceptsEntries()
    {
        return delivered < limit;
    }

    void onEntry(final long sequence, final int entryLength, final int fragmentOffset, final DirectBuffer buffer, final int offset,
        final int length, final long nowNs)
    {
        final DirectBuffer entry;
        if (fragmentOffset == 0 && length == entryLength)
        {
            view.wrap(buffer, offset, length);
            entry = view;
        }
        else
        {
            assembly.putBytes(fragmentOffset, buffer, offset, length);
            if (fragmentOffset + length < entryLength)
            {
                return;
            }
            entry = assembly;
        }
        if (expected == 0)
        {
            expected = sequence;
        }
        if (sequence == expected)
        {
            expected++;
            progressNs = nowNs; // a repair in flight is not stuck
            lastDelivered = sequence;
            delivered++;
            totalDelivered++;
            if (handler != null)
            {
                handler.onEntry(sequence, entry, 0, entryLength);
            }
        }
        else if (sequence > expected && !resendOutstanding)
        {
            resendNeeded = true; // a gap: ask for what is missing
        }
    }

    void onResendEnd(final long head)
    {
        headSequence = Math.max(headSequence, head);
        resendOutstanding = false;
        if (expected <= head)
        {
            resendNeeded = true; // more to fetch
        }
    }

    /**
     * Behind the leader and nothing arrived since the last heartbeat: entries were lost on the way.
     * (The leader pushes a client that fell behind by itself, so progress means catching up.)
     */
    void onHeartbeat(final long head)
    {
        headSequence = Math.max(headSequence, head);
        if (expected != 0 && expected <= head && expected == expectedAtHeartbeat && !resendOutstanding)
        {
            resendNeeded = true;
        }
        expectedAtHeartbeat = expected;
    }

    /** A new leader does not know where this client is: tell it. */
    void onNewLeader()
    {
        if (wanted)
        {
            resendOutstanding = false;
            resendNeeded = true;
        }
    }

    /** Delivers again from the entry after {@code afterSequence}: asks the cluster for it at the next duty cycle. */
    void rewind(final long afterSequence)
    {
        if (wanted)
        {
            expected = afterSequence + 1;
            lastDelivered = afterSequence;
            expectedAtHeartbeat = 0;
            resendOutstanding = false;
            resendNeeded = true;
        }
    }

    /** Entries delivered since the stream began, rewinds or not. */
    long totalDelivered()
    {
        return totalDelivered;
    }

    void onDisconnected()
    {
        resendOutstanding = false;
        resendNeeded = false;
    }

    /** Whether to send a ResendRequest from {@link #expected()} now. */
    boolean resendDue(final long nowNs)
    {
        if (resendOutstanding && nowNs - progressNs > resendTimeoutNs)
        {
            resendOutstanding = false;
            resendNeeded = true;
        }
        return wanted && resendNeeded;
    }

    void resendSent(final long nowNs)
    {
        resendNeeded = false;
        resendOutstanding = true;
        progressNs = nowNs;
    }

    void head(final long head)
    {
        headSequence = Math.max(headSequence, head);
    }

    long expected()
    {
        return expected;
    }

    long headSequence()
    {
        return headSequence;
    }

    long lastDelivered()
    {
        return lastDelivered;
    }
}
