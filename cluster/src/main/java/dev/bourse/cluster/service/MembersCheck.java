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
 * only when a node is lost does the majority find it cannot reach itself to elect. So the services
 * put their list into the log now and then (a service message, applied on every node and changing
 * no state), and a node whose own list differs from the leader's says so in an ERROR line at once,
 * while the cluster still has its leader.
 * <p>
 * Every node's service offers, at the same log events: Aeron Cluster logs the leader's copy and
 * expects each follower to offer the same messages, which it then drops as the log brings the
 * leader's. Offering on the leader alone, by its own clock, made every node log "Follower has
 * missed N service message(s)" at each snapshot (an outside probe of the cluster), and a follower
 * that offered what the leader did not would append it when it became leader.
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
    private final java.util.function.LongConsumer mismatchGauge;
    private String reportedMismatch;

    /**
     * @param members       this node's list, as {@code ClusterMembers.toString()} prints it; null: nothing to compare
     * @param mismatchGauge set to 1 while the list differs from the leader's, 0 when it agrees: the ERROR line alone
     *                      left a monitor that reads no logs seeing a healthy node (an outside tester)
     */
    MembersCheck(final String members, final Consumer<String> log, final java.util.function.LongConsumer mismatchGauge)
    {
        this.members = members;
        this.log = log;
        this.mismatchGauge = mismatchGauge;
    }

    /**
     * Whether a periodic timer's event at log time {@code timestamp}, firing at least {@code period}
     * after the one before, is the first of an {@code interval} window: decided from the event alone,
     * so every node, a restarted or rebuilt one included, decides alike without any state of its own.
     */
    static boolean isDue(final long timestamp, final long period, final long interval)
    {
        return Math.floorDiv(timestamp, interval) != Math.floorDiv(timestamp - period, interval);
    }

    /**
     * Called from the heartbeat timer's event (a log callback, at the same log position on every
     * node; Aeron takes service messages only from log callbacks): this node's list when due, on
     * every node whatever its role. Returns work done.
     */
    int maybeAnnounce(final Cluster cluster, final long timestamp, final long heartbeatPeriod)
    {
        if (members == null || !isDue(timestamp, heartbeatPeriod, cluster.timeUnit().convert(INTERVAL_NS, TimeUnit.NANOSECONDS)))
        {
            return 0;
        }
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).leaderMemberId(cluster.memberId()).members(members);
        return cluster.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()) > 0 ? 1 : 0;
    }

    /**
     * Whether a check at log time {@code timestamp} is history at wall-clock time {@code now} (both in
     * the cluster's time unit): older than two announcing intervals, so read while the node replays
     * or catches up on its log. Its leader led in some past term: a node restarted with a wrong list
     * named past leaders in turn, all before it was ready, and then said nothing (an outside tester).
     */
    static boolean isHistory(final long timestamp, final long now, final long interval)
    {
        return now - timestamp > 2 * interval;
    }

    /**
     * A MembersCheck read from the log (its body at {@code offset}): compared with this node's list,
     * unless it is {@linkplain #isHistory history} (the live ones, every interval, say it then).
     */
    void onMessage(
        final DirectBuffer message, final int offset, final int blockLength, final int version, final int memberId, final boolean history)
    {
        if (members == null || history)
        {
            return;
        }
        decoder.wrap(message, offset, blockLength, version);
        final int leader = decoder.leaderMemberId();
        final String leaders = decoder.members();
        mismatchGauge.accept(leaders.equals(members) ? 0 : 1);
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
