package dev.bourse.cluster.ops;

import io.aeron.cluster.service.Cluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code ./exchange cluster status} prints while the nodes disagree for a moment. */
class ClusterStatusFormatTest
{
    private static ClusterStatus.Node node(final int id, final Cluster.Role role, final long term, final String note)
    {
        return new ClusterStatus.Node(id, Path.of("node" + id), true, role, "closed", term, 1_000, 2, 50, 50, 0, 1, 0, 0,
            role == Cluster.Role.LEADER ? id : 1, note);
    }

    private static String row(final String table, final int node)
    {
        return table.lines().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow();
    }

    /**
     * An outside tester saw a follower's commit position ahead of its leader's: the nodes' counters
     * are read one after another while the log moves on. The leader's is read again, last.
     */
    @Test
    void theLeaderIsReadLastSoNoFollowerShowsACommitPositionAheadOfIt()
    {
        final long[] position = {1_000};
        final java.util.List<String> reads = new java.util.ArrayList<>();
        final List<ClusterStatus.Node> nodes = ClusterStatus.read(List.of(Path.of("node0"), Path.of("node1"), Path.of("node2")), dir ->
        {
            reads.add(dir.toString());
            final int id = dir.toString().charAt(4) - '0';
            position[0] += 128; // the log goes on between two reads
            return new ClusterStatus.Node(id, dir, true, id == 0 ? Cluster.Role.LEADER : Cluster.Role.FOLLOWER, "closed", 4, position[0],
                2, 50, 50, 0, 1, 0, 0, 0, "");
        });
        assertEquals(List.of("node0", "node1", "node2", "node0"), reads);
        final long leader = nodes.get(0).commitPosition();
        assertTrue(nodes.get(1).commitPosition() <= leader && nodes.get(2).commitPosition() <= leader, nodes::toString);
    }

    @Test
    void aLeaderResumedFromAPauseIsShownStaleBesideTheLeaderOfTheNewerTerm()
    {
        final String table = ClusterStatus.format(List.of(
            node(0, Cluster.Role.LEADER, 3, ""), node(1, Cluster.Role.LEADER, 4, ""), node(2, Cluster.Role.FOLLOWER, 4, "")));
        assertTrue(table.startsWith("leader: node 1, term 4"), table);
        assertEquals(1, table.lines().filter(l -> l.contains(" leader ")).count(), "one leader row:\n" + table);
        assertTrue(row(table, 0).contains(" stale "), table);
        assertTrue(row(table, 0).endsWith("leads an older term by its own counters; node 1 leads term 4"), table);
        assertTrue(row(table, 1).contains(" leader "), table);
    }

    @Test
    void twoDirectoriesOfOneNodeIdNameTheirDirectories()
    {
        final ClusterStatus.Node down = new ClusterStatus.Node(0, Path.of("old", "node0"), false, Cluster.Role.FOLLOWER, "-", -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, "process 30301 is gone");
        final String table = ClusterStatus.format(List.of(down, node(0, Cluster.Role.LEADER, 9, ""), node(1, Cluster.Role.FOLLOWER, 9, "")));
        final List<String> rows = table.lines().filter(l -> l.startsWith("0 ")).toList();
        assertTrue(rows.get(0).endsWith("dir " + Path.of("old", "node0") + "; process 30301 is gone"), table);
        assertTrue(rows.get(1).endsWith("dir node0"), table);
        assertTrue(row(table, 1).endsWith("  "), "a node id of its own is not told its directory:\n" + table);
    }

    @Test
    void aStartingNodeHasNoRoleYet()
    {
        final String table = ClusterStatus.format(List.of(node(0, Cluster.Role.FOLLOWER, -1, ClusterStatus.STARTING)));
        assertTrue(row(table, 0).matches("0\\s+yes\\s+-\\s+.*starting"), table);
    }
}
