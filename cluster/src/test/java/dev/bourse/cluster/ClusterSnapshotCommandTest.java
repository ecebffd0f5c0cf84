package dev.bourse.cluster;

import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.cluster.ops.ClusterSnapshotCommand;
import io.aeron.cluster.service.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./exchange cluster snapshot}: the operator's way to a snapshot now (an outside probe found none). */
class ClusterSnapshotCommandTest
{
    @TempDir
    Path dir;

    @Test
    void theLeaderFoundOnThisHostTakesASnapshotAndADirectoryWithoutNodesIsSaid() throws Exception
    {
        assertEquals(2, new CommandLine(new ClusterSnapshotCommand()).execute("--dir", dir.resolve("nothing-here").toString()));
        try (ClusterNode node = ClusterNode.launch(new ClusterNode.Context()
            .nodeId(0).members(Ports.members(1)).dir(dir.resolve("node0")).aeronDir(dir.resolve("aeron0").toString())
            .engineConfig(SingleNodeClusterTest.smallEngine()).startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2))))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (node.role() != Cluster.Role.LEADER)
            {
                assertTrue(System.nanoTime() < deadline, "a leader within a minute");
                Thread.sleep(20);
            }
            final long before = node.snapshots();
            assertEquals(0, new CommandLine(new ClusterSnapshotCommand()).execute("--dir", dir.toString()));
            assertTrue(node.snapshots() > before, "a snapshot taken: " + node.snapshots());
        }
    }
}
