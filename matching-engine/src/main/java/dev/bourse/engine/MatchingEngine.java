package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The deterministic matching engine: one SBE command in, one journal entry of events out. No
 * clock, no randomness, no I/O: timestamps ride on the commands and output goes to an
 * {@link EventSink}. The same command stream always yields byte-identical entries.
 * <p>
 * Each command is checked in a fixed order (documented per handler; docs/PROTOCOL.md lists it)
 * and either refused with one {@link RejectReason} or carried out. State changes only through
 * {@link EngineState}'s fold methods, each called right after its event is encoded, so replaying
 * the events rebuilds the same state. Single-threaded; allocates nothing per command once pools
 * and indexes are warm.
 */
public final class MatchingEngine
{
    private static final int ENTRY_HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + EntryHeaderEncoder.BLOCK_LENGTH;
    /**
     * Balances (cash and positions) are kept at or below 2^61 - 1 by deposits, which leaves room
     * for settlement to add proceeds without ever overflowing a long in practice.
     */
    public static final long MAX_BALANCE = (1L << 61) - 1;

    private final EngineState state;
    private final EventSink sink;
    private final EngineListener listener;

    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(1 << 16);
    private int position;
    private int eventCount;
    private int commandType;
    private int commandMsgSeqNum;
    private int rejectReason;
    private boolean halted;
    private String haltReason;

    private final MessageHeaderDecoder commandHeader = new MessageHeaderDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final ReplaceOrderDecoder replaceOrder = new ReplaceOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final OrderStatusRequestDecoder orderStatus = new OrderStatusRequestDecoder();
    private final AddInstrumentDecoder addInstrument = new AddInstrumentDecoder();
    private final SetTradingStatusDecoder setTradingStatus = new SetTradingStatusDecoder();
    private final SetReferencePriceDecoder setReferencePrice = new SetReferencePriceDecoder();
    private final CreateAccountDecoder createAccount = new CreateAccountDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final EndOfDayDecoder endOfDay = new EndOfDayDecoder();
    private final AuditDecoder audit = new AuditDecoder();

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
    private final InstrumentAddedEncoder instrumentAdded = new InstrumentAddedEncoder();
    private final TradingStatusChangedEncoder tradingStatusChanged = new TradingStatusChangedEncoder();
    private final ReferencePriceChangedEncoder referencePriceChanged = new ReferencePriceChangedEncoder();
    private final AccountCreatedEncoder accountCreated = new AccountCreatedEncoder();
    private final BalanceChangedEncoder balanceChanged = new BalanceChangedEncoder();
    private final CommandRejectedEncoder commandRejected = new CommandRejectedEncoder();
    private final DayEndedEncoder dayEnded = new DayEndedEncoder();
    private final AuditRecordedEncoder auditRecorded = new AuditRecordedEncoder();

    public MatchingEngine(final EngineState state, final EventSink sink)
    {
        this(state, sink, EngineListener.NO_OP);
    }

    /**
     * @param state the state to run on: empty, or recovered from a snapshot and journal replay.
     */
    public MatchingEngine(final EngineState state, final EventSink sink, final EngineListener listener)
    {
        this.state = state;
        this.sink = sink;
        this.listener = listener;
    }

    public EngineState state()
    {
        return state;
    }

    /** True once a journal append failed or the engine hit an internal error: commands are refused. */
    public boolean isHalted()
    {
        return halted;
    }

    public String haltReason()
    {
        return haltReason;
    }

    /** The sequencer reached the end of a batch. */
    public void onEndOfBatch()
    {
        if (!halted)
        {
            try
            {
                sink.onEndOfBatch();
            }
            catch (final Throwable t)
            {
                sink.drainUnstored(listener::onUnjournaled);
                halt("journal flush failed: " + t, t);
            }
        }
    }

    /**
     * Processes one encoded command. A zero length is a no-op (a producer's claimed slot it
     * could not fill). Never throws: malformed input is rejected with a reason.
     */
    public void onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (halted)
        {
            rejectWhileHalted(buffer, offset, length);
            return;
        }
        try
        {
            dispatch(buffer, offset, length);
        }
        catch (final Throwable t)
        {
            // State may be half-changed and not journaled: the only safe course is to stop.
            halt("engine error on command: " + t, t);
            return;
        }
        finish();
    }

    private void dispatch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            malformed(0, RejectReason.MALFORMED_COMMAND);
            return;
        }
        commandHeader.wrap(buffer, offset);
        final int templateId = commandHeader.templateId();
        final int blockLength = commandHeader.blockLength();
        final int version = commandHeader.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (commandHeader.schemaId() != NewOrderDecoder.SCHEMA_ID || body + blockLength > offset + length)
        {
            malformed(templateId, RejectReason.MALFORMED_COMMAND);
            return;
        }
        // Every command has timestamp, sessionId and msgSeqNum first (the minimum block lengths cover them).
        commandMsgSeqNum = blockLength >= 16 ? buffer.getInt(body + 12, java.nio.ByteOrder.LITTLE_ENDIAN) : 0;
        if (blockLength < minimumBlockLength(templateId))
        {
            malformed(templateId, minimumBlockLength(templateId) == Integer.MAX_VALUE ?
                RejectReason.UNSUPPORTED_COMMAND : RejectReason.MALFORMED_COMMAND);
            return;
        }
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID:
                onNewOrder(newOrder.wrap(buffer, body, blockLength, version));
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                onCancel(cancelOrder.wrap(buffer, body, blockLength, version));
                break;
            case ReplaceOrderDecoder.TEMPLATE_ID:
                onReplace(replaceOrder.wrap(buffer, body, blockLength, version));
                break;
            case MassCancelDecoder.TEMPLATE_ID:
                onMassCancel(massCancel.wrap(buffer, body, blockLength, version));
                break;
            case OrderStatusRequestDecoder.TEMPLATE_ID:
                onOrderStatus(orderStatus.wrap(buffer, body, blockLength, version));
                break;
            case AddInstrumentDecoder.TEMPLATE_ID:
                onAddInstrument(addInstrument.wrap(buffer, body, blockLength, version));
                break;
            case SetTradingStatusDecoder.TEMPLATE_ID:
                onSetTradingStatus(setTradingStatus.wrap(buffer, body, blockLength, version));
                break;
            case SetReferencePriceDecoder.TEMPLATE_ID:
                onSetReferencePrice(setReferencePrice.wrap(buffer, body, blockLength, version));
                break;
            case CreateAccountDecoder.TEMPLATE_ID:
                onCreateAccount(createAccount.wrap(buffer, body, blockLength, version));
                break;
            case DepositDecoder.TEMPLATE_ID:
                onDeposit(deposit.wrap(buffer, body, blockLength, version));
                break;
            case WithdrawDecoder.TEMPLATE_ID:
                onWithdraw(withdraw.wrap(buffer, body, blockLength, version));
                break;
            case EndOfDayDecoder.TEMPLATE_ID:
                onEndOfDay(endOfDay.wrap(buffer, body, blockLength, version));
                break;
            case AuditDecoder.TEMPLATE_ID:
                onAudit(audit.wrap(buffer, body, blockLength, version));
                break;
            default:
                malformed(templateId, RejectReason.UNSUPPORTED_COMMAND);
                break;
        }
    }

    private static int minimumBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID: return NewOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID: return CancelOrderDecoder.BLOCK_LENGTH;
            case ReplaceOrderDecoder.TEMPLATE_ID: return ReplaceOrderDecoder.BLOCK_LENGTH;
            case MassCancelDecoder.TEMPLATE_ID: return MassCancelDecoder.BLOCK_LENGTH;
            case OrderStatusRequestDecoder.TEMPLATE_ID: return OrderStatusRequestDecoder.BLOCK_LENGTH;
            case AddInstrumentDecoder.TEMPLATE_ID: return AddInstrumentDecoder.BLOCK_LENGTH;
            case SetTradingStatusDecoder.TEMPLATE_ID: return SetTradingStatusDecoder.BLOCK_LENGTH;
            case SetReferencePriceDecoder.TEMPLATE_ID: return SetReferencePriceDecoder.BLOCK_LENGTH;
            case CreateAccountDecoder.TEMPLATE_ID: return CreateAccountDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID: return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID: return WithdrawDecoder.BLOCK_LENGTH;
            case EndOfDayDecoder.TEMPLATE_ID: return EndOfDayDecoder.BLOCK_LENGTH;
            case AuditDecoder.TEMPLATE_ID: return AuditDecoder.BLOCK_LENGTH;
            default: return Integer.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------ entry framing

    private void begin(final CommandType type, final long timestamp, final int sessionId)
    {
        position = ENTRY_HEADER_LENGTH;
        eventCount = 0;
        commandType = type.value();
        rejectReason = 0;
        entryHeader.wrapAndApplyHeader(entry, 0, eventHeader)
            .sequence(state.lastSequence + 1)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .commandType(type)
            .msgSeqNum(commandMsgSeqNum);
        state.entryStarted(state.lastSequence + 1, timestamp);
    }

    private void finish()
    {
        state.entryEnded();
        entryHeader.eventCount(eventCount);
        boolean stored;
        Throwable cause = null;
        try
        {
            stored = sink.onEntry(entry, 0, position);
        }
        catch (final Throwable t)
        {
            stored = false;
            cause = t;
        }
        if (!stored)
        {
            sink.drainUnstored(listener::onUnjournaled);
            listener.onUnjournaled(entry, 0, position);
            halt("journal append failed at sequence " + state.lastSequence + (cause == null ? "" : ": " + cause), cause);
            return;
        }
        listener.onCommand(commandType, rejectReason);
        listener.onEventsJournaled(eventCount);
    }

    private void halt(final String reason, final Throwable cause)
    {
        if (!halted)
        {
            halted = true;
            haltReason = reason;
            listener.onHalted(reason, cause);
        }
    }

    /** Positions the next event's header; returns the offset of its body. */
    private int nextEvent()
    {
        eventCount++;
        return position;
    }

    private void advance(final int encodedLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
    }

    private void malformed(final int templateId, final RejectReason reason)
    {
        commandMsgSeqNum = 0;
        begin(CommandType.UNKNOWN, 0, 0);
        commandRejected(CommandType.UNKNOWN, reason, 0, 0, 0, templateId);
    }

    // ------------------------------------------------------------------ new order

    /*
     * Checks, in this order: account exists; ClOrdID present and unused today; instrument exists;
     * side, order type, time in force and STP mode valid; post-only only on DAY/GTC limit orders;
     * instrument not halted or closed; quantity within [min, max]; quantity a multiple of the lot;
     * for limit orders a positive price on a tick inside the band; notional within the maximum;
     * live-order capacity; cash (buys) or position (sells) to cover the hold; post-only does not
     * cross; FOK can fill completely.
     */
    private void onNewOrder(final NewOrderDecoder d)
    {
        begin(CommandType.NEW_ORDER, d.timestamp(), d.sessionId());
        final DirectBuffer b = d.buffer();
        final int clOrdIdOffset = d.offset() + NewOrderDecoder.clOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOrdIdOffset);
        final long c1 = ClOrdIds.word1(b, clOrdIdOffset);
        final int c2 = ClOrdIds.word2(b, clOrdIdOffset);
        final long accountId = d.accountId();
        final int instrumentId = d.instrumentId();
        final byte side = (byte)d.sideRaw();
        final byte ordType = (byte)d.ordTypeRaw();
        final byte tif = (byte)d.timeInForceRaw();
        final byte stp = (byte)d.stpModeRaw();
        final byte flags = (byte)(b.getByte(d.offset() + NewOrderDecoder.flagsEncodingOffset()) & EngineCodes.FLAG_POST_ONLY);
        final boolean postOnly = flags != 0;
        final long price = d.price();
        final long quantity = d.quantity();
        final int sessionId = d.sessionId();

        final Account account = state.account(accountId);
        final Instrument instrument = state.instrument(instrumentId);
        RejectReason reason = null;
        long holdPrice = 0;
        if (account == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (ClOrdIds.isBlank(c0, c1, c2))
        {
            reason = RejectReason.INVALID_CLORDID;
        }
        else if (state.isClOrdIdUsed(accountId, c0, c1, c2))
        {
            reason = RejectReason.DUPLICATE_CLORDID;
        }
        else if (instrument == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (!EngineCodes.isSide(side))
        {
            reason = RejectReason.INVALID_SIDE;
        }
        else if (!EngineCodes.isOrdType(ordType))
        {
            reason = RejectReason.INVALID_ORDER_TYPE;
        }
        else if (!EngineCodes.isTimeInForce(tif))
        {
            reason = RejectReason.INVALID_TIME_IN_FORCE;
        }
        else if (!EngineCodes.isStpMode(stp))
        {
            reason = RejectReason.INVALID_STP_MODE;
        }
        else if (postOnly && (ordType != EngineCodes.LIMIT || tif == EngineCodes.IOC || tif == EngineCodes.FOK))
        {
            reason = RejectReason.POST_ONLY_NOT_ALLOWED;
        }
        else
        {
            reason = checkTradable(instrument);
            if (reason == null)
            {
                reason = checkQuantity(instrument, quantity);
            }
            if (reason == null && ordType == EngineCodes.LIMIT)
            {
                reason = checkPrice(instrument, price);
            }
            if (reason == null)
            {
                final long notionalPrice = ordType == EngineCodes.LIMIT ? price :
                    side == EngineCodes.BUY ? instrument.bandHigh : instrument.bandLow;
                final long notional = Prices.multiplyOrOverflow(notionalPrice, quantity);
                if (notional < 0 || notional > instrument.maxNotional)
                {
                    reason = RejectReason.NOTIONAL_EXCEEDED;
                }
                else if (state.liveOrders >= state.config.maxLiveOrders())
                {
                    reason = RejectReason.TOO_MANY_ORDERS;
                }
                else if (side == EngineCodes.BUY)
                {
                    holdPrice = ordType == EngineCodes.LIMIT ? price : instrument.bandHigh;
                    if (holdPrice * quantity > account.availableCash())
                    {
                        reason = RejectReason.INSUFFICIENT_FUNDS;
                    }
                }
                else
                {
                    final Position position = account.position(instrumentId);
                    if (position == null || position.available() < quantity)
                    {
                        reason = RejectReason.INSUFFICIENT_POSITION;
                    }
                }
            }
            if (reason == null)
            {
                final long limit = ordType == EngineCodes.LIMIT ? price :
                    side == EngineCodes.BUY ? instrument.bandHigh : instrument.bandLow;
                final byte effectiveStp = stp == EngineCodes.STP_ACCOUNT_DEFAULT ? account.stpMode : stp;
                if (postOnly && wouldCross(instrument, side, limit))
                {
                    reason = RejectReason.WOULD_CROSS_POST_ONLY;
                }
                else if (tif == EngineCodes.FOK &&
                    !canFillCompletely(instrument, side, accountId, effectiveStp, limit, quantity))
                {
                    reason = RejectReason.FOK_NOT_FILLABLE;
                }
                else
                {
                    accept(accountId, instrument, sessionId, side, ordType, tif, flags, effectiveStp,
                        price, quantity, holdPrice, limit, c0, c1, c2);
                    return;
                }
            }
        }
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

    private static RejectReason checkTradable(final Instrument instrument)
    {
        if (instrument.status == EngineCodes.HALTED)
        {
            return RejectReason.INSTRUMENT_HALTED;
        }
        if (instrument.status == EngineCodes.CLOSED)
        {
            return RejectReason.INSTRUMENT_CLOSED;
        }
        return null;
    }

    private static RejectReason checkQuantity(final Instrument instrument, final long quantity)
    {
        if (quantity < instrument.minQuantity || quantity > instrument.maxQuantity)
        {
            return RejectReason.QTY_OUT_OF_RANGE;
        }
        if (quantity % instrument.lotSize != 0)
        {
            return RejectReason.BAD_LOT;
        }
        return null;
    }

    private static RejectReason checkPrice(final Instrument instrument, final long price)
    {
        if (price <= 0)
        {
            return RejectReason.INVALID_PRICE;
        }
        if (price % instrument.tickSize != 0)
        {
            return RejectReason.BAD_TICK;
        }
        if (price < instrument.bandLow || price > instrument.bandHigh)
        {
            return RejectReason.OUTSIDE_PRICE_BAND;
        }
        return null;
    }

    private static boolean wouldCross(final Instrument instrument, final byte side, final long limit)
    {
        final BookSide opposite = instrument.opposite(side);
        final PriceLevel best = opposite.best();
        return best != null && opposite.crosses(best.price, limit);
    }

    /**
     * Walks the opposite side as matching would: with an STP mode that cancels the aggressor,
     * matching would stop at the first own order, so liquidity behind it does not count; with
     * cancel-resting own orders are skipped.
     */
    private static boolean canFillCompletely(
        final Instrument instrument, final byte side, final long accountId, final byte stp, final long limit, final long quantity)
    {
        final BookSide opposite = instrument.opposite(side);
        long available = 0;
        for (int rank = 0, levels = opposite.size(); rank < levels; rank++)
        {
            final PriceLevel level = opposite.level(rank);
            if (!opposite.crosses(level.price, limit))
            {
                return false;
            }
            if (stp == EngineCodes.STP_NONE)
            {
                available += level.totalQty;
                if (available >= quantity)
                {
                    return true;
                }
                continue;
            }
            for (Order order = level.head; order != null; order = order.next)
            {
                if (order.accountId == accountId)
                {
                    if (stp == EngineCodes.STP_CANCEL_RESTING)
                    {
                        continue;
                    }
                    return false;
                }
                available += order.leavesQty;
                if (available >= quantity)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void accept(
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
        final long limit,
        final long c0,
        final long c1,
        final int c2)
    {
        final long orderId = state.lastOrderId + 1;
        final long orderPrice = ordType == EngineCodes.LIMIT ? price : 0;
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
            .price(orderPrice)
            .quantity(quantity)
            .holdPrice(holdPrice);
        orderAccepted.flags().clear().postOnly(flags != 0);
        ClOrdIds.putWords(entry, orderAccepted.offset() + OrderAcceptedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(orderAccepted.encodedLength());

        final Order order = state.orderAccepted(
            orderId, accountId, instrument.id, sessionId, side, ordType, tif, flags, stp,
            orderPrice, quantity, holdPrice, c0, c1, c2);

        if (match(order, limit) && (ordType == EngineCodes.MARKET || tif == EngineCodes.IOC || tif == EngineCodes.FOK))
        {
            cancel(order, CancelReason.IOC_REMAINDER, 0, 0, 0);
        }
    }

    /**
     * Matches the pending order against the opposite side up to {@code limit}, in price-time
     * priority, applying self-trade prevention.
     *
     * @return true if the order is still live with quantity left.
     */
    private boolean match(final Order taker, final long limit)
    {
        final Instrument instrument = taker.instrument;
        final BookSide book = instrument.opposite(taker.side);
        final byte stp = taker.stpMode;
        final long takerAccount = taker.accountId;
        long takerLeaves = taker.leavesQty;
        while (true)
        {
            final PriceLevel level = book.best();
            if (level == null || !book.crosses(level.price, limit))
            {
                return true;
            }
            Order maker = level.head;
            while (maker != null)
            {
                final Order next = maker.next;
                if (maker.accountId == takerAccount && stp != EngineCodes.STP_NONE)
                {
                    if (stp == EngineCodes.STP_CANCEL_RESTING)
                    {
                        cancel(maker, CancelReason.SELF_TRADE_PREVENTION, 0, 0, 0);
                        maker = next;
                        continue;
                    }
                    if (stp == EngineCodes.STP_CANCEL_BOTH)
                    {
                        cancel(maker, CancelReason.SELF_TRADE_PREVENTION, 0, 0, 0);
                    }
                    cancel(taker, CancelReason.SELF_TRADE_PREVENTION, 0, 0, 0);
                    return false;
                }
                final long quantity = Math.min(maker.leavesQty, takerLeaves);
                encodeTrade(maker, taker, maker.price, quantity);
                state.trade(state.lastTradeId + 1, maker, taker, maker.price, quantity);
                takerLeaves -= quantity;
                if (takerLeaves == 0)
                {
                    return false;
                }
                maker = next;
            }
        }
    }

    private void encodeTrade(final Order maker, final Order taker, final long price, final long quantity)
    {
        final long notional = price * quantity;
        final int at = nextEvent();
        trade.wrapAndApplyHeader(entry, at, eventHeader)
            .tradeId(state.lastTradeId + 1)
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
            .takerCumNotional(taker.cumNotional + notional);
        final int base = trade.offset();
        ClOrdIds.putWords(entry, base + TradeEncoder.makerClOrdIdEncodingOffset(), maker.clOrdId0, maker.clOrdId1, maker.clOrdId2);
        ClOrdIds.putWords(entry, base + TradeEncoder.takerClOrdIdEncodingOffset(), taker.clOrdId0, taker.clOrdId1, taker.clOrdId2);
        advance(trade.encodedLength());
    }

    /** Encodes and applies the cancel of an order's remaining quantity. */
    private void cancel(final Order order, final CancelReason reason, final long r0, final long r1, final int r2)
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
        state.orderCanceled(order);
        state.clOrdIdUsed(accountId, r0, r1, r2);
    }

    // ------------------------------------------------------------------ cancel

    /*
     * Checks: account exists; ClOrdID present and unused; the order (by OrderID if given, else by
     * OrigClOrdID within the account) is live and belongs to the account. Halted and closed
     * instruments still accept cancels.
     */
    private void onCancel(final CancelOrderDecoder d)
    {
        begin(CommandType.CANCEL_ORDER, d.timestamp(), d.sessionId());
        final DirectBuffer b = d.buffer();
        final int clOffset = d.offset() + CancelOrderDecoder.clOrdIdEncodingOffset();
        final int origOffset = d.offset() + CancelOrderDecoder.origClOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOffset);
        final long c1 = ClOrdIds.word1(b, clOffset);
        final int c2 = ClOrdIds.word2(b, clOffset);
        final long o0 = ClOrdIds.word0(b, origOffset);
        final long o1 = ClOrdIds.word1(b, origOffset);
        final int o2 = ClOrdIds.word2(b, origOffset);
        final long accountId = d.accountId();
        final long orderId = d.orderId();

        final RejectReason reason = checkRequest(accountId, c0, c1, c2);
        Order order = null;
        RejectReason finalReason = reason;
        if (reason == null)
        {
            order = findOrder(accountId, orderId, o0, o1, o2);
            if (order == null)
            {
                finalReason = lookupFailure;
            }
        }
        if (finalReason != null)
        {
            cancelRejected(accountId, d.sessionId(), orderId, CommandType.CANCEL_ORDER, finalReason, c0, c1, c2, o0, o1, o2);
            return;
        }
        cancel(order, CancelReason.USER, c0, c1, c2);
    }

    private RejectReason lookupFailure;

    private RejectReason checkRequest(final long accountId, final long c0, final long c1, final int c2)
    {
        if (state.account(accountId) == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (ClOrdIds.isBlank(c0, c1, c2))
        {
            return RejectReason.INVALID_CLORDID;
        }
        if (state.isClOrdIdUsed(accountId, c0, c1, c2))
        {
            return RejectReason.DUPLICATE_CLORDID;
        }
        return null;
    }

    /** Finds a live order of the account; on failure sets {@link #lookupFailure} and returns null. */
    private Order findOrder(final long accountId, final long orderId, final long o0, final long o1, final int o2)
    {
        if (orderId != 0)
        {
            final Order order = state.order(orderId);
            if (order == null)
            {
                lookupFailure = RejectReason.UNKNOWN_ORDER;
                return null;
            }
            if (order.accountId != accountId)
            {
                lookupFailure = RejectReason.NOT_YOUR_ORDER;
                return null;
            }
            return order;
        }
        final Order order = state.orderByClOrdId(accountId, o0, o1, o2);
        if (order == null)
        {
            lookupFailure = RejectReason.UNKNOWN_ORDER;
        }
        return order;
    }

    private void cancelRejected(
        final long accountId,
        final int sessionId,
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
        final int at = nextEvent();
        cancelRejected.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(sessionId)
            .orderId(orderId)
            .responseTo(responseTo)
            .reason(reason);
        final int base = cancelRejected.offset();
        ClOrdIds.putWords(entry, base + CancelRejectedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        ClOrdIds.putWords(entry, base + CancelRejectedEncoder.origClOrdIdEncodingOffset(), o0, o1, o2);
        advance(cancelRejected.encodedLength());
    }

    // ------------------------------------------------------------------ replace

    /*
     * Checks: account; ClOrdID; the order (as for cancel); instrument not halted or closed; new
     * total quantity above the filled quantity, within [min, max] and a multiple of the lot;
     * price positive, on a tick, inside the band; notional; cash or position for any increase of
     * the hold; post-only does not cross. Price unchanged and quantity not increased keeps time
     * priority; anything else moves the order to the back and it may trade.
     */
    private void onReplace(final ReplaceOrderDecoder d)
    {
        begin(CommandType.REPLACE_ORDER, d.timestamp(), d.sessionId());
        final DirectBuffer b = d.buffer();
        final int clOffset = d.offset() + ReplaceOrderDecoder.clOrdIdEncodingOffset();
        final int origOffset = d.offset() + ReplaceOrderDecoder.origClOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOffset);
        final long c1 = ClOrdIds.word1(b, clOffset);
        final int c2 = ClOrdIds.word2(b, clOffset);
        final long o0 = ClOrdIds.word0(b, origOffset);
        final long o1 = ClOrdIds.word1(b, origOffset);
        final int o2 = ClOrdIds.word2(b, origOffset);
        final long accountId = d.accountId();
        final long orderId = d.orderId();
        final long price = d.price();
        final long quantity = d.quantity();

        RejectReason reason = checkRequest(accountId, c0, c1, c2);
        Order order = null;
        if (reason == null)
        {
            order = findOrder(accountId, orderId, o0, o1, o2);
            if (order == null)
            {
                reason = lookupFailure;
            }
        }
        boolean keptPriority = false;
        if (reason == null)
        {
            final Instrument instrument = order.instrument;
            reason = checkTradable(instrument);
            if (reason == null && quantity <= order.cumQty)
            {
                reason = RejectReason.REPLACE_BELOW_FILLED;
            }
            if (reason == null)
            {
                reason = checkQuantity(instrument, quantity);
            }
            if (reason == null)
            {
                reason = checkPrice(instrument, price);
            }
            if (reason == null)
            {
                final long notional = Prices.multiplyOrOverflow(price, quantity);
                final long newLeaves = quantity - order.cumQty;
                if (notional < 0 || notional > instrument.maxNotional)
                {
                    reason = RejectReason.NOTIONAL_EXCEEDED;
                }
                else if (order.side == EngineCodes.BUY)
                {
                    final long increase = price * newLeaves - order.holdPrice * order.leavesQty;
                    if (increase > order.account.availableCash())
                    {
                        reason = RejectReason.INSUFFICIENT_FUNDS;
                    }
                }
                else if (newLeaves - order.leavesQty > order.account.position(order.instrumentId).available())
                {
                    reason = RejectReason.INSUFFICIENT_POSITION;
                }
            }
            if (reason == null)
            {
                keptPriority = price == order.price && quantity <= order.quantity;
                if (!keptPriority && order.isPostOnly() && wouldCross(instrument, order.side, price))
                {
                    reason = RejectReason.WOULD_CROSS_POST_ONLY;
                }
            }
        }
        if (reason != null)
        {
            cancelRejected(accountId, d.sessionId(), orderId, CommandType.REPLACE_ORDER, reason, c0, c1, c2, o0, o1, o2);
            return;
        }

        final long newLeaves = quantity - order.cumQty;
        final long holdPrice = order.side == EngineCodes.BUY ? price : 0;
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
            .leavesQty(newLeaves)
            .cumQty(order.cumQty)
            .cumNotional(order.cumNotional)
            .holdPrice(holdPrice);
        final int base = orderReplaced.offset();
        ClOrdIds.putWords(entry, base + OrderReplacedEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        ClOrdIds.putWords(entry, base + OrderReplacedEncoder.origClOrdIdEncodingOffset(),
            order.clOrdId0, order.clOrdId1, order.clOrdId2);
        advance(orderReplaced.encodedLength());
        state.orderReplaced(order, price, quantity, holdPrice, keptPriority, c0, c1, c2);
        if (!keptPriority)
        {
            match(order, price);
        }
    }

    // ------------------------------------------------------------------ mass cancel

    /*
     * Checks: account; ClOrdID (blank allowed only for cancel-on-disconnect) unused; instrument
     * (if given) exists; side (if given) valid; reason is MASS_CANCEL or CANCEL_ON_DISCONNECT.
     * Cancels the account's matching orders in order-id order, then reports the count.
     */
    private void onMassCancel(final MassCancelDecoder d)
    {
        begin(CommandType.MASS_CANCEL, d.timestamp(), d.sessionId());
        final DirectBuffer b = d.buffer();
        final int clOffset = d.offset() + MassCancelDecoder.clOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOffset);
        final long c1 = ClOrdIds.word1(b, clOffset);
        final int c2 = ClOrdIds.word2(b, clOffset);
        final long accountId = d.accountId();
        final int instrumentId = d.instrumentId();
        final int side = d.side();
        final int sessionId = d.sessionId();
        final boolean onlyThisSession = d.onlyThisSessionRaw() == BooleanType.TRUE.value();
        final short reasonRaw = d.reasonRaw();
        final boolean onDisconnect = reasonRaw == CancelReason.CANCEL_ON_DISCONNECT.value();

        final Account account = state.account(accountId);
        RejectReason reason = null;
        if (account == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (ClOrdIds.isBlank(c0, c1, c2) && !onDisconnect)
        {
            reason = RejectReason.INVALID_CLORDID;
        }
        else if (!ClOrdIds.isBlank(c0, c1, c2) && state.isClOrdIdUsed(accountId, c0, c1, c2))
        {
            reason = RejectReason.DUPLICATE_CLORDID;
        }
        else if (instrumentId != 0 && state.instrument(instrumentId) == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (side != 0 && !EngineCodes.isSide(side))
        {
            reason = RejectReason.INVALID_SIDE;
        }
        else if (!onDisconnect && reasonRaw != CancelReason.MASS_CANCEL.value())
        {
            reason = RejectReason.MALFORMED_COMMAND;
        }

        int canceled = 0;
        if (reason == null)
        {
            final CancelReason cancelReason = onDisconnect ? CancelReason.CANCEL_ON_DISCONNECT : CancelReason.MASS_CANCEL;
            Order order = account.ordersHead;
            while (order != null)
            {
                final Order next = order.accountNext;
                if ((instrumentId == 0 || order.instrumentId == instrumentId) &&
                    (side == 0 || order.side == side) &&
                    (!onlyThisSession || order.sessionId == sessionId))
                {
                    cancel(order, cancelReason, 0, 0, 0);
                    canceled++;
                }
                order = next;
            }
            state.clOrdIdUsed(accountId, c0, c1, c2);
        }
        else
        {
            rejectReason = reason.value();
        }
        final int at = nextEvent();
        massCancelDone.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(sessionId)
            .instrumentId(instrumentId)
            .side((short)side)
            .reason(onDisconnect ? CancelReason.CANCEL_ON_DISCONNECT : CancelReason.MASS_CANCEL)
            .rejectReason(reason == null ? RejectReason.NONE : reason)
            .canceledCount(canceled);
        ClOrdIds.putWords(entry, massCancelDone.offset() + MassCancelDoneEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        advance(massCancelDone.encodedLength());
    }

    // ------------------------------------------------------------------ order status

    /** Reports a live order of the account (by OrderID, else by its current ClOrdID), or UNKNOWN. */
    private void onOrderStatus(final OrderStatusRequestDecoder d)
    {
        begin(CommandType.ORDER_STATUS, d.timestamp(), d.sessionId());
        final DirectBuffer b = d.buffer();
        final int clOffset = d.offset() + OrderStatusRequestDecoder.clOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOffset);
        final long c1 = ClOrdIds.word1(b, clOffset);
        final int c2 = ClOrdIds.word2(b, clOffset);
        final long accountId = d.accountId();
        final long orderId = d.orderId();
        Order order = null;
        if (state.account(accountId) != null)
        {
            order = findOrder(accountId, orderId, c0, c1, c2);
        }
        final int at = nextEvent();
        orderStatusReport.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(accountId)
            .sessionId(d.sessionId());
        final int base = orderStatusReport.offset();
        if (order == null)
        {
            rejectReason = RejectReason.UNKNOWN_ORDER.value();
            orderStatusReport
                .orderId(orderId)
                .instrumentId(0)
                .status(OrdStatus.UNKNOWN)
                .side((short)0)
                .ordType((short)0)
                .timeInForce((short)0)
                .price(0)
                .quantity(0)
                .leavesQty(0)
                .cumQty(0)
                .cumNotional(0);
            ClOrdIds.putWords(entry, base + OrderStatusReportEncoder.clOrdIdEncodingOffset(), c0, c1, c2);
        }
        else
        {
            orderStatusReport
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
                .cumNotional(order.cumNotional);
            ClOrdIds.putWords(entry, base + OrderStatusReportEncoder.clOrdIdEncodingOffset(),
                order.clOrdId0, order.clOrdId1, order.clOrdId2);
        }
        advance(orderStatusReport.encodedLength());
    }

    // ------------------------------------------------------------------ operator commands

    /*
     * Checks: id in [1, maxInstruments); not already defined; tick, lot, min quantity, max
     * notional and reference price positive, max quantity >= min, reference price on a tick,
     * band in [1, 100000] bps and computable without overflow, valid status; symbol present and
     * not used by another instrument.
     */
    private void onAddInstrument(final AddInstrumentDecoder d)
    {
        begin(CommandType.ADD_INSTRUMENT, d.timestamp(), d.sessionId());
        final int id = d.instrumentId();
        final int symbolOffset = d.offset() + AddInstrumentDecoder.symbolEncodingOffset();
        final long s0 = d.buffer().getLong(symbolOffset);
        final long s1 = d.buffer().getLong(symbolOffset + 8);
        final long tick = d.tickSize();
        final long lot = d.lotSize();
        final long minQty = d.minQuantity();
        final long maxQty = d.maxQuantity();
        final long maxNotional = d.maxNotional();
        final long reference = d.referencePrice();
        final int band = d.priceBandBps();
        final byte status = (byte)d.statusRaw();

        RejectReason reason = null;
        if (id < 1 || id >= state.instruments.length)
        {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        else if (state.instruments[id] != null)
        {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        else if (tick <= 0 || lot <= 0 || minQty <= 0 || maxQty < minQty || maxNotional <= 0 || reference <= 0 ||
            reference % tick != 0 || band < 1 || band > 100_000 || !Instrument.bandFits(reference, band) ||
            !EngineCodes.isTradingStatus(status) || (s0 == 0 && s1 == 0))
        {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        else if (symbolInUse(s0, s1))
        {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        if (reason != null)
        {
            commandRejected(CommandType.ADD_INSTRUMENT, reason, 0, id, 0, AddInstrumentDecoder.TEMPLATE_ID);
            return;
        }
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

    private boolean symbolInUse(final long s0, final long s1)
    {
        for (final Instrument instrument : state.instruments)
        {
            if (instrument != null && instrument.symbol0 == s0 && instrument.symbol1 == s1)
            {
                return true;
            }
        }
        return false;
    }

    private void onSetTradingStatus(final SetTradingStatusDecoder d)
    {
        begin(CommandType.SET_TRADING_STATUS, d.timestamp(), d.sessionId());
        final int id = d.instrumentId();
        final byte status = (byte)d.statusRaw();
        if (state.instrument(id) == null)
        {
            commandRejected(CommandType.SET_TRADING_STATUS, RejectReason.UNKNOWN_INSTRUMENT, 0, id, 0, SetTradingStatusDecoder.TEMPLATE_ID);
            return;
        }
        if (!EngineCodes.isTradingStatus(status))
        {
            commandRejected(CommandType.SET_TRADING_STATUS, RejectReason.INVALID_TRADING_STATUS, 0, id, 0, SetTradingStatusDecoder.TEMPLATE_ID);
            return;
        }
        final int at = nextEvent();
        tradingStatusChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(id)
            .status(TradingStatus.get(status));
        advance(tradingStatusChanged.encodedLength());
        state.tradingStatusChanged(id, status);
    }

    private void onSetReferencePrice(final SetReferencePriceDecoder d)
    {
        begin(CommandType.SET_REFERENCE_PRICE, d.timestamp(), d.sessionId());
        final int id = d.instrumentId();
        final long reference = d.referencePrice();
        final Instrument instrument = state.instrument(id);
        if (instrument == null)
        {
            commandRejected(CommandType.SET_REFERENCE_PRICE, RejectReason.UNKNOWN_INSTRUMENT, 0, id, 0, SetReferencePriceDecoder.TEMPLATE_ID);
            return;
        }
        if (reference <= 0 || reference % instrument.tickSize != 0 || !Instrument.bandFits(reference, instrument.priceBandBps))
        {
            commandRejected(CommandType.SET_REFERENCE_PRICE, RejectReason.INVALID_PRICE, 0, id, 0, SetReferencePriceDecoder.TEMPLATE_ID);
            return;
        }
        final int at = nextEvent();
        referencePriceChanged.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(id)
            .referencePrice(reference);
        advance(referencePriceChanged.encodedLength());
        state.referencePriceChanged(id, reference);
    }

    private void onCreateAccount(final CreateAccountDecoder d)
    {
        begin(CommandType.CREATE_ACCOUNT, d.timestamp(), d.sessionId());
        final long id = d.accountId();
        final byte stp = (byte)d.stpModeRaw();
        RejectReason reason = null;
        if (id <= 0)
        {
            reason = RejectReason.INVALID_ACCOUNT;
        }
        else if (state.account(id) != null)
        {
            reason = RejectReason.ACCOUNT_EXISTS;
        }
        else if (!EngineCodes.isStpMode(stp))
        {
            reason = RejectReason.INVALID_STP_MODE;
        }
        if (reason != null)
        {
            commandRejected(CommandType.CREATE_ACCOUNT, reason, id, 0, 0, CreateAccountDecoder.TEMPLATE_ID);
            return;
        }
        final byte mode = stp == EngineCodes.STP_ACCOUNT_DEFAULT ? EngineCodes.STP_NONE : stp;
        final int at = nextEvent();
        accountCreated.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(id)
            .stpMode(StpMode.get(mode));
        advance(accountCreated.encodedLength());
        state.accountCreated(id, mode);
    }

    private void onDeposit(final DepositDecoder d)
    {
        begin(CommandType.DEPOSIT, d.timestamp(), d.sessionId());
        transfer(CommandType.DEPOSIT, d.accountId(), d.instrumentId(), d.amount(), d.requestId(), DepositDecoder.TEMPLATE_ID);
    }

    private void onWithdraw(final WithdrawDecoder d)
    {
        begin(CommandType.WITHDRAW, d.timestamp(), d.sessionId());
        transfer(CommandType.WITHDRAW, d.accountId(), d.instrumentId(), d.amount(), d.requestId(), WithdrawDecoder.TEMPLATE_ID);
    }

    /*
     * Checks: account exists; instrument (if not cash) exists; amount positive; a deposit does not
     * overflow the balance; a withdrawal leaves the held part in place (available covers it).
     */
    private void transfer(
        final CommandType type, final long accountId, final int instrumentId, final long amount, final long requestId, final int templateId)
    {
        final Account account = state.account(accountId);
        RejectReason reason = null;
        long balance = 0;
        if (account == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (instrumentId != 0 && state.instrument(instrumentId) == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (amount <= 0)
        {
            reason = RejectReason.INVALID_AMOUNT;
        }
        else
        {
            final Position position = instrumentId == 0 ? null : account.position(instrumentId);
            final long current = instrumentId == 0 ? account.cash : position == null ? 0 : position.quantity;
            final long available = instrumentId == 0 ? account.availableCash() : position == null ? 0 : position.available();
            if (type == CommandType.DEPOSIT)
            {
                if (amount > MAX_BALANCE || current > MAX_BALANCE - amount)
                {
                    reason = RejectReason.BALANCE_OVERFLOW;
                }
                balance = current + amount;
            }
            else
            {
                if (amount > available)
                {
                    reason = instrumentId == 0 ? RejectReason.INSUFFICIENT_FUNDS : RejectReason.INSUFFICIENT_POSITION;
                }
                balance = current - amount;
            }
        }
        if (reason != null)
        {
            commandRejected(type, reason, accountId, instrumentId, requestId, templateId);
            return;
        }
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

    /**
     * Expires DAY orders (instrument by instrument in id order, each in order-id order). For
     * instrument 0 it covers every instrument and also ends the ClOrdID day.
     */
    private void onEndOfDay(final EndOfDayDecoder d)
    {
        begin(CommandType.END_OF_DAY, d.timestamp(), d.sessionId());
        final int instrumentId = d.instrumentId();
        if (instrumentId != 0 && state.instrument(instrumentId) == null)
        {
            commandRejected(CommandType.END_OF_DAY, RejectReason.UNKNOWN_INSTRUMENT, 0, instrumentId, 0, EndOfDayDecoder.TEMPLATE_ID);
            return;
        }
        int expired = 0;
        if (instrumentId != 0)
        {
            expired = expireDayOrders(state.instrument(instrumentId));
        }
        else
        {
            for (final Instrument instrument : state.instruments)
            {
                if (instrument != null)
                {
                    expired += expireDayOrders(instrument);
                }
            }
        }
        final int at = nextEvent();
        dayEnded.wrapAndApplyHeader(entry, at, eventHeader)
            .instrumentId(instrumentId)
            .expiredCount(expired);
        advance(dayEnded.encodedLength());
        state.dayEnded(instrumentId);
    }

    private int expireDayOrders(final Instrument instrument)
    {
        int expired = 0;
        Order order = instrument.ordersHead;
        while (order != null)
        {
            final Order next = order.instrumentNext;
            if (order.timeInForce == EngineCodes.DAY)
            {
                cancel(order, CancelReason.EXPIRED, 0, 0, 0);
                expired++;
            }
            order = next;
        }
        return expired;
    }

    private void onAudit(final AuditDecoder d)
    {
        begin(CommandType.AUDIT, d.timestamp(), d.sessionId());
        final short type = d.auditTypeRaw();
        if (type < AuditType.LOGON.value() || type > AuditType.OPERATOR.value())
        {
            commandRejected(CommandType.AUDIT, RejectReason.MALFORMED_COMMAND, d.accountId(), 0, 0, AuditDecoder.TEMPLATE_ID);
            return;
        }
        final int at = nextEvent();
        auditRecorded.wrapAndApplyHeader(entry, at, eventHeader)
            .accountId(d.accountId())
            .auditType(AuditType.get(type))
            .detail(d.detail());
        entry.putBytes(auditRecorded.offset() + AuditRecordedEncoder.usernameEncodingOffset(),
            d.buffer(), d.offset() + AuditDecoder.usernameEncodingOffset(), AuditDecoder.usernameLength());
        advance(auditRecorded.encodedLength());
    }

    private void commandRejected(
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

    // ------------------------------------------------------------------ halted

    /**
     * After a journal failure nothing may change state, so each command gets an unjournaled
     * reject (sequence 0) with EXCHANGE_HALTED, handed to the listener for delivery.
     */
    private void rejectWhileHalted(final DirectBuffer buffer, final int offset, final int length)
    {
        position = ENTRY_HEADER_LENGTH;
        eventCount = 0;
        int templateId = 0;
        long timestamp = 0;
        int sessionId = 0;
        CommandType type = CommandType.UNKNOWN;
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH + 12)
        {
            commandHeader.wrap(buffer, offset);
            templateId = commandHeader.templateId();
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            timestamp = buffer.getLong(body);
            sessionId = buffer.getInt(body + 8);
            final int blockLength = commandHeader.blockLength();
            final int version = commandHeader.version();
            final boolean whole = commandHeader.schemaId() == NewOrderDecoder.SCHEMA_ID &&
                blockLength >= minimumBlockLength(templateId) && body + blockLength <= offset + length;
            if (whole && templateId == NewOrderDecoder.TEMPLATE_ID)
            {
                type = CommandType.NEW_ORDER;
                final NewOrderDecoder d = newOrder.wrap(buffer, body, blockLength, version);
                final int at = nextEvent();
                orderRejected.wrapAndApplyHeader(entry, at, eventHeader)
                    .accountId(d.accountId())
                    .instrumentId(d.instrumentId())
                    .sessionId(d.sessionId())
                    .side(d.sideRaw())
                    .ordType(d.ordTypeRaw())
                    .timeInForce(d.timeInForceRaw())
                    .reason(RejectReason.EXCHANGE_HALTED)
                    .price(d.price())
                    .quantity(d.quantity());
                entry.putBytes(orderRejected.offset() + OrderRejectedEncoder.clOrdIdEncodingOffset(),
                    buffer, body + NewOrderDecoder.clOrdIdEncodingOffset(), ClOrdIds.LENGTH);
                advance(orderRejected.encodedLength());
            }
            else if (whole && (templateId == CancelOrderDecoder.TEMPLATE_ID || templateId == ReplaceOrderDecoder.TEMPLATE_ID))
            {
                final boolean isCancel = templateId == CancelOrderDecoder.TEMPLATE_ID;
                type = isCancel ? CommandType.CANCEL_ORDER : CommandType.REPLACE_ORDER;
                final long accountId;
                final long orderId;
                final int clOffset;
                final int origOffset;
                if (isCancel)
                {
                    final CancelOrderDecoder d = cancelOrder.wrap(buffer, body, blockLength, version);
                    accountId = d.accountId();
                    orderId = d.orderId();
                    clOffset = body + CancelOrderDecoder.clOrdIdEncodingOffset();
                    origOffset = body + CancelOrderDecoder.origClOrdIdEncodingOffset();
                }
                else
                {
                    final ReplaceOrderDecoder d = replaceOrder.wrap(buffer, body, blockLength, version);
                    accountId = d.accountId();
                    orderId = d.orderId();
                    clOffset = body + ReplaceOrderDecoder.clOrdIdEncodingOffset();
                    origOffset = body + ReplaceOrderDecoder.origClOrdIdEncodingOffset();
                }
                cancelRejected(accountId, sessionId, orderId, type, RejectReason.EXCHANGE_HALTED,
                    ClOrdIds.word0(buffer, clOffset), ClOrdIds.word1(buffer, clOffset), ClOrdIds.word2(buffer, clOffset),
                    ClOrdIds.word0(buffer, origOffset), ClOrdIds.word1(buffer, origOffset), ClOrdIds.word2(buffer, origOffset));
            }
        }
        if (eventCount == 0)
        {
            commandRejected(type, RejectReason.EXCHANGE_HALTED, 0, 0, 0, templateId);
        }
        entryHeader.wrapAndApplyHeader(entry, 0, eventHeader)
            .sequence(0)
            .timestamp(timestamp)
            .sessionId(sessionId)
            .commandType(type)
            .eventCount(eventCount)
            .msgSeqNum(length >= MessageHeaderDecoder.ENCODED_LENGTH + 16 ?
                buffer.getInt(offset + MessageHeaderDecoder.ENCODED_LENGTH + 12, java.nio.ByteOrder.LITTLE_ENDIAN) : 0);
        listener.onHaltedReject(entry, 0, position);
    }

    /** For tests: the buffer the last entry was built in. */
    MutableDirectBuffer entryBuffer()
    {
        return entry;
    }
}
