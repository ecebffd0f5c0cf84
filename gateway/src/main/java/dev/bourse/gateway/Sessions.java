package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.sbe.AuditType;

import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's conductor: the connections and their FIX sessions from accept to close. It
 * decides logons (credentials checked off-thread by the {@link Authenticator}, the CompID's store
 * from the {@link SessionRegistry}), hands application messages to {@link OrderEntry}, journals
 * logons, logouts and disconnects as audits, cancels on disconnect, and runs the timers. Gateway
 * thread only; sockets are the {@link GatewayAgent}'s.
 */
public final class Sessions implements FixSession.Handler, SessionSender.SlowReaderHandler
{
    /** Audit detail on a LOGON whose sequence numbers were reset (ResetSeqNumFlag). */
    static final int AUDIT_SEQUENCE_RESET = 1;

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
    private final List<FixSession> connections = new ArrayList<>();
    private final List<FixSession> closed = new ArrayList<>();
    private final List<DeferredLogon> deferredResets = new ArrayList<>();
    private int nextConnectionId = 1;
    private long nowMs;
    private long lastTimerCheckMs;

    Sessions(
        final GatewayContext ctx, final SessionRegistry registry, final Authenticator authenticator, final SessionSender sender,
        final CommandSubmitter submitter, final OrderEntry orderEntry, final JournalReports reports, final GatewayCounters counters,
        final CommandClock clock)
    {
        this.clock = clock;
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

    /** A new connection (channel null for in-process use). */
    FixSession open(final SocketChannel channel, final String remoteAddress)
    {
        now();
        final Connection connection = new Connection(nextConnectionId++, channel, remoteAddress, ctx.maxMessageSize(),
            ctx.outboundBufferLimit(), nowMs);
        final FixSession session = new FixSession(connection, ctx, sender, this, framer, msg, counters, nowMs);
        connections.add(session);
        counters.connections.setRelease(connections.size());
        return session;
    }

    /** Processes what arrived on a connection. */
    void onInbound(final FixSession session)
    {
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

    int connectionCount()
    {
        return connections.size();
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
        if (!deferredResets.isEmpty())
        {
            work += completeDeferredLogons();
        }
        if (nowMs - lastTimerCheckMs >= 50)
        {
            lastTimerCheckMs = nowMs;
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
        if (authenticator.isLockedOut(username, nowMs))
        {
            java.util.Arrays.fill(password, '\0');
            audit(0, 0, AuditType.LOCKED_OUT, 0, username);
            refuse(s, "logon refused");
            return;
        }
        if (!authenticator.submit(s, username, password))
        {
            refuse(s, "logon refused: gateway busy");
        }
    }

    private void refuse(final FixSession s, final String text)
    {
        counters.logonFailures.incrementRelease();
        s.logonRefused(text);
    }

    private void onAuthenticated(final Authenticator.Result result)
    {
        final FixSession s = result.session();
        if (s.state != FixSession.State.AUTHENTICATING)
        {
            return; // the connection went away meanwhile
        }
        final String username = result.username();
        if (result.credential() == null)
        {
            final int failures = authenticator.recordFailure(username, nowMs);
            audit(0, 0, AuditType.LOGON_FAILED, failures, username);
            refuse(s, "logon refused");
            return;
        }
        authenticator.recordSuccess(username);
        final long accountId = result.credential().accountId();
        SessionStore store = registry.storeOf(s.logonCompId);
        if (store == null)
        {
            if (registry.compIdsOf(username) >= ctx.maxCompIdsPerUser())
            {
                audit(0, accountId, AuditType.LOGON_FAILED, 0, username);
                refuse(s, "logon refused: this user has " + ctx.maxCompIdsPerUser() + " CompIDs already");
                return;
            }
            store = registry.create(s.logonCompId, username);
        }
        else if (!store.username().equals(username))
        {
            audit(0, accountId, AuditType.LOGON_FAILED, 0, username);
            refuse(s, "logon refused: CompID belongs to another user");
            return;
        }
        if (registry.isOnline(store.sessionId()))
        {
            refuse(s, "logon refused: session already logged on");
            return;
        }
        if (s.logonReset && registry.inbound(store.sessionId()).outstanding() > 0)
        {
            // The last connection's commands are still on their way to the journal under the old
            // numbers: the reset waits for them (the logon timeout still applies).
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
            else if (registry.inbound(logon.store().sessionId()).outstanding() == 0)
            {
                deferredResets.remove(i);
                completeLogon(logon.session(), logon.store(), logon.accountId(), logon.username());
                work++;
            }
        }
        return work;
    }

    private void completeLogon(final FixSession s, final SessionStore store, final long accountId, final String username)
    {
        if (registry.isOnline(store.sessionId()))
        {
            refuse(s, "logon refused: session already logged on");
            return;
        }
        if (s.logonReset)
        {
            store.reset(reports.lastSequence());
            registry.inbound(store.sessionId()).reset();
        }
        else if (s.logonSeq < store.nextInSeq())
        {
            refuse(s, "MsgSeqNum too low, expecting " + store.nextInSeq() + " but received " + s.logonSeq);
            return;
        }
        s.logonAccepted(store, accountId, username, registry.bucket(store.sessionId(), ctx.nanoClock().nanoTime()), nowMs);
        registry.online(s);
        counters.sessions.setRelease(registry.onlineCount());
        audit(s.sessionId, accountId, AuditType.LOGON, s.logonReset ? AUDIT_SEQUENCE_RESET : 0, username);
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
        audit(s.sessionId, s.accountId, AuditType.LOGOUT, 0, s.username);
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
    public void onSlowReader(final FixSession session)
    {
        close(session, session.connection.closeReason);
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
        if (s.connection.closeReason == null)
        {
            s.connection.closeReason = reason;
        }
        connections.remove(s);
        closed.add(s);
        counters.connections.setRelease(connections.size());
        if (wasLoggedOn)
        {
            registry.offline(s);
            counters.sessions.setRelease(registry.onlineCount());
            if (!s.logoutSent || !"logout".equals(s.connection.closeReason))
            {
                audit(s.sessionId, s.accountId, AuditType.DISCONNECTED, 0, s.username);
            }
            if (s.cancelOnDisconnect)
            {
                submitter.cancelOnDisconnect(timestamp(), s.sessionId, s.accountId);
            }
        }
    }

    private void audit(final int sessionId, final long accountId, final AuditType type, final int detail, final String username)
    {
        submitter.audit(timestamp(), sessionId, accountId, type, detail, username);
    }

    /** Logout to every session (a clean stop); their Logout replies are still read until they close. */
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
}
