package dev.bourse.gateway;

import dev.bourse.protocol.sbe.BooleanType;
import dev.bourse.protocol.sbe.MassCancelDoneDecoder;
import dev.bourse.protocol.sbe.RejectReason;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's OrderMassCancelRequest (35=q) in slices, so one request over a huge book does not hold
 * the engine thread (and every other session) for the whole of it: the first MassCancel cancels at
 * most {@code slice} orders; while its MassCancelDone says more remain, the next slice goes in,
 * limited to the OrderIDs the first one saw (an order entered meanwhile is not canceled). The
 * client gets each canceled order's ExecutionReport as it goes and one OrderMassCancelReport at the
 * end, with its ClOrdID and the total. The next slice waits while the client has more than half
 * of its outbound limit unread, so a client reading at its own pace is not cut off as a slow reader
 * by its own cancels. A restarted gateway resumes an unfinished one. Gateway thread only.
 */
final class ClientMassCancels
{
    /** One session's mass cancel under way. */
    static final class Pending
    {
        final byte[] clOrdId = new byte[20];
        long accountId;
        int instrumentId;
        int side;
        long upToOrderId;
        int canceled;
        /** The next slice is to go in once the client has read enough. */
        boolean due;
    }

    private final CommandSubmitter submitter;
    private final CommandClock clock;
    private final int slice;
    private final Int2ObjectHashMap<Pending> bySession = new Int2ObjectHashMap<>();
    private final org.agrona.collections.IntHashSet submitted = new org.agrona.collections.IntHashSet();

    private final java.util.function.IntPredicate backlogged;
    private int due;

    /** @param backlogged whether a session's client has too much unread for the next slice's reports */
    ClientMassCancels(final CommandSubmitter submitter, final CommandClock clock, final int slice,
        final java.util.function.IntPredicate backlogged)
    {
        this.submitter = submitter;
        this.clock = clock;
        this.slice = slice;
        this.backlogged = backlogged;
    }

    /** Sends the slices that waited for their clients to read; the number sent. */
    int poll()
    {
        if (due == 0)
        {
            return 0;
        }
        int sent = 0;
        for (final Int2ObjectHashMap<Pending>.EntryIterator it = bySession.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Pending pending = it.getValue();
            if (pending.due && !backlogged.test(it.getIntKey()))
            {
                pending.due = false;
                due--;
                next(it.getIntKey(), pending);
                sent++;
            }
        }
        return sent;
    }

    /** Orders one slice cancels at most. */
    int slice()
    {
        return slice;
    }

    /**
     * A session's request is on its way or has slices to go: what the session sent after it waits,
     * unread, until it is done (one mass cancel per session at a time, each applying to the orders
     * there were when it arrived). Asked before each message a session reads.
     */
    boolean inProgress(final int sessionId)
    {
        if (submitted.isEmpty() && bySession.isEmpty())
        {
            return false;
        }
        return submitted.contains(sessionId) || bySession.containsKey(sessionId);
    }

    /** The first slice of a session's request went into the ring. */
    void submitted(final int sessionId)
    {
        submitted.add(sessionId);
    }

    /**
     * A slice of one of this gateway's sessions' mass cancels is journaled. Returns null when the
     * report waits for the next slice (sent now if {@code live}), else what the report names: the
     * request's ClOrdID and the total canceled (the pending mass cancel, or null with this slice
     * its whole).
     */
    Pending onSliceDone(final MassCancelDoneDecoder e, final boolean live, final Pending single)
    {
        final int sessionId = e.sessionId();
        submitted.remove(sessionId);
        Pending pending = bySession.get(sessionId);
        final boolean more = e.rejectReason() == RejectReason.NONE && e.moreRemaining() == BooleanType.TRUE;
        if (pending == null)
        {
            pending = more ? new Pending() : single;
            e.getClOrdId(pending.clOrdId, 0);
            pending.accountId = e.accountId();
            pending.instrumentId = e.instrumentId();
            pending.side = e.side();
            pending.upToOrderId = e.upToOrderId();
            pending.canceled = 0;
        }
        pending.canceled += e.canceledCount();
        if (pending.due)
        {
            pending.due = false;
            due--;
        }
        if (!more)
        {
            bySession.remove(sessionId);
            return pending;
        }
        bySession.put(sessionId, pending);
        if (live)
        {
            if (backlogged.test(sessionId))
            {
                pending.due = true; // poll() sends it once the client has read
                due++;
            }
            else
            {
                next(sessionId, pending);
            }
        }
        return null;
    }

    /** After reading the journal at start: the next slice of every mass cancel it shows unfinished. */
    void resume()
    {
        final List<Integer> sessions = new ArrayList<>(bySession.keySet());
        for (final Integer sessionId : sessions)
        {
            next(sessionId, bySession.get(sessionId));
        }
    }

    private void next(final int sessionId, final Pending pending)
    {
        submitter.massCancelSlice(clock.timestamp(), sessionId, pending.accountId, pending.instrumentId, pending.side, slice,
            pending.upToOrderId);
    }
}
