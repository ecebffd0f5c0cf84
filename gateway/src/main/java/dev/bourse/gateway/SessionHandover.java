package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.sbe.AuditType;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.function.Consumer;

/**
 * FIX sessions moving between the gateways of one engine (a cluster), so that a client whose
 * gateway died logs on at another and carries on with its sequence numbers. None of the open-source
 * FIX engines does this; it works here because the journal knows every session
 * ({@link SessionDirectory}) and each gateway reserves its sessions' outbound numbers in it ahead
 * of use ({@link OutboundReservations}).
 * <ol>
 * <li>A Logon for a CompID the journal shows at another gateway is authenticated as usual, then
 * claimed: a SESSION_CLAIMED audit. The session waits, AUTHENTICATING, until the claim comes back
 * journaled.</li>
 * <li>At that point in the journal the numbering is known: inbound, the highest MsgSeqNum
 * journaled (so anything the client sent that never reached the journal is asked for again);
 * outbound, above everything the old gateway reserved. The Logon is then answered.</li>
 * <li>The client asks for what it missed; the numbers the old gateway used are gap-filled and the
 * reports it may not have received are sent again from the journal, PossResend
 * ({@link JournalReports#replay}).</li>
 * <li>The old gateway, if it is alive, reads the claim too: it logs its connection out, without
 * cancel on disconnect, and forgets the session ({@link SessionRegistry#release}).</li>
 * </ol>
 * Gateway thread only.
 */
final class SessionHandover implements SessionDirectory.ClaimListener
{
    /** What the conductor does for a takeover. */
    interface Logons
    {
        /** The claim is journaled and the numbering set: answer the Logon as any other. */
        void completeLogon(FixSession session, SessionStore store, long accountId, String username);

        /** The Logon reply: the session is logged on (its LOGON is journaled already). */
        void acceptLogon(FixSession session, SessionStore store, long accountId, String username);

        /** Refuse a Logon (audited and counted as the conductor refuses). */
        void refuseLogon(FixSession session, Refusal refusal, String username, long accountId, String text);

        /** Another gateway took this logged-on session: log it out and close it, without cancel on disconnect. */
        void givenUp(FixSession session, String text);
    }

    private record Claim(FixSession session, SessionStore store, long accountId, String username)
    {
    }

    /** The claim's journal sequence, and when (System.nanoTime) the replay starts anyway if the client never asks. */
    private record Hold(long claimedAt, long deadlineNs)
    {
    }

    private final java.util.List<Claim> awaiting = new java.util.ArrayList<>();
    private OutboundReservations reservations;

    private final SessionDirectory directory;
    private final SessionRegistry registry;
    private final CommandSubmitter submitter;
    private final CommandClock clock;
    private final GatewayCounters counters;
    private final int gatewayId;
    private final Consumer<String> log;
    private final Int2ObjectHashMap<Claim> claims = new Int2ObjectHashMap<>();
    private final org.agrona.collections.IntHashSet warnedForeignLogons = new org.agrona.collections.IntHashSet();
    /** Sessions taken over here whose client has not asked for what it missed yet: where replays start. */
    private final Int2ObjectHashMap<SessionDirectory.Entry> anchors = new Int2ObjectHashMap<>();
    /**
     * Sessions taken over here whose live reports are held until the replay starts: the journal
     * sequence of the claim. The replay re-reads from before the claim through the present, so every
     * report goes out in journal order; sent live meanwhile, a fill after the claim arrived before the
     * PossResend copy of the order's New (a cluster probe), and a client's view of an order went back.
     */
    private final Int2ObjectHashMap<Hold> holding = new Int2ObjectHashMap<>();
    private static final long HOLD_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
    private Logons logons;
    private JournalReports reports;

    SessionHandover(
        final SessionDirectory directory, final SessionRegistry registry, final CommandSubmitter submitter, final CommandClock clock,
        final GatewayCounters counters, final int gatewayId, final Consumer<String> log)
    {
        this.directory = directory;
        this.registry = registry;
        this.submitter = submitter;
        this.clock = clock;
        this.counters = counters;
        this.gatewayId = gatewayId;
        this.log = log;
        directory.claimListener(this);
    }

    void logons(final Logons logons, final JournalReports reports, final OutboundReservations reservations)
    {
        this.logons = logons;
        this.reports = reports;
        this.reservations = reservations;
    }

    /**
     * A Logon accepted and journaled: its reply is sent once at least half a block of numbers is
     * reserved in the journal, so a gateway taking the session over never reuses a number this one
     * sent (at once when the reservation is there already, as on most reconnects).
     */
    void awaitReservation(final FixSession s, final SessionStore store, final long accountId, final String username)
    {
        if (reservations.hasRoom(store))
        {
            logons.acceptLogon(s, store, accountId, username);
            return;
        }
        reservations.reserve(store);
        awaiting.add(new Claim(s, store, accountId, username));
    }

    boolean awaitingReservation(final int sessionId)
    {
        for (int i = 0; i < awaiting.size(); i++)
        {
            if (awaiting.get(i).store().sessionId() == sessionId)
            {
                return true;
            }
        }
        return false;
    }

    /** Answers the Logons whose numbers are now reserved; the number answered. */
    int poll()
    {
        int work = releaseOverdue();
        if (awaiting.isEmpty())
        {
            return work;
        }
        for (int i = awaiting.size() - 1; i >= 0; i--)
        {
            final Claim waiting = awaiting.get(i);
            final FixSession s = waiting.session();
            if (s.state != FixSession.State.AUTHENTICATING)
            {
                // gone before its reply: its LOGON is journaled, so is its going
                awaiting.remove(i);
                submitter.audit(clock.timestamp(), waiting.store().sessionId(), waiting.accountId(), AuditType.DISCONNECTED, 0,
                    waiting.username());
                work++;
            }
            else if (reservations.hasRoom(waiting.store()))
            {
                awaiting.remove(i);
                logons.acceptLogon(s, waiting.store(), waiting.accountId(), waiting.username());
                work++;
            }
            else
            {
                reservations.reserve(waiting.store()); // again, if the request could not be queued
            }
        }
        return work;
    }

    /**
     * An authenticated Logon: true if its CompID is served by another gateway (or by this one, whose
     * store is gone), so it is a takeover
     * (refused, or claimed and answered once the claim is journaled); false to go on as usual.
     */
    boolean onAuthenticated(final FixSession s, final long accountId, final String username)
    {
        final SessionDirectory.Entry known = directory.byCompId(s.logonCompId);
        if (known == null || (known.gatewayId == gatewayId && registry.storeOf(s.logonCompId) != null))
        {
            return false; // a new session, or one served here
        }
        // served by another gateway, or by this one before its store was lost: claimed, numbering from the journal
        if (known.username != null && !known.username.equals(username))
        {
            logons.refuseLogon(s, Refusal.COMP_ID, username, accountId, "logon refused: CompID belongs to another user");
            return true;
        }
        if (claims.containsKey(known.sessionId))
        {
            logons.refuseLogon(s, Refusal.ALREADY_LOGGED_ON, username, accountId, "logon refused: session already logging on");
            return true;
        }
        final SessionStore store = registry.adopt(s.logonCompId, username, known.sessionId);
        if (!submitter.audit(clock.timestamp(), known.sessionId, accountId, AuditType.SESSION_CLAIMED, 0, username, gatewayId,
            s.logonCompId))
        {
            logons.refuseLogon(s, Refusal.BUSY, username, accountId, "logon refused: gateway busy, try again");
            return true;
        }
        claims.put(known.sessionId, new Claim(s, store, accountId, username));
        return true;
    }

    @Override
    public void onClaimed(final int sessionId, final int byGatewayId, final long sequence)
    {
        if (byGatewayId == gatewayId)
        {
            final Claim claim = claims.remove(sessionId);
            if (claim == null || claim.session().state != FixSession.State.AUTHENTICATING)
            {
                return; // an old claim read again at start, or the client went away meanwhile
            }
            final SessionDirectory.Entry entry = directory.bySessionId(sessionId);
            final int nextOut = SequenceLimit.after(entry.reservedUpTo);
            final int nextIn = SequenceLimit.after(entry.lastInbound); // a Logon journaled at 2147483647: not wrapped
            claim.store().takeOver(sequence, nextOut, nextIn);
            claim.store().reservedUpTo(entry.reservedUpTo);
            claim.store().reservationRequested(0);
            if (!claim.session().logonReset)
            {
                anchors.put(sessionId, entry.copyNumbering());
                holding.put(sessionId, new Hold(sequence, System.nanoTime() + HOLD_NS));
            }
            // else the client gave up the old numbering: nothing is replayed and no ResendRequest comes, so nothing is
            // held; held, every report for 3 s went out late and PossResend, a fill included (an outside probe)
            counters.sessionsTakenOver.incrementRelease();
            log.accept("gateway: session " + entry.compId + " (" + sessionId + ") taken over at journal sequence " + sequence
                + ": next MsgSeqNum out " + nextOut + ", expecting " + nextIn + " in");
            logons.completeLogon(claim.session(), claim.store(), claim.accountId(), claim.username());
            return;
        }
        final SessionStore store = registry.store(sessionId);
        if (store == null)
        {
            return;
        }
        final FixSession online = registry.online(sessionId);
        if (online != null)
        {
            logons.givenUp(online, "session taken over at gateway " + byGatewayId);
        }
        anchors.remove(sessionId);
        release(sessionId);
        registry.release(store);
        counters.sessionsGivenUp.incrementRelease();
        log.accept("gateway: session " + store.compId() + " (" + sessionId + ") taken over by gateway " + byGatewayId
            + " at journal sequence " + sequence + "; no longer served here");
    }

    /**
     * A LOGON journaled live under this gateway's id for a session it does not serve: another gateway
     * runs with the same {@code cluster.gateway-id}. Said once per session; the operator must stop one.
     */
    void foreignLogonWithOurId(final int sessionId, final String compId)
    {
        if (warnedForeignLogons.add(sessionId))
        {
            counters.foreignLogons.incrementRelease();
            log.accept("gateway: ERROR another gateway journals logons as gateway " + gatewayId + " (session " + compId + ", "
                + sessionId + "): two gateways must never share cluster.gateway-id; stop one of them and give it its own id");
        }
    }

    /** An operator's disconnect, read from the journal: the session is logged out if it is logged on here. */
    void disconnectRequested(final int sessionId)
    {
        final FixSession online = registry.online(sessionId);
        if (online != null)
        {
            log.accept("gateway: session " + online.store.compId() + " (" + sessionId + ") disconnected by operations");
            online.logoutForShutdown("disconnected by operations");
        }
    }

    /**
     * An operator's reset of a session's sequence numbers, read from the journal at {@code sequence}:
     * done if the session is served here and not logged on (the admin API refuses it otherwise).
     */
    void resetRequested(final int sessionId, final long sequence)
    {
        final SessionStore store = registry.store(sessionId);
        if (store == null)
        {
            return;
        }
        if (registry.isOnline(sessionId) || awaitingReservation(sessionId))
        {
            log.accept("gateway: reset of session " + store.compId() + " (" + sessionId + ") ignored: it is logged on here");
            return;
        }
        store.reset(sequence);
        registry.inbound(sessionId).reset();
        anchors.remove(sessionId);
        release(sessionId);
        log.accept("gateway: session " + store.compId() + " (" + sessionId + ") sequence numbers reset by operations");
    }

    /** Whether a session's live reports are held for its takeover's replay (see {@link #holding}). */
    boolean holds(final int sessionId)
    {
        return holding.containsKey(sessionId);
    }

    private void release(final int sessionId)
    {
        holding.remove(sessionId);
    }

    /**
     * The first ResendRequest of a session taken over here, for numbers from {@code begin}: if that is
     * below the first number sent here (they were gap-filled), the reports the client may have missed
     * are sent again; either way the reports held since the claim follow, in journal order, once.
     */
    void onFirstResendAfterTakeover(final FixSession s, final int begin)
    {
        final boolean missed = begin < s.store.firstNumberHere();
        s.store.clearFirstNumberHere();
        final SessionDirectory.Entry numbering = anchors.remove(s.sessionId);
        final Hold hold = holding.remove(s.sessionId);
        final long after = missed && numbering != null ? numbering.replayAfter(begin) : hold != null ? hold.claimedAt() : -1;
        if (after >= 0)
        {
            replay(s.sessionId, s.store.compId(), after, missed);
        }
    }

    private void replay(final int sessionId, final String compId, final long after, final boolean missed)
    {
        if (reports.replay(sessionId, after))
        {
            log.accept("gateway: session " + compId + (missed ? " missed messages from before the takeover; its" : ": its")
                + " reports after journal sequence " + after + " are sent " + (missed ? "again (PossResend)" : "in order"));
        }
        else
        {
            log.accept("gateway: ERROR session " + compId + ": the journal cannot be read again from sequence " + after
                + "; reports after it may be missing: the client can ask for its orders' status");
        }
    }

    /** Held sessions whose client never asked for a resend: their replay starts now. */
    private int releaseOverdue()
    {
        if (holding.isEmpty())
        {
            return 0;
        }
        final long now = System.nanoTime();
        int work = 0;
        for (final Int2ObjectHashMap<Hold>.EntryIterator it = holding.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Hold hold = it.getValue();
            if (now - hold.deadlineNs() >= 0)
            {
                // to the session, or to its store if it went away meanwhile: what was held is never dropped
                final int sessionId = it.getIntKey();
                it.remove();
                anchors.remove(sessionId);
                final SessionStore store = registry.store(sessionId);
                if (store != null)
                {
                    store.clearFirstNumberHere();
                }
                replay(sessionId, store != null ? store.compId() : String.valueOf(sessionId), hold.claimedAt(), false);
                work++;
            }
        }
        return work;
    }
}
