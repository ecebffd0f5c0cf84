package dev.bourse.engine.reference;

import dev.bourse.protocol.sbe.*;
import org.agrona.ExpandableArrayBuffer;

/**
 * Builds one journal entry (EntryHeader + events) with the schema's encoders, for the reference
 * model. The header's event count is filled in by {@link #finish()}.
 */
final class ReferenceEntryWriter
{
    private static final byte[] BLANK = new byte[20];

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final EntryHeaderEncoder entry = new EntryHeaderEncoder();
    private int position;
    private int events;

    /**
     * Command time of the first journaled entry since the last whole-exchange EndOfDay with an event
     * that changes the exchange (0: none yet). Told by event type: rejections, status answers,
     * audit records, expiry rounds' markers and day ends change nothing.
     */
    long dayOpenedAt;
    private long entrySequence;
    private long entryTimestamp;

    void begin(final long sequence, final long timestamp, final int sessionId, final int msgSeqNum, final CommandType type)
    {
        entrySequence = sequence;
        entryTimestamp = timestamp;
        position = 0;
        events = 0;
        entry.wrapAndApplyHeader(buffer, 0, header)
            .sequence(sequence)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .commandType(type)
            .eventCount(0)
            .msgSeqNum(msgSeqNum);
        position = MessageHeaderEncoder.ENCODED_LENGTH + entry.encodedLength();
    }

    byte[] finish()
    {
        entry.eventCount(events);
        final byte[] bytes = new byte[position];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private void advance(final int encodedLength)
    {
        quietAdvance(encodedLength);
        if (entrySequence > 0 && dayOpenedAt == 0)
        {
            dayOpenedAt = entryTimestamp;
        }
    }

    /** An event that changes nothing: it opens no day. */
    private void quietAdvance(final int encodedLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        events++;
    }

    private void putByte(final int offset, final int value)
    {
        buffer.putByte(offset, (byte)value);
    }

    void orderAccepted(final ReferenceExchange.Order o)
    {
        final OrderAcceptedEncoder e = new OrderAcceptedEncoder().wrapAndApplyHeader(buffer, position, header)
            .orderId(o.orderId)
            .accountId(o.accountId)
            .instrumentId(o.instrumentId)
            .sessionId(o.sessionId)
            .price(o.price)
            .quantity(o.quantity)
            .holdPrice(o.holdPrice)
            .putClOrdId(bytes(o.clOrdId), 0)
            .stopPrice(o.stopPrice)
            .displayQty(o.maxFloor)
            .expireTime(o.expireTime);
        putByte(e.offset() + OrderAcceptedEncoder.sideEncodingOffset(), o.side);
        putByte(e.offset() + OrderAcceptedEncoder.ordTypeEncodingOffset(), o.ordType);
        putByte(e.offset() + OrderAcceptedEncoder.timeInForceEncodingOffset(), o.tif);
        putByte(e.offset() + OrderAcceptedEncoder.flagsEncodingOffset(), o.flags);
        putByte(e.offset() + OrderAcceptedEncoder.stpModeEncodingOffset(), o.stp);
        advance(e.encodedLength());
    }

    void orderRejected(
        final long account, final int instrument, final int sessionId, final int side, final int type, final int tif,
        final RejectReason reason, final long price, final long quantity, final byte[] clOrdId)
    {
        final OrderRejectedEncoder e = new OrderRejectedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .instrumentId(instrument)
            .sessionId(sessionId)
            .side((short)side)
            .ordType((short)type)
            .timeInForce((short)tif)
            .reason(reason)
            .price(price)
            .quantity(quantity)
            .putClOrdId(clOrdId, 0);
        quietAdvance(e.encodedLength());
    }

    void trade(
        final long tradeId, final int instrument, final int takerSide, final long price, final long quantity,
        final ReferenceExchange.Order maker, final ReferenceExchange.Order taker, final boolean auction)
    {
        final TradeEncoder e = new TradeEncoder().wrapAndApplyHeader(buffer, position, header)
            .tradeId(tradeId)
            .instrumentId(instrument)
            .price(price)
            .quantity(quantity)
            .makerOrderId(maker.orderId)
            .makerAccountId(maker.accountId)
            .makerSessionId(maker.sessionId)
            .makerLeavesQty(maker.leaves)
            .makerCumQty(maker.cumQty)
            .makerCumNotional(maker.cumNotional)
            .takerOrderId(taker.orderId)
            .takerAccountId(taker.accountId)
            .takerSessionId(taker.sessionId)
            .takerLeavesQty(taker.leaves)
            .takerCumQty(taker.cumQty)
            .takerCumNotional(taker.cumNotional)
            .putMakerClOrdId(bytes(maker.clOrdId), 0)
            .putTakerClOrdId(bytes(taker.clOrdId), 0)
            .auction(auction ? BooleanType.TRUE : BooleanType.FALSE);
        putByte(e.offset() + TradeEncoder.takerSideEncodingOffset(), takerSide);
        advance(e.encodedLength());
    }

    /** @param requestClOrdId the cancel request's ClOrdID, or null for blank. */
    void orderCanceled(final ReferenceExchange.Order o, final CancelReason reason, final long canceledQty, final byte[] requestClOrdId)
    {
        final OrderCanceledEncoder e = new OrderCanceledEncoder().wrapAndApplyHeader(buffer, position, header)
            .orderId(o.orderId)
            .accountId(o.accountId)
            .instrumentId(o.instrumentId)
            .sessionId(o.sessionId)
            .reason(reason)
            .price(o.price)
            .canceledQty(canceledQty)
            .cumQty(o.cumQty)
            .cumNotional(o.cumNotional)
            .putClOrdId(bytes(o.clOrdId), 0)
            .putRequestClOrdId(requestClOrdId == null ? BLANK : requestClOrdId, 0);
        putByte(e.offset() + OrderCanceledEncoder.sideEncodingOffset(), o.side);
        advance(e.encodedLength());
    }

    void orderReplaced(
        final ReferenceExchange.Order o, final boolean keptPriority, final long oldPrice, final long oldLeaves, final byte[] previousClOrdId,
        final long stopPrice)
    {
        final OrderReplacedEncoder e = new OrderReplacedEncoder().wrapAndApplyHeader(buffer, position, header)
            .orderId(o.orderId)
            .accountId(o.accountId)
            .instrumentId(o.instrumentId)
            .sessionId(o.sessionId)
            .keptPriority(keptPriority ? BooleanType.TRUE : BooleanType.FALSE)
            .oldPrice(oldPrice)
            .oldLeavesQty(oldLeaves)
            .price(o.price)
            .quantity(o.quantity)
            .leavesQty(o.leaves)
            .cumQty(o.cumQty)
            .cumNotional(o.cumNotional)
            .holdPrice(o.holdPrice)
            .putClOrdId(bytes(o.clOrdId), 0)
            .putOrigClOrdId(previousClOrdId, 0)
            .stopPrice(stopPrice)
            .ordType((short)o.ordType)
            .maxFloor(o.maxFloor)
            .timeInForce((short)o.tif)
            .expireTime(o.expireTime);
        putByte(e.offset() + OrderReplacedEncoder.sideEncodingOffset(), o.side);
        advance(e.encodedLength());
    }

    void orderRested(final ReferenceExchange.Order o)
    {
        final OrderRestedEncoder e = new OrderRestedEncoder().wrapAndApplyHeader(buffer, position, header)
            .orderId(o.orderId)
            .instrumentId(o.instrumentId)
            .price(o.price)
            .leavesQty(o.leaves)
            .displayQty(o.maxFloor > 0 ? o.display : o.leaves);
        putByte(e.offset() + OrderRestedEncoder.sideEncodingOffset(), o.side);
        advance(e.encodedLength());
    }

    void orderElected(final ReferenceExchange.Order o, final int becomes, final long trigger)
    {
        final OrderElectedEncoder e = new OrderElectedEncoder().wrapAndApplyHeader(buffer, position, header)
            .orderId(o.orderId)
            .accountId(o.accountId)
            .instrumentId(o.instrumentId)
            .sessionId(o.sessionId)
            .price(o.price)
            .stopPrice(o.stopPrice)
            .triggerPrice(trigger)
            .leavesQty(o.leaves)
            .putClOrdId(bytes(o.clOrdId), 0);
        putByte(e.offset() + OrderElectedEncoder.sideEncodingOffset(), o.side);
        putByte(e.offset() + OrderElectedEncoder.ordTypeEncodingOffset(), becomes);
        advance(e.encodedLength());
    }

    void tradingPhaseChanged(
        final int instrument, final int phase, final int previous, final int status, final PhaseChangeReason reason,
        final long callEndDelay, final long interruptionNanos)
    {
        final TradingPhaseChangedEncoder e = new TradingPhaseChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .reason(reason)
            .callEndDelay(callEndDelay)
            .interruptionNanos(interruptionNanos);
        putByte(e.offset() + TradingPhaseChangedEncoder.phaseEncodingOffset(), phase);
        putByte(e.offset() + TradingPhaseChangedEncoder.previousPhaseEncodingOffset(), previous);
        putByte(e.offset() + TradingPhaseChangedEncoder.statusEncodingOffset(), status);
        advance(e.encodedLength());
    }

    void auctionIndication(final int instrument, final ReferenceUncross.Result r)
    {
        final AuctionIndicationEncoder e = new AuctionIndicationEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .price(r.price())
            .matchedQty(r.volume())
            .imbalanceQty(r.imbalance())
            .imbalanceSide((short)r.imbalanceSide());
        advance(e.encodedLength());
    }

    void auctionUncrossed(final int instrument, final int callPhase, final ReferenceUncross.Result r)
    {
        final AuctionUncrossedEncoder e = new AuctionUncrossedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .price(r.price())
            .matchedQty(r.volume())
            .imbalanceQty(r.imbalance())
            .imbalanceSide((short)r.imbalanceSide());
        putByte(e.offset() + AuctionUncrossedEncoder.callPhaseEncodingOffset(), callPhase);
        advance(e.encodedLength());
    }

    void volatilityGuardsChanged(final int instrument, final int dynamicBps, final int staticBps, final long interruptionNanos, final boolean changed)
    {
        final VolatilityGuardsChangedEncoder e = new VolatilityGuardsChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .dynamicBandBps(dynamicBps)
            .staticBandBps(staticBps)
            .interruptionNanos(interruptionNanos);
        if (changed)
        {
            advance(e.encodedLength());
        }
        else
        {
            quietAdvance(e.encodedLength()); // the same guards again (a scheduler's catch-up): no day opens
        }
    }

    void ordersExpired(final long expireTime, final int count)
    {
        final OrdersExpiredEncoder e = new OrdersExpiredEncoder().wrapAndApplyHeader(buffer, position, header)
            .expireTime(expireTime)
            .expiredCount(count);
        quietAdvance(e.encodedLength());
    }

    /**
     * A refused cancel or replace; {@code found}: the order the request named, whose id and status the
     * event carries, or null; {@code endedId} and {@code endedAs}: for a too-late one, the order the
     * OrigClOrdID named and how it ended (else 0 and null).
     */
    void cancelRejected(
        final long account, final int sessionId, final long orderId, final CommandType responseTo, final RejectReason reason,
        final byte[] clOrdId, final byte[] origClOrdId, final ReferenceExchange.Order found, final long endedId, final OrdStatus endedAs)
    {
        final CancelRejectedEncoder e = new CancelRejectedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .sessionId(sessionId)
            .orderId(found != null ? found.orderId : endedAs != null ? endedId : orderId)
            .responseTo(responseTo)
            .reason(reason)
            .orderStatus(found != null ? (found.cumQty > 0 ? OrdStatus.PARTIALLY_FILLED : OrdStatus.NEW)
                : endedAs != null ? endedAs : OrdStatus.UNKNOWN)
            .putClOrdId(clOrdId, 0)
            // named by OrderID alone, a found order is answered with the ClOrdID it carries
            .putOrigClOrdId(found != null && isBlank(origClOrdId) ? bytes(found.clOrdId) : origClOrdId, 0);
        quietAdvance(e.encodedLength());
    }

    void massCancelDone(
        final long account, final int sessionId, final int instrument, final int side, final CancelReason reason,
        final RejectReason rejectReason, final int count, final boolean moreRemaining, final byte[] clOrdId, final long upToOrderId)
    {
        final MassCancelDoneEncoder e = new MassCancelDoneEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .sessionId(sessionId)
            .instrumentId(instrument)
            .side((short)side)
            .reason(reason)
            .rejectReason(rejectReason)
            .canceledCount(count)
            .putClOrdId(clOrdId, 0)
            .moreRemaining(moreRemaining ? BooleanType.TRUE : BooleanType.FALSE)
            .upToOrderId(upToOrderId);
        if (rejectReason == RejectReason.NONE)
        {
            advance(e.encodedLength()); // its ClOrdID is used now
        }
        else
        {
            quietAdvance(e.encodedLength());
        }
    }

    void orderStatus(final ReferenceExchange.Order o, final int requestingSession)
    {
        final OrderStatusReportEncoder e = new OrderStatusReportEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(o.accountId)
            .sessionId(requestingSession)
            .orderId(o.orderId)
            .instrumentId(o.instrumentId)
            .status(o.cumQty == 0 ? OrdStatus.NEW : OrdStatus.PARTIALLY_FILLED)
            .side((short)o.side)
            .ordType((short)o.ordType)
            .timeInForce((short)o.tif)
            .price(o.price)
            .quantity(o.quantity)
            .leavesQty(o.leaves)
            .cumQty(o.cumQty)
            .cumNotional(o.cumNotional)
            .putClOrdId(bytes(o.clOrdId), 0)
            .stopPrice(o.held() ? o.stopPrice : 0)
            .maxFloor(o.maxFloor)
            .expireTime(o.expireTime);
        quietAdvance(e.encodedLength());
    }

    void orderStatusUnknown(
        final long account, final int requestingSession, final long orderId, final byte[] clOrdId, final int instrumentId, final int side)
    {
        final OrderStatusReportEncoder e = new OrderStatusReportEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .sessionId(requestingSession)
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
            .putClOrdId(clOrdId, 0)
            .stopPrice(0)
            .maxFloor(0)
            .expireTime(0);
        quietAdvance(e.encodedLength());
    }

    void instrumentAdded(final ReferenceExchange.Instrument i, final byte[] symbol)
    {
        final InstrumentAddedEncoder e = new InstrumentAddedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(i.id)
            .tickSize(i.tick)
            .lotSize(i.lot)
            .minQuantity(i.minQty)
            .maxQuantity(i.maxQty)
            .maxNotional(i.maxNotional)
            .referencePrice(i.reference)
            .priceBandBps(i.bandBps)
            .putSymbol(symbol, 0);
        putByte(e.offset() + InstrumentAddedEncoder.statusEncodingOffset(), i.status);
        advance(e.encodedLength());
    }

    void tradingStatusChanged(final int instrument, final int status)
    {
        final TradingStatusChangedEncoder e = new TradingStatusChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument);
        putByte(e.offset() + TradingStatusChangedEncoder.statusEncodingOffset(), status);
        advance(e.encodedLength());
    }

    void instrumentAmended(
        final int instrument, final long tick, final long lot, final long minQty, final long maxQty, final long maxNotional,
        final long reference, final int bandBps)
    {
        final InstrumentAmendedEncoder e = new InstrumentAmendedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .tickSize(tick)
            .lotSize(lot)
            .minQuantity(minQty)
            .maxQuantity(maxQty)
            .maxNotional(maxNotional)
            .referencePrice(reference)
            .priceBandBps(bandBps);
        advance(e.encodedLength());
    }

    void referencePriceChanged(final int instrument, final long price)
    {
        final ReferencePriceChangedEncoder e = new ReferencePriceChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .referencePrice(price);
        advance(e.encodedLength());
    }

    void accountCreated(final long account, final int stp)
    {
        final AccountCreatedEncoder e = new AccountCreatedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account);
        putByte(e.offset() + AccountCreatedEncoder.stpModeEncodingOffset(), stp);
        advance(e.encodedLength());
    }

    void balanceChanged(
        final long account, final int instrument, final CommandType type, final long amount, final long balance, final long requestId)
    {
        final BalanceChangedEncoder e = new BalanceChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .instrumentId(instrument)
            .commandType(type)
            .amount(amount)
            .balance(balance)
            .requestId(requestId);
        advance(e.encodedLength());
    }

    void commandRejected(
        final CommandType type, final RejectReason reason, final long account, final int instrument, final long requestId,
        final int templateId)
    {
        final CommandRejectedEncoder e = new CommandRejectedEncoder().wrapAndApplyHeader(buffer, position, header)
            .commandType(type)
            .reason(reason)
            .accountId(account)
            .instrumentId(instrument)
            .requestId(requestId)
            .templateId(templateId);
        quietAdvance(e.encodedLength());
    }

    void dayEnded(final int instrument, final int count)
    {
        final DayEndedEncoder e = new DayEndedEncoder().wrapAndApplyHeader(buffer, position, header)
            .instrumentId(instrument)
            .expiredCount(count);
        quietAdvance(e.encodedLength());
    }

    void blockChanged(final long account, final int session, final boolean blocked, final int canceled)
    {
        final BlockChangedEncoder e = new BlockChangedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .targetSessionId(session)
            .blocked(blocked ? BooleanType.TRUE : BooleanType.FALSE)
            .canceledCount(canceled);
        advance(e.encodedLength());
    }

    void auditRecorded(
        final long account, final int type, final int detail, final byte[] username, final int instrument, final int gatewayId,
        final byte[] compId, final byte[] clOrdId)
    {
        final AuditRecordedEncoder e = new AuditRecordedEncoder().wrapAndApplyHeader(buffer, position, header)
            .accountId(account)
            .detail(detail)
            .instrumentId(instrument)
            .putUsername(username, 0)
            .gatewayId(gatewayId)
            .putCompId(compId, 0)
            .putClOrdId(clOrdId, 0);
        putByte(e.offset() + AuditRecordedEncoder.auditTypeEncodingOffset(), type);
        quietAdvance(e.encodedLength());
    }

    private static boolean isBlank(final byte[] clOrdId)
    {
        for (final byte b : clOrdId)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(final String clOrdId)
    {
        return clOrdId.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
