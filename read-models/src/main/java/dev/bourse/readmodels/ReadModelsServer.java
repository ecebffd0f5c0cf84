package dev.bourse.readmodels;

import dev.bourse.readmodels.http.WebServer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The read side as one unit: the projection thread (an {@link AgentRunner} around a
 * {@link ProjectionAgent}, resumed from the newest checkpoint) and the HTTP query API on Jetty.
 */
public final class ReadModelsServer implements AutoCloseable
{
    private final ReadModelsContext ctx;
    private final ProjectionAgent agent;
    private final AgentRunner runner;
    private final WebServer web;
    private volatile MetricsSource metricsSource;

    private ReadModelsServer(final ReadModelsContext ctx)
    {
        this.ctx = ctx;
        final CheckpointStore checkpoints = ctx.checkpointDirectory() == null ? null : new CheckpointStore(ctx.checkpointDirectory());
        final ReadModels models = checkpoints == null ? new ReadModels() : checkpoints.load(ctx.log());
        agent = new ProjectionAgent(models, ctx.journal(), new ReadModelCounters(), checkpoints, ctx.checkpointEveryEntries(),
            ctx.batchLimit(), ctx.queryQueueCapacity(), ctx.log());
        metricsSource = ctx.metricsSource();

        web = new WebServer(ctx.bindAddress(), ctx.port(), ctx.httpLimits(), "read-models");
        final QueryApi api = new QueryApi(agent, new ApiAuth(ctx.credentials(), TimeUnit.SECONDS.toNanos(ctx.tokenTtlSeconds())),
            ctx.maxWaitMs());
        web.handler(new QueryHandler(api, this::metrics, web.executor(), null));
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
        try
        {
            server.web.start();
        }
        catch (final IOException | RuntimeException e)
        {
            CloseHelper.close(server.runner);
            throw e;
        }
        return server;
    }

    /** The port the API listens on (the chosen one when configured with 0). */
    public int port()
    {
        return web.port();
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

    /** Installs the exchange's counters for {@code /metrics}. */
    public void metricsSource(final MetricsSource source)
    {
        metricsSource = source;
    }

    public ReadModelsContext context()
    {
        return ctx;
    }

    private Response metrics()
    {
        final MetricsSource source = metricsSource;
        final StringBuilder text = new StringBuilder(source == null ? "" : source.render());
        QueryMetrics.append(text, agent.counters());
        return new Response(200, QueryMetrics.CONTENT_TYPE, text.toString(), Long.MIN_VALUE);
    }

    @Override
    public void close()
    {
        web.close();
        CloseHelper.close(runner);
    }
}
