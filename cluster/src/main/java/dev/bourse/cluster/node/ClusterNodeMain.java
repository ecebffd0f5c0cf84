package dev.bourse.cluster.node;

import dev.bourse.engine.EngineConfig;
import dev.bourse.journal.Durability;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * One cluster node as its own process: {@code ClusterNodeMain --node-id 0 --members 0=localhost:9000,1=localhost:9100,2=localhost:9200 --dir data/node0}.
 * Prints one line when up; stops on SIGTERM/SIGINT; exits 1 with the reason if the service had to
 * stop the node (its journal failed or disagrees with the cluster log).
 */
@Command(name = "cluster-node", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    description = "Runs one bourse cluster node: media driver, archive, consensus module and the exchange service.")
public final class ClusterNodeMain implements Callable<Integer>
{
    @Option(names = "--node-id", required = true, description = "This node's id among --members (cluster.node-id).")
    int nodeId;

    @Option(names = "--members", required = true, description = "id=host:port,... base ports at least 5 apart on one host (cluster.members).")
    String members;

    @Option(names = "--dir", required = true, description = "This node's directory (cluster.dir).")
    Path dir;

    @Option(names = "--journal", description = "This node's journal directory (default DIR/journal).")
    Path journal;

    @Option(names = "--aeron-dir", description = "The media driver's directory (default under /dev/shm).")
    String aeronDir;

    @Option(names = "--leader-heartbeat-timeout", defaultValue = "300ms", description = "Default ${DEFAULT-VALUE} (Aeron's: 10s).")
    String heartbeatTimeout;

    @Option(names = "--leader-heartbeat-interval", defaultValue = "30ms", description = "Default ${DEFAULT-VALUE}.")
    String heartbeatInterval;

    @Option(names = "--election-timeout", defaultValue = "150ms", description = "Default ${DEFAULT-VALUE}.")
    String electionTimeout;

    @Option(names = "--session-timeout", defaultValue = "5s", description = "Client sessions silent this long are closed. Default ${DEFAULT-VALUE}.")
    String sessionTimeout;

    @Option(names = "--startup-canvass-timeout", defaultValue = "10s", description = "Cold start: wait this long for all members. Default ${DEFAULT-VALUE}.")
    String startupCanvassTimeout;

    @Option(names = "--fsync", defaultValue = "none", description = "none, data or all: fsync of the recorded log before it counts as appended. Default ${DEFAULT-VALUE}.")
    String fsync;

    @Option(names = "--log-term-length", defaultValue = "4m", description = "Replicated log term length. Default ${DEFAULT-VALUE}.")
    String logTermLength;

    @Option(names = "--idle-strategy", defaultValue = "backoff", description = "backoff, backoff:<µs>, sleeping, yielding, busy-spin. Default ${DEFAULT-VALUE}.")
    String idleStrategy;

    @Option(names = "--snapshot-interval", defaultValue = "0s", description = "The leader snapshots this often (0: on request). Default ${DEFAULT-VALUE}.")
    String snapshotInterval;

    @Option(names = "--journal-durability", defaultValue = "mapped", description = "mapped or sync. Default ${DEFAULT-VALUE}.")
    String journalDurability;

    @Option(names = "--max-instruments", defaultValue = "16384", description = "Engine size. Default ${DEFAULT-VALUE}.")
    int maxInstruments;

    @Option(names = "--preallocated-orders", defaultValue = "65536", description = "Engine pool size. Default ${DEFAULT-VALUE}.")
    int preallocatedOrders;

    @Option(names = "--expected-clordids", defaultValue = "1048576", description = "ClOrdID index size per day. Default ${DEFAULT-VALUE}.")
    int expectedClOrdIds;

    @Option(names = "--max-live-orders", defaultValue = "1000000",
        description = "Resting orders at once; beyond it new orders are refused TOO_MANY_ORDERS. The same on every node. Default ${DEFAULT-VALUE}.")
    long maxLiveOrders;

    @Option(names = "--max-clordids-per-day", defaultValue = "8000000",
        description = "ClOrdIDs of new orders and replaces per ClOrdID day; beyond it they are refused CLORDID_DAY_FULL. The same on every node. "
            + "Default ${DEFAULT-VALUE}.")
    int maxClOrdIdsPerDay;

    /** The node configuration these options describe. */
    public ClusterNode.Context toContext()
    {
        return new ClusterNode.Context()
            .nodeId(nodeId)
            .members(members)
            .dir(dir)
            .journalDir(journal)
            .aeronDir(aeronDir)
            .leaderHeartbeatTimeoutNs(Durations.parseNanos(heartbeatTimeout))
            .leaderHeartbeatIntervalNs(Durations.parseNanos(heartbeatInterval))
            .electionTimeoutNs(Durations.parseNanos(electionTimeout))
            .sessionTimeoutNs(Durations.parseNanos(sessionTimeout))
            .startupCanvassTimeoutNs(Durations.parseNanos(startupCanvassTimeout))
            .fileSync(ClusterNode.FileSync.named(fsync))
            .logTermLength(Durations.parseSize(logTermLength))
            .idleStrategy(idleStrategy)
            .snapshotIntervalNs(Durations.parseNanos(snapshotInterval))
            .journalDurability(Durability.valueOf(journalDurability.toUpperCase(Locale.ROOT)))
            .engineConfig(new EngineConfig().maxInstruments(maxInstruments).preallocatedOrders(preallocatedOrders)
                .expectedClOrdIdsPerDay(expectedClOrdIds).maxLiveOrders(maxLiveOrders).maxClOrdIdsPerDay(maxClOrdIdsPerDay));
    }

    @Override
    public Integer call() throws Exception
    {
        return run(toContext());
    }

    /**
     * Runs a node until it is terminated (SIGTERM, the cluster, or the service); returns the exit
     * code: 0, or 1 when the service stopped the node (the reason goes to stderr).
     */
    public static int run(final ClusterNode.Context ctx) throws InterruptedException
    {
        final ClusterNode node = ClusterNode.launch(ctx);
        final Thread hook = new Thread(node::close, "cluster-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("NODE " + ctx.nodeId() + " READY pid=" + ProcessHandle.current().pid());
        node.awaitTermination();
        final String fatal = node.fatalReason();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down
        }
        node.close();
        if (fatal != null)
        {
            System.err.println("cluster node " + ctx.nodeId() + " stopped: " + fatal);
            return 1;
        }
        return 0;
    }

    public static void main(final String[] args)
    {
        PauseTolerance.allowPausesOfThirtySeconds();
        final CommandLine commandLine = new CommandLine(new ClusterNodeMain());
        commandLine.setExecutionExceptionHandler((e, line, parsed) ->
        {
            line.getErr().println("cluster node: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 2;
        });
        System.exit(commandLine.execute(args));
    }
}
