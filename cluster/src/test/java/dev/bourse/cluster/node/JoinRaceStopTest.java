package dev.bourse.cluster.node;

import dev.bourse.engine.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node does once its {@link ElectionWatch} and {@link JoinRace} find the race: it interrupts the two threads
 * (each of Aeron's waits there then throws and ends its agent) and terminates with the race as its reason (exit 1
 * from {@code exchange start}) instead of waiting forever, and its close ends the rest. The race itself cannot be started at will, so the node is given
 * stacks that show it, naming its real consensus-module and service threads.
 */
class JoinRaceStopTest
{
    @TempDir
    Path dir;

    @Test
    void aNodeHeldByTheRaceStopsWithItAsItsReason() throws Exception
    {
        final String members = "0=localhost:" + LoopbackPorts.freeUdpRange(10);
        try (ClusterNode node = ClusterNode.launch(new ClusterNode.Context()
            .nodeId(0).members(members).dir(dir.resolve("node0")).aeronDir(dir.resolve("aeron0").toString())
            .engineConfig(new EngineConfig().maxInstruments(16).preallocatedOrders(4_096).preallocatedLevels(256)
                .expectedAccounts(64).expectedClOrdIdsPerDay(1 << 16))
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2))))
        {
            assertTrue(node.awaitServiceStarted(60, TimeUnit.SECONDS), "the node started");
            final Map<Thread, StackTraceElement[]> healthy = Thread.getAllStackTraces();
            node.onElectionBlocked("follower_log_await", healthy);
            assertNull(node.fatalReason(), "stacks without the race change nothing");
            assertTrue(!node.awaitTermination(200, TimeUnit.MILLISECONDS), "still running");

            final Map<Thread, StackTraceElement[]> racing = new HashMap<>();
            for (final Thread thread : healthy.keySet())
            {
                if (thread.getName().startsWith("consensus-module"))
                {
                    racing.put(thread, frames(JoinRace.CONSENSUS_MODULE, JoinRace.CONSENSUS_MODULE_WAIT));
                }
                else if (thread.getName().startsWith("clustered-service"))
                {
                    racing.put(thread, frames(JoinRace.SERVICE, JoinRace.SERVICE_WAIT));
                }
            }
            assertTrue(racing.size() == 2, "the node's consensus-module and clustered-service threads: " + healthy.keySet());
            node.onElectionBlocked("follower_log_await", racing);
            assertTrue(node.awaitTermination(60, TimeUnit.SECONDS), "the node terminated");
            assertTrue(node.fatalReason() != null && node.fatalReason().startsWith("its election was held in follower_log_await by a race"),
                node.fatalReason());
            final long closeStart = System.nanoTime();
            node.close();
            final long closeSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - closeStart);
            assertTrue(racing.keySet().stream().noneMatch(Thread::isAlive), "the interrupted agents' threads ended (close took "
                + closeSeconds + " s)");
        }
    }

    private static StackTraceElement[] frames(final String className, final String method)
    {
        return new StackTraceElement[] {new StackTraceElement(className, method, null, -1)};
    }
}
