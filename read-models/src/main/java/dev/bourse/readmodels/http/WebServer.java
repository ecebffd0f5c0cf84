package dev.bourse.readmodels.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The query side's Jetty server, set up with every limit of {@link HttpLimits}: a bounded thread
 * pool, a cap on open connections in all and per address, idle, header, body and write timeouts,
 * and bounded header and body sizes ({@link HttpAdmission} does the per-address cap and deadlines). One acceptor and one selector thread: the API answers small requests, and on a 2-core
 * machine more selector threads would only compete with the projections.
 * <p>
 * Use: construct, {@link #handler} the handler tree (WebSocket upgrades need {@link #jetty()}
 * first), {@link #start}, {@link #close}.
 */
public final class WebServer implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final HttpLimits limits;
    private final String bindAddress;
    private final int requestedPort;
    private final HttpAdmission admission;
    private volatile java.util.function.Consumer<String> log = System.err::println;

    public WebServer(final String bindAddress, final int port, final HttpLimits limits, final String name)
    {
        this.limits = limits.validate();
        this.bindAddress = bindAddress;
        this.requestedPort = port;
        final QueuedThreadPool threads = new QueuedThreadPool(limits.threads() + 2, Math.min(2, limits.threads() + 2));
        threads.setName(name + "-http");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        server = new Server(threads);
        server.setStopTimeout(1_000);

        final HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // While a request is being handled (its body read): the longest pause allowed.
        http.setIdleTimeout(limits.bodyTimeoutMs());
        final Connection.Listener[] headerDeadline = new Connection.Listener[1];
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http)
        {
            @Override
            public Connection newConnection(final Connector connector, final EndPoint endPoint)
            {
                // HTTP connections only: a WebSocket connection made by upgrading one has had its request.
                final Connection connection = super.newConnection(connector, endPoint);
                connection.addEventListener(headerDeadline[0]);
                return connection;
            }
        });
        admission = new HttpAdmission(limits, connector.getScheduler(), line -> log.accept(line));
        headerDeadline[0] = admission.connectionListener();
        connector.getSelectorManager().addEventListener(admission);
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeoutMs());
        connector.setAcceptedTcpNoDelay(true);
        if (limits.sendBufferBytes() > 0)
        {
            connector.setAcceptedSendBufferSize(limits.sendBufferBytes());
        }
        connector.setReuseAddress(true);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    }

    /** The Jetty server, for handlers that must know it (WebSocket upgrades). */
    public Server jetty()
    {
        return server;
    }

    /** Where the admission's refusals are logged (rate-limited); standard error by default. */
    public WebServer log(final java.util.function.Consumer<String> log)
    {
        this.log = log;
        return this;
    }

    /** The handler tree; requests first pass the size limits and the header and write deadlines ({@link HttpAdmission}). */
    public WebServer handler(final Handler handler)
    {
        final SizeLimitHandler sizeLimit = new SizeLimitHandler(limits.maxBodyBytes(), -1);
        sizeLimit.setHandler(admission.handler(handler));
        server.setHandler(sizeLimit);
        return this;
    }

    /**
     * Starts listening.
     *
     * @throws IllegalArgumentException with one clear line if the address cannot be bound.
     */
    public WebServer start() throws IOException
    {
        if (new InetSocketAddress(bindAddress, 0).isUnresolved())
        {
            throw new IllegalArgumentException("query: cannot resolve bind address " + bindAddress);
        }
        try
        {
            server.start();
        }
        catch (final IOException e)
        {
            closeQuietly();
            if (e instanceof BindException || e.getCause() instanceof BindException)
            {
                throw new IllegalArgumentException("query: cannot listen on " + bindAddress + ":" + requestedPort +
                    " (" + e.getMessage() + "): is the port in use?");
            }
            throw e;
        }
        catch (final Exception e)
        {
            closeQuietly();
            throw new IOException("query: the HTTP server did not start: " + e.getMessage(), e);
        }
        return this;
    }

    /** The port listened on (the chosen one when configured with 0). */
    public int port()
    {
        return connector.getLocalPort();
    }

    /** Jetty's request threads, for work handed back from other threads. */
    public Executor executor()
    {
        return server.getThreadPool();
    }

    public HttpLimits limits()
    {
        return limits;
    }

    /** Connections refused because their address had query.http.max-connections-per-address open. */
    public long refusedPerAddress()
    {
        return admission.refusedPerAddress();
    }

    /** Connections closed for not delivering a request's headers within the header timeout. */
    public long headerTimeouts()
    {
        return admission.headerTimeouts();
    }

    /** Connections closed because the client did not take a response within the write timeout. */
    public long writeTimeouts()
    {
        return admission.writeTimeouts();
    }

    /** Connections open now. */
    public int connections()
    {
        return connector.getConnectedEndPoints().size();
    }

    @Override
    public void close()
    {
        closeQuietly();
    }

    private void closeQuietly()
    {
        try
        {
            server.stop();
        }
        catch (final Exception e)
        {
            // stopping: nothing left to do with the error
        }
    }
}
