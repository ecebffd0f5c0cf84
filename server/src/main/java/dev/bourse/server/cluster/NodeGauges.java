package dev.bourse.server.cluster;

import dev.bourse.cluster.ClusterCounterTypes;
import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.protocol.CounterDescriptor;
import dev.bourse.readmodels.ReadModelCounters;
import io.aeron.AeronCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A cluster node's gauges in the process's counters file (so {@code ./exchange stat} and
 * {@code /metrics} show them), sampled every 100 ms on the housekeeping thread: the node's role,
 * elections, leadership term, commit position and its lag behind it, read from the counters Aeron
 * Cluster and the service keep in the node's media driver; the journal's head; and copies of what
 * market data and the read models count themselves.
 */
final class NodeGauges implements Agent, dev.bourse.readmodels.StatusSource
{
    private static final long SAMPLE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier nodeRole;
    private final LongSupplier nodeElections;
    private final LongSupplier nodeTerm;
    private final LongSupplier nodeCommit;
    private final LongSupplier nodeApplied;
    private final LongSupplier nodeSnapshots;
    private final LongSupplier nodeDuplicates;
    private final LongSupplier nodeMembersMismatch;
    private final LongSupplier nodeJournalSequence;
    private final MarketDataPublisher marketData;
    private volatile ReadModelCounters readModels;

    private final AtomicCounter role;
    private final AtomicCounter elections;
    private final AtomicCounter term;
    private final AtomicCounter commitPosition;
    private final AtomicCounter lag;
    private final AtomicCounter withoutLeader;
    private final ClusterNode node;
    private final AtomicCounter snapshots;
    private final AtomicCounter duplicates;
    private final AtomicCounter membersMismatch;
    private final AtomicCounter journalSequence;
    private final AtomicCounter marketDataLag;
    private final AtomicCounter marketDataMessages;
    private final AtomicCounter marketDataPublishing;
    private final AtomicCounter marketDataReplays;
    private final AtomicCounter readModelsLag;
    private final AtomicCounter queries;
    private long lastSample;

    NodeGauges(final CountersManager counters, final ClusterNode node, final MarketDataPublisher marketData)
    {
        this.marketData = marketData;
        this.node = node;
        nodeRole = node.counterReader(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
        nodeElections = node.counterReader(AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID);
        nodeTerm = node.counterReader(AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID);
        nodeCommit = node.counterReader(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID);
        nodeApplied = node.counterReader(ClusterCounterTypes.APPLIED_POSITION);
        nodeSnapshots = node.counterReader(AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID);
        nodeDuplicates = node.counterReader(ClusterCounterTypes.DUPLICATES);
        nodeMembersMismatch = node.counterReader(ClusterCounterTypes.MEMBERS_MISMATCH);
        nodeJournalSequence = node.counterReader(ClusterCounterTypes.JOURNAL_SEQUENCE);
        role = CounterDescriptor.CLUSTER_ROLE.newCounter(counters);
        elections = CounterDescriptor.CLUSTER_ELECTIONS.newCounter(counters);
        term = CounterDescriptor.CLUSTER_LEADERSHIP_TERM.newCounter(counters);
        commitPosition = CounterDescriptor.CLUSTER_COMMIT_POSITION.newCounter(counters);
        lag = CounterDescriptor.CLUSTER_LAG.newCounter(counters);
        withoutLeader = CounterDescriptor.CLUSTER_SECONDS_WITHOUT_LEADER.newCounter(counters);
        snapshots = CounterDescriptor.CLUSTER_SNAPSHOTS.newCounter(counters);
        duplicates = CounterDescriptor.CLUSTER_DUPLICATES.newCounter(counters);
        membersMismatch = CounterDescriptor.CLUSTER_MEMBERS_MISMATCH.newCounter(counters);
        journalSequence = CounterDescriptor.JOURNAL_SEQUENCE.newCounter(counters);
        marketDataLag = CounterDescriptor.MD_LAG.newCounter(counters);
        marketDataMessages = CounterDescriptor.MD_MESSAGES.newCounter(counters);
        marketDataPublishing = CounterDescriptor.MD_PUBLISHING.newCounter(counters);
        marketDataReplays = CounterDescriptor.MD_REPLAYS.newCounter(counters);
        readModelsLag = CounterDescriptor.READ_MODELS_LAG.newCounter(counters);
        queries = CounterDescriptor.QUERIES.newCounter(counters);
    }

    void readModels(final ReadModelCounters counters)
    {
        readModels = counters;
    }

    @Override
    public int doWork()
    {
        final long now = System.nanoTime();
        if (now - lastSample < SAMPLE_EVERY_NS)
        {
            return 0;
        }
        lastSample = now;
        sample();
        return 1;
    }

    private void sample()
    {
        role.setRelease(nodeRole.getAsLong());
        elections.setRelease(Math.max(0, nodeElections.getAsLong()));
        term.setRelease(nodeTerm.getAsLong());
        final long commit = nodeCommit.getAsLong();
        commitPosition.setRelease(commit);
        final long applied = nodeApplied.getAsLong();
        lag.setRelease(commit < 0 || applied < 0 ? 0 : Math.max(0, commit - applied));
        // the lag is behind what this node knows is committed: without a leader it knows nothing newer, so 0 says
        // nothing of how far behind the cluster it is (an outside probe): this says it is in an election
        withoutLeader.setRelease(node.secondsWithoutLeader());
        snapshots.setRelease(Math.max(0, nodeSnapshots.getAsLong()));
        duplicates.setRelease(Math.max(0, nodeDuplicates.getAsLong()));
        membersMismatch.setRelease(Math.max(0, nodeMembersMismatch.getAsLong()));
        final long head = Math.max(0, nodeJournalSequence.getAsLong());
        journalSequence.setRelease(head);
        if (marketData != null)
        {
            marketDataLag.setRelease(marketData.lagCounterValue());
            marketDataMessages.setRelease(marketData.messagesCounterValue());
            marketDataPublishing.setRelease(marketData.isPublishing() ? 1 : 0);
            marketDataReplays.setRelease(marketData.replays());
        }
        final ReadModelCounters rm = readModels;
        if (rm != null)
        {
            readModelsLag.setRelease(Math.max(0, head - rm.sequence()));
            queries.setRelease(rm.queriesServed());
        }
    }

    /**
     * The node's part of {@code /api/v1/status}, from the gauges of the last sample: a node in an
     * election answers from a state that stands still, and its lag of 0 is behind what it knows.
     */
    @Override
    public void describe(final dev.bourse.readmodels.Json json)
    {
        json.name("cluster").beginObject()
            .name("nodeId").value(node.context().nodeId())
            .name("role").value(node.role().name().toLowerCase(java.util.Locale.ROOT))
            .name("leaderKnown").value(node.leaderKnown())
            .name("secondsWithoutLeader").value(withoutLeader.get())
            .name("leadershipTerm").value(term.get())
            .name("commitPosition").value(commitPosition.get())
            .name("lagBytes").value(lag.get())
            .endObject();
    }

    @Override
    public void onClose()
    {
        sample();
    }

    @Override
    public String roleName()
    {
        return "node-gauges";
    }
}
