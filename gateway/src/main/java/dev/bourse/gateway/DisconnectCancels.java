package dev.bourse.gateway;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Cancel-on-disconnect in slices: a session that goes away with many resting orders is canceled
 * by a chain of MassCancel commands of at most {@code slice} orders each. The next slice goes
 * in when the journal says the last one left orders behind (MassCancelDone.moreRemaining), so
 * every other session's commands reach the engine between slices and none waits behind one huge
 * command. A logon of the session waits until its cancel is complete (see {@link Sessions}): its
 * new orders must not be caught by a late slice. After a restart, a cancel the journal shows
 * unfinished is resumed. Gateway thread only.
 */
final class DisconnectCancels
{
    private final CommandSubmitter submitter;
    private final CommandClock clock;
    private final int slice;
    private final Int2ObjectHashMap<Long> inProgress = new Int2ObjectHashMap<>(); // sessionId -> accountId

    DisconnectCancels(final CommandSubmitter submitter, final CommandClock clock, final int slice)
    {
        this.submitter = submitter;
        this.clock = clock;
        this.slice = slice;
    }

    /** The session went away: its first slice. */
    void start(final long timestamp, final int sessionId, final long accountId)
    {
        inProgress.put(sessionId, Long.valueOf(accountId));
        submitter.cancelOnDisconnect(timestamp, sessionId, accountId, slice);
    }

    /**
     * A slice of one of this gateway's sessions is journaled; the next one goes in if orders
     * remain and {@code live} (not while reading the journal at start: see {@link #resume()}).
     */
    void onSliceDone(final int sessionId, final long accountId, final boolean moreRemaining, final boolean live)
    {
        if (!moreRemaining)
        {
            inProgress.remove(sessionId);
            return;
        }
        inProgress.put(sessionId, Long.valueOf(accountId));
        if (live)
        {
            submitter.cancelOnDisconnect(clock.timestamp(), sessionId, accountId, slice);
        }
    }

    /** After reading the journal at start: the next slice of every cancel it shows unfinished. */
    void resume()
    {
        final List<Integer> sessions = new ArrayList<>(inProgress.keySet());
        for (final Integer sessionId : sessions)
        {
            submitter.cancelOnDisconnect(clock.timestamp(), sessionId, inProgress.get(sessionId), slice);
        }
    }

    boolean inProgress(final int sessionId)
    {
        return inProgress.containsKey(sessionId);
    }
}
