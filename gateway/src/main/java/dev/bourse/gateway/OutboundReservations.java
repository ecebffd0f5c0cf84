package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.sbe.AuditType;

/**
 * Reserves each session's outbound MsgSeqNums in the journal ahead of their use (a
 * SEQUENCE_RESERVED audit per {@code block} numbers, asked for half a block ahead), so that a
 * gateway taking the session over after this one died starts above every number this one may have
 * sent. Only with session handover on (several gateways on a cluster). Gateway thread only.
 */
final class OutboundReservations
{
    private final CommandSubmitter submitter;
    private final CommandClock clock;
    private final GatewayCounters counters;
    private final int gatewayId;
    private final int block;

    OutboundReservations(
        final CommandSubmitter submitter, final CommandClock clock, final GatewayCounters counters, final int gatewayId,
        final int block)
    {
        this.submitter = submitter;
        this.clock = clock;
        this.counters = counters;
        this.gatewayId = gatewayId;
        this.block = block;
    }

    /** After a message numbered {@code store.nextOutSeq() - 1} was stored. */
    void onSent(final SessionStore store)
    {
        final int next = store.nextOutSeq();
        final int reserved = store.reservedUpTo();
        if (next - 1 > reserved)
        {
            // sent before its reservation was journaled: only a takeover in this window could reuse it
            counters.unreservedSends.incrementRelease();
        }
        if (!hasRoom(store))
        {
            reserve(store);
        }
    }

    /** Whether at least half a block of numbers is reserved ahead of the next one. */
    boolean hasRoom(final SessionStore store)
    {
        return store.nextOutSeq() + block / 2 <= store.reservedUpTo();
    }

    /** Asks for the next block unless a request is on its way already. */
    void reserve(final SessionStore store)
    {
        final int reserved = store.reservedUpTo();
        if (store.reservationRequested() > reserved)
        {
            return;
        }
        final int upTo = (int)Math.min(SequenceLimit.LAST, (long)Math.max(reserved, store.nextOutSeq() - 1) + block); // never wrapped
        if (submitter.audit(clock.timestamp(), store.sessionId(), 0, AuditType.SEQUENCE_RESERVED, upTo, store.username(),
            gatewayId, store.compId()))
        {
            store.reservationRequested(upTo);
        }
    }
}
