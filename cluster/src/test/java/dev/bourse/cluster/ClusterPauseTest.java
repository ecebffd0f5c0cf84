package dev.bourse.cluster;

import dev.bourse.cluster.ops.ClusterStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose process stops for a while (a stopped VM, a long GC; SIGSTOP here). An outside
 * probe's 12 s and 15 s pauses ended the node, with exit status 0, because Aeron gives a silent
 * client, and a client its silent driver, 10 s. A node now waits 30 s; past that it stops itself and
 * exits 1 with the reason, so a supervisor that restarts on failure restarts it.
 */
class ClusterPauseTest extends ClusterUnderLoad
{
    @Test
    void aFollowerPausedForTwelveSecondsCatchesUpAndOnePausedPastItsAeronTimeoutExitsOne() throws Exception
    {
        cluster = new TestCluster(dir, 3);
        cluster.start(0);
        cluster.start(1);
        // node 2's Aeron clients give its driver 5 s instead of 30 s: a 12 s pause is past it
        cluster.start(2, List.of("-Daeron.driver.timeout=5000"));
        final int leader = cluster.awaitLeader(-1, 60);
        load = new LoadDriver(cluster.ingressEndpoints());
        moreOrders(1_000, 500, "orders on three nodes");

        final int paused = leader == 0 ? 1 : 0;
        cluster.pause(paused, 12_000);
        moreOrders(1_000, 500, "orders after the pause");
        TestCluster.await(() -> cluster.healthy(0), 60,
            () -> "node " + paused + " back in step after a 12 s pause:\n" + ClusterStatus.format(cluster.status()) + cluster.output(paused));
        assertTrue(cluster.isAlive(paused));

        // node 2 may lead by now: then the other two elect, as after any leader's death
        cluster.pause(2, 12_000);
        assertEquals(1, cluster.awaitExit(2, 60), "a node that stops by itself exits 1:\n" + cluster.output(2));
        assertTrue(cluster.output(2).contains("stopped: Aeron ended it"), cluster.output(2));
        moreOrders(1_000, 200, "orders on the two left");
    }
}
