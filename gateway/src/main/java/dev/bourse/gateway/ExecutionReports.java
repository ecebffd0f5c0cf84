package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixWriter;
import dev.bourse.gateway.store.GatewayState;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

/**
 * Turns journal events into FIX messages for the sessions they belong to: ExecutionReport (8),
 * OrderCancelReject (9), OrderMassCancelReport (r), and BusinessMessageReject (j) for a status
 * request on an unknown order. Runs inside the gateway's duty cycle, so nothing is acknowledged
 * before it is journaled. Also learns symbols from InstrumentAdded. Allocation free.
 */
final class ExecutionReports implements JournalHandler, JournalEventListener
{
    private final SessionManager manager;
    private final JournalTailer tailer;
    private final GatewayState state;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final FixWriter w;
    private boolean reporting;
    private long entrySequence;
    private int eventIndex;

    // where the current report goes
    private Session targetSession;
    private SessionStore targetStore;

    ExecutionReports(final SessionManager manager, final JournalTailer tailer, final GatewayState state)
    {
        this.manager = manager;
        this.tailer = tailer;
        this.state = state;
        this.w = manager.writer;
    }

    int poll(final int limit)
    {
        return tailer.poll(this, limit);
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        reporting = !state.hasReportedPosition() || position > state.reportedPosition();
        reader.read(buffer, offset, length, this);
        if (reporting)
        {
            state.reportedPosition(position);
        }
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        entrySequence = header.sequence();
        eventIndex = 0;
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        manager.instruments.add(event.instrumentId(), event.buffer(), event.offset() + InstrumentAddedDecoder.symbolEncodingOffset());
    }

    private boolean target(final int sessionId)
    {
        eventIndex++;
        if (!reporting || sessionId <= 0)
        {
            return false;
        }
        targetSession = manager.onlineSession(sessionId);
        targetStore = targetSession != null ? targetSession.store : manager.store(sessionId);
        return targetStore != null;
    }

    private void begin(final char type)
    {
        manager.header(targetStore, type, (byte)0);
    }

    private void finish(final char type)
    {
        manager.send(targetSession, targetStore, type, (byte)0);
    }

    private void execId(final char suffix)
    {
        w.tag(17);
        // "<sequence>-<event><suffix>": unique per journal event and side of a trade
        w.raw(numberBytes(entrySequence), 0, numberLength);
        w.raw(dash(), 0, 1);
        w.raw(numberBytes(eventIndex), 0, numberLength);
        if (suffix != 0)
        {
            w.raw(charBytes(suffix), 0, 1);
        }
        w.raw(sohBytes(), 0, 1);
    }

    private final org.agrona.concurrent.UnsafeBuffer numberScratch = new org.agrona.concurrent.UnsafeBuffer(new byte[24]);
    private final org.agrona.concurrent.UnsafeBuffer charScratch = new org.agrona.concurrent.UnsafeBuffer(new byte[1]);
    private static final org.agrona.concurrent.UnsafeBuffer DASH = new org.agrona.concurrent.UnsafeBuffer(new byte[] {'-'});
    private static final org.agrona.concurrent.UnsafeBuffer SOH = new org.agrona.concurrent.UnsafeBuffer(new byte[] {1});
    private int numberLength;

    private DirectBuffer numberBytes(final long value)
    {
        numberLength = numberScratch.putLongAscii(0, value);
        return numberScratch;
    }

    private DirectBuffer charBytes(final char c)
    {
        charScratch.putByte(0, (byte)c);
        return charScratch;
    }

    private static DirectBuffer dash()
    {
        return DASH;
    }

    private static DirectBuffer sohBytes()
    {
        return SOH;
    }

    private void clOrdId(final int tag, final DirectBuffer buffer, final int offset)
    {
        final int length = ClOrdIds.length(buffer, offset);
        if (length > 0)
        {
            w.field(tag, buffer, offset, length);
        }
    }

    private void symbol(final int instrumentId)
    {
        final byte[] symbol = manager.instruments.symbol(instrumentId);
        w.field(55, symbol != null ? symbol : GatewayTags.NONE);
    }

    private void side(final int side)
    {
        w.charField(54, (byte)(side == Side.SELL.value() ? '2' : '1'));
    }

    private void quantities(final long orderQty, final long leaves, final long cumQty, final long cumNotional)
    {
        w.field(38, orderQty).field(151, leaves).field(14, cumQty).price(6, cumQty > 0 ? cumNotional / cumQty : 0);
    }

    private static byte ordTypeChar(final short ordType)
    {
        return (byte)(ordType == OrdType.MARKET.value() ? '1' : '2');
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        begin('8');
        w.field(37, e.orderId());
        clOrdId(11, e.buffer(), e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(150, (byte)'0').charField(39, (byte)'0');
        symbol(e.instrumentId());
        side(e.sideRaw());
        w.charField(40, ordTypeChar(e.ordTypeRaw()));
        if (e.price() > 0)
        {
            w.price(44, e.price());
        }
        w.charField(59, (byte)('0' + e.timeInForceRaw()));
        quantities(e.quantity(), e.quantity(), 0, 0);
        finish('8');
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        begin('8');
        w.field(37, GatewayTags.NONE);
        clOrdId(11, e.buffer(), e.offset() + OrderRejectedDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(150, (byte)'8').charField(39, (byte)'8');
        symbol(e.instrumentId());
        side(e.side());
        quantities(Math.max(0, e.quantity()), 0, 0, 0);
        final RejectReason reason = e.reason();
        w.field(103, ordRejReason(reason)).field(58, text(reason));
        finish('8');
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder e)
    {
        final short takerSide = e.takerSideRaw();
        if (target(e.takerSessionId()))
        {
            fill(e.takerOrderId(), e.buffer(), e.offset() + TradeDecoder.takerClOrdIdEncodingOffset(), 'T', e.instrumentId(), takerSide,
                e.price(), e.quantity(), e.takerLeavesQty(), e.takerCumQty(), e.takerCumNotional());
        }
        eventIndex--;
        if (target(e.makerSessionId()))
        {
            fill(e.makerOrderId(), e.buffer(), e.offset() + TradeDecoder.makerClOrdIdEncodingOffset(), 'M', e.instrumentId(),
                takerSide == Side.BUY.value() ? Side.SELL.value() : Side.BUY.value(),
                e.price(), e.quantity(), e.makerLeavesQty(), e.makerCumQty(), e.makerCumNotional());
        }
    }

    private void fill(
        final long orderId, final DirectBuffer buffer, final int clOrdIdOffset, final char suffix, final int instrumentId,
        final short side, final long price, final long quantity, final long leaves, final long cumQty, final long cumNotional)
    {
        begin('8');
        w.field(37, orderId);
        clOrdId(11, buffer, clOrdIdOffset);
        execId(suffix);
        w.charField(150, (byte)'F').charField(39, (byte)(leaves == 0 ? '2' : '1'));
        symbol(instrumentId);
        side(side);
        w.price(31, price).field(32, quantity);
        quantities(cumQty + leaves, leaves, cumQty, cumNotional);
        finish('8');
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        final CancelReason reason = e.reason();
        final boolean expired = reason == CancelReason.EXPIRED;
        begin('8');
        w.field(37, e.orderId());
        final int requestOffset = e.offset() + OrderCanceledDecoder.requestClOrdIdEncodingOffset();
        final int orderClOrdId = e.offset() + OrderCanceledDecoder.clOrdIdEncodingOffset();
        if (ClOrdIds.length(e.buffer(), requestOffset) > 0)
        {
            clOrdId(11, e.buffer(), requestOffset);
            clOrdId(41, e.buffer(), orderClOrdId);
        }
        else
        {
            clOrdId(11, e.buffer(), orderClOrdId);
        }
        execId((char)0);
        w.charField(150, (byte)(expired ? 'C' : '4')).charField(39, (byte)(expired ? 'C' : '4'));
        symbol(e.instrumentId());
        side(e.sideRaw());
        if (e.price() > 0)
        {
            w.price(44, e.price());
        }
        quantities(e.cumQty() + e.canceledQty(), 0, e.cumQty(), e.cumNotional());
        w.field(58, reason == CancelReason.NULL_VAL ? "CANCELED" : reason.name());
        finish('8');
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        begin('8');
        w.field(37, e.orderId());
        clOrdId(11, e.buffer(), e.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset());
        clOrdId(41, e.buffer(), e.offset() + OrderReplacedDecoder.origClOrdIdEncodingOffset());
        execId((char)0);
        w.charField(150, (byte)'5').charField(39, (byte)(e.cumQty() > 0 ? '1' : '0'));
        symbol(e.instrumentId());
        side(e.sideRaw());
        w.charField(40, (byte)'2').price(44, e.price());
        quantities(e.quantity(), e.leavesQty(), e.cumQty(), e.cumNotional());
        finish('8');
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder header, final CancelRejectedDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        final RejectReason reason = e.reason();
        final boolean unknown = reason == RejectReason.UNKNOWN_ORDER || reason == RejectReason.NOT_YOUR_ORDER;
        begin('9');
        if (unknown || e.orderId() <= 0)
        {
            w.field(37, GatewayTags.NONE);
        }
        else
        {
            w.field(37, e.orderId());
        }
        clOrdId(11, e.buffer(), e.offset() + CancelRejectedDecoder.clOrdIdEncodingOffset());
        final int orig = e.offset() + CancelRejectedDecoder.origClOrdIdEncodingOffset();
        if (ClOrdIds.length(e.buffer(), orig) > 0)
        {
            clOrdId(41, e.buffer(), orig);
        }
        else
        {
            w.field(41, GatewayTags.NONE);
        }
        w.charField(39, (byte)(unknown ? '8' : '0'))
            .charField(434, (byte)(e.responseTo() == CommandType.REPLACE_ORDER ? '2' : '1'))
            .field(102, unknown ? 1 : reason == RejectReason.DUPLICATE_CLORDID ? 6 : 99)
            .field(58, text(reason));
        finish('9');
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder e)
    {
        if (e.reason() == CancelReason.CANCEL_ON_DISCONNECT)
        {
            eventIndex++;
            return;
        }
        if (!target(e.sessionId()))
        {
            return;
        }
        final RejectReason reject = e.rejectReason();
        final byte scope = (byte)(e.instrumentId() != 0 ? '1' : '7');
        begin('r');
        clOrdId(11, e.buffer(), e.offset() + MassCancelDoneDecoder.clOrdIdEncodingOffset());
        w.tag(37);
        w.raw(numberBytes(entrySequence), 0, numberLength);
        w.raw(sohBytes(), 0, 1);
        w.charField(530, scope);
        if (reject == RejectReason.NONE)
        {
            w.charField(531, scope);
        }
        else
        {
            w.charField(531, (byte)'0').field(532, reject == RejectReason.UNKNOWN_INSTRUMENT ? 1 : 99).field(58, text(reject));
        }
        w.field(533, e.canceledCount());
        if (e.instrumentId() != 0)
        {
            symbol(e.instrumentId());
        }
        if (e.side() == Side.BUY.value() || e.side() == Side.SELL.value())
        {
            side(e.side());
        }
        finish('r');
    }

    @Override
    public void onOrderStatusReport(final EntryHeaderDecoder header, final OrderStatusReportDecoder e)
    {
        if (!target(e.sessionId()))
        {
            return;
        }
        if (e.status() == OrdStatus.UNKNOWN || e.status() == OrdStatus.NULL_VAL)
        {
            begin('j');
            w.field(372, "H");
            clOrdId(379, e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
            w.field(380, 0).field(58, "unknown order");
            finish('j');
            return;
        }
        begin('8');
        w.field(37, e.orderId());
        clOrdId(11, e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(150, (byte)'I').charField(39, (byte)(e.status() == OrdStatus.PARTIALLY_FILLED ? '1' : '0'));
        symbol(e.instrumentId());
        side(e.side());
        w.charField(40, ordTypeChar(e.ordType()));
        if (e.price() > 0)
        {
            w.price(44, e.price());
        }
        w.charField(59, (byte)('0' + e.timeInForce()));
        quantities(e.quantity(), e.leavesQty(), e.cumQty(), e.cumNotional());
        finish('8');
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        eventIndex++;
    }

    // ------------------------------------------------------------------ gateway-side refusals (not journaled)

    void localOrderReject(final Session s, final FixMessage m, final RejectReason reason, final String text)
    {
        targetSession = s;
        targetStore = s.store;
        begin('8');
        w.field(37, GatewayTags.NONE);
        copy(m, 11);
        w.tag(17);
        w.raw(numberBytes(manager.nowMs()), 0, numberLength);
        w.raw(dash(), 0, 1);
        w.raw(numberBytes(s.store.nextOutSeq()), 0, numberLength);
        w.raw(sohBytes(), 0, 1);
        w.charField(150, (byte)'8').charField(39, (byte)'8');
        if (!copy(m, 55))
        {
            w.field(55, GatewayTags.NONE);
        }
        w.charField(54, (byte)(m.getChar(54) == '2' ? '2' : '1'));
        final long qty = m.getLong(38);
        quantities(qty == FixMessage.NO_VALUE ? 0 : qty, 0, 0, 0);
        w.field(103, ordRejReason(reason)).field(58, text);
        finish('8');
    }

    void localCancelReject(final Session s, final FixMessage m, final char responseTo, final String text)
    {
        targetSession = s;
        targetStore = s.store;
        begin('9');
        w.field(37, GatewayTags.NONE);
        copy(m, 11);
        if (!copy(m, 41))
        {
            w.field(41, GatewayTags.NONE);
        }
        w.charField(39, (byte)'8').charField(434, (byte)responseTo).field(102, 2).field(58, text);
        finish('9');
    }

    void localMassCancelReject(final Session s, final FixMessage m, final String text)
    {
        targetSession = s;
        targetStore = s.store;
        begin('r');
        copy(m, 11);
        w.field(37, GatewayTags.NONE);
        final byte scope = m.getChar(530);
        w.charField(530, (byte)(scope == '1' ? '1' : '7')).charField(531, (byte)'0')
            .field(532, scope == '1' ? 1 : 99).field(58, text);
        finish('r');
    }

    private boolean copy(final FixMessage m, final int tag)
    {
        final int offset = m.valueOffset(tag);
        if (offset < 0)
        {
            return false;
        }
        w.field(tag, m.buffer(), offset, m.valueLength(tag));
        return true;
    }

    static int ordRejReason(final RejectReason reason)
    {
        switch (reason)
        {
            case UNKNOWN_INSTRUMENT:
                return 1;
            case INSTRUMENT_HALTED:
            case INSTRUMENT_CLOSED:
                return 2;
            case NOTIONAL_EXCEEDED:
            case INSUFFICIENT_FUNDS:
            case INSUFFICIENT_POSITION:
            case TOO_MANY_ORDERS:
            case OUTSIDE_PRICE_BAND:
                return 3;
            case UNKNOWN_ORDER:
            case NOT_YOUR_ORDER:
                return 5;
            case DUPLICATE_CLORDID:
                return 6;
            case QTY_OUT_OF_RANGE:
            case BAD_LOT:
                return 13;
            case UNKNOWN_ACCOUNT:
                return 15;
            case WOULD_CROSS_POST_ONLY:
            case POST_ONLY_NOT_ALLOWED:
            case FOK_NOT_FILLABLE:
            case INVALID_ORDER_TYPE:
            case INVALID_TIME_IN_FORCE:
            case INVALID_STP_MODE:
                return 11;
            case EXCHANGE_BUSY:
            case THROTTLED:
            case EXCHANGE_HALTED:
                return 0;
            default:
                return 99;
        }
    }

    /** Reject text: the reason's name, except that another account's order is just unknown. */
    static String text(final RejectReason reason)
    {
        if (reason == RejectReason.NOT_YOUR_ORDER)
        {
            return RejectReason.UNKNOWN_ORDER.name();
        }
        return reason == RejectReason.NULL_VAL ? "REJECTED" : reason.name();
    }
}
