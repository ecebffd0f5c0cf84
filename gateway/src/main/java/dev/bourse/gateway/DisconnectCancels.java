package dev.bourse.gateway;

import dev.bourse.protocol.sbe.AuditType;
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
 * unfinished is resumed, and so is one the journal shows owed but never begun. A session of
 * this gateway still logged on when the gateway died (its LOGON not followed by a LOGOUT or
 * DISCONNECTED) is journaled DISCONNECTED (detail {@link #AUDIT_DISCONNECTED_AT_RESTART}) and,
 * if it chose cancel-on-disconnect, canceled, as is one whose disconnect is journaled but whose
 * first slice is not. Gateway thread only.
 */
final class DisconnectCancels
{
    private final CommandSubmitter submitter;
    private final CommandClock clock;
    private final int slice;
    /** DISCONNECTED audit detail: the session was logged on when its gateway stopped without logging it out. */
    static final int AUDIT_DISCONNECTED_AT_RESTART = 1;

    private final Int2ObjectHashMap<Long> inProgress = new Int2ObjectHashMap<>(); // sessionId -> accountId
    private final Int2ObjectHashMap<LeftBehind> leftBehind = new Int2ObjectHashMap<>(); // read at start only

    /** A session the journal read at start shows logged on, or disconnected with its cancel not begun. */
    private static final class LeftBehind
    {
        final long accountId;
        final String username;
        final boolean cancelOnDisconnect;
        boolean loggedOn = true;

        LeftBehind(final long accountId, final String username, final boolean cancelOnDisconnect)
        {
            this.accountId = accountId;
            this.username = username;
            this.cancelOnDisconnect = cancelOnDisconnect;
        }
    }

    DisconnectCancels(final CommandSubmitter submitter, final CommandClock clock, final int slice)
    {
        this.submitter = submitter;
        this.clock = clock;
        this.slice = slice;
    }

    /** Read at start: one of this gateway's sessions logged on ({@code cancelOnDisconnect} as it chose). */
    void onJournaledLogon(final int sessionId, final long accountId, final String username, final boolean cancelOnDisconnect)
    {
        leftBehind.put(sessionId, new LeftBehind(accountId, username, cancelOnDisconnect));
    }

    /** Read at start: another gateway logged the session on or claimed it: it is served elsewhere now. */
    void onJournaledClaimElsewhere(final int sessionId)
    {
        leftBehind.remove(sessionId);
    }

    /** Read at start: the session's LOGOUT or DISCONNECTED; its cancel, if it chose one, is owed until its first slice is journaled. */
    void onJournaledDisconnect(final int sessionId)
    {
        final LeftBehind s = leftBehind.get(sessionId);
        if (s == null)
        {
            return;
        }
        if (s.cancelOnDisconnect)
        {
            s.loggedOn = false;
        }
        else
        {
            leftBehind.remove(sessionId);
        }
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
        leftBehind.remove(sessionId);
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

    /**
     * After reading the journal at start: the next slice of every cancel it shows unfinished, and
     * the first of every cancel it shows owed (a session left logged on is journaled DISCONNECTED first).
     */
    void resume()
    {
        leftBehind.forEach((sessionId, s) ->
        {
            if (s.loggedOn)
            {
                submitter.audit(clock.timestamp(), sessionId, s.accountId, AuditType.DISCONNECTED, AUDIT_DISCONNECTED_AT_RESTART,
                    s.username);
            }
            if (s.cancelOnDisconnect && !inProgress.containsKey(sessionId))
            {
                inProgress.put(sessionId, Long.valueOf(s.accountId));
            }
        });
        leftBehind.clear();
        final List<Integer> sessions = new ArrayList<>(inProgress.keySet());
        for (final Integer sessionId : sessions)
        {
            submitter.cancelOnDisconnect(clock.timestamp(), sessionId, inProgress.get(sessionId), slice);
        }
    }

    /**
     * A slice the engine could not carry out: refused while halted, or lost with the journal's
     * failure. Nothing more is canceled until a restart, whose recovery cancels what the session
     * left (see {@link #resume()}); a Logon waiting for the cancel goes on. It waited for good: a
     * firm that reconnected after a disk-full halt was answered "try again" at every Logon.
     */
    void onSliceRefused(final int sessionId)
    {
        inProgress.remove(sessionId);
    }

    boolean inProgress(final int sessionId)
    {
        return inProgress.containsKey(sessionId);
    }
}
