package dev.bourse.server.cli;

import dev.bourse.server.ExchangeServer;
import dev.bourse.server.config.ExchangeConfig;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code exchange start}: the whole exchange in this process until SIGTERM or Ctrl-C. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the exchange: recovery from the journal and snapshots, the matching engine, the FIX 4.4 gateway,",
        "the market-data publisher and the read models with the query API, in one JVM. Stops cleanly on",
        "SIGTERM or Ctrl-C (sessions logged out, the ring drained, readers caught up, a last snapshot)."})
public final class StartCommand implements Callable<Integer>
{
    @Option(names = {"-c", "--config"}, defaultValue = "config/exchange.properties",
        description = "Configuration file (default: ${DEFAULT-VALUE}); every key is in docs/CONFIGURATION.md.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Overrides a key of the file, e.g. --set cluster.node-id=1 --set data.dir=data/node1 (repeatable).")
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception
    {
        final ExchangeConfig exchangeConfig = ExchangeConfig.load(Main.resolve(config), overrides);
        exchangeConfig.warnings().forEach(w -> log("warning: " + w));
        // The barrier's signal hook waits until the barrier is closed, so the JVM exits only after
        // the server has stopped cleanly; Main must not call System.exit while that hook runs.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            ExchangeServer server = ExchangeServer.start(exchangeConfig, StartCommand::log))
        {
            log("ready: FIX on port " + server.gatewayPort() + ", query API on port " + server.queryPort()
                + "; ./exchange stat --data-dir " + exchangeConfig.dataDir() + " shows the counters; Ctrl-C stops");
            barrier.await();
            log("stopping ...");
        }
        Main.exitAfterShutdown = true;
        return 0;
    }

    static void log(final String line)
    {
        System.out.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + " " + line);
    }
}
