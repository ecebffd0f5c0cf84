package dev.bourse.gateway;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway's duty cycle over its sockets: place new connections, read what is ready (one non-blocking
 * selector for every connection) into the session layer, run the conductor's timers and logon
 * results, turn new journal entries into reports, and write what each connection has queued. The
 * steps are separate methods so a shared order-path thread can put the sequencer between reading
 * and reporting: then an order is read, matched, journaled and acknowledged in one cycle.
 * A client that does not read is cut off when its queue passes the limit; a client that sends
 * while its Logon is being checked is not read until the check is done (its buffer full, the
 * socket is taken out of the select so it cannot spin the thread). New connections are taken by
 * the {@link Acceptor}'s thread, which refuses an address over its cap; the rest go to
 * {@link Sessions#accept}, which admits or refuses them. Nothing here blocks, except
 * {@link #awaitInput} when the thread has nothing else to do. With TLS there is a second
 * listening socket; its connections carry a {@link TlsTransport}, whose handshake tasks run on
 * another thread and wake this one when done.
 * <p>
 * A little over 500 lines: the duty cycle's steps and the per-connection read, write and
 * linger-close they need; the session rules, admission and reports are other classes'.
 */
public final class GatewayAgent implements Agent
{
    private final GatewayContext ctx;
    /** Closed sessions whose last bytes (a slow reader's Logout behind its backlog) the socket has not taken yet. */
    private final java.util.ArrayList<FixSession> draining = new java.util.ArrayList<>();
    /** How many closed sessions' sockets linger for their client to read what is left (any thread: tests). */
    private volatile int lingering;
    private final java.nio.ByteBuffer discard = java.nio.ByteBuffer.allocateDirect(8 * 1024);
    /** How long a closed connection's unsent bytes may wait for its client to read them. */
    static final long DRAIN_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    /**
     * A closed session's socket lingers DRAIN_NS past the last time its client took bytes, so a
     * client that reads its backlog gets all of it and the Logout, however long that takes within
     * this (a fuzzing probe's client resumed reading within 5 s and was cut mid-message 5 s after
     * the cut); one that stops reading is closed DRAIN_NS later.
     */
    static final long DRAIN_MAX_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    private final Sessions sessions;
    private final JournalReports reports;

    private final ServerSocketChannel server;
    private final ServerSocketChannel tlsServer;
    private final TlsEndpoint tls;
    private final Selector selector;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private int readWork;
    /** The selector was just polled by {@link #awaitInput}: the next {@link #pollInput} need not poll it again. */
    private boolean polledByAwait;
    private final Acceptor acceptor;
    private volatile String logoutRequest;
    private volatile boolean loggedOut;
    private volatile boolean accepting;

    /** Binds the listening socket now, so a taken port fails here with a clear message. */
    GatewayAgent(final GatewayContext ctx, final Sessions sessions, final JournalReports reports, final TlsEndpoint tls,
        final GatewayCounters counters)
    {
        this.ctx = ctx;
        this.sessions = sessions;
        this.reports = reports;
        this.tls = tls;
        try
        {
            selector = Selector.open();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("FIX gateway cannot open a selector: " + e.getMessage(), e);
        }
        ServerSocketChannel plain = null;
        try
        {
            plain = ctx.plainEnabled() ? listen(ctx.port(), "") : null;
            tlsServer = tls != null ? listen(ctx.tlsPort(), " (TLS)") : null;
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(plain);
            CloseHelper.quietClose(selector);
            throw e;
        }
        server = plain;
        try
        {
            acceptor = new Acceptor(server, tlsServer, ctx, new AbuseLog(ctx.errorLog(), ctx.abuseLogIntervalMs(), counters), this::wakeUp);
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(server);
            CloseHelper.quietClose(tlsServer);
            CloseHelper.quietClose(selector);
            throw e;
        }
        sessions.admissionReleases(acceptor::release);
    }

    private ServerSocketChannel listen(final int port, final String what)
    {
        ServerSocketChannel channel = null;
        try
        {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            // a deep backlog: a burst of connections (an attacker's) must not make honest connects wait for SYN retries
            channel.bind(new InetSocketAddress(ctx.bindAddress(), port), ctx.acceptBacklog());
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException e)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("FIX gateway cannot listen on " + ctx.bindAddress() + ":" + port + what + ": " + e.getMessage(), e);
        }
    }

    /** Addresses the acceptor counts connections of that have not logged on (tests: it empties as they go). */
    int acceptorAddresses()
    {
        return acceptor.addresses();
    }

    /** Refused connections the acceptor holds open before closing them (tests). */
    int acceptorHeld()
    {
        return acceptor.heldCount();
    }

    /** The plain port; -1 if it is off. */
    public int port()
    {
        return server == null ? -1 : server.socket().getLocalPort();
    }

    /** The TLS port; -1 without TLS. */
    public int tlsPort()
    {
        return tlsServer == null ? -1 : tlsServer.socket().getLocalPort();
    }

    @Override
    public String roleName()
    {
        return "bourse-gateway";
    }

    /** Connections are taken once the journal has been read to its end (see {@link Gateway#start}). */
    void startAccepting()
    {
        accepting = true;
        acceptor.start();
    }

    @Override
    public int doWork()
    {
        int work = pollInput();
        work += pollSessions();
        work += pollReports();
        work += flush();
        return work;
    }

    /**
     * Gives the sessions whose turn ran out last cycle another, then reads what the sockets have
     * (and takes new connections); the number of turns and reads.
     */
    public int pollInput()
    {
        readWork = sessions.takeQueuedTurns();
        if (polledByAwait)
        {
            // awaitInput read every ready socket a moment ago: a second poll would be a system call that finds
            // nothing (on a VM, ~1 us each before any work), and what arrives meanwhile is read next cycle
            polledByAwait = false;
            return readWork + acceptAll();
        }
        try
        {
            selector.selectNow(onReady);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return readWork + acceptAll();
    }

    /**
     * Blocks until a socket has bytes, another thread calls {@link #wakeUp()}, or {@code timeoutMs}
     * passes, then reads like {@link #pollInput}: what an idle order-path thread does instead of
     * parking, so a message wakes it as fast as it would wake a plain TCP server.
     */
    public int awaitInput(final long timeoutMs)
    {
        readWork = 0;
        try
        {
            // a session held at its rate limit resumes as its bucket refills: look again within 1 ms
            selector.select(onReady, sessions.hasHeldSessions() ? Math.min(1, timeoutMs) : timeoutMs);
            polledByAwait = true;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return readWork + acceptAll();
    }

    /** Makes a thread blocked in {@link #awaitInput} return (any thread). */
    public void wakeUp()
    {
        selector.wakeup();
    }

    /** Logon results, queued audits, timers, and a clean stop when one was asked for. */
    public int pollSessions()
    {
        final String logout = logoutRequest;
        if (logout != null && !loggedOut)
        {
            sessions.logoutAll(logout);
            loggedOut = true;
        }
        final int work = sessions.doWork();
        if (loggedOut && !drained && sessions.connectionCount() == 0 && !sessions.hasPendingCommands())
        {
            drained = true;
        }
        return work;
    }

    /** Turns new journal entries into reports. */
    public int pollReports()
    {
        return reports.poll(ctx.journalPollLimit());
    }

    /** Places the connections the acceptor handed over: admission, the TLS layer, the selector. */
    private int acceptAll()
    {
        int placed = 0;
        Acceptor.Accepted a;
        while ((a = acceptor.accepted().poll()) != null)
        {
            placed++;
            final SocketChannel channel = a.channel();
            if (!accepting || logoutRequest != null)
            {
                acceptor.release(a.address());
                sessions.refuseWhileStopping(a.address());
                CloseHelper.quietClose(channel);
                continue;
            }
            final FixSession session = sessions.accept(channel, a.address());
            if (session == null)
            {
                acceptor.release(a.address());
                acceptor.holdRefused(channel);
                continue;
            }
            if (a.secure())
            {
                session.connection.tls = tls.newTransport();
                sessions.onTlsConnection();
            }
            try
            {
                session.connection.key = channel.register(selector, SelectionKey.OP_READ, session);
            }
            catch (final IOException e)
            {
                sessions.close(session, "cannot watch the connection: " + e.getMessage());
            }
        }
        return placed;
    }

    private void onReady(final SelectionKey key)
    {
        final FixSession session = (FixSession)key.attachment();
        if (session.isClosed())
        {
            return;
        }
        final Connection connection = session.connection;
        if (!key.isReadable())
        {
            return; // writable again: this cycle's flush writes what the socket now takes
        }
        final int read = connection.read();
        if (read < 0)
        {
            closeBroken(session, "connection closed by peer");
            return;
        }
        if (read > 0)
        {
            readWork++;
            sessions.onInbound(session);
        }
        else if (!connection.inbound.hasRemaining())
        {
            // nothing fits (a Logon still being checked, with more behind it): stop selecting it
            // until the session has read its buffer, or the socket would be ready on every select
            connection.readPaused = true;
            selectFor(connection);
        }
    }

    /** Writes what each connection has queued; closes the ones that are done. */
    public int flush()
    {
        int work = 0;
        final List<FixSession> list = sessions.connections();
        for (int i = list.size() - 1; i >= 0; i--)
        {
            work += flush(list.get(i));
        }
        // Sessions closed during this cycle: send what they still have (a Logout), then close the socket.
        // A logged-on session's socket lingers up to DRAIN_NS: what it did not take at once (a slow
        // reader's backlog, its Logout last) is written as the client reads, then FIN, and what the
        // client still sends is read and dropped until it closes too. Closing with its bytes unread
        // would make the close a reset, which throws away what the client has not read yet.
        final List<FixSession> closed = sessions.closedSessions();
        final long now = ctx.nanoClock().nanoTime();
        for (int i = 0; i < closed.size(); i++)
        {
            final FixSession session = closed.get(i);
            final Connection connection = session.connection;
            if (connection.channel != null && !connection.closed)
            {
                if (connection.write() > -1 && connection.lingerOnClose)
                {
                    connection.drainDeadlineNs = now + DRAIN_NS;
                    connection.drainStartedNs = now;
                    if (connection.key != null && connection.key.isValid())
                    {
                        connection.key.interestOps(0); // read and dropped below, without wake-ups
                    }
                    draining.add(session);
                }
                else
                {
                    closeSocket(session);
                }
            }
            work++;
        }
        closed.clear();
        if (draining.isEmpty())
        {
            return work;
        }
        for (int i = draining.size() - 1; i >= 0; i--)
        {
            final FixSession session = draining.get(i);
            final Connection connection = session.connection;
            final boolean peerClosed = !discardInbound(connection);
            final boolean expired = !peerClosed && now - connection.drainDeadlineNs > 0;
            boolean done = peerClosed || expired;
            if (!done && connection.pendingOutbound() > 0)
            {
                final int written = connection.write();
                done = written < 0;
                if (written > 0 && now - connection.drainStartedNs < DRAIN_MAX_NS - DRAIN_NS)
                {
                    connection.drainDeadlineNs = now + DRAIN_NS; // still reading: it gets the rest
                }
            }
            if (!done && connection.pendingOutbound() == 0 && connection.tls != null && !connection.closeNotifyQueued)
            {
                // TLS: close_notify after the backlog, written as the client reads like the rest, then the FIN
                connection.tls.closeOutbound(connection.channel);
                connection.closeNotifyQueued = true;
            }
            if (!done && connection.pendingOutbound() == 0 && !connection.outputShut)
            {
                try
                {
                    connection.channel.shutdownOutput(); // FIN after the last byte; the client closes in turn
                    connection.outputShut = true;
                }
                catch (final IOException e)
                {
                    done = true;
                }
            }
            if (done)
            {
                draining.remove(i);
                if (expired)
                {
                    // the client stopped taking bytes: a reset, so the kernel drops what it still holds for it
                    // (a FIN left it to be delivered for minutes after the close: an outside tester)
                    Acceptor.resetOnClose(connection.channel);
                }
                closeSocket(session);
                work++;
            }
        }
        lingering = draining.size();
        return work;
    }

    /** Closed sessions' sockets still lingering for their clients to read what is left. */
    int lingeringConnections()
    {
        return lingering;
    }

    /** Reads and drops what a closed connection sent; false once the peer closed or the socket failed. */
    private boolean discardInbound(final Connection connection)
    {
        try
        {
            for (int i = 0; i < 64; i++)
            {
                discard.clear();
                final int n = connection.channel.read(discard);
                if (n < 0)
                {
                    return false;
                }
                if (n == 0)
                {
                    return true;
                }
            }
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private void closeSocket(final FixSession session)
    {
        final Connection connection = session.connection;
        if (connection.tls != null)
        {
            connection.tls.closeOutbound(connection.channel);
        }
        if (connection.key != null)
        {
            connection.key.cancel();
        }
        if (!connection.lingerOnClose && !connection.bytesSent && connection.tls == null)
        {
            // refused or timed out before it was sent a byte (SECURITY.md): a reset, no FIN and no TIME_WAIT here;
            // one that was sent a Logout closes in order, or the reset could discard it unread
            Acceptor.resetOnClose(connection.channel);
        }
        CloseHelper.quietClose(connection.channel);
        connection.closed = true;
        sessions.release(session);
    }

    /** A connection whose read or write failed: a TLS failure is counted and logged first. */
    private void closeBroken(final FixSession session, final String reason)
    {
        final TlsTransport transport = session.connection.tls;
        if (transport != null && transport.failure() != null)
        {
            sessions.tlsFailed(session, transport.failureReason(), transport.failure());
            return;
        }
        sessions.close(session, reason);
    }

    /**
     * Selects the connection for reading unless its reads are paused, and for writing while the
     * socket holds back bytes queued for it: a client that drains its socket then wakes an idle
     * thread blocked in {@code select}, which otherwise wrote the rest only after its block ended
     * (up to {@link GatewayContext#selectBlockMs}, each time the socket's buffer filled again).
     */
    private static void selectFor(final Connection connection)
    {
        final SelectionKey key = connection.key;
        if (key == null || !key.isValid())
        {
            return;
        }
        final int wanted = (connection.readPaused ? 0 : SelectionKey.OP_READ) | (connection.pendingOutbound() > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != wanted)
        {
            key.interestOps(wanted);
        }
    }

    private int flush(final FixSession session)
    {
        final Connection connection = session.connection;
        if (connection.readPaused && connection.inbound.hasRemaining() && connection.key != null)
        {
            connection.readPaused = false;
            selectFor(connection);
        }
        final TlsTransport transport = connection.tls;
        if (transport != null && transport.needsService(connection.inbound))
        {
            // a handshake task finished, or decrypted bytes waited for room: no socket event will say so
            final int delivered = transport.service(connection.channel, connection.inbound);
            if (delivered < 0)
            {
                closeBroken(session, "connection closed by peer");
                return 1;
            }
            if (delivered > 0)
            {
                sessions.onInbound(session);
            }
        }
        if (connection.pendingOutbound() > 0)
        {
            if (connection.write() < 0)
            {
                closeBroken(session, "write failed");
                return 1;
            }
            // only a write can leave bytes waiting or take the last of them: with nothing queued, the interest is as it was
            selectFor(connection);
        }
        if (connection.closeAfterFlush && connection.pendingOutbound() == 0 && !session.isClosed() && !session.isLogoutDeferred())
        {
            sessions.close(session, connection.closeReason);
            return 1;
        }
        return 0;
    }

    /** Asks the gateway thread to stop accepting and log every session out (their replies are still read). */
    void requestLogout(final String text)
    {
        logoutRequest = text;
        wakeUp();
    }

    /** True once the Logouts were sent and every connection is closed. */
    /**
     * Every session gone after a clean stop's Logout, and what their ends submitted (DISCONNECTED,
     * cancel-on-disconnect) handed to the ring: said by the gateway thread, so a stop that then
     * waits for the engine waits for those too (read from another thread mid-close, the count fell
     * to 0 before the session's DISCONNECTED was published, and the engine stopped without it).
     */
    boolean isDrained()
    {
        return drained;
    }

    private volatile boolean drained;

    @Override
    public void onClose()
    {
        acceptor.close();
        final List<FixSession> list = sessions.connections();
        for (int i = list.size() - 1; i >= 0; i--)
        {
            final FixSession session = list.get(i);
            sessions.close(session, "gateway stopped");
        }
        for (final FixSession session : sessions.closedSessions())
        {
            if (session.connection.channel != null)
            {
                session.connection.write();
                if (session.connection.tls != null)
                {
                    session.connection.tls.closeOutbound(session.connection.channel);
                }
                CloseHelper.quietClose(session.connection.channel);
            }
        }
        sessions.closedSessions().clear();
        for (final FixSession session : draining)
        {
            closeSocket(session);
        }
        draining.clear();
        CloseHelper.quietClose(server);
        CloseHelper.quietClose(tlsServer);
        CloseHelper.quietClose(selector);
    }
}
