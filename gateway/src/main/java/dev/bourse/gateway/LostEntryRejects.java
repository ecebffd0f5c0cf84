package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;

/**
 * Reads an entry the journal could not store (the engine hands it over after a journal failure)
 * and rejects its command to its sender, once: nothing of it happened, and the sender must hear
 * so. Split from {@link JournalReports}, which routes the journal's stored entries. Gateway thread
 * only.
 */
final class LostEntryRejects implements JournalEventListener
{
    private final SessionRegistry registry;
    private final ReportWriter reports;
    private final DisconnectCancels disconnectCancels;
    private final Answered answered;
    private boolean lostCommandAnswered;

    /** Told of each lost entry's command: answered, never journaled (see JournalReports#answeredWithoutJournal). */
    interface Answered
    {
        void answered(int sessionId, int msgSeqNum);
    }

    LostEntryRejects(final SessionRegistry registry, final ReportWriter reports, final DisconnectCancels disconnectCancels,
        final Answered answered)
    {
        this.registry = registry;
        this.reports = reports;
        this.disconnectCancels = disconnectCancels;
        this.answered = answered;
    }

    /** Before each lost entry: its command is not answered yet. */
    void reset()
    {
        lostCommandAnswered = false;
    }

    private int sessionId;

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        sessionId = header.sessionId();
        answered.answered(sessionId, ReportWriter.msgSeqNumOf(header));
    }

    private boolean target()
    {
        if (lostCommandAnswered || sessionId <= 0)
        {
            return false;
        }
        final FixSession session = registry.online(sessionId);
        final SessionStore store = session != null ? session.store : registry.store(sessionId);
        if (store == null)
        {
            return false;
        }
        lostCommandAnswered = true;
        reports.target(session, store);
        return true;
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
    {
        if (header.commandType() == CommandType.NEW_ORDER && target())
        {
            reports.haltedOrderReject(e.buffer(), e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset(), e.instrumentId(),
                e.sideRaw(), e.quantity());
        }
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder e)
    {
        if (header.commandType() == CommandType.NEW_ORDER && target())
        {
            reports.haltedOrderReject(e.buffer(), e.offset() + OrderRejectedDecoder.clOrdIdEncodingOffset(), e.instrumentId(),
                e.side(), Math.max(0, e.quantity()));
        }
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder e)
    {
        if (header.commandType() == CommandType.CANCEL_ORDER && target())
        {
            reports.haltedCancelReject(e.buffer(), e.offset() + OrderCanceledDecoder.requestClOrdIdEncodingOffset(),
                e.offset() + OrderCanceledDecoder.clOrdIdEncodingOffset(), e.orderId(), false);
        }
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder e)
    {
        if (header.commandType() == CommandType.REPLACE_ORDER && target())
        {
            reports.haltedCancelReject(e.buffer(), e.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset(),
                e.offset() + OrderReplacedDecoder.origClOrdIdEncodingOffset(), e.orderId(), true);
        }
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder header, final CancelRejectedDecoder e)
    {
        if (target())
        {
            reports.haltedCancelReject(e.buffer(), e.offset() + CancelRejectedDecoder.clOrdIdEncodingOffset(),
                e.offset() + CancelRejectedDecoder.origClOrdIdEncodingOffset(), Math.max(0, e.orderId()),
                e.responseTo() == CommandType.REPLACE_ORDER);
        }
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder e)
    {
        if (e.reason() == CancelReason.CANCEL_ON_DISCONNECT)
        {
            disconnectCancels.onSliceRefused(e.sessionId()); // lost with the journal: no more slices until a restart
            return;
        }
        if (e.reason() != CancelReason.KILL_SWITCH && target())
        {
            reports.haltedRequestReject('q', ReportWriter.msgSeqNumOf(header), e.buffer(), e.offset() + MassCancelDoneDecoder.clOrdIdEncodingOffset());
        }
    }

    @Override
    public void onOrderStatusReport(final EntryHeaderDecoder header, final OrderStatusReportDecoder e)
    {
        if (header.commandType() == CommandType.NEW_ORDER && target())
        {
            // a resent order answered with its first copy's status: the client sent a NewOrderSingle
            reports.haltedOrderReject(e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset(), e.instrumentId(),
                e.side(), Math.max(0, e.quantity()));
        }
        else if (target())
        {
            reports.haltedRequestReject('H', ReportWriter.msgSeqNumOf(header), e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
        }
    }
}
