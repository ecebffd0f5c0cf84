package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.JournalTailer;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import dev.bourse.protocol.auth.FairCheckQueue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The FIX gateway as a unit a server wires up: give it a concluded {@link GatewayContext}, where
 * commands go (a {@link CommandPublisher}: the Disruptor ring, or a cluster's ingress) and a
 * {@link JournalTailer} positioned at the start of the journal. Then either {@link #start()} it on
 * a thread of its own (dedicated threading), or {@link #startComposed()} it and run its
 * {@link #agent()} in a duty cycle shared with the sequencer (shared threading). Both first read
 * the journal to its end, then take connections. {@link #stop} logs every session out;
 * {@link #close()} releases everything.
 */
public final class Gateway implements AutoCloseable
{
    /**
     * How long a clean stop waits for the sessions to go: past the wait for a client's Logout reply,
     * so one that never answers is closed by the gateway, its DISCONNECTED (and cancel-on-disconnect)
     * journaled while the engine still runs, and not found logged on at the next start.
     */
    public static final long STOP_TIMEOUT_MS = FixSession.LOGOUT_REPLY_TIMEOUT_MS + 1_000;

    private final GatewayContext ctx;
    private final GatewayCounters counters;
    private final SessionRegistry registry;
    private final Sessions sessions;
    private final JournalReports reports;
    private final GatewayAgent agent;
    private final Authenticator authenticator;
    private final TlsEndpoint tls;
    private final JournalTailer tailer;
    private final ErrorHandler errorHandler;
    private AgentRunner runner;
    private boolean started;
    private boolean closed;

    /**
     * Binds the port (so "port in use" surfaces here as an {@link java.io.UncheckedIOException}
     * with a one-line message) but takes no connection yet.
     */
    public Gateway(final GatewayContext ctx, final CommandPublisher publisher, final JournalTailer tailer, final ErrorHandler errorHandler)
    {
        ctx.conclude();
        this.ctx = ctx;
        this.tailer = tailer;
        this.errorHandler = errorHandler;
        counters = new GatewayCounters(ctx.countersManager());
        // password checks: one small queue per source address, served in turn (a flood waits behind itself)
        authenticator = new Authenticator(ctx.credentialGuard(), new FairCheckQueue("bourse-gateway-auth", ctx.logonCheckThreads(),
            ctx.logonChecksPerAddress(), Math.max(64, 2 * ctx.maxUnauthenticated()), ctx.logonCheckCpuPercent() / 100.0, errorHandler::onError)
            .threadPriority(ctx.helperThreadPriority()),
            ctx.epochClock());
        final SessionRegistry registry;
        try
        {
            registry = new SessionRegistry(ctx);
        }
        catch (final RuntimeException e)
        {
            authenticator.close();
            counters.close();
            throw e;
        }
        this.registry = registry;
        TlsEndpoint tlsEndpoint = null;
        try
        {
            // handshake tasks: one thread (a handshake costs about a millisecond of CPU), a queue of one per pending connection
            tlsEndpoint = ctx.tls() == null ? null : new TlsEndpoint(ctx.tls(), ctx.sslContext(), 1, Math.max(16, ctx.maxUnauthenticated()),
                Math.min(256, ctx.maxUnauthenticated() + 16), ctx.tlsHandshakeExecutor());
            final Instruments instruments = new Instruments();
            if (ctx.recoveredState() != null)
            {
                instruments.learn(ctx.recoveredState());
            }
            final SessionSender sender = new SessionSender(ctx.maxMessageSize(), ctx.compId().getBytes(StandardCharsets.US_ASCII), counters);
            final ReportWriter reportWriter = new ReportWriter(sender, instruments);
            final CommandSubmitter submitter = new CommandSubmitter(publisher, registry, counters);
            final CommandClock clock = new CommandClock();
            final DisconnectCancels disconnectCancels = new DisconnectCancels(submitter, clock, ctx.cancelOnDisconnectSlice());
            final SessionDirectory directory = new SessionDirectory();
            final ClientMassCancels massCancels = new ClientMassCancels(submitter, clock, ctx.cancelOnDisconnectSlice(), sessionId ->
            {
                final FixSession online = registry.online(sessionId);
                return online != null && !online.isClosed() && online.connection.pendingOutbound() > online.connection.outboundLimit() / 2;
            });
            reports = new JournalReports(tailer, registry.gatewayState(), registry, reportWriter, instruments, counters, ctx.journalHead(),
                disconnectCancels, massCancels, directory, ctx.gatewayId());
            reports.log(ctx.errorLog());
            final AbuseLog abuseLog = new AbuseLog(ctx.errorLog(), ctx.abuseLogIntervalMs(), counters);
            final OrderEntry orderEntry = new OrderEntry(ctx, submitter, sender, reportWriter, instruments, counters, clock, abuseLog,
                massCancels);
            sessions = new Sessions(ctx, registry, authenticator, sender, submitter, orderEntry, reports, counters, clock, abuseLog,
                disconnectCancels);
            if (ctx.sessionHandover())
            {
                final OutboundReservations reservations = new OutboundReservations(submitter, clock, counters, ctx.gatewayId(),
                    ctx.sequenceReservationBlock());
                sender.reservations(reservations);
                final SessionHandover handover = new SessionHandover(directory, registry, submitter, clock, counters, ctx.gatewayId(),
                    ctx.errorLog());
                handover.logons(sessions, reports, reservations);
                sessions.handover(handover);
                reports.handover(handover);
            }
            agent = new GatewayAgent(ctx, sessions, reports, tlsEndpoint, counters);
            sessions.tlsPort(agent.tlsPort());
            authenticator.wakeUp(agent::wakeUp);
            if (tlsEndpoint != null)
            {
                tlsEndpoint.wakeUp(agent::wakeUp);
            }
            tls = tlsEndpoint;
        }
        catch (final RuntimeException e)
        {
            if (tlsEndpoint != null)
            {
                tlsEndpoint.close();
            }
            registry.close();
            authenticator.close();
            counters.close();
            throw e;
        }
    }

    public Gateway(final GatewayContext ctx, final CommandPublisher publisher, final JournalTailer tailer)
    {
        this(ctx, publisher, tailer, Throwable::printStackTrace);
    }

    /** Reads the journal to its end: symbols, sequence numbers, reports owed. */
    private void catchUp()
    {
        if (started)
        {
            throw new IllegalStateException("gateway already started");
        }
        started = true;
        reports.catchUp();
    }

    /** Runs the gateway on a thread of its own with the context's idle strategy and takes connections. */
    public Gateway start()
    {
        start(runnable ->
        {
            final Thread thread = new Thread(runnable, "bourse-gateway");
            thread.setDaemon(true);
            return thread;
        });
        acceptConnections();
        return this;
    }

    /**
     * Runs the gateway on a thread from {@code threadFactory} (dedicated threading); connections
     * are taken once {@link #acceptConnections()} is called (after the server's bootstrap).
     */
    public Gateway start(final java.util.concurrent.ThreadFactory threadFactory)
    {
        catchUp();
        runner = new AgentRunner(idleStrategy(), errorHandler, null, agent);
        AgentRunner.startOnThread(runner, threadFactory);
        return this;
    }

    /**
     * Prepares the gateway for a duty cycle it does not own (shared threading): after this, the
     * caller runs {@link #agent()} (or its steps) on one thread, with {@link #idleStrategy()}, and
     * calls {@link #acceptConnections()} when the exchange is ready for clients.
     */
    public Gateway startComposed()
    {
        catchUp();
        return this;
    }

    /** From now on connections are taken (until the gateway stops). */
    public void acceptConnections()
    {
        agent.startAccepting();
        agent.wakeUp();
    }

    /** The gateway's duty cycle, with its steps ({@link GatewayAgent#pollInput} etc.) for a shared order path. */
    public GatewayAgent agent()
    {
        return agent;
    }

    /** The idle strategy the context asks for; "select" blocks in this gateway's selector. */
    public IdleStrategy idleStrategy()
    {
        return GatewayContext.SELECT.equals(ctx.idleStrategyName()) ? new SelectIdleStrategy(agent, ctx.selectBlockMs()) : ctx.idleStrategy();
    }

    /** Wakes the gateway thread if it blocks in its selector (call after publishing from another thread). */
    public void wakeUp()
    {
        agent.wakeUp();
    }

    /** Closed sessions' sockets lingering for their clients to read what is left (SECURITY.md, "Slow readers"). */
    public int lingeringConnections()
    {
        return agent.lingeringConnections();
    }

    /** Engine sequence up to which journal entries have been turned into reports (any thread). */
    public long reportedSequence()
    {
        return counters.reportedSequence.get();
    }

    /** The bound plain port (useful with port 0); -1 if the plain port is off. */
    public int port()
    {
        return agent.port();
    }

    /** The bound TLS port (useful with port 0); -1 without TLS. */
    public int tlsPort()
    {
        return agent.tlsPort();
    }

    /** For tests and tools: read only from the gateway thread or after it stopped, except the counters. */
    public Sessions sessions()
    {
        return sessions;
    }

    /**
     * The engine's listener hands here the rejects of commands it refused while halted (they are
     * not journaled); the gateway sends them to their sessions. Any thread; false if full.
     */
    public boolean offerHaltedReject(final DirectBuffer entry, final int offset, final int length)
    {
        final boolean offered = reports.offerHaltedReject(entry, offset, length);
        agent.wakeUp();
        return offered;
    }

    /**
     * The engine's listener hands here each entry the journal failed to store (its command was
     * not carried out); the gateway rejects the command to its sender. Any thread; false if full.
     */
    public boolean offerUnjournaled(final DirectBuffer entry, final int offset, final int length)
    {
        final boolean offered = reports.offerUnjournaled(entry, offset, length);
        agent.wakeUp();
        return offered;
    }

    /**
     * Stops intake and sends Logout to every session, waiting up to {@code timeoutMs} for their
     * Logout replies and for every connection to close. The thread running the agent must run.
     */
    public void stop(final String reason, final long timeoutMs)
    {
        agent.requestLogout(reason);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!agent.isDrained() && System.nanoTime() < deadline && (runner == null || !runner.isClosed()))
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Closes the gateway; in shared threading, after the thread running its agent has stopped. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (runner != null)
        {
            runner.close();
        }
        else if (started)
        {
            agent.onClose();
        }
        sessions.drainPending();
        if (tls != null)
        {
            tls.close();
        }
        authenticator.close();
        registry.close();
        tailer.close();
        counters.close();
    }
}
