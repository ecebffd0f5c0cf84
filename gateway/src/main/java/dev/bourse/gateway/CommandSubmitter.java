package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.RejectReason;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.Side;
import org.agrona.MutableDirectBuffer;

/**
 * The one way the gateway's commands reach the sequencer. Orders, cancels and the like are
 * claimed in the ring directly and stamped with the MsgSeqNum that carried them; if the ring is
 * full (or must-deliver commands are still waiting) they are refused as busy. Audits and
 * cancel-on-disconnect must not be lost: they wait in a bounded queue that is drained, in order,
 * before anything else goes in. Gateway thread only.
 */
final class CommandSubmitter
{
    private final CommandPublisher publisher;
    private final SessionRegistry registry;
    private final GatewayCounters counters;
    private final CommandWriter writer = new CommandWriter();
    private final PendingCommands pending = new PendingCommands(4096, CommandWriter.MAX_COMMAND_LENGTH);

    CommandSubmitter(final CommandPublisher publisher, final SessionRegistry registry, final GatewayCounters counters)
    {
        this.publisher = publisher;
        this.registry = registry;
        this.counters = counters;
    }

    CommandWriter writer()
    {
        return writer;
    }

    /** A slot for a command from a FIX message, or {@link CommandPublisher#NO_CLAIM} when busy. */
    long tryClaim()
    {
        drain();
        if (!pending.isEmpty())
        {
            counters.busyRejects.incrementRelease();
            return CommandPublisher.NO_CLAIM;
        }
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            counters.busyRejects.incrementRelease();
        }
        return claim;
    }

    MutableDirectBuffer buffer(final long claim)
    {
        return publisher.buffer(claim);
    }

    /** Publishes a claimed command that {@code session}'s message {@code msgSeqNum} carried. */
    void commit(final long claim, final int length, final FixSession session, final int msgSeqNum)
    {
        if (length > 0)
        {
            CommandWriter.msgSeqNum(publisher.buffer(claim), 0, msgSeqNum);
            registry.inbound(session.sessionId).commandSubmitted(msgSeqNum);
        }
        publisher.commit(claim, length);
    }

    void audit(final long timestamp, final int sessionId, final long accountId, final AuditType type, final int detail, final String username)
    {
        audit(timestamp, sessionId, accountId, type, detail, username, 0, "");
    }

    /**
     * A session's last audit (LOGOUT, DISCONNECTED), carrying the last inbound MsgSeqNum the gateway
     * consumed: messages it answered itself after its last command (business rejects while logging
     * out, throttled orders) count as received in the journal too, so a gateway that takes the session
     * over does not ask for them again and turn a rejected order into an executed one.
     */
    void endOfSessionAudit(final long timestamp, final int sessionId, final long accountId, final AuditType type, final String username,
        final int lastInbound)
    {
        audit(timestamp, sessionId, accountId, type, 0, username, 0, "", lastInbound);
    }

    /** An audit naming the gateway and the session's CompID (see {@link SessionDirectory}); false if it was dropped. */
    boolean audit(
        final long timestamp, final int sessionId, final long accountId, final AuditType type, final int detail, final String username,
        final int gatewayId, final String compId)
    {
        return audit(timestamp, sessionId, accountId, type, detail, username, gatewayId, compId, 0);
    }

    /** {@code msgSeqNum}: the inbound number the audit counts as received (0: none), with every number before it. */
    boolean audit(
        final long timestamp, final int sessionId, final long accountId, final AuditType type, final int detail, final String username,
        final int gatewayId, final String compId, final int msgSeqNum)
    {
        final MutableDirectBuffer buffer = pending.claim();
        if (buffer == null)
        {
            counters.droppedCommands.incrementRelease();
            return false;
        }
        final int offset = pending.claimOffset();
        final int length = writer.audit(buffer, offset, timestamp, sessionId, accountId, type, detail,
            username == null ? "" : username, gatewayId, compId == null ? "" : compId);
        if (length > 0 && msgSeqNum > 0)
        {
            CommandWriter.msgSeqNum(buffer, offset, msgSeqNum);
        }
        pending.commit(length);
        drain();
        return true;
    }

    /**
     * A request the gateway refused itself, as an ORDER_REFUSED audit ({@link CommandWriter#refusedOrderAudit}):
     * the journal, the audit trail, holds it, and its MsgSeqNum counts as received.
     */
    void refusedOrder(final long timestamp, final int sessionId, final long accountId, final RejectReason reason,
        final String username, final int instrumentId, final CharSequence clOrdId, final int msgSeqNum)
    {
        final MutableDirectBuffer buffer = pending.claim();
        if (buffer == null)
        {
            counters.droppedCommands.incrementRelease();
            return;
        }
        final int offset = pending.claimOffset();
        final int length = writer.refusedOrderAudit(buffer, offset, timestamp, sessionId, accountId, reason,
            username == null ? "" : username, instrumentId, clOrdId);
        CommandWriter.msgSeqNum(buffer, offset, msgSeqNum);
        pending.commit(length);
        drain();
    }

    /** One slice of a session's cancel-on-disconnect: at most {@code maxOrders} of its orders. */
    void cancelOnDisconnect(final long timestamp, final int sessionId, final long accountId, final int maxOrders)
    {
        final MutableDirectBuffer buffer = pending.claim();
        if (buffer == null)
        {
            counters.droppedCommands.incrementRelease();
            return;
        }
        pending.commit(writer.massCancel(buffer, pending.claimOffset(), timestamp, sessionId, accountId, 0, null, true,
            CancelReason.CANCEL_ON_DISCONNECT, "", maxOrders));
        drain();
    }

    /** The next slice of a client's mass cancel (no ClOrdID: the first slice carried it). */
    void massCancelSlice(
        final long timestamp, final int sessionId, final long accountId, final int instrumentId, final int side, final int maxOrders,
        final long upToOrderId)
    {
        final MutableDirectBuffer buffer = pending.claim();
        if (buffer == null)
        {
            counters.droppedCommands.incrementRelease();
            return;
        }
        pending.commit(writer.massCancel(buffer, pending.claimOffset(), timestamp, sessionId, accountId, instrumentId,
            side == Side.BUY.value() ? Side.BUY : side == Side.SELL.value() ? Side.SELL : null, false, CancelReason.MASS_CANCEL, "",
            maxOrders, upToOrderId));
        drain();
    }

    /** Moves waiting must-deliver commands into the ring, oldest first; the number moved. */
    int drain()
    {
        return pending.isEmpty() ? 0 : pending.drainTo(publisher);
    }

    boolean hasPending()
    {
        return !pending.isEmpty();
    }
}
