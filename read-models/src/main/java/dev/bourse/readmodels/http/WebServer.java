package dev.bourse.readmodels.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SizeLimitHandler;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;
import dev.bourse.protocol.tls.TlsSettings;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The query side's Jetty server, set up with every limit of {@link HttpLimits}: a bounded thread
 * pool, a cap on open connections in all and per address, a per-address share of the request
 * threads, idle, header, body and write timeouts,
 * and bounded header and body sizes ({@link HttpAdmission} does the per-address cap and deadlines). One acceptor and one selector thread: the API answers small requests, and on a 2-core
 * machine more selector threads would only compete with the projections.
 * <p>
 * Use: construct, {@link #handler} the handler tree (WebSocket upgrades need {@link #jetty()}
 * first), {@link #start}, {@link #close}. With TLS settings there is a second connector, HTTPS and
 * WSS on its own port, with the same handlers and limits; the plain one can be left out.
 */
public final class WebServer implements AutoCloseable
{
    private final Server server;
    private final QueuedThreadPool threads;
    /** The plain HTTP connector (null when it is off). */
    private final ServerConnector connector;
    /** The HTTPS connector (null without TLS). */
    private final ServerConnector tlsConnector;
    private final HttpLimits limits;
    private final String bindAddress;
    private final int requestedPort;
    private final HttpAdmission admission;
    /** The HTTPS port's failed handshakes (log read at the time of each failure: {@link #log} may be set after). */
    private final TlsHandshakeFailures tlsFailures = new TlsHandshakeFailures(line -> this.log.accept(line));
    /** Set with the handler tree. */
    private AddressBudget budget;
    private volatile java.util.function.Consumer<String> log = System.err::println;

    public WebServer(final String bindAddress, final int port, final HttpLimits limits, final String name)
    {
        this(bindAddress, port, limits, name, null, 0, true);
    }

    /**
     * @param tls          HTTPS on {@code tlsPort} with these settings (their SSL context is built
     *                     here: the configuration has checked them), or null for none
     * @param plainEnabled whether plain HTTP listens on {@code port}
     */
    public WebServer(final String bindAddress, final int port, final HttpLimits limits, final String name, final TlsSettings tls,
        final int tlsPort, final boolean plainEnabled)
    {
        this.limits = limits.validate();
        this.bindAddress = bindAddress;
        this.requestedPort = plainEnabled ? port : tlsPort;
        if (!plainEnabled && tls == null)
        {
            throw new IllegalArgumentException("query: plain HTTP is off and TLS is not configured: no port to listen on");
        }
        // the TLS connector accepts in its selector (no acceptor thread): one more thread, not two
        final int connectorThreads = 2 + (plainEnabled && tls != null ? 1 : 0);
        threads = new QueuedThreadPool(limits.threads() + connectorThreads,
            Math.min(connectorThreads, limits.threads() + connectorThreads));
        threads.setName(name + "-http");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        server = new Server(threads);
        server.setStopTimeout(1_000);
        server.setErrorHandler(new JsonErrorHandler());

        final HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // While a request is being handled (its body read): the longest pause allowed.
        http.setIdleTimeout(limits.bodyTimeoutMs());
        final Connection.Listener[] headerDeadline = new Connection.Listener[1];
        final HttpConnectionFactory httpFactory = new HttpConnectionFactory(http)
        {
            @Override
            public Connection newConnection(final Connector connector, final EndPoint endPoint)
            {
                // HTTP connections only: a WebSocket connection made by upgrading one has had its request.
                final Connection connection = super.newConnection(connector, endPoint);
                connection.addEventListener(headerDeadline[0]);
                return connection;
            }
        };
        connector = plainEnabled ? connector(new ServerConnector(server, 1, 1, httpFactory), port) : null;
        if (tls != null)
        {
            http.addCustomizer(new SecureRequestCustomizer());
            final SslContextFactory.Server ssl = sslContextFactory(tls);
            final SslConnectionFactory sslFactory = new SslConnectionFactory(ssl, httpFactory.getProtocol());
            sslFactory.addBean(tlsFailures);
            tlsConnector = connector(new ServerConnector(server, 0, 1, sslFactory, httpFactory), tlsPort);
        }
        else
        {
            tlsConnector = null;
        }
        // the per-address cap and the header and write deadlines, over both connectors
        admission = new HttpAdmission(limits, server.getScheduler(), line -> log.accept(line));
        headerDeadline[0] = admission.connectionListener();
        for (final ServerConnector c : new ServerConnector[] {connector, tlsConnector})
        {
            if (c != null)
            {
                c.getSelectorManager().addEventListener(admission);
            }
        }
        // one cap over both connectors
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
    }

    /**
     * Jetty's side of HTTPS: the settings' SSL context, protocols, client authentication and cipher
     * suites. The suites are {@link TlsSettings#cipherSuites}, the FIX port's, with Jetty's own
     * exclusions emptied: one policy for both doors, not Jetty's here and the JDK's there.
     */
    static SslContextFactory.Server sslContextFactory(final TlsSettings tls)
    {
        final SslContextFactory.Server ssl = new SslContextFactory.Server();
        final javax.net.ssl.SSLContext context = tls.sslContext();
        ssl.setSslContext(context);
        ssl.setIncludeProtocols(tls.protocolArray());
        ssl.setIncludeCipherSuites(TlsSettings.cipherSuites(context).toArray(new String[0]));
        ssl.setExcludeCipherSuites();
        ssl.setNeedClientAuth(tls.clientAuth() == TlsSettings.ClientAuth.NEED);
        ssl.setWantClientAuth(tls.clientAuth() == TlsSettings.ClientAuth.WANT);
        return ssl;
    }

    private ServerConnector connector(final ServerConnector connector, final int port)
    {
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeoutMs());
        connector.setAcceptedTcpNoDelay(true);
        if (limits.sendBufferBytes() > 0)
        {
            connector.setAcceptedSendBufferSize(limits.sendBufferBytes());
        }
        connector.setReuseAddress(true);
        // Jetty's default backlog of 50 made honest clients wait ~1 s to connect while one address
        // opened 1,000 connections (an abuse probe); the FIX port's is 1,024 too.
        connector.setAcceptQueueSize(1_024);
        server.addConnector(connector);
        return connector;
    }

    /** HTTPS handshakes refused for a missing or refused client certificate. */
    public long tlsClientCertificateRefusals()
    {
        return tlsFailures.clientCertificateRefusals();
    }

    /** HTTPS handshakes that failed for any other reason (plain HTTP on the TLS port, an old protocol, ...). */
    public long tlsHandshakeFailures()
    {
        return tlsFailures.otherFailures();
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

    /** The Java priority (1 to 10) of the request threads; set before {@link #start()}. */
    public WebServer threadPriority(final int priority)
    {
        threads.setThreadsPriority(priority);
        return this;
    }

    /**
     * The handler tree; requests first pass the size limits, then their address's budget of work
     * ({@link AddressBudget}: past it they wait, holding no thread, or are refused), then the
     * per-address share of the request threads (Jetty's {@link ThreadLimitHandler}: an address over
     * it waits for one of its own requests to finish, holding no thread), then the header and write
     * deadlines ({@link HttpAdmission}).
     */
    public WebServer handler(final Handler handler)
    {
        final SizeLimitHandler sizeLimit = new SizeLimitHandler(limits.maxBodyBytes(), -1);
        // the address the connection came from, never a Forwarded header a client can write
        final ThreadLimitHandler perAddress = new ThreadLimitHandler(admission.handler(handler), null, false);
        perAddress.setThreadLimit(limits.maxThreadsPerAddress());
        budget = new AddressBudget(perAddress, limits.budgetPerAddress(), limits.budgetBurst(), server.getScheduler(),
            server.getThreadPool(), System::nanoTime, line -> log.accept(line));
        sizeLimit.setHandler(new BodyOfUnknownLength(budget));
        server.setHandler(sizeLimit);
        return this;
    }

    /**
     * Whether the request is a POST with a form body ({@code application/x-www-form-urlencoded}):
     * the one kind of body the API reads (admin parameters), through the size limit.
     */
    public static boolean isFormPost(final org.eclipse.jetty.server.Request request)
    {
        final String type = request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE);
        return "POST".equals(request.getMethod()) && type != null
            && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, "application/x-www-form-urlencoded".length());
    }

    /**
     * The size limit is checked up front against a Content-Length, but against a chunked body only
     * as it is read, and the API reads no body but a form: a fuzzing probe's 100 KB chunked body was
     * served. Such a body is read (and dropped) here first, through the limit, so one over it gets
     * its 413. A form body is left to the handler, which reads it through the same limit (a 413 as
     * soon as it passes it, nothing buffered beyond): dropped here, a chunked form's parameters were
     * lost and the admin action ran without them (a one-instrument end of day became the exchange's).
     */
    private static final class BodyOfUnknownLength extends Handler.Wrapper
    {
        BodyOfUnknownLength(final Handler handler)
        {
            super(handler);
        }

        @Override
        public boolean handle(final org.eclipse.jetty.server.Request request, final org.eclipse.jetty.server.Response response,
            final org.eclipse.jetty.util.Callback callback) throws Exception
        {
            if (request.getLength() < 0 && request.getHeaders().contains(org.eclipse.jetty.http.HttpHeader.TRANSFER_ENCODING)
                && !isFormPost(request))
            {
                try
                {
                    org.eclipse.jetty.io.Content.Source.consumeAll(request);
                }
                catch (final Throwable failure)
                {
                    final org.eclipse.jetty.http.HttpException http = failure instanceof org.eclipse.jetty.http.HttpException h ? h
                        : failure.getCause() instanceof org.eclipse.jetty.http.HttpException c ? c : null;
                    org.eclipse.jetty.server.Response.writeError(request, response, callback, http != null ? http.getCode() : 400,
                        http != null ? http.getReason() : "bad request body");
                    return true;
                }
            }
            return super.handle(request, response, callback);
        }
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

    /** The plain HTTP port listened on (the chosen one when configured with 0); the TLS port if plain HTTP is off. */
    public int port()
    {
        return connector != null ? connector.getLocalPort() : tlsConnector.getLocalPort();
    }

    /** The HTTPS port listened on; -1 without TLS. */
    public int tlsPort()
    {
        return tlsConnector == null ? -1 : tlsConnector.getLocalPort();
    }

    /** Whether plain HTTP listens. */
    public boolean plainEnabled()
    {
        return connector != null;
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

    /** Requests that waited for their address's budget (query.http.budget-per-address) and were then served. */
    public long budgetDelayed()
    {
        return budget == null ? 0 : budget.delayed();
    }

    /** Requests answered 429 because their address had spent its budget. */
    public long budgetRefused()
    {
        return budget == null ? 0 : budget.refused();
    }

    /** Connections open now. */
    public int connections()
    {
        return (connector == null ? 0 : connector.getConnectedEndPoints().size()) +
            (tlsConnector == null ? 0 : tlsConnector.getConnectedEndPoints().size());
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
