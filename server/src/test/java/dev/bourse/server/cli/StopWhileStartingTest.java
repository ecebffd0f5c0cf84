package dev.bourse.server.cli;

import dev.bourse.server.cluster.ClusterGatewayServer;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster gateway stopped while it still waits for a cluster that does not answer stops then,
 * not at the end of its 60 s wait: an outside probe's took 24 to 38 s after SIGTERM, past systemd's
 * stop timeout. The signal's handler is called here as Agrona's signal hook calls it (checked by
 * hand with SIGTERM on `./exchange start`: 0.13 s instead of 38 s).
 */
class StopWhileStartingTest
{
    @TempDir
    Path dir;

    @Test
    void aGatewayStoppedWhileItWaitsForTheClusterStopsThenSayingSo() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", String.join("\n",
            "cluster.members = 0=localhost:1,1=localhost:6,2=localhost:11",
            "cluster.gateway-id = 1",
            "cluster.aeron-dir = " + dir.resolve("aeron"),
            "data.dir = " + dir.resolve("data"),
            "gateway.port = 0",
            "instruments = XYZ", "instrument.XYZ.reference-price = 10",
            "accounts = 7", "users = u", "user.u.account = 7", "user.u.password = pw", "")));
        final List<String> log = new CopyOnWriteArrayList<>();
        final StopWhileStarting stopWhileStarting = new StopWhileStarting();
        final Thread signal = new Thread(() ->
        {
            // the start waits for the cluster once its client has failed to connect the first time
            while (log.stream().noneMatch(line -> line.contains("no leader reached yet")))
            {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            stopWhileStarting.onSignal();
        }, "signal");
        signal.setDaemon(true);
        signal.start();
        final IOException stopped = assertThrows(IOException.class,
            () -> StartCommand.started(stopWhileStarting, () -> ClusterGatewayServer.start(config, log::add)).close());
        assertTrue(stopped.getMessage().startsWith("stopped by a signal before the start finished"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("stopped while waiting for the cluster"), stopped.getMessage());
        assertTrue(stopWhileStarting.signalledWhileStarting());
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt was the wait's, not left for what follows");
    }
}
