package dev.bourse.protocol;

import dev.bourse.protocol.sbe.*;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes engine commands (header + body) into a buffer. Holds its encoders, so one instance per
 * producing thread; it allocates nothing. Each method returns the encoded length in bytes, or -1
 * if a ClOrdID or symbol does not fit its field.
 * <p>
 * About 700 lines because it has one method per command of the schema (and a shorter overload
 * where later schema versions added fields), each a plain field list; split by command, the
 * encoders and the ClOrdID and symbol helpers they share would be spread over several classes.
 */
public final class CommandWriter
{
    /** Largest encoded command; sequencer slots are at least this big. */
    public static final int MAX_COMMAND_LENGTH = 128;

    /** Where every command keeps its msgSeqNum: after the message header, timestamp and sessionId. */
    public static final int MSG_SEQ_NUM_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + 12;

    /**
     * Stamps an encoded command with the inbound FIX MsgSeqNum that carried it (the methods below
     * write 0). The engine copies it into the journal entry's header, so what a session sent is
     * counted as received only once it is journaled.
     */
    public static void msgSeqNum(final MutableDirectBuffer buffer, final int commandOffset, final int msgSeqNum)
    {
        buffer.putInt(commandOffset + MSG_SEQ_NUM_OFFSET, msgSeqNum, NewOrderEncoder.BYTE_ORDER);
    }

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final ReplaceOrderEncoder replaceOrder = new ReplaceOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final OrderStatusRequestEncoder orderStatus = new OrderStatusRequestEncoder();
    private final AddInstrumentEncoder addInstrument = new AddInstrumentEncoder();
    private final SetTradingStatusEncoder setTradingStatus = new SetTradingStatusEncoder();
    private final SetReferencePriceEncoder setReferencePrice = new SetReferencePriceEncoder();
    private final AmendInstrumentEncoder amendInstrument = new AmendInstrumentEncoder();
    private final CreateAccountEncoder createAccount = new CreateAccountEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final EndOfDayEncoder endOfDay = new EndOfDayEncoder();
    private final AuditEncoder audit = new AuditEncoder();
    private final SetTradingPhaseEncoder setTradingPhase = new SetTradingPhaseEncoder();
    private final SetVolatilityGuardsEncoder setVolatilityGuards = new SetVolatilityGuardsEncoder();
    private final ExpireOrdersEncoder expireOrders = new ExpireOrdersEncoder();
    private final SetBlockEncoder setBlock = new SetBlockEncoder();

    public int newOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final int instrumentId,
        final Side side,
        final OrdType ordType,
        final TimeInForce timeInForce,
        final boolean postOnly,
        final StpMode stpMode,
        final long price,
        final long quantity,
        final CharSequence clOrdId)
    {
        return newOrder(buffer, offset, timestamp, sessionId, accountId, instrumentId, side, ordType, timeInForce, postOnly,
            stpMode, price, quantity, clOrdId, 0, 0, 0);
    }

    /**
     * A new order of any type: stop and stop-limit orders carry {@code stopPrice}, icebergs a
     * {@code displayQty} (the peak, FIX MaxFloor), GTD orders an {@code expireTime} (nanos since
     * the epoch); 0 where a field does not apply.
     */
    public int newOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final int instrumentId,
        final Side side,
        final OrdType ordType,
        final TimeInForce timeInForce,
        final boolean postOnly,
        final StpMode stpMode,
        final long price,
        final long quantity,
        final CharSequence clOrdId,
        final long stopPrice,
        final long displayQty,
        final long expireTime)
    {
        newOrder.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .side(side)
            .ordType(ordType)
            .timeInForce(timeInForce)
            .stpMode(stpMode)
            .price(price)
            .quantity(quantity)
            .stopPrice(stopPrice)
            .displayQty(displayQty)
            .expireTime(expireTime);
        newOrder.flags().clear().postOnly(postOnly);
        if (!ClOrdIds.put(buffer, newOrder.offset() + NewOrderEncoder.clOrdIdEncodingOffset(), clOrdId))
        {
            return -1;
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + newOrder.encodedLength();
    }

    /**
     * Marks the NewOrder written at {@code offset} a resend (OrderFlags possResend), as the FIX
     * message that carried it was: the engine answers a duplicate ClOrdID of the account's live
     * order with that order's status rather than a reject.
     */
    public static void markPossResend(final MutableDirectBuffer buffer, final int offset)
    {
        final int flags = offset + MessageHeaderEncoder.ENCODED_LENGTH + NewOrderEncoder.flagsEncodingOffset();
        buffer.putByte(flags, (byte)(buffer.getByte(flags) | POSS_RESEND_BIT));
    }

    /** The possResend choice's bit in OrderFlags. */
    public static final int POSS_RESEND_BIT = 1 << 1;

    public int cancelOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final CharSequence clOrdId,
        final CharSequence origClOrdId)
    {
        return cancelOrder(buffer, offset, timestamp, sessionId, accountId, orderId, clOrdId, origClOrdId, 0, 0);
    }

    /**
     * A cancel that also names the order's instrument and side (0: not named), as a FIX
     * OrderCancelRequest does: the engine refuses it if they are not the order's.
     */
    public int cancelOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final CharSequence clOrdId,
        final CharSequence origClOrdId,
        final int instrumentId,
        final int side)
    {
        cancelOrder.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .side((short)side);
        if (!ClOrdIds.put(buffer, cancelOrder.offset() + CancelOrderEncoder.clOrdIdEncodingOffset(), clOrdId) ||
            !ClOrdIds.put(buffer, cancelOrder.offset() + CancelOrderEncoder.origClOrdIdEncodingOffset(), origClOrdId))
        {
            return -1;
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + cancelOrder.encodedLength();
    }

    public int replaceOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final long price,
        final long quantity,
        final CharSequence clOrdId,
        final CharSequence origClOrdId)
    {
        return replaceOrder(buffer, offset, timestamp, sessionId, accountId, orderId, price, quantity, clOrdId, origClOrdId, 0);
    }

    /** A replace that also moves a held stop's trigger price ({@code stopPrice} 0 keeps it). */
    public int replaceOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final long price,
        final long quantity,
        final CharSequence clOrdId,
        final CharSequence origClOrdId,
        final long stopPrice)
    {
        return replaceOrder(buffer, offset, timestamp, sessionId, accountId, orderId, price, quantity, clOrdId, origClOrdId,
            stopPrice, 0, 0, 0, TimeInForce.NULL_VAL, NOT_NAMED, NOT_NAMED, BooleanType.NULL_VAL);
    }

    /** A replace's displayQty or expireTime that names nothing (the schema's int64 null value). */
    public static final long NOT_NAMED = ReplaceOrderEncoder.displayQtyNullValue();

    /**
     * A replace that also names the order's instrument, side, type (0: not named), time in force,
     * peak, expire time and post-only flag ({@link #NOT_NAMED} or the enum's NULL_VAL: not named;
     * the STP mode does not fit a sequencer slot beside them), as a FIX OrderCancelReplaceRequest
     * does: the engine refuses it if they are not the order's, rather than act on an order the
     * client described differently or acknowledge a change it does not make.
     */
    public int replaceOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final long price,
        final long quantity,
        final CharSequence clOrdId,
        final CharSequence origClOrdId,
        final long stopPrice,
        final int instrumentId,
        final int side,
        final int ordType,
        final TimeInForce timeInForce,
        final long displayQty,
        final long expireTime,
        final BooleanType postOnly)
    {
        replaceOrder.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .orderId(orderId)
            .price(price)
            .quantity(quantity)
            .stopPrice(stopPrice)
            .instrumentId(instrumentId)
            .side((short)side)
            .ordType((short)ordType)
            .timeInForce(timeInForce)
            .displayQty(displayQty)
            .expireTime(expireTime)
            .postOnly(postOnly);
        if (!ClOrdIds.put(buffer, replaceOrder.offset() + ReplaceOrderEncoder.clOrdIdEncodingOffset(), clOrdId) ||
            !ClOrdIds.put(buffer, replaceOrder.offset() + ReplaceOrderEncoder.origClOrdIdEncodingOffset(), origClOrdId))
        {
            return -1;
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + replaceOrder.encodedLength();
    }

    /**
     * A mass cancel of every matching order at once.
     *
     * @param instrumentId 0 for every instrument.
     * @param side null for both sides.
     */
    public int massCancel(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final int instrumentId,
        final Side side,
        final boolean onlyThisSession,
        final CancelReason reason,
        final CharSequence clOrdId)
    {
        return massCancel(buffer, offset, timestamp, sessionId, accountId, instrumentId, side, onlyThisSession, reason, clOrdId, 0);
    }

    /**
     * One slice of a mass cancel: at most {@code limit} orders (0: all). The MassCancelDone says
     * whether more remain; the issuer then sends the next slice (a blank ClOrdID is allowed for it),
     * so other commands get the engine between slices.
     */
    public int massCancel(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final int instrumentId,
        final Side side,
        final boolean onlyThisSession,
        final CancelReason reason,
        final CharSequence clOrdId,
        final int limit)
    {
        return massCancel(buffer, offset, timestamp, sessionId, accountId, instrumentId, side, onlyThisSession, reason, clOrdId, limit, 0);
    }

    /**
     * A later slice of a sliced mass cancel: only orders up to {@code upToOrderId} (the first
     * slice's MassCancelDone names it), so an order entered between slices is not canceled.
     */
    public int massCancel(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final int instrumentId,
        final Side side,
        final boolean onlyThisSession,
        final CancelReason reason,
        final CharSequence clOrdId,
        final int limit,
        final long upToOrderId)
    {
        massCancel.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .side(side == null ? 0 : side.value())
            .onlyThisSession(onlyThisSession ? BooleanType.TRUE : BooleanType.FALSE)
            .reason(reason)
            .maxOrders(limit)
            .upToOrderId(upToOrderId);
        if (!ClOrdIds.put(buffer, massCancel.offset() + MassCancelEncoder.clOrdIdEncodingOffset(), clOrdId))
        {
            return -1;
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + massCancel.encodedLength();
    }

    public int orderStatus(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final CharSequence clOrdId)
    {
        return orderStatus(buffer, offset, timestamp, sessionId, accountId, orderId, clOrdId, 0, 0);
    }

    /**
     * A status request that also names the order's instrument and side (0: not named), as a FIX
     * OrderStatusRequest does: an unknown order's answer echoes them.
     */
    public int orderStatus(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final long orderId,
        final CharSequence clOrdId,
        final int instrumentId,
        final int side)
    {
        orderStatus.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .side((short)side);
        if (!ClOrdIds.put(buffer, orderStatus.offset() + OrderStatusRequestEncoder.clOrdIdEncodingOffset(), clOrdId))
        {
            return -1;
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + orderStatus.encodedLength();
    }

    public int addInstrument(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int instrumentId,
        final CharSequence symbol,
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps,
        final TradingStatus status)
    {
        addInstrument.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .tickSize(tickSize)
            .lotSize(lotSize)
            .minQuantity(minQuantity)
            .maxQuantity(maxQuantity)
            .maxNotional(maxNotional)
            .referencePrice(referencePrice)
            .priceBandBps(priceBandBps)
            .status(status);
        if (symbol.length() > AddInstrumentEncoder.symbolLength())
        {
            return -1;
        }
        addInstrument.symbol(symbol);
        return MessageHeaderEncoder.ENCODED_LENGTH + addInstrument.encodedLength();
    }

    public int setTradingStatus(
        final MutableDirectBuffer buffer, final int offset, final long timestamp, final int instrumentId, final TradingStatus status)
    {
        setTradingStatus.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .status(status);
        return MessageHeaderEncoder.ENCODED_LENGTH + setTradingStatus.encodedLength();
    }

    public int setReferencePrice(
        final MutableDirectBuffer buffer, final int offset, final long timestamp, final int instrumentId, final long referencePrice)
    {
        setReferencePrice.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .referencePrice(referencePrice);
        return MessageHeaderEncoder.ENCODED_LENGTH + setReferencePrice.encodedLength();
    }

    /** An instrument's new rules: each value 0 keeps the current one (docs/ENGINE-RULES.md, "Amending an instrument"). */
    public int amendInstrument(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int instrumentId,
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps)
    {
        amendInstrument.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .tickSize(tickSize)
            .lotSize(lotSize)
            .minQuantity(minQuantity)
            .maxQuantity(maxQuantity)
            .maxNotional(maxNotional)
            .referencePrice(referencePrice)
            .priceBandBps(priceBandBps);
        return MessageHeaderEncoder.ENCODED_LENGTH + amendInstrument.encodedLength();
    }

    public int createAccount(
        final MutableDirectBuffer buffer, final int offset, final long timestamp, final long accountId, final StpMode stpMode)
    {
        createAccount.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .accountId(accountId)
            .stpMode(stpMode);
        return MessageHeaderEncoder.ENCODED_LENGTH + createAccount.encodedLength();
    }

    /** @param instrumentId 0 for cash, else a position in that instrument. */
    public int deposit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final long accountId,
        final int instrumentId,
        final long amount,
        final long requestId)
    {
        deposit.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .amount(amount)
            .requestId(requestId);
        return MessageHeaderEncoder.ENCODED_LENGTH + deposit.encodedLength();
    }

    /** @param instrumentId 0 for cash, else a position in that instrument. */
    public int withdraw(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final long accountId,
        final int instrumentId,
        final long amount,
        final long requestId)
    {
        withdraw.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .accountId(accountId)
            .instrumentId(instrumentId)
            .amount(amount)
            .requestId(requestId);
        return MessageHeaderEncoder.ENCODED_LENGTH + withdraw.encodedLength();
    }

    /** @param instrumentId 0 for every instrument (this also ends the ClOrdID day). */
    public int endOfDay(final MutableDirectBuffer buffer, final int offset, final long timestamp, final int instrumentId)
    {
        return endOfDay(buffer, offset, timestamp, instrumentId, 0);
    }

    /**
     * @param instrumentId     0 for every instrument (this also ends the ClOrdID day).
     * @param unlessEndedSince 0, or a day's scheduled end: the engine refuses (DAY_ALREADY_ENDED) if nothing has
     *                         changed since the last day end or the exchange's current day began at or after it
     *                         ({@link Long#MAX_VALUE}: only the first).
     */
    public int endOfDay(
        final MutableDirectBuffer buffer, final int offset, final long timestamp, final int instrumentId, final long unlessEndedSince)
    {
        endOfDay.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .unlessEndedSince(unlessEndedSince);
        return MessageHeaderEncoder.ENCODED_LENGTH + endOfDay.encodedLength();
    }

    /**
     * Moves an instrument to another trading phase (from the scheduler or an operator).
     *
     * @param expectedPhase the phase the instrument must be in, or null for any.
     * @param callEndDelay nanos the call ran past its scheduled end (the random draw), journaled.
     */
    public int setTradingPhase(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int instrumentId,
        final TradingPhase phase,
        final TradingPhase expectedPhase,
        final long callEndDelay)
    {
        setTradingPhase.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .phase(phase)
            .expectedPhase(expectedPhase == null ? 0 : expectedPhase.value())
            .callEndDelay(callEndDelay);
        return MessageHeaderEncoder.ENCODED_LENGTH + setTradingPhase.encodedLength();
    }

    /** Sets an instrument's volatility guards (0 bps switches a band off). */
    public int setVolatilityGuards(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int instrumentId,
        final int dynamicBandBps,
        final int staticBandBps,
        final long interruptionNanos)
    {
        setVolatilityGuards.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .instrumentId(instrumentId)
            .dynamicBandBps(dynamicBandBps)
            .staticBandBps(staticBandBps)
            .interruptionNanos(interruptionNanos);
        return MessageHeaderEncoder.ENCODED_LENGTH + setVolatilityGuards.encodedLength();
    }

    /** Expires every GTD order whose expire time is at or before {@code expireTime} (nanos since the epoch). */
    public int expireOrders(final MutableDirectBuffer buffer, final int offset, final long timestamp, final long expireTime)
    {
        expireOrders.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .expireTime(expireTime);
        return MessageHeaderEncoder.ENCODED_LENGTH + expireOrders.encodedLength();
    }

    public int audit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final AuditType auditType,
        final int detail,
        final CharSequence username)
    {
        return audit(buffer, offset, timestamp, sessionId, accountId, auditType, detail, username, 0, "");
    }

    /**
     * An audit about a FIX session as a gateway serves it: {@code gatewayId} and the session's
     * {@code compId} let any other gateway take the session over (LOGON, SEQUENCE_RESERVED,
     * SESSION_CLAIMED).
     */
    public int audit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final AuditType auditType,
        final int detail,
        final CharSequence username,
        final int gatewayId,
        final CharSequence compId)
    {
        audit.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .msgSeqNum(0)
            .accountId(accountId)
            .auditType(auditType)
            .detail(detail)
            .instrumentId(0)
            .gatewayId(gatewayId);
        putAscii(buffer, audit.offset() + AuditEncoder.usernameEncodingOffset(), AuditEncoder.usernameLength(), username);
        putAscii(buffer, audit.offset() + AuditEncoder.compIdEncodingOffset(), AuditEncoder.compIdLength(), compId);
        buffer.setMemory(audit.offset() + AuditEncoder.clOrdIdEncodingOffset(), AuditEncoder.clOrdIdLength(), (byte)0);
        return MessageHeaderEncoder.ENCODED_LENGTH + audit.encodedLength();
    }

    /**
     * An order, cancel, replace or mass cancel the gateway refused itself, before it became a
     * command (an unknown symbol, a Side or TimeInForce FIX defines that the exchange does not
     * trade): journaled so that the audit trail and the account's activity report hold every
     * request the exchange refused. {@code clOrdId}: the request's.
     */
    public int refusedOrderAudit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final int sessionId,
        final long accountId,
        final RejectReason reason,
        final CharSequence username,
        final int instrumentId,
        final CharSequence clOrdId)
    {
        final int length = audit(buffer, offset, timestamp, sessionId, accountId, AuditType.ORDER_REFUSED, reason.value(), username);
        audit.instrumentId(instrumentId);
        putAscii(buffer, audit.offset() + AuditEncoder.clOrdIdEncodingOffset(), AuditEncoder.clOrdIdLength(), clOrdId);
        return length;
    }

    /**
     * A name as sent, in a fixed ASCII field. What cannot be written as it is becomes '.', which no
     * configured username holds: a character outside printable ASCII (masking its high bits made
     * "\u00e1\u00ec\u00e9\u00e3\u00e5" read "alice" in the audit log), and the last character of a
     * name longer than the field (cut to a configured user's name it would name that user).
     */
    static void putAscii(final MutableDirectBuffer buffer, final int at, final int length, final CharSequence text)
    {
        final int textLength = text.length();
        for (int i = 0; i < length; i++)
        {
            byte b = 0;
            if (i < textLength)
            {
                final char c = text.charAt(i);
                b = c >= 0x20 && c <= 0x7E && !(i == length - 1 && textLength > length) ? (byte)c : (byte)'.';
            }
            buffer.putByte(at + i, b);
        }
    }

    /**
     * An operator's action, audited (AuditType OPERATOR): who, which command ({@code detail} is its
     * CommandType value) and on what (an account, an instrument, or a FIX session: {@code sessionId},
     * which the entry's header carries).
     */
    public int operatorAudit(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final CharSequence operator,
        final CommandType action,
        final long accountId,
        final int instrumentId,
        final int sessionId)
    {
        final int length = audit(buffer, offset, timestamp, sessionId, accountId, AuditType.OPERATOR, action.value(), operator);
        audit.instrumentId(instrumentId);
        return length;
    }

    /** Blocks or releases an account (accountId) or a session (targetSessionId); cancelOrders: the kill switch. */
    public int setBlock(
        final MutableDirectBuffer buffer,
        final int offset,
        final long timestamp,
        final long accountId,
        final int targetSessionId,
        final boolean blocked,
        final boolean cancelOrders)
    {
        setBlock.wrapAndApplyHeader(buffer, offset, header)
            .timestamp(timestamp)
            .sessionId(0)
            .msgSeqNum(0)
            .accountId(accountId)
            .targetSessionId(targetSessionId)
            .blocked(blocked ? BooleanType.TRUE : BooleanType.FALSE)
            .cancelOrders(cancelOrders ? BooleanType.TRUE : BooleanType.FALSE);
        return MessageHeaderEncoder.ENCODED_LENGTH + setBlock.encodedLength();
    }
}
