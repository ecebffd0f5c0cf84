package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds the journal entry of one command: the {@link EntryHeaderEncoder} framing, then one method
 * per event that encodes it and, right after, applies it to {@link EngineState} through the fold
 * method the replayer calls for the same event. It is the mirror of the protocol's
 * {@code JournalEntryReader} + {@link EngineReplayer}: whatever this class writes, replay applies
 * the same way, which is what keeps live state and replayed state equal by construction.
 * <p>
 * Long because it holds one short method per event type of the schema, each a plain field list;
 * splitting them would only scatter the schema. Engine thread only; allocates nothing.
 */
final class EntryWriter implements MatchListener
{
    private static final int ENTRY_HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + EntryHeaderEncoder.BLOCK_LENGTH;

    private final EngineState state;
    private final InstrumentWork work;
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(1 << 16);
    private int position;
    private int eventCount;
    private int commandType;
    private int rejectReason;

    private final MessageHeaderEncoder eventHeader = new MessageHeaderEncoder();
    private final EntryHeaderEncoder entryHeader = new EntryHeaderEncoder();
    private final OrderAcceptedEncoder orderAccepted = new OrderAcceptedEncoder();
    private final OrderRejectedEncoder orderRejected = new OrderRejectedEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final OrderCanceledEncoder orderCanceled = new OrderCanceledEncoder();
    private final OrderReplacedEncoder orderReplaced = new OrderReplacedEncoder();
    private final CancelRejectedEncoder cancelRejected = new CancelRejectedEncoder();
    private final MassCancelDoneEncoder massCancelDone = new MassCancelDoneEncoder();
    private final OrderStatusReportEncoder orderStatusReport = new OrderStatusReportEncoder();
    private final OrderRestedEncoder orderRested = new OrderRestedEncoder();
    private final InstrumentAddedEncoder instrumentAdded = new InstrumentAddedEncoder();
    private final InstrumentAmendedEncoder instrumentAmended = new InstrumentAmendedEncoder();
    private final TradingStatusChangedEncoder tradingStatusChanged = new TradingStatusChangedEncoder();
    private final ReferencePriceChangedEncoder referencePriceChanged = new ReferencePriceChangedEncoder();
    private final AccountCreatedEncoder accountCreated = new AccountCreatedEncoder();
    private final BalanceChangedEncoder balanceChanged = new BalanceChangedEncoder();
    private final CommandRejectedEncoder commandRejected = new CommandRejectedEncoder();
    private final DayEndedEncoder dayEnded = new DayEndedEncoder();
    private final AuditRecordedEncoder auditRecorded = new AuditRecordedEncoder();
    private final BlockChangedEncoder blockChanged = new BlockChangedEncoder();
    private final OrderElectedEncoder orderElected = new OrderElectedEncoder();
    private final TradingPhaseChangedEncoder tradingPhaseChanged = new TradingPhaseChangedEncoder();
    private final AuctionIndicationEncoder auctionIndication = new AuctionIndicationEncoder();
    private final AuctionUncrossedEncoder auctionUncrossed = new AuctionUncrossedEncoder();
    private final VolatilityGuardsChangedEncoder volatilityGuardsChanged = new VolatilityGuardsChangedEncoder();
    private final OrdersExpiredEncoder ordersExpired = new OrdersExpiredEncoder();

    /**
     * @param work where instruments are noted whose held stops or call book an event touched, for
     *             the end of the command (elections, indications).
     */
    EntryWriter(final EngineState state, final InstrumentWork work)
    {
        this.state = state;
        this.work = work;
    }

    // ------------------------------------------------------------------ framing

    /** Starts the entry of a command that will be journaled: the next sequence number. */
    void begin(final CommandType type, final long timestamp, final int sessionId, final int msgSeqNum)
    {
        final long sequence = state.lastSequence + 1;
        frame(type, sequence, timestamp, sessionId, msgSeqNum);
        state.entryStarted(sequence, timestamp);
    }

    /**
     * Starts an entry that is not journaled and changes nothing (sequence 0): the answer to a
     * command while the engine is halted.
     */
    void beginUnjournaled(final CommandType type, final long timestamp, final int sessionId, final int msgSeqNum)
    {
        frame(type, 0, timestamp, sessionId, msgSeqNum);
    }

    private void frame(final CommandType type, final long sequence, final long timestamp, final int sessionId, final int msgSeqNum)
    {
        position = ENTRY_HEADER_LENGTH;
        eventCount = 0;
        commandType = type.value();
        rejectReason = 0;
        entryHeader.wrapAndApplyHeader(entry, 0, eventHeader)
            .sequence(sequence)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .commandType(type)
            .msgSeqNum(msgSeqNum);
    }

    /** Closes the entry: the command's last changes are applied and the header gets its event count. */
    void end()
    {
        state.entryEnded();
        entryHeader.eventCount(eventCount);
    }

    /** Closes an unjournaled entry (no state to apply). */
    void endUnjournaled()
    {
        entryHeader.eventCount(eventCount);
    }

    DirectBuffer buffer()
    {
        return entry;
    }

    MutableDirectBuffer mutableBuffer()
    {
        return entry;
    }

    int length()
    {
        return position;
    }

    int eventCount()
    {
        return eventCount;
    }

    int commandType()
    {
        return commandType;
    }

    /** The reason the command was refused (for counters), 0 if it was carried out. */
    int rejectReason()
    {
        return rejectReason;
    }

    /** Records why a command was refused when the refusal is not one of the reject events below. */
    void refused(final RejectReason reason)
    {
        rejectReason = reason.value();
    }

    /** Positions the next event; returns the offset of its message header. */
    private int nextEvent()
    {
        eventCount++;
        return position;
    }

    private void advance(final int encodedLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
    }

    // ------------------------------------------------------------------ order events

    /** Encodes and applies an accepted new order; returns the order, now live (not yet resting). */
    Order orderAccepted(
        final long accountId,
        final Instrument instrument,
        final int sessionId,
        final byte side,
        final byte ordType,
        final byte tif,
        final byte flags,
        final byte stp,
        final long price,
        final long quantity,
        final long holdPrice,
        final long c0,
        final long c1,
        final int c2,
        final long stopPrice,
        final long displayQty,
        final long expireTime)
    {
        final long orderId = state.lastOrderId + 1;
        final int at = nextEvent();
        orderAccepted.wrapAndApplyHeader(entry, at, eventHeader)
            .orderId(orderId)
            .accountId(accountId)
            .instrumentId(instrument.id)
            .sessionId(sessionId)
            .side(EngineCodes.side(side))
            .ordType(OrdType.get(ordType))
            .timeInForce(TimeInForce.get(tif))
            .stpMode(StpMode.get(stp))
            .price(price)
            .quantity(quantity)
            .holdPrice(holdPrice)
            .stopPrice(stopPrice)
            .displayQty(displayQty)
            .expireTime(expireTime);
        orderAccepted.flags().clear().postOnly(flags != 0);
        ClOrdIds.putWords(entry, orderAccepted.offset() + OrderAcceptedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(orderAccepted.encodedLength());
        return state.orderAccepted(orderId, accountId, instrument.id, sessionId, side, ordType, tif, flags, stp, price, quantity,
            holdPrice, c0, c1, c2, stopPrice, displayQty, expireTime);
    }

    /** A refused new order: the raw fields echoed. Changes nothing. */
    void orderRejected(
        final long accountId,
        final int instrumentId,
        final int sessionId,
        final int side,
        final int ordType,
        final int tif,
        final RejectReason reason,
        final long price,
        final long quantity,
        final long c0,
        final long c1,
        final int c2)
    {
        rejectReason = reason.value();
        final int at = nextEvent();
        orderRejected.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .sessionId(sessionId)
            .side((short)(side & 0xFF))
            .ordType((short)(ordType & 0xFF))
            .timeInForce((short)(tif & 0xFF))
            .reason(reason)
            .price(price)
            .quantity(quantity);
        ClOrdIds.putWords(entry, orderRejected.offset() + OrderRejectedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(orderRejected.encodedLength());
    }

    /** One match: encodes the trade at {@code price} and settles both sides. */
    @Override
    public void onMatch(final Order maker, final Order taker, final long price, final long quantity)
    {
        trade(maker, taker, price, quantity, BooleanType.FALSE);
    }

    /** One fill of an uncross: both orders were resting; the sell is named maker, the buy taker. */
    void auctionTrade(final Order sell, final Order buy, final long price, final long quantity)
    {
        trade(sell, buy, price, quantity, BooleanType.TRUE);
    }

    private void trade(final Order maker, final Order taker, final long price, final long quantity, final BooleanType auction)
    {
        final long tradeId = state.lastTradeId + 1;
        final long notional = price * quantity;
        final int at = nextEvent();
        trade.wrapAndApplyHeader(entry, at, eventHeader)
            .tradeId(tradeId)
            .instrumentId(maker.instrumentId)
            .takerSide(EngineCodes.side(taker.side))
            .price(price)
            .quantity(quantity)
            .makerOrderId(maker.orderId)
            .makerAccountId(maker.accountId)
            .makerSessionId(maker.sessionId)
            .makerLeavesQty(maker.leavesQty - quantity)
            .makerCumQty(maker.cumQty + quantity)
            .makerCumNotional(maker.cumNotional + notional)
            .takerOrderId(taker.orderId)
            .takerAccountId(taker.accountId)
            .takerSessionId(taker.sessionId)
            .takerLeavesQty(taker.leavesQty - quantity)
            .takerCumQty(taker.cumQty + quantity)
            .takerCumNotional(taker.cumNotional + notional)
            .auction(auction);
        final int base = trade.offset();
        ClOrdIds.putWords(entry, base + TradeEncoder.makerClOrdIdEncodingOffset(), maker.clOrdId0, maker.clOrdId1, maker.clOrdId2);
        ClOrdIds.putWords(entry, base + TradeEncoder.takerClOrdIdEncodingOffset(), taker.clOrdId0, taker.clOrdId1, taker.clOrdId2);
        advance(trade.encodedLength());
        final Instrument instrument = maker.instrument;
        state.trade(tradeId, maker, taker, price, quantity);
        if (instrument.heldStops > 0)
        {
            work.touch(instrument);
        }
    }

    /** An iceberg whose peak traded away shows a new peak and goes to the back of its level. */
    @Override
    public void onPeakExhausted(final Order iceberg)
    {
        orderRested(iceberg);
    }

    @Override
    public void onSelfTradePrevented(final Order order)
    {
        orderCanceled(order, CancelReason.SELF_TRADE_PREVENTION, 0, 0, 0);
    }

    /**
     * Encodes and applies the cancel of an order's remaining quantity; the request's ClOrdID
     * (blank for cancels the engine makes itself) is then used for the day.
     */
    void orderCanceled(final Order order, final CancelReason reason, final long r0, final long r1, final int r2)
    {
        final int at = nextEvent();
        orderCanceled.wrapAndApplyHeader(entry, at, eventHeader)
            .orderId(order.orderId)
            .accountId(order.accountId)
            .instrumentId(order.instrumentId)
            .sessionId(order.sessionId)
            .side(EngineCodes.side(order.side))
            .reason(reason)
            .price(order.price)
            .canceledQty(order.leavesQty)
            .cumQty(order.cumQty)
            .cumNotional(order.cumNotional);
        final int base = orderCanceled.offset();
        ClOrdIds.putWords(entry, base + OrderCanceledEncoder.clOrdIdEncodingOffset(), order.clOrdId0, order.clOrdId1, order.clOrdId2);
        ClOrdIds.putWords(entry, base + OrderCanceledEncoder.requestClOrdIdEncodingOffset(), r0, r1, r2);
        advance(orderCanceled.encodedLength());
        final long accountId = order.accountId;
        final long orderId = order.orderId;
        final Instrument instrument = order.instrument;
        state.orderCanceled(order, reason == CancelReason.EXPIRED);
        state.clOrdIdUsed(accountId, r0, r1, r2, orderId);
        if (instrument.inCall())
        {
            work.touch(instrument);
        }
    }

    /** Encodes and applies a replace: holds move, and an order that loses priority leaves the book. */
    void orderReplaced(
        final Order order,
        final boolean keptPriority,
        final long price,
        final long quantity,
        final long holdPrice,
        final long c0,
        final long c1,
        final int c2,
        final long stopPrice)
    {
        final int at = nextEvent();
        orderReplaced.wrapAndApplyHeader(entry, at, eventHeader)
            .orderId(order.orderId)
            .accountId(order.accountId)
            .instrumentId(order.instrumentId)
            .sessionId(order.sessionId)
            .side(EngineCodes.side(order.side))
            .keptPriority(keptPriority ? BooleanType.TRUE : BooleanType.FALSE)
            .oldPrice(order.price)
            .oldLeavesQty(order.leavesQty)
            .price(price)
            .quantity(quantity)
            .leavesQty(quantity - order.cumQty)
            .cumQty(order.cumQty)
            .cumNotional(order.cumNotional)
            .holdPrice(holdPrice)
            .stopPrice(stopPrice)
            .ordType(order.ordType)
            .maxFloor(order.maxFloor)
            .timeInForce((short)(order.timeInForce & 0xFF))
            .expireTime(order.expireTime);
        final int base = orderReplaced.offset();
        ClOrdIds.putWords(entry, base + OrderReplacedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        ClOrdIds.putWords(entry, base + OrderReplacedEncoder.origClOrdIdEncodingOffset(),
            order.clOrdId0, order.clOrdId1, order.clOrdId2);
        advance(orderReplaced.encodedLength());
        state.orderReplaced(order, price, quantity, holdPrice, keptPriority, c0, c1, c2, stopPrice);
        if (order.instrument.inCall())
        {
            work.touch(order.instrument);
        }
    }

    /** The order joins the back of the queue at its price; an iceberg shows a full peak. */
    void orderRested(final Order order)
    {
        final long displayQty = order.maxFloor > 0 ? Math.min(order.maxFloor, order.leavesQty) : order.leavesQty;
        final int at = nextEvent();
        orderRested.wrapAndApplyHeader(entry, at, eventHeader)
            .orderId(order.orderId)
            .instrumentId(order.instrumentId)
            .side(EngineCodes.side(order.side))
            .price(order.price)
            .leavesQty(order.leavesQty)
            .displayQty(displayQty);
        advance(orderRested.encodedLength());
        state.orderRested(order, displayQty);
        if (order.instrument.inCall())
        {
            work.touch(order.instrument);
        }
    }

    /** A held stop is elected: it becomes a {@code ordType} (MARKET or LIMIT) order and the entry's working order. */
    void orderElected(final Order order, final byte ordType, final long triggerPrice)
    {
        final int at = nextEvent();
        orderElected.wrapAndApplyHeader(entry, at, eventHeader)
            .orderId(order.orderId)
            .accountId(order.accountId)
            .instrumentId(order.instrumentId)
            .sessionId(order.sessionId)
            .side(EngineCodes.side(order.side))
            .ordType(OrdType.get(ordType))
            .price(order.price)
            .stopPrice(order.stopPrice)
            .triggerPrice(triggerPrice)
            .leavesQty(order.leavesQty);
        ClOrdIds.putWords(entry, orderElected.offset() + OrderElectedEncoder.clOrdIdEncodingOffset(),
            order.clOrdId0, order.clOrdId1, order.clOrdId2);
        advance(orderElected.encodedLength());
        state.orderElected(order, ordType);
    }

    /**
     * A refused cancel or replace. Changes nothing. {@code order} is the order the request found
     * (its id and status go out instead of the requested {@code orderId}), or null.
     */
    void cancelRejected(
        final long accountId,
        final int sessionId,
        final Order order,
        final long orderId,
        final CommandType responseTo,
        final RejectReason reason,
        final long c0,
        final long c1,
        final int c2,
        final long o0,
        final long o1,
        final int o2)
    {
        rejectReason = reason.value();
        // the OrigClOrdID named an order of this account that has ended: FIX wants it named, with how it ended, whatever the
        // refusal (too late, or a blocked account's; a probe's BLOCKED answer said "unknown order" of one it had canceled)
        final long named = order == null && reason != RejectReason.UNKNOWN_ORDER ? state.orderIdOfClOrdId(accountId, o0, o1, o2) : 0;
        final long ended = named != 0 && state.order(named) == null ? named : 0;
        final OrdStatus endedAs = ended == 0 ? OrdStatus.UNKNOWN : state.howOrderEnded(ended);
        final int at = nextEvent();
        cancelRejected.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(sessionId)
            .orderId(order != null ? order.orderId : endedAs != OrdStatus.UNKNOWN ? ended : orderId)
            .responseTo(responseTo)
            .reason(reason)
            .orderStatus(order == null ? endedAs : order.cumQty > 0 ? OrdStatus.PARTIALLY_FILLED : OrdStatus.NEW);
        final int base = cancelRejected.offset();
        ClOrdIds.putWords(entry, base + CancelRejectedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        // a request that named the order by OrderID alone is answered with the ClOrdID the order carries (FIX's
        // OrigClOrdID of an OrderCancelReject: a probe's reject by OrderID said NONE of an order it had found)
        if (order != null && ClOrdIds.isBlank(o0, o1, o2))
        {
            ClOrdIds.putWords(entry, base + CancelRejectedEncoder.origClOrdIdEncodingOffset(), order.clOrdId0, order.clOrdId1,
                order.clOrdId2);
        }
        else
        {
            ClOrdIds.putWords(entry, base + CancelRejectedEncoder.origClOrdIdEncodingOffset(), o0, o1, o2);
        }
        advance(cancelRejected.encodedLength());
    }

    /** The end of a mass cancel (its cancels come before it); a carried-out one uses its ClOrdID. */
    void massCancelDone(
        final long accountId,
        final int sessionId,
        final int instrumentId,
        final int side,
        final CancelReason reason,
        final RejectReason refusal,
        final int canceled,
        final boolean moreRemaining,
        final long c0,
        final long c1,
        final int c2,
        final long upToOrderId)
    {
        final int at = nextEvent();
        massCancelDone.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(sessionId)
            .instrumentId(instrumentId)
            .side((short)side)
            .reason(reason)
            .rejectReason(refusal == null ? RejectReason.NONE : refusal)
            .canceledCount(canceled)
            .moreRemaining(moreRemaining ? BooleanType.TRUE : BooleanType.FALSE)
            .upToOrderId(upToOrderId);
        ClOrdIds.putWords(entry, massCancelDone.offset() + MassCancelDoneEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(massCancelDone.encodedLength());
        if (refusal == null)
        {
            state.massCancelClOrdIdUsed(accountId, c0, c1, c2);
        }
        else
        {
            rejectReason = refusal.value();
        }
    }

    /** Reports a live order to the requesting session. Changes nothing. */
    void orderStatus(final Order order, final int sessionId)
    {
        final int at = nextEvent();
        orderStatusReport.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(order.accountId)
            .sessionId(sessionId)
            .orderId(order.orderId)
            .instrumentId(order.instrumentId)
            .status(order.cumQty == 0 ? OrdStatus.NEW : OrdStatus.PARTIALLY_FILLED)
            .side(order.side)
            .ordType(order.ordType)
            .timeInForce(order.timeInForce)
            .price(order.price)
            .quantity(order.quantity)
            .leavesQty(order.leavesQty)
            .cumQty(order.cumQty)
            .cumNotional(order.cumNotional)
            .stopPrice(order.isHeldStop() ? order.stopPrice : 0)
            .maxFloor(order.maxFloor)
            .expireTime(order.expireTime);
        ClOrdIds.putWords(entry, orderStatusReport.offset() + OrderStatusReportEncoder.clOrdIdEncodingOffset(),
            order.clOrdId0, order.clOrdId1, order.clOrdId2);
        advance(orderStatusReport.encodedLength());
    }

    /** Reports that the account has no such live order (the request's OrderID, ClOrdID, instrument and side echoed). */
    void orderStatusUnknown(
        final long accountId, final int sessionId, final long orderId, final long c0, final long c1, final int c2,
        final int instrumentId, final int side)
    {
        rejectReason = RejectReason.UNKNOWN_ORDER.value();
        final int at = nextEvent();
        orderStatusReport.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(sessionId)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .status(OrdStatus.UNKNOWN)
            .side((short)side)
            .ordType((short)0)
            .timeInForce((short)0)
            .price(0)
            .quantity(0)
            .leavesQty(0)
            .cumQty(0)
            .cumNotional(0)
            .stopPrice(0)
            .maxFloor(0)
            .expireTime(0);
        ClOrdIds.putWords(entry, orderStatusReport.offset() + OrderStatusReportEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(orderStatusReport.encodedLength());
    }

    // ------------------------------------------------------------------ operator events

    void instrumentAdded(
        final int id,
        final long s0,
        final long s1,
        final long tick,
        final long lot,
        final long minQty,
        final long maxQty,
        final long maxNotional,
        final long reference,
        final int band,
        final byte status)
    {
        final int at = nextEvent();
        instrumentAdded.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(id)
            .tickSize(tick)
            .lotSize(lot)
            .minQuantity(minQty)
            .maxQuantity(maxQty)
            .maxNotional(maxNotional)
            .referencePrice(reference)
            .priceBandBps(band)
            .status(TradingStatus.get(status));
        entry.putLong(instrumentAdded.offset() + InstrumentAddedEncoder.symbolEncodingOffset(), s0);
        entry.putLong(instrumentAdded.offset() + InstrumentAddedEncoder.symbolEncodingOffset() + 8, s1);
        advance(instrumentAdded.encodedLength());
        state.instrumentAdded(id, s0, s1, tick, lot, minQty, maxQty, maxNotional, reference, band, status);
    }

    void tradingStatusChanged(final Instrument instrument, final byte status)
    {
        final int at = nextEvent();
        tradingStatusChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrument.id)
            .status(TradingStatus.get(status));
        advance(tradingStatusChanged.encodedLength());
        state.tradingStatusChanged(instrument.id, status);
        work.touch(instrument);
    }

    void tradingPhaseChanged(
        final Instrument instrument, final byte phase, final PhaseChangeReason reason, final long callEndDelay, final long interruptionNanos)
    {
        final int at = nextEvent();
        tradingPhaseChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrument.id)
            .phase(TradingPhase.get(phase))
            .previousPhase(TradingPhase.get(instrument.phase))
            .status(TradingStatus.get(EngineCodes.statusOf(phase)))
            .reason(reason)
            .callEndDelay(callEndDelay)
            .interruptionNanos(interruptionNanos);
        advance(tradingPhaseChanged.encodedLength());
        state.tradingPhaseChanged(instrument.id, phase);
        work.touch(instrument);
    }

    void auctionIndication(final Instrument instrument, final long price, final long quantity, final long imbalance, final byte side)
    {
        final int at = nextEvent();
        auctionIndication.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrument.id)
            .price(price)
            .matchedQty(quantity)
            .imbalanceQty(imbalance)
            .imbalanceSide(side);
        advance(auctionIndication.encodedLength());
        state.auctionIndication(instrument.id, price, quantity, imbalance, side);
    }

    void auctionUncrossed(
        final Instrument instrument, final byte callPhase, final long price, final long quantity, final long imbalance, final byte side)
    {
        final int at = nextEvent();
        auctionUncrossed.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrument.id)
            .callPhase(TradingPhase.get(callPhase))
            .price(price)
            .matchedQty(quantity)
            .imbalanceQty(imbalance)
            .imbalanceSide(side);
        advance(auctionUncrossed.encodedLength());
        state.auctionUncrossed(instrument.id, price, quantity);
    }

    void volatilityGuardsChanged(final int instrumentId, final int dynamicBandBps, final int staticBandBps, final long interruptionNanos)
    {
        final int at = nextEvent();
        volatilityGuardsChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrumentId)
            .dynamicBandBps(dynamicBandBps)
            .staticBandBps(staticBandBps)
            .interruptionNanos(interruptionNanos);
        advance(volatilityGuardsChanged.encodedLength());
        state.volatilityGuardsChanged(instrumentId, dynamicBandBps, staticBandBps, interruptionNanos);
    }

    /** The end of an expiry command (its cancels come before it). Changes nothing itself. */
    void ordersExpired(final long expireTime, final int expired)
    {
        final int at = nextEvent();
        ordersExpired.wrapAndApplyHeader(entry, at, eventHeader)
            .expireTime(expireTime)
            .expiredCount(expired);
        advance(ordersExpired.encodedLength());
        state.ordersExpired(expireTime);
    }

    void instrumentAmended(
        final int instrumentId,
        final long tick,
        final long lot,
        final long minQty,
        final long maxQty,
        final long maxNotional,
        final long reference,
        final int band)
    {
        final int at = nextEvent();
        instrumentAmended.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrumentId)
            .tickSize(tick)
            .lotSize(lot)
            .minQuantity(minQty)
            .maxQuantity(maxQty)
            .maxNotional(maxNotional)
            .referencePrice(reference)
            .priceBandBps(band);
        advance(instrumentAmended.encodedLength());
        state.instrumentAmended(instrumentId, tick, lot, minQty, maxQty, maxNotional, reference, band);
        work.touch(state.instrument(instrumentId)); // a call's indication may rest on the reference price
    }

    void referencePriceChanged(final int instrumentId, final long reference)
    {
        final int at = nextEvent();
        referencePriceChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrumentId)
            .referencePrice(reference);
        advance(referencePriceChanged.encodedLength());
        state.referencePriceChanged(instrumentId, reference);
        // before its first trade a call's auction price leans on the reference (rule 4): its indication is computed
        // again (it stayed stale until the uncross traded at another price: an outside probe)
        work.touch(state.instrument(instrumentId));
    }

    void accountCreated(final long accountId, final byte stpMode)
    {
        final int at = nextEvent();
        accountCreated.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .stpMode(StpMode.get(stpMode));
        advance(accountCreated.encodedLength());
        state.accountCreated(accountId, stpMode);
    }

    void balanceChanged(
        final long accountId, final int instrumentId, final CommandType type, final long amount, final long balance, final long requestId)
    {
        final int at = nextEvent();
        balanceChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .commandType(type)
            .amount(amount)
            .balance(balance)
            .requestId(requestId);
        advance(balanceChanged.encodedLength());
        state.balanceChanged(accountId, instrumentId, balance);
    }

    /** A refused operator command (or one that could not be decoded). Changes nothing. */
    void commandRejected(
        final CommandType type,
        final RejectReason reason,
        final long accountId,
        final int instrumentId,
        final long requestId,
        final int templateId)
    {
        rejectReason = reason.value();
        final int at = nextEvent();
        commandRejected.wrapAndApplyHeader(entry, at, eventHeader)
            .commandType(type)
            .reason(reason)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .requestId(requestId)
            .templateId(templateId & 0xFFFF);
        advance(commandRejected.encodedLength());
    }

    /** The end of an end-of-day (its expiries come before it). */
    void dayEnded(final int instrumentId, final int expired)
    {
        final int at = nextEvent();
        dayEnded.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrumentId)
            .expiredCount(expired);
        advance(dayEnded.encodedLength());
        state.dayEnded(instrumentId);
    }

    void blockChanged(final long accountId, final int sessionId, final boolean blocked, final int canceled)
    {
        final int at = nextEvent();
        blockChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .targetSessionId(sessionId)
            .blocked(blocked ? BooleanType.TRUE : BooleanType.FALSE)
            .canceledCount(canceled);
        advance(blockChanged.encodedLength());
        state.blockChanged(accountId, sessionId, blocked);
    }

    void auditRecorded(
        final long accountId, final short type, final int detail, final DirectBuffer username, final int usernameOffset,
        final int instrumentId, final int gatewayId, final int compIdOffset, final int clOrdIdOffset)
    {
        final int at = nextEvent();
        auditRecorded.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .auditType(AuditType.get(type))
            .detail(detail)
            .instrumentId(instrumentId)
            .gatewayId(gatewayId);
        entry.putBytes(auditRecorded.offset() + AuditRecordedEncoder.usernameEncodingOffset(),
            username, usernameOffset, AuditRecordedEncoder.usernameLength());
        final int compIdAt = auditRecorded.offset() + AuditRecordedEncoder.compIdEncodingOffset();
        if (compIdOffset >= 0)
        {
            entry.putBytes(compIdAt, username, compIdOffset, AuditRecordedEncoder.compIdLength());
        }
        else
        {
            entry.setMemory(compIdAt, AuditRecordedEncoder.compIdLength(), (byte)0);
        }
        final int clOrdIdAt = auditRecorded.offset() + AuditRecordedEncoder.clOrdIdEncodingOffset();
        if (clOrdIdOffset >= 0)
        {
            entry.putBytes(clOrdIdAt, username, clOrdIdOffset, AuditRecordedEncoder.clOrdIdLength());
        }
        else
        {
            entry.setMemory(clOrdIdAt, AuditRecordedEncoder.clOrdIdLength(), (byte)0);
        }
        advance(auditRecorded.encodedLength());
    }
}
