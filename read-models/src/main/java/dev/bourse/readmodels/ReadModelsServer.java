package dev.bourse.readmodels;

import com.sun.net.httpserver.HttpServer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read side as one unit: the projection thread (an {@link AgentRunner} around a
 * {@link ProjectionAgent}, resumed from the newest checkpoint) and the HTTP query API.
 */
public final class ReadModelsServer implements AutoCloseable
{
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final ReadModelsContext ctx;
    private final ProjectionAgent agent;
    private final AgentRunner runner;
    private final HttpServer http;
    private final ExecutorService httpExecutor;
    private volatile com.sun.net.httpserver.HttpHandler metricsHandler;

    private ReadModelsServer(final ReadModelsContext ctx) throws IOException
    {
        this.ctx = ctx;
        final CheckpointStore checkpoints = ctx.checkpointDirectory() == null ? null : new CheckpointStore(ctx.checkpointDirectory());
        final ReadModels models = checkpoints == null ? new ReadModels() : checkpoints.load(ctx.log());
        agent = new ProjectionAgent(models, ctx.journal(), new ReadModelCounters(), checkpoints, ctx.checkpointEveryEntries(),
            ctx.batchLimit(), ctx.queryQueueCapacity(), ctx.log());
        metricsHandler = ctx.metricsHandler();

        // The JDK server writes an answer's headers and body as separate segments; with Nagle's
        // algorithm on, the second waits for the client's delayed ACK: ~40 ms per request. Its
        // switch is this property, read once when the first HttpServer of the JVM is created.
        if (System.getProperty(NO_DELAY_PROPERTY) == null)
        {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
        final InetSocketAddress address = new InetSocketAddress(ctx.bindAddress(), ctx.port());
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("read models: cannot resolve bind address " + ctx.bindAddress());
        }
        try
        {
            http = HttpServer.create(address, 128);
        }
        catch (final BindException e)
        {
            throw new IllegalArgumentException("read models: cannot listen on " + ctx.bindAddress() + ":" + ctx.port() +
                " (" + e.getMessage() + "): is the port in use?");
        }
        final AtomicInteger threadNumber = new AtomicInteger();
        httpExecutor = Executors.newFixedThreadPool(ctx.httpThreads(), r ->
        {
            final Thread t = new Thread(r, "read-models-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpExecutor);
        http.createContext(QueryApi.PREFIX, new QueryApi(agent, new ApiAuth(ctx.credentials(),
            TimeUnit.SECONDS.toNanos(ctx.tokenTtlSeconds())), ctx.maxWaitMs()));
        http.createContext("/metrics", exchange ->
        {
            final com.sun.net.httpserver.HttpHandler handler = metricsHandler;
            if (handler == null)
            {
                QueryApi.write(exchange, Response.error(404, "not_found", "no metrics handler installed", Long.MIN_VALUE));
            }
            else
            {
                handler.handle(exchange);
            }
        });
        http.createContext("/", exchange -> QueryApi.write(exchange,
            Response.error(404, "not_found", "no such endpoint; the API is under " + QueryApi.PREFIX, Long.MIN_VALUE)));
        runner = new AgentRunner(ctx.idleStrategy(), t -> ctx.log().accept("read models: projection error: " + t), null, agent);
    }

    /**
     * Starts projecting and serving.
     *
     * @throws IllegalArgumentException with one clear line for bad configuration (e.g. the port is in use).
     */
    public static ReadModelsServer start(final ReadModelsContext ctx) throws IOException
    {
        ctx.conclude();
        final ReadModelsServer server = new ReadModelsServer(ctx);
        AgentRunner.startOnThread(server.runner);
        server.http.start();
        return server;
    }

    /** The port the API listens on (the chosen one when configured with 0). */
    public int port()
    {
        return http.getAddress().getPort();
    }

    public ReadModelCounters counters()
    {
        return agent.counters();
    }

    /** Runs a query on the projection thread (the HTTP API's path, for in-process callers and benchmarks). */
    public boolean submit(final Query query)
    {
        return agent.submit(query);
    }

    /** Installs the handler for {@code /metrics}. */
    public void metricsHandler(final com.sun.net.httpserver.HttpHandler handler)
    {
        metricsHandler = handler;
    }

    public ReadModelsContext context()
    {
        return ctx;
    }

    @Override
    public void close()
    {
        http.stop(0);
        httpExecutor.shutdownNow();
        CloseHelper.close(runner);
    }
}
