package dev.bourse.cluster;

import dev.bourse.cluster.ops.ClusterStatus;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes as child JVMs, one cluster's life under steady load through the cluster client:
 * <ol>
 *   <li>after a cluster snapshot, a follower is killed, the others carry on, and the follower
 *       restarts from its snapshot, replays the log after it over a journal that already holds
 *       part of it, and catches up;</li>
 *   <li>a follower's disk is wiped (archive, cluster state, journal): it rebuilds everything from
 *       its peers;</li>
 *   <li>the leader is cut off the network: the minority (it) makes no progress while the majority
 *       elects a new leader and continues; healed, it rejoins and catches up.</li>
 * </ol>
 * After each step every node's journal passes {@code journal verify} with the same digest, and at
 * the end every order was acknowledged exactly once.
 */
class ClusterMembershipTest extends ClusterUnderLoad
{
    private void allJournalsIdentical()
    {
        load.drain(60); // nothing in flight: the journals stop growing while they are read
        cluster.awaitSequence(load.lastSequence(), 90, 0, 1, 2);
        final String[] first = cluster.verifyJournal(0);
        assertEquals("1", first[0], "journals start at sequence 1");
        assertArrayEquals(first, cluster.verifyJournal(1), "node 1's journal is node 0's");
        assertArrayEquals(first, cluster.verifyJournal(2), "node 2's journal is node 0's");
    }

    /** The furthest engine sequence among the nodes other than {@code except}. */
    private long majoritySequence(final int except)
    {
        long max = 0;
        for (final ClusterStatus.Node n : cluster.status())
        {
            if (n.nodeId() != except && n.up())
            {
                max = Math.max(max, n.engineSequence());
            }
        }
        return max;
    }

    @Test
    void followerRestartsFromSnapshotWipedNodeRebuildsIsolatedLeaderMakesNoProgress() throws Exception
    {
        cluster = new TestCluster(dir, 3);
        cluster.startAll();
        int leader = cluster.awaitLeader(-1, 60);
        load = new LoadDriver(cluster.ingressEndpoints());
        moreOrders(2_000, 2_000, "orders on three nodes");
        // a follower may still be joining the log (election INIT) when the majority has acknowledged: wait for it to follow
        final int aFollower = (cluster.awaitLeader(-1, 30) + 1) % 3;
        TestCluster.await(() -> ClusterStatus.followedLeader(java.util.List.of(cluster.status(aFollower))) == cluster.awaitLeader(-1, 30),
            60, () -> "a follower's directory alone names the leader it follows:\n"
                + ClusterStatus.format(java.util.List.of(cluster.status(aFollower))));
        assertTrue(ClusterStatus.hasLeader(java.util.List.of(cluster.status(aFollower))));
        cluster.snapshot(leader, 60);
        moreOrders(2_000, 2_000, "orders after the snapshot");
        for (int node = 0; node < 3; node++)
        {
            // every service offers the same service messages (MembersCheck): Aeron finds none missed at the snapshot
            assertFalse(cluster.output(node).contains("service message(s)"), "node " + node + ":\n" + cluster.output(node));
        }

        // 1. A follower dies and comes back: snapshot + log replay over its own journal.
        leader = cluster.awaitLeader(-1, 30);
        final int follower = (leader + 1) % 3;
        cluster.kill(follower);
        moreOrders(2_000, 2_000, "orders with one follower down");
        cluster.start(follower);
        moreOrders(2_000, 1_000, "orders while the follower catches up");
        allJournalsIdentical();
        assertTrue(cluster.output(follower).contains("(snapshot)"), "the follower restarted from its snapshot:\n" + cluster.output(follower));

        // 2. A follower's disk is wiped: it rebuilds from its peers, journal included.
        leader = cluster.awaitLeader(-1, 30);
        final int wiped = (leader + 2) % 3;
        cluster.kill(wiped);
        cluster.wipe(wiped);
        moreOrders(2_000, 2_000, "orders with a wiped node down");
        cluster.start(wiped);
        moreOrders(2_000, 1_000, "orders while the wiped node rebuilds");
        allJournalsIdentical();

        // 3. The leader is cut off: a minority of one makes no progress, the majority goes on.
        final int isolated = cluster.awaitLeader(-1, 30);
        cluster.isolate(isolated);
        final int newLeader = cluster.awaitLeader(isolated, 30);
        moreOrders(2_000, 500, "orders after the majority elected node " + newLeader);
        final long isolatedAt = cluster.status().get(isolated).engineSequence();
        final long majorityAt = majoritySequence(isolated);
        moreOrders(2_000, 2_000, "orders while node " + isolated + " is cut off");
        final ClusterStatus.Node cutOff = cluster.status().get(isolated);
        assertTrue(cutOff.up(), "the isolated node still runs");
        assertEquals(isolatedAt, cutOff.engineSequence(), "the isolated minority applies nothing");
        final long majorityNow = majoritySequence(isolated);
        assertTrue(majorityNow >= majorityAt + 1_000, "the majority carries on: " + majorityAt + " then " + majorityNow
            + "\n" + ClusterStatus.format(cluster.status()));
        cluster.heal(isolated);
        moreOrders(2_000, 1_000, "orders after healing");
        allJournalsIdentical();

        load.drain(60);
        assertEquals(0, load.duplicates(), "no order executed twice");
        assertEquals(load.sentOrders(), load.ackedOrders(), "every order acknowledged");
        cluster.awaitSequence(load.lastSequence(), 60, 0, 1, 2);
        assertArrayEquals(new String[]{"1", Long.toString(load.lastSequence()), load.digest()}, cluster.verifyJournal(0),
            "the journals hold exactly what the client received");
    }
}
