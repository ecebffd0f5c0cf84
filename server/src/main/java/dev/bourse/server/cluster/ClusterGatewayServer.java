package dev.bourse.server.cluster;

import dev.bourse.journal.DirectoryLock;
import dev.bourse.server.WritableDirectory;
import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.gateway.Gateway;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.protocol.CounterDescriptor;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.server.cli.CountersFileName;
import dev.bourse.server.config.ClusterConfig;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.metrics.CountersFile;
import dev.bourse.server.threading.FatalErrors;
import dev.bourse.server.threading.PinnedThreads;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./exchange start} with {@code cluster.members} and no node id: the FIX gateway on a
 * cluster. The gateway is the single node's, unchanged; what differs is what it is given: a
 * {@link ClusterClient} as its {@code CommandPublisher} (commands go to the leader, stay in the
 * client's window until committed, and are sent again after a leader change; the cluster drops
 * what it already applied) and the client's stream of committed entries as its journal tailer, so
 * it reports only what a majority has recorded. The client follows the leader by itself, so FIX
 * sessions stay up through a failover.
 * <p>
 * The engine is in the nodes: in shared threading the order-path thread runs the gateway alone
 * (sockets, FIX, sends to the cluster, results into reports); in dedicated threading the same agent
 * runs on the gateway's thread. The client's embedded media driver has a thread of its own. No
 * market data and no read models here: they run on the nodes, from their journals.
 * <p>
 * Session ids come from this gateway's range ({@code cluster.gateway-id}); the client id is new at
 * every start, and a command the previous process had sent but not seen committed is asked for
 * again from its FIX client (a message counts as received only once it is journaled).
 */
public final class ClusterGatewayServer implements AutoCloseable
{
    /** How long the gateway waits at start for the cluster to answer and send its history. */
    static final long CATCH_UP_TIMEOUT_S = 60;

    private final ExchangeConfig config;
    private final Consumer<String> log;
    /** An Error on the order path stops the process (FatalErrors says why). */
    private final FatalErrors fatal;
    private CountersFile counters;
    private ClusterClient client;
    private Gateway gateway;
    private AgentRunner orderPath;
    private volatile int leader = -1;
    private boolean closed;

    private ClusterGatewayServer(final ExchangeConfig config, final Consumer<String> log)
    {
        this.config = config;
        this.log = log;
        this.fatal = new FatalErrors(log, FatalErrors.HALT_PROCESS);
    }

    private final java.util.List<DirectoryLock> locks = new java.util.ArrayList<>();

    /** Connects to the cluster, reads its history, then takes FIX connections; a failure is one line. */
    public static ClusterGatewayServer start(final ExchangeConfig config, final Consumer<String> log) throws IOException
    {
        final ClusterGatewayServer server = new ClusterGatewayServer(config, log);
        try
        {
            server.startAll();
            return server;
        }
        catch (final Throwable t)
        {
            server.close();
            throw t;
        }
    }

    private void startAll() throws IOException
    {
        final long started = System.nanoTime();
        final ClusterConfig cluster = config.cluster();
        final ExchangeConfig.Gateway g = config.gateway();
        WritableDirectory.create(config.dataDir(), "data.dir");
        WritableDirectory.create(g.sessionDir(), "gateway.session-dir");
        // one gateway per directory: a second one on the same session stores would take the first's
        // sessions for its own (found logged on, journaled disconnected, their orders canceled)
        locks.add(DirectoryLock.acquire(config.dataDir(), "data.dir"));
        if (!g.sessionDir().toAbsolutePath().normalize().startsWith(config.dataDir().toAbsolutePath().normalize()))
        {
            locks.add(DirectoryLock.acquire(g.sessionDir(), "gateway.session-dir"));
        }
        dev.bourse.server.PortPreflight.check(config); // before it connects to the cluster: a port in use is one line, nothing started
        counters = CountersFile.createStarting(config.dataDir().resolve(CountersFileName.NAME), 1_024);
        final AtomicCounter leaderGauge = CounterDescriptor.GATEWAY_CLUSTER_LEADER.newCounter(counters.manager());
        final AtomicCounter leaderChanges = CounterDescriptor.GATEWAY_CLUSTER_LEADER_CHANGES.newCounter(counters.manager());
        final AtomicCounter membersMismatch = CounterDescriptor.GATEWAY_CLUSTER_MEMBERS_MISMATCH.newCounter(counters.manager());
        leaderGauge.setRelease(-1);
        client = new ClusterClient(new ClusterClient.Context()
            .ingressEndpoints(cluster.ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=" + cluster.clientHost() + ":0|term-length=2m|rcv-wnd=1m|so-rcvbuf=1m")
            .resultsFrom(1) // the whole history: symbols, and each session's journaled sequence numbers
            .windowCapacity(cluster.clientWindow())
            .silenceTimeoutNs(cluster.clientSilenceTimeout().toNanos())
            .flushOnCommit(false) // what a duty cycle read goes out in one batch at its end
            .listener(new ClusterClient.Listener()
            {
                @Override
                public void onConnected(final long clusterSessionId, final int leaderMemberId)
                {
                    leader = leaderMemberId;
                    leaderGauge.setRelease(leaderMemberId);
                    log.accept("gateway: connected to the cluster, leader node " + leaderMemberId);
                }

                @Override
                public void onNewLeader(final int leaderMemberId, final long leadershipTermId)
                {
                    leader = leaderMemberId;
                    leaderGauge.setRelease(leaderMemberId);
                    leaderChanges.incrementRelease();
                    log.accept("gateway: new cluster leader node " + leaderMemberId + " (term " + leadershipTermId
                        + "); commands not yet committed are sent again");
                }

                @Override
                public void onDisconnected(final String reason)
                {
                    leader = -1;
                    leaderGauge.setRelease(-1);
                    log.accept("gateway: lost the cluster session (" + reason + "); reconnecting");
                }

                /**
                 * A gateway whose cluster.members gives a node a wrong address connects and trades, and
                 * cannot follow a failover to that node (an outside tester: nothing said so).
                 */
                @Override
                public void onMembersChecked(final int leaderMemberId, final String leadersIngress, final boolean agrees)
                {
                    final long was = membersMismatch.get();
                    membersMismatch.setRelease(agrees ? 0 : 1);
                    if (!agrees)
                    {
                        log.accept("gateway: ERROR cluster.members differs from the cluster's: the leader (node " + leaderMemberId
                            + ") reaches the nodes' ingress at " + leadersIngress + ", this gateway at " + cluster.ingressEndpoints()
                            + "; after a failover to a node this gateway lists wrong it cannot reach the leader: correct "
                            + "cluster.members and restart the gateway");
                    }
                    else if (was == 1)
                    {
                        log.accept("gateway: cluster.members agrees with the cluster's again");
                    }
                }
            })
            .log(log));
        final CatchUpResults results = new CatchUpResults(client, CATCH_UP_TIMEOUT_S, TimeUnit.SECONDS, cluster.members());
        // FIX ports are bound with the gateway: only once the cluster answers, so a client of a
        // gateway whose cluster is down is refused at connect rather than held until the timeout
        log.accept("gateway: connecting to the cluster at " + cluster.members() + " (FIX connections are taken once it answers, "
            + "for up to " + CATCH_UP_TIMEOUT_S + " s)");
        results.awaitConnected();
        final CredentialStore credentials = config.credentials();
        final GatewayContext ctx = dev.bourse.server.GatewayWiring.context(config, credentials)
            .countersManager(counters.manager())
            .journalHead(client::headSequence)
            .firstSessionId(cluster.firstSessionId())
            .gatewayId(cluster.gatewayId())
            .sessionHandover(true)
            .errorLog(log);
        try
        {
            gateway = new Gateway(ctx, client, results, fatal.handler("gateway"));
        }
        catch (final RuntimeException e)
        {
            client.close();
            throw e;
        }
        // Reads the cluster's history before the first connection (bounded by CatchUpResults).
        try
        {
            if (config.threading().shared())
            {
                gateway.startComposed();
                orderPath = PinnedThreads.start("bourse-order-path", gateway.agent(), gateway.idleStrategy(),
                    config.threading().orderPathCpu(), config.threading().orderPathPriority(), config.threading().orderPathSliceNanos(),
                    fatal.handler("bourse-order-path"), log);
            }
            else
            {
                gateway.start(PinnedThreads.factory("bourse-gateway", config.threading().gatewayCpu(),
                    config.threading().orderPathPriority(), config.threading().orderPathSliceNanos(), log));
            }
        }
        catch (final IllegalStateException e)
        {
            throw new IOException("gateway: " + e.getMessage(), e);
        }
        gateway.acceptConnections();
        counters.publish(); // a refused start left the last run's counters to stat
        log.accept(String.format("gateway %d on the cluster %s: FIX 4.4 on %s:%d (%s threading, idle %s), session ids from %d, "
                + "started in %d ms", cluster.gatewayId(), cluster.members(), g.bind(), gateway.port(),
            config.threading().shared() ? "shared" : "dedicated", g.idleStrategy(), cluster.firstSessionId(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        if (gateway.tlsPort() >= 0)
        {
            log.accept("gateway: FIX 4.4 over TLS on " + g.bind() + ":" + gateway.tlsPort() + (gateway.port() < 0 ? " (plain port off)" : ""));
        }
    }

    public int gatewayPort()
    {
        return gateway == null ? -1 : gateway.port();
    }

    /** The member id of the leader the gateway's client talks to, -1 while it has none (any thread). */
    public int leader()
    {
        return leader;
    }

    /** Engine sequence up to which the gateway has made execution reports (any thread). */
    public long reportedSequence()
    {
        return gateway == null ? 0 : gateway.reportedSequence();
    }

    /**
     * Logs every session out (their Logout replies read), stops the gateway's thread, closes the
     * client. Commands sent and not yet committed are not lost: their FIX messages count as
     * received only once journaled, so the clients send them again at the next logon.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (gateway != null && (orderPath != null || !config.threading().shared()))
        {
            gateway.stop("gateway shutting down", dev.bourse.gateway.Gateway.STOP_TIMEOUT_MS);
        }
        CloseHelper.quietClose(orderPath);
        if (gateway != null)
        {
            gateway.close(); // closes the results tailer, and with it the client
        }
        else
        {
            CloseHelper.quietClose(client);
        }
        CloseHelper.quietClose(counters);
        locks.forEach(CloseHelper::quietClose);
        if (client != null)
        {
            log.accept("gateway stopped"); // a start refused before it reached for the cluster says only why (its error line)
        }
    }
}
