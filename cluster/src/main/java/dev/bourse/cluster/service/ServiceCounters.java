package dev.bourse.cluster.service;

import dev.bourse.cluster.ClusterCounterTypes;
import io.aeron.Aeron;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/** The service's counters; written only on the service thread. */
final class ServiceCounters implements AutoCloseable
{
    final AtomicCounter engineSequence;
    final AtomicCounter journalSequence;
    final AtomicCounter duplicates;
    final AtomicCounter gaps;
    final AtomicCounter clients;
    final AtomicCounter stalls;
    final AtomicCounter resends;
    final AtomicCounter verified;
    final AtomicCounter memberId;
    final AtomicCounter appliedPosition;
    final AtomicCounter leaderMemberId;
    final AtomicCounter membersMismatch;

    private ServiceCounters(final CounterFactory factory)
    {
        engineSequence = factory.add(ClusterCounterTypes.ENGINE_SEQUENCE, "bourse engine sequence");
        journalSequence = factory.add(ClusterCounterTypes.JOURNAL_SEQUENCE, "bourse journal sequence");
        duplicates = factory.add(ClusterCounterTypes.DUPLICATES, "bourse duplicate commands dropped");
        gaps = factory.add(ClusterCounterTypes.COMMAND_GAPS, "bourse command batches out of order");
        clients = factory.add(ClusterCounterTypes.CLIENTS, "bourse cluster clients");
        stalls = factory.add(ClusterCounterTypes.RESULT_STALLS, "bourse results stalls");
        resends = factory.add(ClusterCounterTypes.RESENDS, "bourse results resends");
        verified = factory.add(ClusterCounterTypes.JOURNAL_VERIFIED, "bourse journal entries verified on replay");
        memberId = factory.add(ClusterCounterTypes.MEMBER_ID, "bourse cluster member id");
        appliedPosition = factory.add(ClusterCounterTypes.APPLIED_POSITION, "bourse log position applied");
        leaderMemberId = factory.add(ClusterCounterTypes.LEADER_MEMBER_ID, "bourse cluster leader member id");
        leaderMemberId.setRelease(-1);
        membersMismatch = factory.add(ClusterCounterTypes.MEMBERS_MISMATCH, "bourse cluster.members differs from the leader's");
    }

    private interface CounterFactory
    {
        AtomicCounter add(int typeId, String label);
    }

    /** Counters in the node's media driver, visible to other processes. */
    static ServiceCounters in(final Aeron aeron)
    {
        return new ServiceCounters(aeron::addCounter);
    }

    /** Counters in a private buffer (a service run outside a media driver's view, e.g. tools). */
    static ServiceCounters local()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[16 * 1024]));
        return new ServiceCounters((typeId, label) -> manager.newCounter(label, typeId));
    }

    @Override
    public void close()
    {
        org.agrona.CloseHelper.closeAll(engineSequence, journalSequence, duplicates, gaps, clients, stalls, resends, verified, memberId,
            appliedPosition, leaderMemberId, membersMismatch);
    }
}
