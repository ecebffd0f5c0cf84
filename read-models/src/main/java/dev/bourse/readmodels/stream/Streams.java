package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.http.WebServer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The live streams, wired: the {@link StreamSource} the projection thread feeds, the ring, the
 * {@link StreamPublisher} on its own thread, and the WebSocket endpoint at {@link #PATH} on the
 * query server.
 */
public final class Streams implements AutoCloseable
{
    public static final String PATH = "/ws";

    /** What the authenticator answers for a principal that may read every account's private channels (compliance). */
    public static final long ANY_ACCOUNT = Long.MAX_VALUE;

    private final StreamSource source;
    private final StreamPublisher publisher;
    private final StreamCounters counters = new StreamCounters();
    private final AgentRunner runner;
    private final StreamLimits limits;

    /**
     * @param snapshots     requests a channel's snapshot from the projection thread (see {@link #writeSnapshot})
     */
    public Streams(
        final StreamLimits limits,
        final StreamPublisher.SnapshotRequester snapshots,
        final IdleStrategy idleStrategy,
        final Consumer<String> log)
    {
        this.limits = limits.validate();
        final OneToOneRingBuffer ring = StreamRing.allocate(limits.ringBytes());
        source = new StreamSource(ring);
        publisher = new StreamPublisher(ring, source, snapshots, limits, counters, log);
        runner = new AgentRunner(idleStrategy, t -> log.accept("streams: " + t), null, publisher);
    }

    /** What the projection thread feeds ({@link ReadModels#streamListener}). */
    public StreamSource source()
    {
        return source;
    }

    public StreamCounters counters()
    {
        return counters;
    }

    /**
     * Answers a snapshot request on the projection thread: builds the channel's snapshot from the
     * models and puts it in the ring after every update it includes.
     */
    public void writeSnapshot(final ReadModels models, final SnapshotBuilder builder, final long channel)
    {
        final String data = builder.build(models, StreamChannels.type(channel), StreamChannels.id(channel), source.maxSnapshotBytes());
        source.writeSnapshot(channel, data == null ? "null" : data);
    }

    /**
     * The handler that upgrades {@link #PATH} to a stream session and passes every other request on.
     *
     * @param resolver      instrument id or symbol to {id, symbol} (on the projection thread)
     * @param accounts      whether an account id is known (on the projection thread): compliance names any
     * @param authenticator an Authorization header value and the client's address to what it may read
     *                      and for how long ({@link StreamGrant}: the account 0 for public channels only,
     *                      {@link #ANY_ACCOUNT} for every account, compliance), or null for wrong credentials
     */
    public Handler handler(
        final WebServer web,
        final Function<String, java.util.concurrent.CompletableFuture<Object[]>> resolver,
        final java.util.function.LongFunction<java.util.concurrent.CompletableFuture<Boolean>> accounts,
        final StreamEndpoint.Authenticator authenticator,
        final Handler next)
    {
        final WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(web.jetty(), container ->
        {
            container.setMaxTextMessageSize(limits.maxInboundBytes());
            container.setMaxBinaryMessageSize(256);
            container.setIdleTimeout(Duration.ofSeconds(60)); // the publisher pings every 20 s
            container.addMapping(PATH, (request, response, callback) ->
            {
                final String authorization = request.getHeaders().get("Authorization");
                final String address = org.eclipse.jetty.server.Request.getRemoteAddr(request);
                StreamGrant grant = null; // no credentials at the upgrade
                if (authorization != null)
                {
                    grant = authenticator.grant(authorization, address);
                    if (grant == null)
                    {
                        dev.bourse.readmodels.QueryHandler.write(request, response, callback,
                            dev.bourse.readmodels.Response.error(401, "unauthorized", "wrong credentials", Long.MIN_VALUE));
                        return null;
                    }
                }
                if (!publisher.tryAdmit(address))
                {
                    dev.bourse.readmodels.QueryHandler.write(request, response, callback,
                        dev.bourse.readmodels.Response.error(503, "busy", "too many stream sessions; retry later", Long.MIN_VALUE));
                    return null;
                }
                return new StreamEndpoint(publisher, resolver::apply, accounts::apply, authenticator, grant, address,
                    limits.maxRequestsPerSecond());
            });
        });
        upgrade.setHandler(next);
        return new HandshakeCheck(upgrade);
    }

    /** Starts the publisher on a thread from {@code threads} (the query side's priority). */
    public void start(final java.util.concurrent.ThreadFactory threads)
    {
        AgentRunner.startOnThread(runner, threads);
    }

    @Override
    public void close()
    {
        CloseHelper.close(runner);
    }
}
