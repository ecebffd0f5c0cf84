package dev.bourse.gateway;

import dev.bourse.protocol.Prices;

import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixWriter;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.bourse.gateway.fix.FixTags.*;

/**
 * Encodes the application messages the gateway sends: ExecutionReport (8), OrderCancelReject (9),
 * OrderMassCancelReport (r) and BusinessMessageReject (j), from journal events or, for refusals
 * made in the gateway itself, from the request. Knows only the {@link SessionSender} and the
 * symbol table; where a report goes is the caller's choice. Allocation free.
 * <p>
 * About 830 lines: one short method per report a journal event or a refusal becomes,
 * each a field list in FIX order; split, the shared field helpers (ids, quantities, reasons)
 * would have to be repeated or made public.
 */
final class ReportWriter
{
    private static final UnsafeBuffer DASH = new UnsafeBuffer(new byte[] {'-'});
    private static final UnsafeBuffer SOH = new UnsafeBuffer(new byte[] {1});
    private static final UnsafeBuffer LOCAL = new UnsafeBuffer(new byte[] {'L'});
    static final byte[] NONE = "NONE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SessionSender sender;
    private final FixWriter w;
    private final Instruments instruments;
    private final UnsafeBuffer numberScratch = new UnsafeBuffer(new byte[24]);
    private final UnsafeBuffer charScratch = new UnsafeBuffer(new byte[1]);
    private int numberLength;
    private long localExecIds;

    // the report being written
    private FixSession session;
    private SessionStore store;
    /** ExecIDs of journal events are "sequence-event[M|T]"; 0 means not journaled (a refusal). */
    private long entrySequence;
    private int eventIndex;
    /** The journal entry's command time (epoch ns) for TransactTime; 0 for a refusal, which says now. */
    private long entryTimestampNs;
    private int refSeqNum;

    ReportWriter(final SessionSender sender, final Instruments instruments)
    {
        this.sender = sender;
        this.w = sender.writer();
        this.instruments = instruments;
    }

    /** Where the next report goes: the online session (or null) and the session's store. */
    /** Marks the reports written next PossResend (a replay to a session taken over), or not. */
    void possResend(final boolean value)
    {
        sender.possResend(value);
    }

    void target(final FixSession session, final SessionStore store)
    {
        this.session = session;
        this.store = store;
    }

    /** The journal event the next report answers, for its ExecID; sequence 0 for refusals never journaled. */
    void event(final long entrySequence, final int eventIndex)
    {
        event(entrySequence, eventIndex, 0, 0);
    }

    /**
     * As {@link #event(long, int)}, with the entry's command time (epoch ns), which the report's
     * TransactTime gives, and the MsgSeqNum of the FIX message it came from (0: none), which a
     * BusinessMessageReject's RefSeqNum gives.
     */
    void event(final long entrySequence, final int eventIndex, final long entryTimestampNs, final int msgSeqNum)
    {
        this.entrySequence = entrySequence;
        this.eventIndex = eventIndex;
        this.entryTimestampNs = entryTimestampNs;
        this.refSeqNum = msgSeqNum;
    }

    /** The MsgSeqNum of the FIX message an entry's command came from, 0 if none: a BusinessMessageReject's RefSeqNum. */
    static int msgSeqNumOf(final EntryHeaderDecoder header)
    {
        final int seq = header.msgSeqNum();
        return seq <= 0 || seq == EntryHeaderDecoder.msgSeqNumNullValue() ? 0 : seq;
    }

    private void begin(final byte type)
    {
        final long reportedMs = entryTimeMs();
        if (reportedMs != 0)
        {
            sender.notBefore(reportedMs);
        }
        sender.header(store, type, (byte)0);
    }

    private void finish(final byte type)
    {
        if (type != BUSINESS_MESSAGE_REJECT)
        {
            // the time of what the report describes: the journaled command's, or now for a refusal made here
            final long reportedMs = entryTimeMs();
            w.timestamp(TRANSACT_TIME, reportedMs != 0 ? reportedMs : sender.nowMs());
        }
        sender.send(session, store, type, (byte)0);
    }

    /** The journaled command's time in epoch milliseconds, or 0 for a report of no journal entry. */
    private long entryTimeMs()
    {
        return entrySequence > 0 && entryTimestampNs > 0 ? entryTimestampNs / 1_000_000L : 0;
    }

    // ------------------------------------------------------------------ from journal events

    void accepted(final OrderAcceptedDecoder e)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, e.orderId());
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'0').charField(ORD_STATUS, (byte)'0');
        symbol(e.instrumentId());
        side(e.sideRaw());
        w.charField(ORD_TYPE, ordTypeChar(e.ordTypeRaw()));
        if (e.price() > 0)
        {
            w.price(PRICE, e.price());
        }
        final long stopPrice = e.stopPrice();
        if (stopPrice > 0 && stopPrice != OrderAcceptedDecoder.stopPriceNullValue())
        {
            w.price(STOP_PX, stopPrice);
        }
        final long displayQty = e.displayQty();
        if (displayQty > 0 && displayQty != OrderAcceptedDecoder.displayQtyNullValue())
        {
            w.field(MAX_FLOOR, displayQty);
        }
        w.charField(TIME_IN_FORCE, (byte)('0' + e.timeInForceRaw()));
        expireTime(e.expireTime(), OrderAcceptedDecoder.expireTimeNullValue());
        quantities(e.quantity(), e.quantity(), 0, 0);
        finish(EXECUTION_REPORT);
    }

    /**
     * A stop order elected (the last trade reached its stop): it now works as a market or limit
     * order. FIX 4.4 has no "triggered" ExecType (L is FIX 5.0, and a 4.4 engine refuses it), so
     * it is a Restated (D) report with ExecRestatementReason 8 (market option) and the new OrdType.
     */
    void elected(final OrderElectedDecoder e)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, e.orderId());
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderElectedDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'D').charField(ORD_STATUS, (byte)'0').field(EXEC_RESTATEMENT_REASON, 8);
        symbol(e.instrumentId());
        side(e.sideRaw());
        w.charField(ORD_TYPE, ordTypeChar(e.ordTypeRaw()));
        if (e.price() > 0)
        {
            w.price(PRICE, e.price());
        }
        w.price(STOP_PX, e.stopPrice());
        quantities(e.leavesQty(), e.leavesQty(), 0, 0);
        w.field(TEXT, "stop triggered");
        finish(EXECUTION_REPORT);
    }

    void rejected(final OrderRejectedDecoder e)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, NONE);
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderRejectedDecoder.clOrdIdEncodingOffset());
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'8').charField(ORD_STATUS, (byte)'8');
        symbol(e.instrumentId());
        side(e.side());
        quantities(Math.max(0, e.quantity()), 0, 0, 0);
        final RejectReason reason = e.reason();
        w.field(ORD_REJ_REASON, ordRejReason(reason)).field(TEXT, reason == RejectReason.NOT_ALLOWED_IN_PHASE
            ? notAllowedIn(instruments.phase(e.instrumentId())) : text(reason));
        finish(EXECUTION_REPORT);
    }

    /** "NOT_ALLOWED_IN_PHASE OPENING_CALL" and so on, made once: a refusal for the phase names it. */
    private static final String[] NOT_ALLOWED_IN = new String[256];

    static
    {
        for (final TradingPhase phase : TradingPhase.values())
        {
            if (phase != TradingPhase.NULL_VAL)
            {
                NOT_ALLOWED_IN[phase.value()] = RejectReason.NOT_ALLOWED_IN_PHASE.name() + " " + phase.name();
            }
        }
    }

    static String notAllowedIn(final short phase)
    {
        final String text = phase > 0 && phase < NOT_ALLOWED_IN.length ? NOT_ALLOWED_IN[phase] : null;
        return text != null ? text : RejectReason.NOT_ALLOWED_IN_PHASE.name();
    }

    /** One side of a trade; {@code suffix} 'T' (taker) or 'M' (maker) keeps the two ExecIDs apart. */
    void fill(
        final long orderId, final DirectBuffer buffer, final int clOrdIdOffset, final char suffix, final int instrumentId,
        final short side, final long price, final long quantity, final long leaves, final long cumQty, final long cumNotional,
        final byte auctionSession)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, orderId);
        clOrdId(CL_ORD_ID, buffer, clOrdIdOffset);
        execId(suffix);
        w.charField(EXEC_TYPE, (byte)'F').charField(ORD_STATUS, (byte)(leaves == 0 ? '2' : '1'));
        symbol(instrumentId);
        side(side);
        w.price(LAST_PX, price).field(LAST_QTY, quantity);
        if (auctionSession != 0)
        {
            // an auction's fill: no side added or removed liquidity; FIX 4.4 names the auction in
            // TradingSessionSubID (2 opening, 4 closing, 6 intraday) since LastLiquidityInd 4 is FIX 5.0
            w.charField(TRADING_SESSION_SUB_ID, auctionSession);
        }
        else
        {
            // LastLiquidityInd: 1 added (the resting order), 2 removed (the incoming one)
            w.charField(LAST_LIQUIDITY_IND, (byte)(suffix == 'M' ? '1' : '2'));
        }
        quantities(cumQty + leaves, leaves, cumQty, cumNotional);
        finish(EXECUTION_REPORT);
    }

    void canceled(final OrderCanceledDecoder e)
    {
        final CancelReason reason = e.reason();
        final boolean expired = reason == CancelReason.EXPIRED;
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, e.orderId());
        final int requestOffset = e.offset() + OrderCanceledDecoder.requestClOrdIdEncodingOffset();
        final int orderClOrdId = e.offset() + OrderCanceledDecoder.clOrdIdEncodingOffset();
        if (ClOrdIds.length(e.buffer(), requestOffset) > 0)
        {
            clOrdId(CL_ORD_ID, e.buffer(), requestOffset);
            clOrdId(ORIG_CL_ORD_ID, e.buffer(), orderClOrdId);
        }
        else
        {
            clOrdId(CL_ORD_ID, e.buffer(), orderClOrdId);
        }
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)(expired ? 'C' : '4')).charField(ORD_STATUS, (byte)(expired ? 'C' : '4'));
        symbol(e.instrumentId());
        side(e.sideRaw());
        if (e.price() > 0)
        {
            w.price(PRICE, e.price());
        }
        quantities(e.cumQty() + e.canceledQty(), 0, e.cumQty(), e.cumNotional());
        w.field(TEXT, reason == CancelReason.NULL_VAL ? "CANCELED" : reason.name());
        finish(EXECUTION_REPORT);
    }

    void replaced(final OrderReplacedDecoder e)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, e.orderId());
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset());
        clOrdId(ORIG_CL_ORD_ID, e.buffer(), e.offset() + OrderReplacedDecoder.origClOrdIdEncodingOffset());
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'5').charField(ORD_STATUS, (byte)(e.cumQty() > 0 ? '1' : '0'));
        symbol(e.instrumentId());
        side(e.sideRaw());
        // before schema version 7 the event had no type: only limit orders were replaced then
        final short ordType = e.ordType();
        w.charField(ORD_TYPE, ordType == 0 || ordType == OrderReplacedDecoder.ordTypeNullValue() ? (byte)'2' : ordTypeChar(ordType));
        if (e.price() > 0)
        {
            w.price(PRICE, e.price());
        }
        orderTypeFields(e.stopPrice(), OrderReplacedDecoder.stopPriceNullValue(), e.maxFloor(), OrderReplacedDecoder.maxFloorNullValue());
        // before schema version 10 the event did not carry them: the report left them out
        final short timeInForce = e.timeInForce();
        if (timeInForce != OrderReplacedDecoder.timeInForceNullValue())
        {
            w.charField(TIME_IN_FORCE, (byte)('0' + timeInForce));
        }
        expireTime(e.expireTime(), OrderReplacedDecoder.expireTimeNullValue());
        quantities(e.quantity(), e.leavesQty(), e.cumQty(), e.cumNotional());
        finish(EXECUTION_REPORT);
    }

    void cancelRejected(final CancelRejectedDecoder e)
    {
        final RejectReason reason = e.reason();
        final byte ordStatus = cancelRejectStatus(reason, e.orderStatus());
        // no order of the account named, or (before version 11) one too late whose end the engine did
        // not say: OrderID NONE and OrdStatus 8
        final boolean noOrder = ordStatus == '8' || e.orderId() <= 0;
        begin(ORDER_CANCEL_REJECT);
        if (noOrder)
        {
            w.field(ORDER_ID, NONE);
        }
        else
        {
            w.field(ORDER_ID, e.orderId());
        }
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + CancelRejectedDecoder.clOrdIdEncodingOffset());
        final int orig = e.offset() + CancelRejectedDecoder.origClOrdIdEncodingOffset();
        if (ClOrdIds.length(e.buffer(), orig) > 0)
        {
            clOrdId(ORIG_CL_ORD_ID, e.buffer(), orig);
        }
        else
        {
            w.field(ORIG_CL_ORD_ID, NONE);
        }
        w.charField(ORD_STATUS, noOrder ? (byte)'8' : ordStatus)
            .charField(CXL_REJ_RESPONSE_TO, (byte)(e.responseTo() == CommandType.REPLACE_ORDER ? '2' : '1'))
            .field(CXL_REJ_REASON, cxlRejReason(reason))
            .field(TEXT, text(reason));
        finish(ORDER_CANCEL_REJECT);
    }

    void massCancelDone(final MassCancelDoneDecoder e)
    {
        massCancelDone(e, e.buffer(), e.offset() + MassCancelDoneDecoder.clOrdIdEncodingOffset(), e.canceledCount());
    }

    /** The report of a mass cancel done in slices: the request's ClOrdID and the orders all its slices canceled. */
    void massCancelDone(final MassCancelDoneDecoder e, final DirectBuffer clOrdIdBuffer, final int clOrdIdOffset, final int total)
    {
        final RejectReason reject = e.rejectReason();
        final byte scope = (byte)(e.instrumentId() != 0 ? '1' : '7');
        begin(ORDER_MASS_CANCEL_REPORT);
        clOrdId(CL_ORD_ID, clOrdIdBuffer, clOrdIdOffset);
        w.tag(ORDER_ID);
        w.raw(numberBytes(entrySequence), 0, numberLength);
        w.raw(SOH, 0, 1);
        w.charField(MASS_CANCEL_REQUEST_TYPE, scope);
        if (reject == RejectReason.NONE)
        {
            w.charField(MASS_CANCEL_RESPONSE, scope);
        }
        else
        {
            w.charField(MASS_CANCEL_RESPONSE, (byte)'0')
                .charField(MASS_CANCEL_REJECT_REASON, massCancelRejectReason(reject == RejectReason.UNKNOWN_INSTRUMENT)).field(TEXT, text(reject));
        }
        w.field(TOTAL_AFFECTED_ORDERS, total);
        if (e.instrumentId() != 0)
        {
            symbol(e.instrumentId());
        }
        if (e.side() == Side.BUY.value() || e.side() == Side.SELL.value())
        {
            side(e.side());
        }
        finish(ORDER_MASS_CANCEL_REPORT);
    }

    /**
     * An OrderStatusRequest's answer: ExecutionReport ExecType I with the order's status. For an order
     * the account has no live order by, FIX 4.4's order state matrices answer ExecType I, OrdStatus 8
     * (rejected) and OrdRejReason 5 (unknown order); that report must still carry Symbol and Side,
     * so it is sent when the request named both (a listed Symbol, Side 1 or 2), and a
     * BusinessMessageReject otherwise.
     */
    void statusReport(final OrderStatusReportDecoder e)
    {
        final boolean unknown = e.status() == OrdStatus.UNKNOWN || e.status() == OrdStatus.NULL_VAL;
        if (unknown && instruments.symbol(e.instrumentId()) != null && (e.side() == Side.BUY.value() || e.side() == Side.SELL.value()))
        {
            unknownOrderStatus(e);
            return;
        }
        if (unknown)
        {
            begin(BUSINESS_MESSAGE_REJECT);
            w.field(REF_SEQ_NUM, refSeqNum).field(REF_MSG_TYPE, "H");
            if (!keptStatusRequestId(BUSINESS_REJECT_REF_ID, refSeqNum))
            {
                clOrdId(BUSINESS_REJECT_REF_ID, e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
            }
            // FIX 4.4's 2, Unknown Security, when the Symbol is not listed here (a strict QuickFIX/J probe's note)
            w.field(BUSINESS_REJECT_REASON, instruments.symbol(e.instrumentId()) == null ? BUSINESS_REJECT_UNKNOWN_SECURITY
                : BUSINESS_REJECT_OTHER).field(TEXT, "unknown order");
            finish(BUSINESS_MESSAGE_REJECT);
            return;
        }
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, e.orderId());
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
        keptStatusRequestId(ORD_STATUS_REQ_ID, refSeqNum);
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'I').charField(ORD_STATUS, (byte)(e.status() == OrdStatus.PARTIALLY_FILLED ? '1' : '0'));
        symbol(e.instrumentId());
        side(e.side());
        w.charField(ORD_TYPE, ordTypeChar(e.ordType()));
        if (e.price() > 0)
        {
            w.price(PRICE, e.price());
        }
        orderTypeFields(e.stopPrice(), OrderStatusReportDecoder.stopPriceNullValue(), e.maxFloor(), OrderStatusReportDecoder.maxFloorNullValue());
        w.charField(TIME_IN_FORCE, (byte)('0' + e.timeInForce()));
        expireTime(e.expireTime(), OrderStatusReportDecoder.expireTimeNullValue());
        quantities(e.quantity(), e.leavesQty(), e.cumQty(), e.cumNotional());
        finish(EXECUTION_REPORT);
    }

    /** The status report of an order the account has no live order by: rejected, unknown order, nothing left. */
    private void unknownOrderStatus(final OrderStatusReportDecoder e)
    {
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, NONE);
        clOrdId(CL_ORD_ID, e.buffer(), e.offset() + OrderStatusReportDecoder.clOrdIdEncodingOffset());
        keptStatusRequestId(ORD_STATUS_REQ_ID, refSeqNum);
        unknownOrderStatusRest(e.instrumentId(), e.side());
    }

    /**
     * Writes the OrdStatusReqID (790) the session kept for the status request {@code requestSeqNum} as
     * {@code tag}, and frees its place: 790 itself on the answer, which FIX 4.4 asks to echo it, or
     * BusinessRejectRefID (379) on a BusinessMessageReject, the referenced message's business-level
     * id (a reject that left the place taken would, 64 times over, refuse every later request with an
     * id). False if the session kept none.
     */
    private boolean keptStatusRequestId(final int tag, final int requestSeqNum)
    {
        final int slot = session == null ? -1 : session.statusRequestIds.slotOf(requestSeqNum);
        if (slot < 0)
        {
            return false;
        }
        final StatusRequestIds ids = session.statusRequestIds;
        w.field(tag, ids.buffer(), ids.offset(slot), ids.length(slot));
        ids.forget(slot);
        return true;
    }

    private void unknownOrderStatusRest(final int instrumentId, final int side)
    {
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'I').charField(ORD_STATUS, (byte)'8');
        symbol(instrumentId);
        side(side);
        quantities(0, 0, 0, 0);
        w.field(ORD_REJ_REASON, ordRejReason(RejectReason.UNKNOWN_ORDER)).field(TEXT, "unknown order");
        finish(EXECUTION_REPORT);
    }

    /**
     * OrdStatus (39) of an OrderCancelReject: the live order's (0 or 1); for one too late, how it
     * ended (2 filled, 4 canceled, C expired), as FIX asks; 8 when no order of the account is named.
     */
    private static byte cancelRejectStatus(final RejectReason reason, final OrdStatus status)
    {
        if (reason == RejectReason.UNKNOWN_ORDER || reason == RejectReason.NOT_YOUR_ORDER || status == null)
        {
            return '8';
        }
        switch (status)
        {
            case NEW:
                return reason == RejectReason.TOO_LATE_TO_CANCEL ? (byte)'8' : (byte)'0';
            case PARTIALLY_FILLED:
                return reason == RejectReason.TOO_LATE_TO_CANCEL ? (byte)'8' : (byte)'1';
            case FILLED:
                return '2';
            case CANCELED:
                return '4';
            case EXPIRED:
                return 'C';
            default:
                return '8';
        }
    }

    /** CxlRejReason (102): 0 too late to cancel, 1 unknown order, 6 duplicate ClOrdID, else 99 (Text says which). */
    private static int cxlRejReason(final RejectReason reason)
    {
        switch (reason)
        {
            case TOO_LATE_TO_CANCEL:
                return 0;
            case UNKNOWN_ORDER:
            case NOT_YOUR_ORDER:
                return 1;
            case DUPLICATE_CLORDID:
                return 6;
            default:
                return 99;
        }
    }

    /** StopPx (99) of a stop not yet elected and MaxFloor (111) of an iceberg, when the event has them. */
    private void orderTypeFields(final long stopPrice, final long stopNull, final long maxFloor, final long maxFloorNull)
    {
        if (stopPrice > 0 && stopPrice != stopNull)
        {
            w.price(STOP_PX, stopPrice);
        }
        if (maxFloor > 0 && maxFloor != maxFloorNull)
        {
            w.field(MAX_FLOOR, maxFloor);
        }
    }

    /** A command the engine refused without journaling it (after a journal failure), as a business reject. */
    void commandRefused(final CommandRejectedDecoder e)
    {
        begin(BUSINESS_MESSAGE_REJECT);
        w.field(REF_SEQ_NUM, refSeqNum).field(REF_MSG_TYPE, msgTypeOf(e.commandType()))
            .field(BUSINESS_REJECT_REASON, BUSINESS_REJECT_OTHER).field(TEXT, text(e.reason()));
        finish(BUSINESS_MESSAGE_REJECT);
    }

    /** A command a client's FIX message became (the ones {@link #commandRefused} can name). */
    static boolean isClientRequest(final CommandType type)
    {
        return !"0".equals(msgTypeOf(type));
    }

    private static String msgTypeOf(final CommandType type)
    {
        switch (type)
        {
            case NEW_ORDER:
                return "D";
            case CANCEL_ORDER:
                return "F";
            case REPLACE_ORDER:
                return "G";
            case MASS_CANCEL:
                return "q";
            case ORDER_STATUS:
                return "H";
            default:
                return "0";
        }
    }

    // ------------------------------------------------------------------ commands lost to a journal failure

    /** A new order the engine made but the journal could not store: rejected, EXCHANGE_HALTED. */
    void haltedOrderReject(final DirectBuffer buffer, final int clOrdIdOffset, final int instrumentId, final int side, final long quantity)
    {
        event(0, 0);
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, NONE);
        clOrdId(CL_ORD_ID, buffer, clOrdIdOffset);
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'8').charField(ORD_STATUS, (byte)'8');
        symbol(instrumentId);
        side(side);
        quantities(quantity, 0, 0, 0);
        w.field(ORD_REJ_REASON, ordRejReason(RejectReason.EXCHANGE_HALTED)).field(TEXT, text(RejectReason.EXCHANGE_HALTED));
        finish(EXECUTION_REPORT);
    }

    /** A cancel or replace lost to a journal failure: OrderCancelReject, EXCHANGE_HALTED. */
    void haltedCancelReject(final DirectBuffer buffer, final int clOrdIdOffset, final int origClOrdIdOffset, final long orderId,
        final boolean replace)
    {
        event(0, 0);
        begin(ORDER_CANCEL_REJECT);
        w.field(ORDER_ID, orderId);
        clOrdId(CL_ORD_ID, buffer, clOrdIdOffset);
        if (origClOrdIdOffset >= 0 && ClOrdIds.length(buffer, origClOrdIdOffset) > 0)
        {
            clOrdId(ORIG_CL_ORD_ID, buffer, origClOrdIdOffset);
        }
        else
        {
            w.field(ORIG_CL_ORD_ID, NONE);
        }
        w.charField(ORD_STATUS, (byte)'0').charField(CXL_REJ_RESPONSE_TO, (byte)(replace ? '2' : '1')).field(CXL_REJ_REASON, 99)
            .field(TEXT, text(RejectReason.EXCHANGE_HALTED));
        finish(ORDER_CANCEL_REJECT);
    }

    /** A mass cancel or status request lost to a journal failure: BusinessMessageReject, EXCHANGE_HALTED. */
    void haltedRequestReject(final char msgType, final int msgSeqNum, final DirectBuffer buffer, final int clOrdIdOffset)
    {
        begin(BUSINESS_MESSAGE_REJECT);
        w.field(REF_SEQ_NUM, msgSeqNum).field(REF_MSG_TYPE, msgType == 'q' ? "q" : "H");
        if (msgType == 'q' || !keptStatusRequestId(BUSINESS_REJECT_REF_ID, msgSeqNum))
        {
            clOrdId(BUSINESS_REJECT_REF_ID, buffer, clOrdIdOffset);
        }
        w.field(BUSINESS_REJECT_REASON, BUSINESS_REJECT_OTHER).field(TEXT, text(RejectReason.EXCHANGE_HALTED));
        finish(BUSINESS_MESSAGE_REJECT);
    }

    // ------------------------------------------------------------------ refusals made in the gateway (not journaled)

    void localOrderReject(final FixSession s, final FixMessage m, final RejectReason reason, final String text)
    {
        target(s, s.store);
        event(0, 0);
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, NONE);
        copy(m, CL_ORD_ID);
        execId((char)0);
        w.charField(EXEC_TYPE, (byte)'8').charField(ORD_STATUS, (byte)'8');
        if (!copy(m, SYMBOL))
        {
            w.field(SYMBOL, NONE);
        }
        // the request's side as it came (a refused sell short says 5), if FIX 4.4 defines it
        w.charField(SIDE, m.isOneOf(SIDE, FIX44_SIDES) ? m.getChar(SIDE) : (byte)'1');
        final long qty = m.getLong(ORDER_QTY);
        quantities(qty == FixMessage.NO_VALUE ? 0 : qty, 0, 0, 0);
        w.field(ORD_REJ_REASON, ordRejReason(reason)).field(TEXT, text);
        finish(EXECUTION_REPORT);
    }

    void localCancelReject(final FixSession s, final FixMessage m, final byte responseTo, final String text)
    {
        cancelReject(s, m, responseTo, 2, text);
    }

    /**
     * A cancel or replace naming an OrderID that cannot be ours: the OrderCancelReject the engine
     * gives an unknown order (OrderID NONE, OrdStatus 8, CxlRejReason 1), without asking it.
     */
    void unknownOrderCancelReject(final FixSession s, final FixMessage m, final byte responseTo)
    {
        cancelReject(s, m, responseTo, cxlRejReason(RejectReason.UNKNOWN_ORDER), text(RejectReason.UNKNOWN_ORDER));
    }

    /**
     * An OrderCancelReject the gateway makes itself: OrdStatus 8 and OrderID NONE whatever the
     * request named, since the gateway has not looked the order up (an echoed OrderID read as one
     * confirmed, an outside tester found).
     */
    private void cancelReject(final FixSession s, final FixMessage m, final byte responseTo, final int reason, final String text)
    {
        target(s, s.store);
        event(0, 0);
        begin(ORDER_CANCEL_REJECT);
        w.field(ORDER_ID, NONE);
        copy(m, CL_ORD_ID);
        if (!copy(m, ORIG_CL_ORD_ID))
        {
            w.field(ORIG_CL_ORD_ID, NONE);
        }
        w.charField(ORD_STATUS, (byte)'8').charField(CXL_REJ_RESPONSE_TO, responseTo).field(CXL_REJ_REASON, reason).field(TEXT, text);
        finish(ORDER_CANCEL_REJECT);
    }

    /** A status request naming an OrderID that cannot be ours: the engine's report for an unknown order, without asking it. */
    void unknownOrderStatus(final FixSession s, final FixMessage m, final int instrumentId, final int side)
    {
        target(s, s.store);
        event(0, 0);
        begin(EXECUTION_REPORT);
        w.field(ORDER_ID, NONE);
        copy(m, CL_ORD_ID);
        copy(m, ORD_STATUS_REQ_ID);
        unknownOrderStatusRest(instrumentId, side);
    }

    void localMassCancelReject(final FixSession s, final FixMessage m, final boolean unknownSecurity, final String text)
    {
        target(s, s.store);
        event(0, 0);
        begin(ORDER_MASS_CANCEL_REPORT);
        copy(m, CL_ORD_ID);
        w.field(ORDER_ID, NONE);
        final byte scope = m.getChar(MASS_CANCEL_REQUEST_TYPE);
        // the request's own type echoed (order entry answers one FIX 4.4 does not define with a session Reject)
        w.charField(MASS_CANCEL_REQUEST_TYPE, scope).charField(MASS_CANCEL_RESPONSE, (byte)'0')
            .charField(MASS_CANCEL_REJECT_REASON, massCancelRejectReason(unknownSecurity))
            .field(TEXT, text);
        finish(ORDER_MASS_CANCEL_REPORT);
    }

    /**
     * FIX 4.4's MassCancelRejectReason (532) is a CHAR: 1 for an unknown security, else 0 (mass
     * cancel not supported, as asked), the nearest it has; Text says why. FIX 5.0's 99 (other), sent
     * before, made a validating FIX 4.4 client (QuickFIX/J) reject the whole report, so its client
     * never learnt of the refusal.
     */
    private static byte massCancelRejectReason(final boolean unknownSecurity)
    {
        return unknownSecurity ? (byte)'1' : (byte)'0';
    }

    // ------------------------------------------------------------------ fields

    private void execId(final char suffix)
    {
        w.tag(EXEC_ID);
        if (entrySequence <= 0)
        {
            // not journaled: "L<n>", unique within the gateway's life, apart from journal ExecIDs
            w.raw(LOCAL, 0, 1);
            w.raw(numberBytes(sender.nowMs()), 0, numberLength);
            w.raw(DASH, 0, 1);
            w.raw(numberBytes(++localExecIds), 0, numberLength);
        }
        else
        {
            // "<sequence>-<event><suffix>": unique per journal event and side of a trade
            w.raw(numberBytes(entrySequence), 0, numberLength);
            w.raw(DASH, 0, 1);
            w.raw(numberBytes(eventIndex), 0, numberLength);
            if (suffix != 0)
            {
                charScratch.putByte(0, (byte)suffix);
                w.raw(charScratch, 0, 1);
            }
        }
        w.raw(SOH, 0, 1);
    }

    private DirectBuffer numberBytes(final long value)
    {
        numberLength = numberScratch.putLongAscii(0, value);
        return numberScratch;
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
        final byte[] symbol = instruments.symbol(instrumentId);
        w.field(SYMBOL, symbol != null ? symbol : NONE);
    }

    private void side(final int side)
    {
        w.charField(SIDE, (byte)(side == Side.SELL.value() ? '2' : '1'));
    }

    /** A GTD order's ExpireTime(126), to the millisecond; nothing for other orders or an event from before the field. */
    private void expireTime(final long expireTimeNanos, final long nullValue)
    {
        if (expireTimeNanos > 0 && expireTimeNanos != nullValue)
        {
            w.timestamp(EXPIRE_TIME, expireTimeNanos / 1_000_000L);
        }
    }

    private void quantities(final long orderQty, final long leaves, final long cumQty, final long cumNotional)
    {
        w.field(ORDER_QTY, orderQty).field(LEAVES_QTY, leaves).field(CUM_QTY, cumQty).price(AVG_PX, Prices.average(cumNotional, cumQty));
    }

    private static byte ordTypeChar(final short ordType)
    {
        if (ordType == OrdType.MARKET.value())
        {
            return '1';
        }
        if (ordType == OrdType.STOP.value())
        {
            return '3';
        }
        return (byte)(ordType == OrdType.STOP_LIMIT.value() ? '4' : '2');
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
            case CLORDID_DAY_FULL:
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
            case INVALID_SIDE:
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
