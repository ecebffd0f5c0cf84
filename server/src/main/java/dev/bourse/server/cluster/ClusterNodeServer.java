package dev.bourse.server.cluster;

import dev.bourse.journal.DirectoryLock;
import dev.bourse.server.WritableDirectory;
import dev.bourse.cluster.ClusterCounterTypes;
import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.Durability;
import dev.bourse.journal.HeadTailer;
import dev.bourse.journal.JournalTailer;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.server.admin.AdminService;
import dev.bourse.server.admin.JournalSessions;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.server.cli.CountersFileName;
import dev.bourse.server.QuerySide;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.metrics.CountersFile;
import dev.bourse.server.metrics.EngineCounters;
import dev.bourse.server.metrics.PrometheusText;
import dev.bourse.server.schedule.ExchangeSchedule;
import dev.bourse.server.threading.PinnedThreads;
import io.aeron.AeronCounters;
import io.aeron.cluster.service.Cluster;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Consumer;

/**
 * {@code ./exchange start} with {@code cluster.node-id}: one member of the cluster in this process,
 * and the readers a node runs on its own journal (docs/CLUSTER.md, Running nodes):
 * <ul>
 *   <li>the {@link ClusterNode}: media driver, archive, consensus module and the engine as the
 *       replicated service, which writes this node's journal (its own threads);</li>
 *   <li>market data, read from this node's journal on every node (books kept, sequence numbers
 *       taken) but published only while this node leads, so the feed follows the leader;</li>
 *   <li>the read models and query API with {@code /metrics}, on any node, followers included, and
 *       the admin API: an operator's actions enter the Raft log through a cluster client of the
 *       node's own ({@link ClusterAdminChannel}) and are answered from this node's journal;</li>
 *   <li>the counters file with the engine's counters (written by the service thread) and the
 *       node's role, elections, term, commit position and lag ({@link NodeGauges});</li>
 *   <li>the bootstrap of the configured instruments and accounts, sent by whichever node leads
 *       ({@link ClusterBootstrap});</li>
 *   <li>the scheduler (trading day, day's end, GTD expiry, ends of volatility calls), run by
 *       whichever node leads and sent through a cluster client of its own ({@link LeaderScheduler}).</li>
 * </ul>
 * No Chronicle-level snapshotter: a node restarts from the cluster's snapshots and log, never from
 * its journal, so a second shadow engine would cost memory and a thread for nothing recovery uses.
 * No FIX gateway: gateways are processes of their own ({@link ClusterGatewayServer}).
 */
public final class ClusterNodeServer implements AutoCloseable
{
    /**
     * How long an admin action waits for its entry: longer than a failover (about a second), so an
     * action in flight during an election is answered after it.
     */
    private static final long ADMIN_TIMEOUT_MS = 10_000;
    private final ExchangeConfig config;
    private final Consumer<String> log;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private CountersFile counters;
    private ClusterNode node;
    private DirectoryLock lock; // released last, once the node is down
    private ChronicleJournal journal;
    private MarketDataPublisher.Context marketDataContext;
    private MarketDataPublisher marketData;
    private ReadModelsServer readModels;
    private ClusterAdminChannel adminChannel;
    private AgentRunner housekeeping;
    private ClusterBootstrap bootstrap;
    private Thread bootstrapThread;
    private boolean closed;

    private ClusterNodeServer(final ExchangeConfig config, final Consumer<String> log)
    {
        this.config = config;
        this.log = log;
    }

    /** Starts the node and its readers; a failure a user can fix is thrown with a one-line message. */
    public static ClusterNodeServer start(final ExchangeConfig config, final Consumer<String> log) throws IOException
    {
        final ClusterNodeServer server = new ClusterNodeServer(config, log);
        try
        {
            server.startAll();
            return server;
        }
        catch (final Throwable t)
        {
            // The node's own reason first: a service that stopped the node at start (a journal that ends before the
            // snapshot) let the start go on until the read models failed on the same missing journal, and the last
            // line named their failure instead (an outside probe). Said without a cause, as the one line it is.
            final String fatal = server.node != null ? server.node.fatalReason() : null;
            server.close();
            if (fatal != null)
            {
                final IOException stopped = new IOException("cluster node " + config.cluster().nodeId() + " stopped: " + fatal);
                stopped.addSuppressed(t);
                throw stopped;
            }
            throw t;
        }
    }

    private void startAll() throws IOException
    {
        final long started = System.nanoTime();
        final int nodeId = config.cluster().nodeId();
        WritableDirectory.create(config.dataDir(), "data.dir");
        // before anything in it is opened: a second node on this directory would replace the first's counters file
        lock = DirectoryLock.acquire(config.dataDir(), "data.dir");
        if (!config.journal().dir().toAbsolutePath().normalize().equals(config.dataDir().toAbsolutePath().normalize()))
        {
            WritableDirectory.create(config.journal().dir(), "journal.dir");
            resources.add(DirectoryLock.acquire(config.journal().dir(), "journal.dir")); // locked itself, as the exchange's
        }
        dev.bourse.server.PortPreflight.check(config); // before the node joins: a port in use is one line, nothing started
        counters = CountersFile.createStarting(config.dataDir().resolve(CountersFileName.NAME), 2_048);
        resources.add(counters);
        final ExchangeConfig.Journal journalConfig = config.journal();
        final ClusterNode.Context ctx = config.cluster().toNodeContext()
            .journalDir(journalConfig.dir())
            .journalDurability(Durability.valueOf(journalConfig.durability().toUpperCase(Locale.ROOT)))
            .engineConfig(config.engine().toEngineConfig())
            .engineListener(new EngineCounters(counters.manager()))
            .log(log);
        try
        {
            // before the node's driver deletes its directory at start: a running node's, given by mistake, was wiped and
            // that node no longer seen by the operator's tools, as market data's own directory is refused (an outside tester)
            // (unset, the node's own under a name made from its cluster.dir, which data.dir's lock keeps to one process)
            if (ctx.aeronDir() != null)
            {
                dev.bourse.marketdata.AeronDirectoryGuard.refuseIfInUse(ctx.aeronDir(), "cluster.aeron-dir", "cluster node " + nodeId,
                    "node");
                // named as every other directory is: Aeron's own "could not create aeron directory" named no key (an outside tester)
                WritableDirectory.create(java.nio.file.Path.of(ctx.aeronDir()), "cluster.aeron-dir");
            }
        }
        catch (final IllegalStateException e)
        {
            throw new IOException(e.getMessage(), e);
        }
        try
        {
            node = ClusterNode.launch(ctx);
        }
        catch (final RuntimeException e)
        {
            throw new IOException("cluster node " + nodeId + ": " + e.getMessage(), e);
        }
        try
        {
            if (!node.awaitServiceStarted(120, TimeUnit.SECONDS))
            {
                throw new IOException("cluster node " + nodeId + ": the exchange service did not start"
                    + (node.fatalReason() != null ? ": " + node.fatalReason() : " within 120 s"));
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while cluster node " + nodeId + " started");
        }
        journal = ChronicleJournal.openForReading(ctx.journalDir());
        resources.add(journal);

        final boolean shared = config.threading().shared();
        final List<Agent> support = new ArrayList<>();
        if (config.marketData().enabled())
        {
            startMarketData(shared, support);
        }
        final NodeGauges gauges = new NodeGauges(counters.manager(), node, marketData);
        support.add(0, gauges);
        final String host = ClusterMembers.parse(ctx.members()).member(nodeId).host();
        if (config.query().enabled())
        {
            // before the support thread starts, which runs its client's duty cycle
            adminChannel = new ClusterAdminChannel(config.cluster().ingressEndpoints(), host, ctx.aeronDir(),
                new HeadTailer(journal::lastPosition, p -> journal.tailerAt(p, true)), log);
            resources.add(adminChannel);
            support.add(adminChannel);
        }
        final LongSupplier role = node.counterReader(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
        final BooleanSupplier leading = () -> role.getAsLong() == Cluster.Role.LEADER.code();
        bootstrap = new ClusterBootstrap(config, ctx.aeronDir(), host, ctx.journalDir(), leading,
            node.counterReader(ClusterCounterTypes.JOURNAL_SEQUENCE), log);
        // always: it also ends the volatility calls the engine starts, whatever the schedule
        final ExchangeSchedule schedule = new ExchangeSchedule(config.schedule());
        final ClusterBootstrap bootstrapped = bootstrap;
        final LeaderScheduler scheduler = new LeaderScheduler(config.schedule(), config.cluster().ingressEndpoints(), host,
            ctx.aeronDir(), () -> leading.getAsBoolean() && bootstrapped.finished(), journal::tailerFromStart, log);
        resources.add(scheduler::onClose);
        support.add(scheduler);
        log.accept("scheduler: " + schedule.describe() + ", run by whichever node leads");
        // The support thread starts before the read models: in shared threading it runs the market-data Aeron
        // client's conductor, and a client whose conductor is not invoked for 10 s (Aeron's inter-service timeout)
        // closes itself and unmaps its counters, which the publisher then writes (a SIGSEGV). Starting the
        // query side (Jetty, the history store) took 9 to 10 s on a loaded host.
        housekeeping = PinnedThreads.start(shared ? "bourse-support" : "housekeeping", new CompositeAgent(support),
            shared && marketDataContext != null ? marketDataContext.idleStrategy() : new SleepingMillisIdleStrategy(1),
            config.threading().supportCpu(), log);
        if (config.query().enabled())
        {
            try
            {
                startReadModels(gauges, schedule);
            }
            catch (final IOException | RuntimeException e)
            {
                // a service that stopped the node (a journal behind its snapshot, say) leaves the read models a journal
                // they cannot follow: the service's reason is the cause to name, not what the read models ran into
                final String fatal = node.fatalReason();
                if (fatal != null)
                {
                    throw new IOException("cluster node " + nodeId + ": " + fatal, e);
                }
                throw e;
            }
        }

        bootstrapThread = new Thread(bootstrap, "bourse-bootstrap");
        bootstrapThread.setDaemon(true);
        bootstrapThread.start();
        counters.publish(); // a refused start left the last run's counters to stat
        log.accept(String.format("cluster node %d started in %d ms: members %s, cluster dir %s, journal %s (%s), aeron dir %s",
            nodeId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), ctx.clusterMembers(), ctx.dir(), ctx.journalDir(),
            journalConfig.durability(), ctx.aeronDir()));
    }

    /**
     * Market data from this node's journal, published only while it leads. Through the node's own
     * media driver unless {@code md.aeron-dir} names another directory (three nodes on one host would
     * otherwise fight over Aeron's default directory); naming the node's own is the same as not setting it.
     */
    /** True when market data goes through the node's own media driver: md.aeron-dir unset, or naming the node's directory. */
    static boolean usesNodeDriver(final java.nio.file.Path mdAeronDir, final String nodeAeronDir)
    {
        return mdAeronDir == null ||
            mdAeronDir.toAbsolutePath().normalize().equals(java.nio.file.Path.of(nodeAeronDir).toAbsolutePath().normalize());
    }

    private void startMarketData(final boolean shared, final List<Agent> support)
    {
        final ExchangeConfig.MarketData m = config.marketData();
        final String nodeDir = node.context().aeronDir();
        // md.aeron-dir naming the node's own driver's directory means that driver, not a second one launched there
        // (which found the node's own driver and stopped the node, blaming "another exchange": an outside probe)
        final boolean ownDriver = usesNodeDriver(m.aeronDir(), nodeDir);
        final LongSupplier role = node.counterReader(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
        marketDataContext = new MarketDataPublisher.Context()
            .log(line -> log.accept(line))
            .journalTailer(journal.tailerAfter(JournalTailer.START, false))
            .journalHead(node.counterReader(ClusterCounterTypes.JOURNAL_SEQUENCE))
            .publishing(() -> role.getAsLong() == Cluster.Role.LEADER.code())
            .embeddedDriver(!ownDriver && m.embeddedDriver())
            .invoked(shared)
            .termLength(m.termLength())
            .incrementalChannel(m.channel())
            .incrementalStreamId(m.streamId())
            .snapshotChannel(m.snapshotChannel())
            .snapshotStreamId(m.snapshotStreamId())
            .snapshotIntervalNs(m.snapshotInterval().toNanos())
            .idleStrategy(GatewayContext.newIdleStrategy(m.idleStrategy()));
        marketDataContext.aeronDirectoryName(ownDriver ? nodeDir : m.aeronDir().toString());
        marketDataContext.conclude();
        resources.add(marketDataContext);
        marketData = new MarketDataPublisher(marketDataContext);
        if (shared)
        {
            support.add(marketData);
        }
        else
        {
            resources.add(PinnedThreads.start("md-publisher", marketData, marketDataContext.idleStrategy(), -1, log));
        }
        log.accept("market data: " + m.channel() + " stream " + m.streamId() + ", snapshots " + m.snapshotChannel() + " stream "
            + m.snapshotStreamId() + ", published while this node leads, aeron dir " + marketDataContext.aeronDirectoryName());
    }

    /**
     * The read models on this node's journal, as a single node runs them (ExchangeServer), with the
     * admin API (the operations role) on the node's cluster client. FIX session actions go through
     * the log to the gateway serving the session ({@link JournalSessions}).
     */
    private void startReadModels(final NodeGauges gauges, final ExchangeSchedule schedule) throws IOException
    {
        final CredentialStore credentials = config.credentials();
        final JournalSessions fixSessions = new JournalSessions(journal.tailerAfter(JournalTailer.START, true));
        resources.add(fixSessions);
        final AdminService admin = new AdminService(adminChannel, null, () -> System.currentTimeMillis() * 1_000_000L,
            ADMIN_TIMEOUT_MS, log).journalSessions(fixSessions).dayPhase(schedule::dayPhase);
        final CredentialGuard guard = new CredentialGuard(credentials, new GatewayContext().credentialPolicy());
        readModels = QuerySide.start(config, credentials, guard, admin, null, counters.reader(), JournalSource.of(journal), log);
        log.accept("admin: the admin API on this node's query port (operations role); actions go into the cluster log "
            + "through this node's cluster client, answers from this node's journal");
        resources.add(readModels);
        gauges.readModels(readModels.counters());
        readModels.statusSource(gauges);
    }

    /** Waits until the node stops by itself (the cluster terminated it, or its service had to stop it). */
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return node.awaitTermination(timeout, unit);
    }

    /** Why the service stopped this node (journal failure or divergence), or null. */
    public String fatalReason()
    {
        return node == null ? null : node.fatalReason();
    }

    public ClusterNode node()
    {
        return node;
    }

    public int queryPort()
    {
        return readModels == null ? -1 : readModels.port();
    }

    public MarketDataPublisher.Context marketDataContext()
    {
        return marketDataContext;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (bootstrap != null)
        {
            bootstrap.stop();
        }
        if (bootstrapThread != null)
        {
            try
            {
                bootstrapThread.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        CloseHelper.quietClose(housekeeping);
        // readers first (they read the node's journal and driver), then the node, then the counters
        final List<AutoCloseable> readers = new ArrayList<>(resources);
        readers.remove(counters);
        for (int i = readers.size() - 1; i >= 0; i--)
        {
            closeQuietly(readers.get(i));
        }
        if (node != null)
        {
            closeQuietly(node);
        }
        if (counters != null)
        {
            closeQuietly(counters);
        }
        if (lock != null)
        {
            closeQuietly(lock);
        }
        if (node != null)
        {
            log.accept("cluster node stopped"); // a start that failed before the node ran says only why (its error line)
        }
    }

    private void closeQuietly(final AutoCloseable resource)
    {
        try
        {
            resource.close();
        }
        catch (final Exception e)
        {
            log.accept("closing " + resource.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

}
