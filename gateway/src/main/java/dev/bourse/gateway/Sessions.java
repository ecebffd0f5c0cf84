package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.sbe.AuditType;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's conductor: the connections and their FIX sessions from accept to close. It
 * admits connections ({@link Admission}: a budget for those not logged on, a cap per address,
 * eviction of the busiest address's oldest), decides logons (credentials checked off-thread by
 * the {@link Authenticator}, the CompID's store from the {@link SessionRegistry}), hands
 * application messages to {@link OrderEntry}, journals logons, logouts, disconnects and every
 * refused logon as audits, counts and logs every refusal ({@link AbuseLog}), cancels on
 * disconnect, and runs the timers. Gateway thread only; sockets are the {@link GatewayAgent}'s.
 * <p>
 * Past 500 lines because a logon's steps (credentials, the CompID's store or its claim from another
 * gateway, waiting for the last connection's commands and cancels, the reservation of outbound
 * numbers, the reply) read in order here; what has a job of its own lives apart ({@link Admission},
 * {@link Authenticator}, {@link SessionHandover}, {@link DisconnectCancels}, {@link OrderEntry}).
 */
public final class Sessions implements FixSession.Handler, SessionSender.SlowReaderHandler, SessionHandover.Logons
{
    /** Audit detail bit on a LOGON whose sequence numbers were reset (ResetSeqNumFlag). */
    static final int AUDIT_SEQUENCE_RESET = 1;
    /**
     * Audit detail bit on a LOGON of a session that chose cancel-on-disconnect: a restarted gateway
     * cancels the orders of such a session the journal shows it left logged on.
     */
    static final int AUDIT_CANCEL_ON_DISCONNECT = 2;

    private final GatewayContext ctx;
    private final SessionRegistry registry;
    private final Authenticator authenticator;
    private final SessionSender sender;
    private final CommandSubmitter submitter;
    private final OrderEntry orderEntry;
    private final JournalReports reports;
    private final GatewayCounters counters;
    private final FixFramer framer;
    private final FixMessage msg = new FixMessage();
    private final CommandClock clock;
    private final Admission admission;
    private final AbuseLog abuseLog;
    private final BufferPool inboundBuffers;
    private final BufferPool outboundBuffers;
    private final List<FixSession> connections = new ArrayList<>();
    private final SessionControl control = new SessionControl();
    private final List<FixSession> closed = new ArrayList<>();
    private final List<DeferredLogon> deferredResets = new ArrayList<>();
    /** Logged-on sessions whose resetting Logon waits for the commands of their old numbering to be journaled. */
    private final List<FixSession> deferredInSessionResets = new ArrayList<>();
    /** Sessions whose Logout waits for the reports of the commands they sent before it. */
    private final List<FixSession> deferredLogouts = new ArrayList<>();
    /** Sessions over their rate with messages waiting (queue mode), resumed as their buckets refill. */
    private final List<FixSession> held = new ArrayList<>();
    // sessions whose turn ran out with messages left, for the next cycle; two lists swapped each
    // cycle so a session queued again while the due ones are served waits for the cycle after
    private ArrayList<FixSession> turnsNext = new ArrayList<>();
    private ArrayList<FixSession> turnsDue = new ArrayList<>();
    private int nextConnectionId = 1;
    /** The bound TLS port, -1 without one. */
    private int tlsPort = -1;
    private long nowMs;
    private long lastTimerCheckMs;

    private final DisconnectCancels disconnectCancels;
    /** Sessions moving between gateways (cluster); null on a single node. */
    private SessionHandover handover;

    Sessions(
        final GatewayContext ctx, final SessionRegistry registry, final Authenticator authenticator, final SessionSender sender,
        final CommandSubmitter submitter, final OrderEntry orderEntry, final JournalReports reports, final GatewayCounters counters,
        final CommandClock clock, final AbuseLog abuseLog, final DisconnectCancels disconnectCancels)
    {
        this.disconnectCancels = disconnectCancels;
        this.clock = clock;
        this.abuseLog = abuseLog;
        this.admission = new Admission(ctx.maxUnauthenticated(), ctx.maxUnauthenticatedPerAddress());
        final int pooled = Math.min(256, ctx.maxUnauthenticated() + 16);
        this.inboundBuffers = new BufferPool(Connection.inboundSize(ctx.maxMessageSize()), pooled);
        this.outboundBuffers = new BufferPool(Connection.initialOutboundSize(ctx.outboundBufferLimit()), pooled);
        this.ctx = ctx;
        this.registry = registry;
        this.authenticator = authenticator;
        this.sender = sender;
        this.submitter = submitter;
        this.orderEntry = orderEntry;
        this.reports = reports;
        this.counters = counters;
        this.framer = new FixFramer(ctx.maxMessageSize());
        sender.slowReaderHandler(this);
        now();
    }

    void handover(final SessionHandover handover)
    {
        this.handover = handover;
    }

    private long now()
    {
        nowMs = ctx.epochClock().time();
        sender.now(nowMs);
        return nowMs;
    }

    private long timestamp()
    {
        return clock.timestamp();
    }

    // ------------------------------------------------------------------ connections

    /**
     * A connection the socket just accepted from {@code address} (its IP, no port): admitted (first
     * evicting another connection not logged on, if the budget is full) or refused, in which case
     * null is returned and the caller closes the channel.
     */
    FixSession accept(final SocketChannel channel, final String address)
    {
        now();
        final Refusal refusal = admission.admit(address, nowMs);
        if (refusal != null)
        {
            abuseLog.record(refusal, nowMs, address, null);
            return null;
        }
        final FixSession victim = admission.victim();
        if (victim != null)
        {
            abuseLog.record(Refusal.EVICTED, nowMs, victim.connection.remoteAddress, null);
            close(victim, "evicted for a newcomer: too many connections not logged on");
        }
        return open(channel, address);
    }

    /** The TLS port as bound (its configured number may be 0), named to a TLS client that came to the plain port. */
    void tlsPort(final int port)
    {
        tlsPort = port;
    }

    @Override
    public int tlsPort()
    {
        return tlsPort;
    }

    /** A connection was accepted on the TLS port (counted). */
    void onTlsConnection()
    {
        counters.tlsConnections.incrementRelease();
    }

    /**
     * The TLS layer of a connection failed (a handshake with plain text, an old protocol or
     * garbage): counted and logged at most once per interval by reason, and only that connection closed.
     */
    void tlsFailed(final FixSession session, final Refusal refusal, final String detail)
    {
        // after the handshake the connection may be a logged-on session's: an operator looks for its CompID
        abuseLog.record(refusal, now(), session.connection.remoteAddress + (session.isLoggedOn() ? " " + session.store.compId() : ""), detail);
        close(session, "TLS: " + AbuseLog.printable(detail, AbuseLog.TLS_DETAIL_LENGTH));
    }

    /** Counts and logs a connection refused because the gateway is not taking any (the caller closes it). */
    void refuseWhileStopping(final String address)
    {
        abuseLog.record(Refusal.STOPPING, now(), address, null);
    }

    /** A new connection (channel null for in-process use); admission is the caller's. */
    FixSession open(final SocketChannel channel, final String remoteAddress)
    {
        now();
        final Connection connection = new Connection(nextConnectionId++, channel, remoteAddress, inboundBuffers.acquire(),
            outboundBuffers.acquire(), ctx.outboundBufferLimit(), nowMs);
        final FixSession session = new FixSession(connection, ctx, sender, this, framer, msg, counters, nowMs);
        connections.add(session);
        admission.add(session);
        counters.connections.setRelease(connections.size());
        counters.unauthenticated.setRelease(admission.unauthenticated());
        return session;
    }

    /** The agent closed the socket of a closed session: its buffers go back to the pools. */
    void release(final FixSession session)
    {
        session.connection.release(inboundBuffers, outboundBuffers);
    }

    /** Where the admission reports a connection that logged on or closed (the acceptor's per-address count). */
    void admissionReleases(final java.util.function.Consumer<String> released)
    {
        admission.released(released);
    }

    /** Processes what arrived on a connection. */
    void onInbound(final FixSession session)
    {
        if (session.turnQueued)
        {
            return; // its bytes wait for its queued turn, at the start of the next cycle
        }
        session.onInbound(now());
    }

    List<FixSession> connections()
    {
        return connections;
    }

    /** Sessions closed since the agent last looked; it closes their sockets and clears the list. */
    List<FixSession> closedSessions()
    {
        return closed;
    }

    /** Commands (audits, cancel-on-disconnect) waiting for room in the ring. */
    boolean hasPendingCommands()
    {
        return submitter.hasPending();
    }

    int connectionCount()
    {
        return connections.size();
    }

    /** Open connections, logged on or not (any thread: the gauge). */
    public long openConnections()
    {
        return counters.connections.get();
    }

    /** Connections not logged on yet (any thread: the gauge). */
    public long unauthenticatedConnections()
    {
        return counters.unauthenticated.get();
    }

    /** Addresses with connections not logged on (gateway thread, or tests once it is quiet). */
    int admissionAddresses()
    {
        return admission.addresses();
    }

    // ------------------------------------------------------------------ duty cycle

    /** Logon results, queued must-deliver commands, timers. */
    int doWork()
    {
        now();
        int work = 0;
        Authenticator.Result result;
        while ((result = authenticator.poll()) != null)
        {
            onAuthenticated(result);
            work++;
        }
        work += submitter.drain();
        work += control.drain(this);
        if (!deferredResets.isEmpty())
        {
            work += completeDeferredLogons();
        }
        if (!deferredInSessionResets.isEmpty())
        {
            work += completeDeferredInSessionResets();
        }
        if (!deferredLogouts.isEmpty())
        {
            work += completeDeferredLogouts();
        }
        if (handover != null)
        {
            work += handover.poll();
        }
        work += orderEntry.massCancels().poll();
        if (!held.isEmpty())
        {
            work += resumeHeld();
        }
        if (nowMs - lastTimerCheckMs >= 50)
        {
            lastTimerCheckMs = nowMs;
            counters.logonChecksPending.setRelease(authenticator.pending());
            for (int i = connections.size() - 1; i >= 0; i--)
            {
                work += connections.get(i).onTimer(nowMs);
            }
        }
        return work;
    }

    // ------------------------------------------------------------------ logon

    @Override
    public void onLogonRequest(final FixSession s, final FixMessage logon, final String username, final char[] password)
    {
        s.logonJournalSequence = reports.lastSequence();
        if (registry.onlineCount() >= ctx.maxSessions())
        {
            java.util.Arrays.fill(password, '\0');
            refuse(s, Refusal.SESSION_LIMIT, username, 0, registry.onlineCount(), "logon refused: session limit reached, try again later");
            return;
        }
        final CredentialGuard.Outcome admitted = authenticator.admit(username, s.connection.remoteAddress, nowMs);
        if (!admitted.accepted())
        {
            java.util.Arrays.fill(password, '\0');
            refuseCredentials(s, username, admitted);
            return;
        }
        // a configured user's Logon is not evicted by newcomers while it is checked
        s.reserved = authenticator.guard().isUser(username);
        if (!authenticator.submit(s, username, password))
        {
            refuse(s, Refusal.BUSY, username, 0, 0, "logon refused: gateway busy, try again");
        }
    }

    @Override
    public void refuseLogon(final FixSession s, final Refusal refusal, final String username, final String text)
    {
        refuse(s, refusal, username, 0, 0, text);
    }

    /**
     * Refuses a Logon: audited (LOGON_FAILED, or LOCKED_OUT for a lockout or throttle, the detail
     * saying which reason and a count), counted and logged by reason, and answered with a Logout.
     */
    private void refuse(
        final FixSession s, final Refusal refusal, final String username, final long accountId, final int count, final String text)
    {
        // a malformed Logon says what was wrong (a stale SendingTime read as a missing field misled a probe)
        refuse(s, refusal, username, accountId, count, text, refusal == Refusal.MALFORMED ? text : null);
    }

    /** @param logDetail what the log adds after the user (the client's text may not say it), or null */
    private void refuse(
        final FixSession s, final Refusal refusal, final String username, final long accountId, final int count, final String text,
        final String logDetail)
    {
        final boolean locked = refusal == Refusal.LOCKED_OUT || refusal == Refusal.THROTTLED;
        audit(0, accountId, locked ? AuditType.LOCKED_OUT : AuditType.LOGON_FAILED, refusal.auditDetail(count), username);
        final String who = username == null ? null : "user " + username;
        abuseLog.record(refusal, nowMs, s.connection.remoteAddress,
            logDetail != null ? (who == null ? logDetail : who + ": " + logDetail) : who);
        s.logonRefusedLater(text, nowMs);
    }

    /** The generic answer of OWASP's guidance: a wrong password, a lockout and a throttle look the same to the client. */
    private void refuseCredentials(final FixSession s, final String username, final CredentialGuard.Outcome outcome)
    {
        final Refusal refusal = outcome.verdict() == CredentialGuard.Verdict.LOCKED_OUT ? Refusal.LOCKED_OUT :
            outcome.verdict() == CredentialGuard.Verdict.THROTTLED ? Refusal.THROTTLED : Refusal.BAD_CREDENTIALS;
        final boolean locked = refusal != Refusal.BAD_CREDENTIALS;
        audit(0, 0, locked ? AuditType.LOCKED_OUT : AuditType.LOGON_FAILED, refusal.auditDetail(outcome.failures()), username);
        abuseLog.record(refusal, nowMs, s.connection.remoteAddress, "user " + username +
            (refusal == Refusal.BAD_CREDENTIALS ? ", " + outcome.failures() + " in a row" : "") +
            (outcome.lockedNow() || locked ? ", retry after " + (outcome.retryAfterMs() + 999) / 1000 + " s" : ""));
        s.logonRefusedLater("logon refused", nowMs);
    }

    private void onAuthenticated(final Authenticator.Result result)
    {
        final FixSession s = result.session();
        if (s.state != FixSession.State.AUTHENTICATING)
        {
            return; // the connection went away meanwhile
        }
        final String username = result.username();
        final CredentialGuard.Outcome outcome = result.outcome();
        if (!outcome.accepted())
        {
            refuseCredentials(s, username, outcome);
            return;
        }
        final long accountId = outcome.credential().accountId();
        if (outcome.credential().role() != dev.bourse.protocol.auth.Role.TRADER)
        {
            // Only traders enter orders: an operations, market-data or compliance user has other doors
            // (the admin API, market data, the query API), and no account to trade for.
            refuse(s, Refusal.ROLE, username, 0, 0, "logon refused: user " + username + " has the role "
                + outcome.credential().role().configName() + "; only traders log on over FIX");
            return;
        }
        if (handover != null && handover.onAuthenticated(s, accountId, username))
        {
            return; // a session another gateway served: claimed, answered once the claim is journaled
        }
        SessionStore store = registry.storeOf(s.logonCompId);
        if (store == null)
        {
            if (registry.compIdsOf(username) >= ctx.maxCompIdsPerUser())
            {
                refuse(s, Refusal.COMP_ID, username, accountId, registry.compIdsOf(username),
                    "logon refused: this user has " + ctx.maxCompIdsPerUser() + " CompIDs already");
                return;
            }
            try
            {
                store = registry.create(s.logonCompId, username);
            }
            catch (final java.io.UncheckedIOException e)
            {
                // a full disk under gateway.session-dir: the Logon left unanswered timed out, and the
                // exception cut the rest of the duty cycle short (an outside probe)
                refuse(s, Refusal.SESSION_STORE, username, accountId, 0,
                    "logon refused: the exchange cannot store this session's messages now; try again later", e.getMessage());
                return;
            }
        }
        else if (!store.username().equals(username))
        {
            refuse(s, Refusal.COMP_ID, username, accountId, registry.compIdsOf(username),
                "logon refused: CompID belongs to another user");
            return;
        }
        if (registry.isOnline(store.sessionId()))
        {
            refuse(s, Refusal.ALREADY_LOGGED_ON, username, accountId, 0, "logon refused: session already logged on");
            return;
        }
        if ((s.logonReset && registry.inbound(store.sessionId()).outstanding() > 0) || disconnectCancels.inProgress(store.sessionId()))
        {
            // The last connection's commands are still on their way to the journal under the old
            // numbers: the reset waits for them. Or its cancel-on-disconnect is still going, slice
            // by slice: the logon waits for it, so no late slice catches the new connection's
            // orders. The logon timeout still applies.
            deferredResets.add(new DeferredLogon(s, store, accountId, username));
            return;
        }
        completeLogon(s, store, accountId, username);
    }

    private record DeferredLogon(FixSession session, SessionStore store, long accountId, String username)
    {
    }

    private int completeDeferredLogons()
    {
        int work = 0;
        for (int i = deferredResets.size() - 1; i >= 0; i--)
        {
            final DeferredLogon logon = deferredResets.get(i);
            if (logon.session().state != FixSession.State.AUTHENTICATING)
            {
                deferredResets.remove(i);
            }
            else if ((!logon.session().logonReset || registry.inbound(logon.store().sessionId()).outstanding() == 0) &&
                !disconnectCancels.inProgress(logon.store().sessionId()))
            {
                deferredResets.remove(i);
                completeLogon(logon.session(), logon.store(), logon.accountId(), logon.username());
                work++;
            }
        }
        return work;
    }

    @Override
    public void refuseLogon(final FixSession s, final Refusal refusal, final String username, final long accountId, final String text)
    {
        // the count a CompID refusal carries is the user's CompIDs, whichever gateway refuses it (SECURITY.md)
        refuse(s, refusal, username, accountId, refusal == Refusal.COMP_ID ? registry.compIdsOf(username) : 0, text);
    }

    @Override
    public void givenUp(final FixSession s, final String text)
    {
        s.takenOver = true;
        sender.logout(s, text);
        close(s, text);
    }

    @Override
    public void onFirstResendAfterTakeover(final FixSession s, final int begin)
    {
        if (handover != null)
        {
            handover.onFirstResendAfterTakeover(s, begin);
        }
    }

    @Override
    public void completeLogon(final FixSession s, final SessionStore store, final long accountId, final String username)
    {
        if (registry.isOnline(store.sessionId()) || (handover != null && handover.awaitingReservation(store.sessionId())))
        {
            refuse(s, Refusal.ALREADY_LOGGED_ON, username, accountId, 0, "logon refused: session already logged on");
            return;
        }
        if (registry.onlineCount() >= ctx.maxSessions())
        {
            refuse(s, Refusal.SESSION_LIMIT, username, accountId, registry.onlineCount(), "logon refused: session limit reached, try again later");
            return;
        }
        if (s.logonReset)
        {
            store.reset(reports.lastSequence());
            registry.inbound(store.sessionId()).reset();
        }
        else if (s.logonSeq < store.nextInSeq())
        {
            s.refuseInSession(store);
            refuse(s, Refusal.SEQUENCE, username, accountId, 0,
                "MsgSeqNum too low, expecting " + store.nextInSeq() + " but received " + s.logonSeq);
            return;
        }
        if (handover != null)
        {
            // Sessions can move between gateways: the LOGON goes first (a reset's new numbering starts
            // there), then the reply waits until its numbers are reserved in the journal.
            auditLogon(s, store, accountId, username, s.logonSeq == store.nextInSeq() ? s.logonSeq : 0);
            handover.awaitReservation(s, store, accountId, username);
            return;
        }
        // the LOGON first: accepting handles what arrived behind the Logon, whose commands come after it in the journal
        auditLogon(s, store, accountId, username, s.logonSeq == store.nextInSeq() ? s.logonSeq : 0);
        acceptLogon(s, store, accountId, username);
        if (s.logonReset && reports.lastSequence() > s.logonJournalSequence)
        {
            // What was journaled for the session while its Logon was checked (a fill of a resting order) was stored
            // under the numbering the reset gave up, and lost (an outside probe's CumQty went from 5 to 7): read again
            // and sent under the new one, after the Logon's reply, marked PossResend. A journal read too far past it to
            // go back (64k entries) leaves them to an OrderStatusRequest, as before.
            reports.replay(store.sessionId(), s.logonJournalSequence);
        }
    }

    /**
     * A resetting Logon on a logged-on session. Done as a logon-time reset is, and for the same
     * reason only once the commands of the numbering that ends are journaled: the store's reset
     * marks the journal's newest entry, and the inbound numbers journaled after that mark (which a
     * restart reads back into the store) must all be the new numbering's. Nothing new is read
     * meanwhile, so no command of the new numbering can come first.
     */
    @Override
    public void onSequenceResetRequest(final FixSession s)
    {
        if (registry.inbound(s.sessionId).outstanding() > 0)
        {
            deferredInSessionResets.add(s);
            return;
        }
        resetInSession(s);
    }

    @Override
    public boolean reportsOutstanding(final FixSession s)
    {
        return registry.inbound(s.sessionId).outstanding() > 0;
    }

    @Override
    public void onLogoutDeferred(final FixSession s)
    {
        s.logoutDeferredSinceMs = nowMs;
        deferredLogouts.add(s);
    }

    /**
     * Logouts waiting for the reports of their sessions' last commands: sent once those are journaled
     * (their reports then queued before), or after the logon timeout if the journal stalls.
     */
    private int completeDeferredLogouts()
    {
        int work = 0;
        for (int i = deferredLogouts.size() - 1; i >= 0; i--)
        {
            final FixSession s = deferredLogouts.get(i);
            if (s.isClosed() || !s.isLogoutDeferred())
            {
                deferredLogouts.remove(i);
            }
            else if (registry.inbound(s.sessionId).outstanding() == 0 || nowMs - s.logoutDeferredSinceMs >= ctx.logonTimeoutMs())
            {
                deferredLogouts.remove(i);
                s.sendDeferredLogout();
                work++;
            }
        }
        return work;
    }

    private int completeDeferredInSessionResets()
    {
        int work = 0;
        for (int i = deferredInSessionResets.size() - 1; i >= 0; i--)
        {
            final FixSession s = deferredInSessionResets.get(i);
            if (!s.isLoggedOn() || !s.isSequenceResetPending() || s.connection.closeAfterFlush)
            {
                deferredInSessionResets.remove(i); // gone, or timed out meanwhile
            }
            else if (registry.inbound(s.sessionId).outstanding() == 0)
            {
                deferredInSessionResets.remove(i);
                resetInSession(s);
                s.onInbound(nowMs); // what arrived behind the Logon
                work++;
            }
        }
        return work;
    }

    private void resetInSession(final FixSession s)
    {
        final SessionStore store = s.store;
        store.reset(reports.lastSequence());
        registry.inbound(store.sessionId()).reset();
        // journaled as a logon-time reset is (the directory's numbering restarts there); on a cluster the
        // reply is not held for a reservation as a logon's is: reports would otherwise take number 1 first
        auditLogon(s, store, s.accountId, s.username, 0);
        s.sequenceResetAccepted(nowMs);
    }

    /**
     * The LOGON audit: the gateway and the CompID (where the session is served, for any gateway taking
     * it over later) and, for a Logon in sequence, its MsgSeqNum: received, with every number before
     * it. Without it a gateway taking over a session whose only message was its Logon asked for the
     * Logon again (an outside tester's ResendRequest 1..0). A Logon ahead of the expected number
     * carries none: the numbers it skipped are still to come.
     */
    private void auditLogon(final FixSession s, final SessionStore store, final long accountId, final String username,
        final int inSequenceLogonSeq)
    {
        submitter.audit(timestamp(), store.sessionId(), accountId, AuditType.LOGON, (s.logonReset ? AUDIT_SEQUENCE_RESET : 0)
            | ((s.isLoggedOn() ? s.cancelOnDisconnect : s.logonCancelOnDisconnect) ? AUDIT_CANCEL_ON_DISCONNECT : 0), username,
            ctx.gatewayId(), store.compId(), inSequenceLogonSeq);
    }

    /** The Logon reply: the session is logged on. */
    @Override
    public void acceptLogon(final FixSession s, final SessionStore store, final long accountId, final String username)
    {
        final long nowNanos = ctx.nanoClock().nanoTime();
        s.logonAccepted(store, accountId, username, registry.bucket(store.sessionId(), nowNanos), registry.userBucket(username, nowNanos),
            nowMs);
        admission.remove(s);
        counters.unauthenticated.setRelease(admission.unauthenticated());
        registry.online(s);
        counters.sessions.setRelease(registry.onlineCount());
        // messages that arrived behind the Logon while it was checked
        s.onInbound(nowMs);
    }

    // ------------------------------------------------------------------ FixSession.Handler

    @Override
    public void onApplicationMessage(final FixSession session, final FixMessage message, final int msgSeqNum, final byte type)
    {
        orderEntry.onMessage(session, message, msgSeqNum, type);
    }

    @Override
    public void onLogout(final FixSession s)
    {
        submitter.endOfSessionAudit(timestamp(), s.sessionId, s.accountId, AuditType.LOGOUT, s.username, s.store.nextInSeq() - 1);
    }

    @Override
    public boolean holdsInbound(final FixSession s)
    {
        return orderEntry.massCancels().inProgress(s.sessionId);
    }

    @Override
    public void onHeld(final FixSession s)
    {
        if (!held.contains(s))
        {
            held.add(s);
        }
    }

    @Override
    public void onTurnUsed(final FixSession s)
    {
        if (!s.turnQueued)
        {
            s.turnQueued = true;
            turnsNext.add(s);
        }
    }

    /**
     * The turns queued in the last cycle, taken before the sockets are read again so that each
     * session has at most one turn per cycle (its new bytes wait for its queued turn).
     */
    int takeQueuedTurns()
    {
        if (turnsNext.isEmpty())
        {
            return 0;
        }
        now();
        final ArrayList<FixSession> due = turnsNext;
        turnsNext = turnsDue;
        turnsDue = due;
        for (int i = 0; i < due.size(); i++)
        {
            final FixSession s = due.get(i);
            s.turnQueued = false;
            if (!s.isClosed())
            {
                s.onInbound(nowMs);
            }
        }
        final int taken = due.size();
        due.clear();
        return taken;
    }

    /** True while a session waits for its rate to refill: the thread must not block for long. */
    boolean hasHeldSessions()
    {
        return !held.isEmpty();
    }

    private int resumeHeld()
    {
        int work = 0;
        for (int i = held.size() - 1; i >= 0; i--)
        {
            if (held.get(i).resumeIfDue(nowMs))
            {
                held.remove(i);
                work++;
            }
        }
        return work;
    }

    @Override
    public void onMessageHandled(final FixSession s)
    {
        if (s.state == FixSession.State.LOGGED_ON)
        {
            registry.inbound(s.sessionId).update(s.store);
        }
    }

    @Override
    public void onAbuse(final FixSession s, final Refusal refusal, final String detail)
    {
        abuseLog.record(refusal, nowMs, s.state == FixSession.State.LOGGED_ON ? s.store.compId() : s.connection.remoteAddress, detail);
    }

    @Override
    public void onSlowReader(final FixSession session)
    {
        final String reason = "slow reader: outbound buffer limit of " + session.connection.outboundLimit() + " bytes exceeded";
        abuseLog.record(Refusal.SLOW_READER, nowMs, session.isLoggedOn() ? session.store.compId() : session.connection.remoteAddress,
            null);
        session.logoutSlowReader(reason);
        close(session, reason);
    }

    /** Marks the session closed; the agent closes the socket. Cancel on disconnect and the audit happen here. */
    @Override
    public void close(final FixSession s, final String reason)
    {
        if (s.state == FixSession.State.CLOSED)
        {
            return;
        }
        final boolean wasLoggedOn = s.state == FixSession.State.LOGGED_ON;
        s.state = FixSession.State.CLOSED;
        s.connection.lingerOnClose = wasLoggedOn; // bounded by the session limit; refused newcomers close at once
        if (s.connection.closeReason == null)
        {
            s.connection.closeReason = reason;
        }
        connections.remove(s);
        closed.add(s);
        admission.remove(s);
        counters.connections.setRelease(connections.size());
        counters.unauthenticated.setRelease(admission.unauthenticated());
        if (wasLoggedOn)
        {
            registry.offline(s);
            counters.sessions.setRelease(registry.onlineCount());
            if (s.takenOver)
            {
                return; // the session carries on at another gateway: its orders stay, no disconnect is audited
            }
            if (!s.logoutSent || !"logout".equals(s.connection.closeReason))
            {
                submitter.endOfSessionAudit(timestamp(), s.sessionId, s.accountId, AuditType.DISCONNECTED, s.username,
                    s.store.nextInSeq() - 1);
            }
            if (s.cancelOnDisconnect)
            {
                disconnectCancels.start(timestamp(), s.sessionId, s.accountId);
            }
        }
    }

    private void audit(final int sessionId, final long accountId, final AuditType type, final int detail, final String username)
    {
        submitter.audit(timestamp(), sessionId, accountId, type, detail, username);
    }

    /** Logout to every session (a clean stop); their Logout replies are still read until they close. */
    /** Operators' requests (SessionControl), carried out in this duty cycle. */
    public SessionControl control()
    {
        return control;
    }

    SessionRegistry registry()
    {
        return registry;
    }

    /** The password checks (tests: a test driving the duty cycle waits for their results). */
    Authenticator authenticator()
    {
        return authenticator;
    }

    /** An operator's reset of a session that is not logged on: as a Logon with ResetSeqNumFlag would. */
    void resetStore(final SessionStore store)
    {
        store.reset(reports.lastSequence());
        registry.inbound(store.sessionId()).reset();
    }

    void logoutAll(final String text)
    {
        now();
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            connections.get(i).logoutForShutdown(text);
        }
    }

    /** Hands what is queued to the ring (the closing thread, once the gateway thread has stopped). */
    void drainPending()
    {
        submitter.drain();
    }

    // ------------------------------------------------------------------ figures for tests and tools

    public long busyRejects()
    {
        return counters.busyRejects.get();
    }

    public long throttledCount()
    {
        return counters.throttled.get();
    }

    public long slowReaderDisconnects()
    {
        return counters.slowReaders.get();
    }

    public long garbledCount()
    {
        return counters.garbled.get();
    }

    public long sessionRejects()
    {
        return counters.sessionRejects.get();
    }

    /** Connections, timeouts or logons refused for this reason so far (any thread: the counter). */
    long refused(final Refusal refusal)
    {
        return counters.refusal(refusal).get();
    }

    public long logonFailures()
    {
        return counters.logonFailures.get();
    }
}
