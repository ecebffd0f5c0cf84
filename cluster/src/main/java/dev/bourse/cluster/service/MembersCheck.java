package dev.bourse.cluster.service;

import dev.bourse.cluster.sbe.MembersCheckDecoder;
import dev.bourse.cluster.sbe.MembersCheckEncoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import io.aeron.cluster.service.Cluster;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Whether every node runs with the same {@code cluster.members}. Aeron Cluster takes each node's
 * list as given: a node with another member's address wrong joins, follows and looks healthy, and
 * only when a node is lost does the majority find it cannot reach itself to elect. So the leader's
 * service puts its list into the log now and then (a service message, applied on every node and
 * changing no state), and a node whose own list differs says so in an ERROR line at once, while
 * the cluster still has its leader.
 */
final class MembersCheck
{
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final String members;
    private final Consumer<String> log;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MembersCheckEncoder encoder = new MembersCheckEncoder();
    private final MembersCheckDecoder decoder = new MembersCheckDecoder();
    private long nextAnnouncement;
    private String reportedMismatch;

    /** @param members this node's list, as {@code ClusterMembers.toString()} prints it; null: nothing to compare */
    MembersCheck(final String members, final Consumer<String> log)
    {
        this.members = members;
        this.log = log;
    }

    /** A new leader announces at its first chance. */
    void onLeader(final long nowNs)
    {
        nextAnnouncement = nowNs;
    }

    /**
     * Called from the service's log callbacks (Aeron refuses service messages from background
     * work): on the leader, its list into the log when due; back-pressure tries again at the next
     * call. The leader's results heartbeat timer (every 250 ms once a gateway is connected) and every
     * client message make the calls. Returns work done.
     */
    int maybeAnnounce(final Cluster cluster, final long nowNs)
    {
        if (members == null || cluster.role() != Cluster.Role.LEADER || nowNs - nextAnnouncement < 0)
        {
            return 0;
        }
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).leaderMemberId(cluster.memberId()).members(members);
        if (cluster.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()) > 0)
        {
            nextAnnouncement = nowNs + INTERVAL_NS;
            return 1;
        }
        return 0;
    }

    /** A MembersCheck read from the log (its body at {@code offset}): compared with this node's list. */
    void onMessage(final DirectBuffer message, final int offset, final int blockLength, final int version, final int memberId)
    {
        if (members == null)
        {
            return;
        }
        decoder.wrap(message, offset, blockLength, version);
        final int leader = decoder.leaderMemberId();
        final String leaders = decoder.members();
        if (leaders.equals(members))
        {
            if (reportedMismatch != null)
            {
                reportedMismatch = null;
                log.accept("service: cluster.members agrees with the leader's (node " + leader + ") again");
            }
            return;
        }
        final String mismatch = leader + ":" + leaders;
        if (!mismatch.equals(reportedMismatch))
        {
            reportedMismatch = mismatch;
            log.accept("service: ERROR cluster.members differs from the leader's: leader node " + leader + " has " + leaders
                + ", this node (" + memberId + ") has " + members + "; every node and gateway needs the same list, or the "
                + "survivors of a lost node may be unable to elect: correct the list and restart the node(s) that differ");
        }
    }

    static boolean isOneOf(final MessageHeaderDecoder header)
    {
        return header.templateId() == MembersCheckDecoder.TEMPLATE_ID && header.blockLength() >= MembersCheckDecoder.BLOCK_LENGTH;
    }
}
