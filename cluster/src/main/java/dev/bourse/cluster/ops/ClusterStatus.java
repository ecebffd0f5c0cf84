package dev.bourse.cluster.ops;

import dev.bourse.cluster.ClusterCounterTypes;
import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads the state of cluster nodes from their directories on this host: the {@code node.properties}
 * each node writes at start names its media driver's directory, whose counters file holds Aeron
 * Cluster's counters (role, leadership term, commit position, elections) and bourse's (engine and
 * journal sequence, duplicates, clients; see {@link ClusterCounterTypes}). Reading never disturbs
 * a node, and a node that is down (its driver's heartbeat stale, or its process gone) reads as down.
 * For nodes on other hosts, run it there (or point it at their directories).
 */
public final class ClusterStatus
{
    /** A driver heartbeat older than this means the node is down. */
    static final long STALE_MS = 3_000;
    /** The note of a node whose role counter is not there yet: shown with no role, not as a follower. */
    static final String STARTING = "starting";
    /** The note of a node whose cluster.members differs from its leader's (its service's check of the log says so). */
    static final String MEMBERS_DIFFER = "ERROR: cluster.members differs from the leader's (see this node's log)";

    /** One node's status; counters are -1 when the node is down. */
    public record Node(
        int nodeId, Path dir, boolean up, Cluster.Role role, String election, long leadershipTermId, long commitPosition, long elections,
        long engineSequence, long journalSequence, long duplicates, long clients, long resends, long snapshots, long leaderMemberId,
        String note)
    {
        public boolean isLeader()
        {
            return up && role == Cluster.Role.LEADER;
        }
    }

    /** Statuses of the nodes in {@code dirs} (each a node's cluster.dir). */
    public static List<Node> read(final List<Path> dirs)
    {
        return read(dirs, ClusterStatus::readNode);
    }

    /**
     * As {@link #read(List)} with {@code reader} reading one directory. The leader's counters are
     * read again last: read first, its commit position was older than the followers' read after it,
     * and a follower showed a commit position ahead of its leader's (an outside tester).
     */
    static List<Node> read(final List<Path> dirs, final java.util.function.Function<Path, Node> reader)
    {
        final List<Node> nodes = new ArrayList<>();
        for (final Path dir : dirs)
        {
            nodes.add(reader.apply(dir));
        }
        final Node leader = leader(nodes);
        if (leader != null && nodes.size() > 1)
        {
            final int at = nodes.indexOf(leader);
            final Node again = reader.apply(dirs.get(at));
            if (again.isLeader()) // else it lost the lead meanwhile: the first reading stands with the others
            {
                nodes.set(at, again);
            }
        }
        return nodes;
    }

    /** The up leader among {@code nodes}, or null. */
    public static Node leader(final List<Node> nodes)
    {
        Node leader = null;
        for (final Node n : nodes)
        {
            if (n.isLeader() && (leader == null || n.leadershipTermId() > leader.leadershipTermId()))
            {
                leader = n;
            }
        }
        return leader;
    }

    /**
     * The member id of the leader the up followers among {@code nodes} follow (their election closed, the newest term's leader
     * in their log), or -1: it lets a follower's directory alone say whether the cluster has a leader, e.g. on a host that
     * runs one node.
     */
    public static int followedLeader(final List<Node> nodes)
    {
        Node newest = null;
        for (final Node n : nodes)
        {
            if (n.up() && n.role() == Cluster.Role.FOLLOWER && "closed".equals(n.election()) && n.leaderMemberId() >= 0
                && (newest == null || n.leadershipTermId() > newest.leadershipTermId()))
            {
                newest = n;
            }
        }
        return newest == null ? -1 : (int)newest.leaderMemberId();
    }

    /** Whether a leader is up: among {@code nodes}, or followed by one of them. */
    public static boolean hasLeader(final List<Node> nodes)
    {
        return leader(nodes) != null || followedLeader(nodes) >= 0;
    }

    static Node readNode(final Path dir)
    {
        final Properties p = new Properties();
        final Path info = dir.resolve("node.properties");
        try (Reader in = Files.newBufferedReader(info, StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        catch (final IOException e)
        {
            return down(-1, dir, "no node.properties in " + dir + " (never started here?)");
        }
        final int nodeId = Integer.parseInt(p.getProperty("node-id", "-1"));
        final long pid = Long.parseLong(p.getProperty("pid", "-1"));
        if (pid > 0 && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true))
        {
            return down(nodeId, dir, "process " + pid + " is gone");
        }
        final File cnc = new File(p.getProperty("aeron-dir", ""), CncFileDescriptor.CNC_FILE);
        if (!cnc.isFile())
        {
            return down(nodeId, dir, "no media driver at " + cnc.getParent());
        }
        MappedByteBuffer mapped = null;
        try
        {
            mapped = IoUtil.mapExistingFile(cnc, "cnc");
            final DirectBuffer meta = CncFileDescriptor.createMetaDataBuffer(mapped);
            CncFileDescriptor.checkVersion(meta.getInt(CncFileDescriptor.cncVersionOffset(0)));
            final ManyToOneRingBuffer toDriver = new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(mapped, meta));
            if (System.currentTimeMillis() - toDriver.consumerHeartbeatTime() > STALE_MS)
            {
                return down(nodeId, dir, "media driver heartbeat is stale");
            }
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, meta), CncFileDescriptor.createCountersValuesBuffer(mapped, meta));
            final long role = value(counters, AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
            final long election = value(counters, AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID);
            return new Node(nodeId, dir, true, role < 0 ? Cluster.Role.FOLLOWER : Cluster.Role.get(role),
                election < 0 || election >= ElectionState.values().length ? "-" : ElectionState.get(election).name().toLowerCase(Locale.ROOT),
                value(counters, AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID),
                value(counters, AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID),
                value(counters, AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID),
                value(counters, ClusterCounterTypes.ENGINE_SEQUENCE),
                value(counters, ClusterCounterTypes.JOURNAL_SEQUENCE),
                value(counters, ClusterCounterTypes.DUPLICATES),
                value(counters, ClusterCounterTypes.CLIENTS),
                value(counters, ClusterCounterTypes.RESENDS),
                value(counters, AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID),
                value(counters, ClusterCounterTypes.LEADER_MEMBER_ID),
                role < 0 ? STARTING : value(counters, ClusterCounterTypes.MEMBERS_MISMATCH) == 1 ? MEMBERS_DIFFER : "");
        }
        catch (final RuntimeException e)
        {
            return down(nodeId, dir, "cannot read " + cnc + ": " + e.getMessage());
        }
        finally
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    private static Node down(final int nodeId, final Path dir, final String note)
    {
        return new Node(nodeId, dir, false, null, "-", -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, note);
    }

    private static long value(final CountersReader counters, final int typeId)
    {
        final long[] found = {-1};
        counters.forEach((counterId, type, key, label) ->
        {
            if (type == typeId && found[0] == -1)
            {
                found[0] = counters.getCounterValue(counterId);
            }
        });
        return found[0];
    }

    /** The table {@code ./exchange cluster status} prints. */
    public static String format(final List<Node> nodes)
    {
        final Node leader = leader(nodes);
        final int followed = followedLeader(nodes);
        final StringBuilder sb = new StringBuilder();
        final String leaderText = leader != null ? "node " + leader.nodeId() + ", term " + leader.leadershipTermId()
            : followed >= 0 ? "node " + followed + " (followed by the nodes shown; its directory was not read, so no lag is shown)"
            : "none (election in progress, or no majority up)";
        sb.append(String.format(Locale.ROOT, "leader: %s%n", leaderText));
        sb.append(String.format(Locale.ROOT, "%-5s %-5s %-9s %-24s %6s %16s %12s %14s %14s %10s %9s %8s  %s%n",
            "node", "up", "role", "election", "term", "commit-position", "lag-bytes", "engine-seq", "journal-seq", "lag-seq", "elections",
            "clients", "note"));
        for (final Node n : nodes)
        {
            final String lagBytes = leader == null || !n.up() ? "-" : Long.toString(Math.max(0, leader.commitPosition() - n.commitPosition()));
            final String lagSeq = leader == null || !n.up() ? "-" : Long.toString(Math.max(0, leader.engineSequence() - n.engineSequence()));
            // a leader resumed from a pause still says so until it hears of the newer term (2-3 s): one leader row, not two
            final boolean staleLeader = n.isLeader() && leader != null && n != leader;
            final String role = !n.up() || STARTING.equals(n.note()) ? "-" : staleLeader ? "stale" : n.role().name().toLowerCase(Locale.ROOT);
            final String own = staleLeader ? "leads an older term by its own counters; node " + leader.nodeId() + " leads term "
                + leader.leadershipTermId() : n.note();
            // two directories of one node id (another cluster's, or an old copy) read as one node both up and down: each
            // row names its directory then (an outside tester's operator saw "node 0" down and leading)
            final String note = sharesNodeId(nodes, n) ? ("dir " + n.dir() + (own.isEmpty() ? "" : "; " + own)) : own;
            sb.append(String.format(Locale.ROOT, "%-5s %-5s %-9s %-24s %6s %16s %12s %14s %14s %10s %9s %8s  %s%n",
                n.nodeId() < 0 ? "?" : Integer.toString(n.nodeId()), n.up() ? "yes" : "DOWN",
                role, n.election(), show(n.leadershipTermId()), show(n.commitPosition()), lagBytes,
                show(n.engineSequence()), show(n.journalSequence()), lagSeq, show(n.elections()), show(n.clients()), note));
        }
        return sb.toString();
    }

    private static boolean sharesNodeId(final List<Node> nodes, final Node node)
    {
        for (final Node other : nodes)
        {
            if (other != node && other.nodeId() == node.nodeId())
            {
                return true;
            }
        }
        return false;
    }

    private static String show(final long value)
    {
        return value < 0 ? "-" : Long.toString(value);
    }

    private ClusterStatus()
    {
    }
}
