package dev.bourse.server.cli;

import dev.bourse.server.ExchangeServer;
import dev.bourse.server.cluster.ClusterGatewayServer;
import dev.bourse.server.cluster.ClusterNodeServer;
import dev.bourse.server.config.ExchangeConfig;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code exchange start}: the exchange (or, in cluster mode, one node or one gateway) in this process until SIGTERM or Ctrl-C. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = {
        "Runs the exchange: recovery from the journal and snapshots, the matching engine, the FIX 4.4 gateway,",
        "the market-data publisher and the read models with the query API, in one JVM. Stops cleanly on",
        "SIGTERM or Ctrl-C (sessions logged out, the ring drained, readers caught up, a last snapshot).",
        "In cluster mode (cluster.members set, docs/CLUSTER.md) it runs one cluster node when cluster.node-id is",
        "set (the engine as the replicated service, its journal, market data while it leads, read models), or",
        "else one FIX gateway on the cluster."})
public final class StartCommand implements Callable<Integer>
{
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/exchange.properties",
        description = "Configuration file (default: ${DEFAULT-VALUE}); every key is in docs/CONFIGURATION.md.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Overrides a key of the file, e.g. --set cluster.node-id=1 --set data.dir=data/node1 (repeatable).")
    java.util.List<String> sets = new java.util.ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final ExchangeConfig exchangeConfig = ExchangeConfig.load(Main.resolve(config), overrides());
        exchangeConfig.warnings().forEach(w -> log("warning: " + w));
        final int code = switch (exchangeConfig.cluster().role())
        {
            case SINGLE -> single(exchangeConfig);
            case NODE -> node(exchangeConfig);
            case GATEWAY -> gateway(exchangeConfig);
        };
        return code;
    }

    /** The --set pairs in order (a key set twice: the last wins, as on any command line). */
    private java.util.Map<String, String> overrides()
    {
        final java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (final String set : sets)
        {
            final int equals = set.indexOf('=');
            if (equals <= 0)
            {
                // picocli's own map conversion said "Value for option option '--set' ... should be in KEY=VALUE format"
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--set " + set + ": give KEY=VALUE, e.g. --set data.dir=data/node1");
            }
            overrides.put(set.substring(0, equals).trim(), set.substring(equals + 1).trim());
        }
        return overrides;
    }

    private static int single(final ExchangeConfig exchangeConfig) throws Exception
    {
        // The barrier's signal hook waits until the barrier is closed, so the JVM exits only after
        // the server has stopped cleanly; Main must not call System.exit while that hook runs.
        // a single exchange's start waits on nobody else: a signal during it is answered once it has started (a
        // recovery cut short by an interrupt gains nothing), unlike a cluster gateway's or node's, which wait on the cluster
        dev.bourse.journal.EarlyShutdownHooks.register();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            ExchangeServer server = ExchangeServer.start(exchangeConfig, StartCommand::log))
        {
            log("ready: " + doors(server) + "; ./exchange stat --data-dir " + exchangeConfig.dataDir() + " shows the counters; Ctrl-C stops");
            awaitStop(barrier);
            log("stopping ...");
        }
        Main.exitAfterShutdown = true;
        return 0;
    }

    /** "FIX on port 9880 (TLS on 9881), query API on port 8080", or "... query API off" when a door is disabled. */
    static String doors(final ExchangeServer server)
    {
        final String fix = server.gatewayPort() < 0 && server.gatewayTlsPort() < 0 ? "FIX off"
            : "FIX on " + (server.gatewayPort() < 0 ? "TLS port " + server.gatewayTlsPort()
                : "port " + server.gatewayPort() + (server.gatewayTlsPort() >= 0 ? " (TLS on " + server.gatewayTlsPort() + ")" : ""));
        final String query = server.queryPort() < 0 && server.queryTlsPort() < 0 ? "query API off"
            : "query API on " + (server.queryTlsPort() >= 0 && server.queryTlsPort() == server.queryPort() ? "HTTPS port " + server.queryPort()
                : "port " + server.queryPort() + (server.queryTlsPort() >= 0 ? " (HTTPS on " + server.queryTlsPort() + ")" : ""));
        return fix + ", " + query;
    }

    /** A cluster node runs until a signal, or until it stops by itself (exit 1 with the reason). */
    private static int node(final ExchangeConfig exchangeConfig) throws Exception
    {
        final String fatal;
        final boolean[] stoppedByItself = {false};
        final StopWhileStarting stopWhileStarting = new StopWhileStarting();
        dev.bourse.journal.EarlyShutdownHooks.register();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(stopWhileStarting);
            ClusterNodeServer server = started(stopWhileStarting, () -> ClusterNodeServer.start(exchangeConfig, StartCommand::log)))
        {
            log("ready: cluster node " + exchangeConfig.cluster().nodeId() + ", "
                + (server.queryPort() < 0 ? "query API off" : "query API on port " + server.queryPort())
                + "; ./exchange cluster status --dir " + exchangeConfig.cluster().dir() + " shows it; Ctrl-C stops");
            final Thread watcher = new Thread(() ->
            {
                try
                {
                    server.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
                    stoppedByItself[0] = true;
                    barrier.signal();
                }
                catch (final InterruptedException ignored)
                {
                    // stopping anyway
                }
            }, "cluster-node-watcher");
            watcher.setDaemon(true);
            watcher.start();
            awaitStop(barrier);
            final String reason = server.fatalReason();
            // nothing here asks a node to stop but a signal: one that stopped by itself failed, whatever it said
            fatal = reason != null ? reason : stoppedByItself[0] ? "the cluster ended it (see the errors above)" : null;
            log(fatal == null ? "stopping ..." : "cluster node stopped itself: " + fatal);
        }
        // after a signal the JVM is already exiting (System.exit would block); after the node stopped itself, it is not
        Main.exitAfterShutdown = !stoppedByItself[0];
        return fatal == null ? 0 : 1;
    }

    private static int gateway(final ExchangeConfig exchangeConfig) throws Exception
    {
        final StopWhileStarting stopWhileStarting = new StopWhileStarting();
        dev.bourse.journal.EarlyShutdownHooks.register();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(stopWhileStarting);
            ClusterGatewayServer server = started(stopWhileStarting, () -> ClusterGatewayServer.start(exchangeConfig, StartCommand::log)))
        {
            log("ready: gateway " + exchangeConfig.cluster().gatewayId() + " on the cluster, FIX on port " + server.gatewayPort()
                + "; ./exchange stat --data-dir " + exchangeConfig.dataDir() + " shows the counters; Ctrl-C stops");
            awaitStop(barrier);
            log("stopping ...");
        }
        Main.exitAfterShutdown = true;
        return 0;
    }

    /** Waits for the stop signal; an interrupt that came with it (see StopWhileStarting) is not the stop's business. */
    private static void awaitStop(final ShutdownSignalBarrier barrier)
    {
        barrier.await();
        Thread.interrupted();
    }

    /** A server start that may block. */
    interface Start<T>
    {
        T start() throws Exception;
    }

    /**
     * Starts a server; a stop signal during the start interrupts it, and the start that then fails
     * says it was stopped (the JVM is already exiting on the signal: no System.exit after it).
     */
    static <T> T started(final StopWhileStarting stopWhileStarting, final Start<T> start) throws Exception
    {
        try
        {
            final T server = start.start();
            stopWhileStarting.started();
            return server;
        }
        catch (final Exception e)
        {
            if (stopWhileStarting.signalledWhileStarting())
            {
                // said here, before the barrier closes: once it has, the signal's shutdown may end the JVM at any moment
                log("stopped by a signal before the start finished: " + e.getMessage());
                Main.exitAfterShutdown = true;
                throw new java.io.IOException("stopped by a signal before the start finished (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    static void log(final String line)
    {
        System.out.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + " " + line);
    }
}
