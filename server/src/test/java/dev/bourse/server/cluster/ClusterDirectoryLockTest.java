package dev.bourse.server.cluster;

import dev.bourse.journal.DirectoryLock;
import dev.bourse.server.cli.UserErrors;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cluster node or gateway started on a data directory another process holds is refused before it
 * opens anything there: a second gateway on one session directory took the first's sessions for
 * its own and canceled their orders; a second node replaced the first's counters file.
 */
class ClusterDirectoryLockTest
{
    private static final String MEMBERS = "cluster.members = 0=localhost:29000,1=localhost:29100,2=localhost:29200\n";

    @TempDir
    Path dir;

    private ExchangeConfig config(final String role) throws Exception
    {
        return ExchangeConfig.read(Settings.parse("test", MEMBERS + role + "data.dir = " + dir + "\n"
            + "instruments = XYZ\ninstrument.XYZ.reference-price = 10\naccounts = 7\nusers = u\nuser.u.account = 7\n"
            + "user.u.password = pw\n"));
    }

    @Test
    void aSecondGatewayOrNodeOnTheSameDataDirectoryIsRefused() throws Exception
    {
        try (DirectoryLock held = DirectoryLock.acquire(dir, "data.dir"))
        {
            final Exception gateway = assertThrows(Exception.class,
                () -> ClusterGatewayServer.start(config("cluster.gateway-id = 1\n"), line -> { }).close());
            assertTrue(UserErrors.describe(gateway).startsWith("data.dir " + dir + " is in use by another exchange process"),
                UserErrors.describe(gateway));
            final java.util.List<String> nodeLog = new java.util.ArrayList<>();
            final Exception node = assertThrows(Exception.class,
                () -> ClusterNodeServer.start(config("cluster.node-id = 0\n"), nodeLog::add).close());
            assertTrue(UserErrors.describe(node).startsWith("data.dir " + dir + " is in use by another exchange process"),
                UserErrors.describe(node));
            assertFalse(nodeLog.contains("cluster node stopped"), "a node that never ran does not say it stopped: " + nodeLog);
        }
    }

    /**
     * An outside tester: a node given a query port in use started, joined and ran for seconds before
     * its bind failed, saying "cluster node stopped" before the line that said why; a gateway did the
     * same with its FIX port. Both are checked before anything starts, as a single exchange's are.
     */
    @Test
    void aPortInUseStopsANodeOrGatewayBeforeItStartsInOneLine() throws Exception
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0")))
        {
            final int port = taken.getLocalPort();
            final java.util.List<String> nodeLog = new java.util.ArrayList<>();
            final Exception node = assertThrows(Exception.class, () -> ClusterNodeServer.start(
                config("cluster.node-id = 0\nquery.port = " + port + "\n"), nodeLog::add).close());
            assertTrue(UserErrors.describe(node).startsWith("cannot listen on 0.0.0.0:" + port + " (query.port)"), UserErrors.describe(node));
            assertEquals(java.util.List.of(), nodeLog, "nothing started, nothing said but the error");
            final java.util.List<String> gatewayLog = new java.util.ArrayList<>();
            final Exception gateway = assertThrows(Exception.class, () -> ClusterGatewayServer.start(
                config("cluster.gateway-id = 1\ngateway.port = " + port + "\n"), gatewayLog::add).close());
            assertTrue(UserErrors.describe(gateway).startsWith("cannot listen on 0.0.0.0:" + port + " (gateway.port)"),
                UserErrors.describe(gateway));
            assertEquals(java.util.List.of(), gatewayLog, "nothing started, nothing said but the error");
        }
    }

    /** An outside tester: a cluster.aeron-dir below a regular file was Aeron's "could not create aeron directory", naming no key. */
    @Test
    void anAeronDirectoryThatCannotBeMadeIsNamedByItsKey() throws Exception
    {
        final Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        final Exception node = assertThrows(Exception.class, () -> ClusterNodeServer.start(
            config("cluster.node-id = 0\ncluster.aeron-dir = " + file.resolve("sub") + "\n"), line -> { }).close());
        assertTrue(UserErrors.describe(node).startsWith("cluster.aeron-dir: cannot create directory " + file.resolve("sub")),
            UserErrors.describe(node));
    }

    /**
     * An outside tester gave a node a running node's cluster.aeron-dir: the new node's driver deleted
     * it at start, and the running node was shown down by the operator's tools until restarted.
     */
    @Test
    void aNodeGivenTheAeronDirectoryOfALiveDriverIsRefusedAndLeavesItAlone() throws Exception
    {
        final String aeronDir = io.aeron.CommonContext.generateRandomDirName();
        try (io.aeron.driver.MediaDriver running = io.aeron.driver.MediaDriver.launch(new io.aeron.driver.MediaDriver.Context()
            .aeronDirectoryName(aeronDir).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
            .threadingMode(io.aeron.driver.ThreadingMode.SHARED)))
        {
            final java.util.List<String> nodeLog = new java.util.ArrayList<>();
            final Exception node = assertThrows(Exception.class,
                () -> ClusterNodeServer.start(config("cluster.node-id = 0\ncluster.aeron-dir = " + aeronDir + "\n"), nodeLog::add).close());
            assertTrue(UserErrors.describe(node).startsWith("cluster node 0: a media driver (process " + ProcessHandle.current().pid()
                + ") is running in " + aeronDir + ", another node's, exchange's or Aeron application's; give this node a directory "
                + "of its own (cluster.aeron-dir)"), UserErrors.describe(node));
            assertTrue(io.aeron.CommonContext.isDriverActive(new java.io.File(aeronDir), 10_000, m -> { }), "the running driver's "
                + "directory is still there");
        }
    }

    /**
     * An outside tester: a gateway whose cluster was down let FIX clients connect and log on, held
     * them unanswered for the whole start timeout (60 s), then reset them. It listens only once the
     * cluster has answered: until then a connect is refused, which every FIX engine retries.
     */
    @Test
    void aGatewayListensForFixOnlyOnceTheClusterHasAnswered() throws Exception
    {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final java.util.List<String> gatewayLog = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Throwable[] failure = new Throwable[1];
        final Thread starting = new Thread(() ->
        {
            try
            {
                ClusterGatewayServer.start(config("cluster.gateway-id = 1\ngateway.port = " + port + "\n"), gatewayLog::add).close();
            }
            catch (final Throwable t)
            {
                failure[0] = t;
            }
        }, "gateway-starting");
        starting.start();
        try
        {
            final long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(50); // a hang guard, not a timing
            while (gatewayLog.stream().noneMatch(line -> line.startsWith("gateway: connecting to the cluster at ")))
            {
                assertTrue(starting.isAlive(), "the start ended early: " + gatewayLog + " " + failure[0]);
                assertTrue(System.nanoTime() < until, "the gateway never said it was connecting: " + gatewayLog);
                Thread.sleep(10);
            }
            assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close(),
                "a gateway with no cluster takes no FIX connection");
        }
        finally
        {
            starting.interrupt(); // as a stop signal during the start does
            starting.join(30_000);
        }
        assertFalse(starting.isAlive(), "the start ends on a stop signal");
        assertTrue(UserErrors.describe(failure[0]).startsWith("stopped while waiting for the cluster at "), UserErrors.describe(failure[0]));
    }
}
