package dev.bourse.readmodels.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What keeps a few slow or greedy HTTP clients from crowding out everyone else (SECURITY.md):
 * <ul>
 * <li>a cap on connections open at once per source address, checked as a connection is accepted
 *     (one over it is closed at once, before it costs a buffer);</li>
 * <li>a header deadline for every request, not only the first: a kept-alive connection must
 *     deliver the next request's headers within it too, so trickling a byte now and then (which
 *     the idle timeout alone never catches) gets nowhere;</li>
 * <li>a write deadline per response, counted from its first byte: a client that reads a big
 *     answer slowly, a little now and then so the idle timeout never fires, is cut off.</li>
 * </ul>
 * Jetty's own limits (thread pool, total connections, header and body sizes, idle timeout) do the
 * rest. Each refusal is counted and logged at most once per {@link #LOG_INTERVAL_MS}.
 */
final class HttpAdmission implements SelectorManager.AcceptListener
{
    static final long LOG_INTERVAL_MS = 10_000;

    private final HttpLimits limits;
    private final Scheduler scheduler;
    private final Consumer<String> log;
    private final Map<InetAddress, AtomicLong> perAddress = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> admitted = new ConcurrentHashMap<>();
    /** HTTP connections waiting for a request's headers, with the token of their deadline. */
    private final Map<Connection, Object> awaitingHeaders = new ConcurrentHashMap<>();
    private final AtomicLong refusedPerAddress = new AtomicLong();
    private final AtomicLong headerTimeouts = new AtomicLong();
    private final AtomicLong writeTimeouts = new AtomicLong();
    /** Per reason: one reason's flood must not hide another's line (an abuse probe's header timeouts went unlogged). */
    private final AtomicLong lastAddressCapLogMs = new AtomicLong(-LOG_INTERVAL_MS);
    private final AtomicLong lastHeaderTimeoutLogMs = new AtomicLong(-LOG_INTERVAL_MS);
    private final AtomicLong lastSlowReaderLogMs = new AtomicLong(-LOG_INTERVAL_MS);

    HttpAdmission(final HttpLimits limits, final Scheduler scheduler, final Consumer<String> log)
    {
        this.limits = limits;
        this.scheduler = scheduler;
        this.log = log;
    }

    // ------------------------------------------------------------------ per-address cap (acceptor thread)

    @Override
    public void onAccepting(final SelectableChannel channel)
    {
        final InetAddress address = remoteAddress(channel);
        if (address == null)
        {
            return;
        }
        final AtomicLong open = perAddress.computeIfAbsent(address, a -> new AtomicLong());
        if (open.incrementAndGet() > limits.maxConnectionsPerAddress())
        {
            release(address, open);
            refusedPerAddress.incrementAndGet();
            logRarely(lastAddressCapLogMs, "http: connection refused: " + address.getHostAddress() + " has " + limits.maxConnectionsPerAddress() +
                " open (query.http.max-connections-per-address)");
            closeQuietly(channel); // Jetty's registration then fails and drops it
            return;
        }
        admitted.put(channel, address);
    }

    @Override
    public void onAcceptFailed(final SelectableChannel channel, final Throwable cause)
    {
        closed(channel);
    }

    @Override
    public void onClosed(final SelectableChannel channel)
    {
        closed(channel);
    }

    private void closed(final SelectableChannel channel)
    {
        final InetAddress address = admitted.remove(channel);
        if (address != null)
        {
            final AtomicLong open = perAddress.get(address);
            if (open != null)
            {
                release(address, open);
            }
        }
    }

    private void release(final InetAddress address, final AtomicLong open)
    {
        if (open.decrementAndGet() <= 0)
        {
            perAddress.remove(address, open);
        }
    }

    // ------------------------------------------------------------------ header deadline

    /** An HTTP connection opened, or finished a response: its next request's headers are due. */
    void awaitHeaders(final Connection connection)
    {
        final Object token = new Object();
        awaitingHeaders.put(connection, token);
        scheduler.schedule(() ->
        {
            if (awaitingHeaders.remove(connection, token) && connection.getEndPoint().getConnection() == connection)
            {
                headerTimeouts.incrementAndGet();
                logRarely(lastHeaderTimeoutLogMs, "http: connection closed: no complete request headers within " + limits.headerTimeoutMs() +
                    " ms from " + connection.getEndPoint().getRemoteSocketAddress() + " (query.http.header-timeout)");
                connection.getEndPoint().close();
            }
        }, limits.headerTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    void connectionClosed(final Connection connection)
    {
        awaitingHeaders.remove(connection);
    }

    /** Listens to every HTTP connection: the header deadline starts when it opens. */
    Connection.Listener connectionListener()
    {
        return new Connection.Listener()
        {
            @Override
            public void onOpened(final Connection connection)
            {
                awaitHeaders(connection);
            }

            @Override
            public void onClosed(final Connection connection)
            {
                connectionClosed(connection);
            }
        };
    }

    /** Wraps the handler tree: stops the header deadline, starts the write deadline, and restarts the first after the response. */
    Handler handler(final Handler next)
    {
        return new Handler.Wrapper(next)
        {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback) throws Exception
            {
                final Connection connection = request.getConnectionMetaData().getConnection();
                awaitingHeaders.remove(connection);
                if (request.getHeaders().contains(HttpHeader.UPGRADE))
                {
                    return super.handle(request, response, callback); // a WebSocket: the streams bound their own clients
                }
                final WriteDeadline deadline = new WriteDeadline(connection, callback);
                return super.handle(request, deadline.response(request, response), deadline);
            }
        };
    }

    /** The response's write deadline, armed at its first byte; completing the response disarms it. */
    private final class WriteDeadline extends Callback.Nested
    {
        private final Connection connection;
        private volatile Scheduler.Task task;

        WriteDeadline(final Connection connection, final Callback callback)
        {
            super(callback);
            this.connection = connection;
        }

        Response response(final Request request, final Response response)
        {
            return new Response.Wrapper(request, response)
            {
                @Override
                public void write(final boolean last, final ByteBuffer content, final Callback callback)
                {
                    arm();
                    super.write(last, content, callback);
                }
            };
        }

        private void arm()
        {
            if (task == null)
            {
                task = scheduler.schedule(this::expire, limits.writeTimeoutMs(), TimeUnit.MILLISECONDS);
                // the request's idle timeout (query.http.body-timeout, shorter) also bounds a stalled write, and it closed
                // a slow reader gracefully first: the rest of the answer left in the kernel, nothing counted (a probe)
                final org.eclipse.jetty.io.EndPoint endPoint = connection.getEndPoint();
                if (endPoint.getIdleTimeout() <= limits.writeTimeoutMs())
                {
                    endPoint.setIdleTimeout(limits.writeTimeoutMs() + 1_000);
                }
            }
        }

        private void expire()
        {
            writeTimeouts.incrementAndGet();
            logRarely(lastSlowReaderLogMs, "http: slow reader cut off: a response not taken within " + limits.writeTimeoutMs() + " ms by " +
                connection.getEndPoint().getRemoteSocketAddress() + " (query.http.write-timeout)");
            abort(connection);
        }

        private void disarm()
        {
            final Scheduler.Task armed = task;
            if (armed != null)
            {
                armed.cancel();
            }
        }

        @Override
        public void succeeded()
        {
            disarm();
            if (connection.getEndPoint().isOpen())
            {
                awaitHeaders(connection); // kept alive: the next request's headers are due
            }
            super.succeeded();
        }

        @Override
        public void failed(final Throwable x)
        {
            disarm();
            super.failed(x);
        }
    }

    // ------------------------------------------------------------------ counters

    long refusedPerAddress()
    {
        return refusedPerAddress.get();
    }

    long headerTimeouts()
    {
        return headerTimeouts.get();
    }

    long writeTimeouts()
    {
        return writeTimeouts.get();
    }

    private void logRarely(final AtomicLong lastLogMs, final String line)
    {
        logRarely(lastLogMs, log, line);
    }

    /** Logs {@code line} unless a line of its kind ({@code lastLogMs}) went out within {@link #LOG_INTERVAL_MS}. */
    static void logRarely(final AtomicLong lastLogMs, final Consumer<String> log, final String line)
    {
        final long now = System.currentTimeMillis();
        final long last = lastLogMs.get();
        if (now - last >= LOG_INTERVAL_MS && lastLogMs.compareAndSet(last, now))
        {
            log.accept(line + " (more of the kind within " + LOG_INTERVAL_MS / 1_000 + " s are counted, not logged)");
        }
    }

    /**
     * Closes with a reset: what the kernel still holds for the client is dropped at once instead of
     * waiting, in the server's memory, for the slow reader to take it.
     */
    private static void abort(final Connection connection)
    {
        if (connection.getEndPoint().getTransport() instanceof SocketChannel channel)
        {
            try
            {
                channel.socket().setSoLinger(true, 0);
            }
            catch (final IOException e)
            {
                // closing anyway
            }
        }
        connection.getEndPoint().close();
    }

    private static InetAddress remoteAddress(final SelectableChannel channel)
    {
        try
        {
            return channel instanceof SocketChannel socket && socket.getRemoteAddress() instanceof InetSocketAddress inet ?
                inet.getAddress() : null;
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    private static void closeQuietly(final SelectableChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException e)
        {
            // closing anyway
        }
    }
}
