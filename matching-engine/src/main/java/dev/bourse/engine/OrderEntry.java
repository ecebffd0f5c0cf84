package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

/**
 * The order commands (new order, cancel, replace, mass cancel, order status) carried out on the
 * state: the rules of docs/ENGINE-RULES.md in the order they apply. Checks come from
 * {@link OrderChecks}, matching from {@link Matcher}, and every outcome is an event written (and
 * applied) by the {@link EntryWriter}. Engine thread only; allocates nothing.
 * <p>
 * Past 500 lines on purpose: each command's checks read top to bottom in the order ENGINE-RULES.md
 * states them, and splitting one command's rules across classes would hide that order.
 */
final class OrderEntry
{
    private static final int FIRST_VERSION_WITH_MASS_CANCEL_LIMIT = 4;
    private static final int FIRST_VERSION_WITH_MASS_CANCEL_BOUND = 6;

    private final EngineState state;
    private final EntryWriter writer;
    private final Matcher matcher;
    private TradingPhases phases;

    OrderEntry(final EngineState state, final EntryWriter writer, final Matcher matcher)
    {
        this.state = state;
        this.writer = writer;
        this.matcher = matcher;
    }

    /** The phases (which also work orders: elected stops) are wired after construction. */
    void phases(final TradingPhases phases)
    {
        this.phases = phases;
    }

    // ------------------------------------------------------------------ new order

    /*
     * Checks, in this order (docs/ENGINE-RULES.md, NewOrder): account; ClOrdID present and unused
     * today; instrument; side, order type, time in force, STP mode; the fields each type needs
     * (stop price, peak, expire time) and no others; post-only only on resting limit orders;
     * instrument not halted or closed; what the phase admits; quantity range and lot (and the
     * peak's lot); limit price; stop price on a tick, in the band, not already reached; notional;
     * live-order capacity; cash or position for the hold; post-only does not cross; FOK fills.
     */
    void onNewOrder(final NewOrderDecoder d)
    {
        final DirectBuffer b = d.buffer();
        final int body = d.offset();
        final int clOrdIdOffset = body + NewOrderDecoder.clOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOrdIdOffset);
        final long c1 = ClOrdIds.word1(b, clOrdIdOffset);
        final int c2 = ClOrdIds.word2(b, clOrdIdOffset);
        final long accountId = d.accountId();
        final int instrumentId = d.instrumentId();
        final byte side = (byte)d.sideRaw();
        final byte ordType = (byte)d.ordTypeRaw();
        final byte tif = (byte)d.timeInForceRaw();
        final byte stp = (byte)d.stpModeRaw();
        final byte flags = (byte)(b.getByte(body + NewOrderDecoder.flagsEncodingOffset()) & EngineCodes.FLAG_POST_ONLY);
        final boolean postOnly = flags != 0;
        final long price = d.price();
        final long quantity = d.quantity();
        final int sessionId = d.sessionId();
        // read raw: the adapter made sure the whole block is there, whatever version the header says
        final long stopPrice = b.getLong(body + NewOrderDecoder.stopPriceEncodingOffset(), NewOrderDecoder.BYTE_ORDER);
        final long displayQty = b.getLong(body + NewOrderDecoder.displayQtyEncodingOffset(), NewOrderDecoder.BYTE_ORDER);
        final long expireTime = b.getLong(body + NewOrderDecoder.expireTimeEncodingOffset(), NewOrderDecoder.BYTE_ORDER);

        final Account account = state.account(accountId);
        final Instrument instrument = state.instrument(instrumentId);
        RejectReason reason = null;
        if (account == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (state.isBlocked(accountId, sessionId))
        {
            reason = RejectReason.BLOCKED;
        }
        else if (ClOrdIds.isBlank(c0, c1, c2))
        {
            reason = RejectReason.INVALID_CLORDID;
        }
        else if (state.isClOrdIdUsed(accountId, c0, c1, c2))
        {
            if (answeredResend(b, body, accountId, sessionId, instrumentId, side, c0, c1, c2))
            {
                return;
            }
            reason = RejectReason.DUPLICATE_CLORDID;
        }
        else if (instrument == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (state.clOrdIdDayFull())
        {
            reason = RejectReason.CLORDID_DAY_FULL;
        }
        else
        {
            reason = OrderChecks.checkOrderShape(side, ordType, tif, stp, postOnly, stopPrice, displayQty, expireTime, d.timestamp());
            if (reason == null)
            {
                reason = newOrderRefusal(account, instrument, side, ordType, tif, stp, postOnly, price, quantity, stopPrice, displayQty);
            }
            if (reason == null)
            {
                accept(account, instrument, sessionId, side, ordType, tif, flags, stp, price, quantity, c0, c1, c2,
                    stopPrice, displayQty, expireTime);
                return;
            }
        }
        writer.orderRejected(accountId, instrumentId, sessionId, side, ordType, tif, reason, price, quantity, c0, c1, c2);
    }

    /**
     * A NewOrder marked a resend (its FIX message was PossResend, or PossDupFlag at a new
     * MsgSeqNum) whose ClOrdID is the current one of the account's live order of the same
     * instrument and side: the first copy arrived, so the answer is that order's status (FIX 4.4
     * asks the receiver of a possible resend to check the ClOrdID), and nothing changes. Any other
     * duplicate (an order that has ended or was replaced since, another instrument or side) is
     * refused as a duplicate, as an unmarked one is.
     */
    private boolean answeredResend(
        final DirectBuffer b, final int body, final long accountId, final int sessionId, final int instrumentId, final byte side,
        final long c0, final long c1, final int c2)
    {
        if ((b.getByte(body + NewOrderDecoder.flagsEncodingOffset()) & EngineCodes.FLAG_POSS_RESEND) == 0)
        {
            return false;
        }
        final Order order = state.orderByClOrdId(accountId, c0, c1, c2);
        if (order == null || order.instrumentId != instrumentId || order.side != side)
        {
            return false;
        }
        writer.orderStatus(order, sessionId);
        return true;
    }

    /** The checks from the instrument's status on, once the fields are known to be valid. */
    private RejectReason newOrderRefusal(
        final Account account,
        final Instrument instrument,
        final byte side,
        final byte ordType,
        final byte tif,
        final byte stp,
        final boolean postOnly,
        final long price,
        final long quantity,
        final long stopPrice,
        final long displayQty)
    {
        RejectReason reason = OrderChecks.checkTradable(instrument);
        if (reason == null)
        {
            reason = OrderChecks.checkPhase(instrument, ordType, tif);
        }
        if (reason == null)
        {
            reason = OrderChecks.checkQuantity(instrument, quantity);
        }
        if (reason == null && (displayQty % instrument.lotSize != 0 || displayQty > quantity))
        {
            reason = RejectReason.INVALID_DISPLAY_QTY;
        }
        if (reason == null)
        {
            reason = OrderChecks.checkIcebergPeaks(displayQty, quantity);
        }
        if (reason == null && EngineCodes.hasLimitPrice(ordType))
        {
            reason = OrderChecks.checkPrice(instrument, price);
        }
        if (reason == null && EngineCodes.isStop(ordType))
        {
            reason = OrderChecks.checkStopPrice(instrument, side, stopPrice);
        }
        if (reason != null)
        {
            return reason;
        }
        final long limit = limitOf(instrument, side, ordType, price);
        reason = OrderChecks.checkNotional(instrument, limit, quantity);
        if (reason == null && state.liveOrders >= state.config.maxLiveOrders())
        {
            reason = RejectReason.TOO_MANY_ORDERS;
        }
        if (reason == null)
        {
            reason = OrderChecks.checkNewHold(account, instrument.id, side, side == EngineCodes.BUY ? limit : 0, quantity);
        }
        if (reason != null)
        {
            return reason;
        }
        final boolean matches = instrument.phase == EngineCodes.CONTINUOUS && !EngineCodes.isStop(ordType);
        if (postOnly && matches && Matcher.wouldCross(instrument, side, limit))
        {
            return RejectReason.WOULD_CROSS_POST_ONLY;
        }
        if (tif == EngineCodes.FOK && !EngineCodes.isStop(ordType) &&
            !matcher.canFillCompletely(instrument, side, account.id, effectiveStp(account, stp), limit, quantity))
        {
            return RejectReason.FOK_NOT_FILLABLE;
        }
        return null;
    }

    /**
     * A limit order's price; for a market order (and a stop that will become one) the band edge
     * it may trade up (buy) or down (sell) to.
     */
    private static long limitOf(final Instrument instrument, final byte side, final byte ordType, final long price)
    {
        if (EngineCodes.hasLimitPrice(ordType))
        {
            return price;
        }
        return side == EngineCodes.BUY ? instrument.bandHigh : instrument.bandLow;
    }

    private static byte effectiveStp(final Account account, final byte stp)
    {
        return stp == EngineCodes.STP_ACCOUNT_DEFAULT ? account.stpMode : stp;
    }

    private void accept(
        final Account account,
        final Instrument instrument,
        final int sessionId,
        final byte side,
        final byte ordType,
        final byte tif,
        final byte flags,
        final byte stp,
        final long price,
        final long quantity,
        final long c0,
        final long c1,
        final int c2,
        final long stopPrice,
        final long displayQty,
        final long expireTime)
    {
        final long limit = limitOf(instrument, side, ordType, price);
        final long orderPrice = EngineCodes.hasLimitPrice(ordType) ? price : 0;
        final long holdPrice = side == EngineCodes.BUY ? limit : 0;
        final Order order = writer.orderAccepted(account.id, instrument, sessionId, side, ordType, tif, flags,
            effectiveStp(account, stp), orderPrice, quantity, holdPrice, c0, c1, c2, stopPrice, displayQty, expireTime);
        if (!EngineCodes.isStop(ordType))
        {
            work(order, limit);
        }
    }

    /**
     * The entry's working order (new, repriced or just elected) does what the phase lets it:
     * in continuous trading it matches up to {@code limit}; then what is left of a market, IOC
     * or FOK order is cancelled and anything else rests. If a trade would have breached a
     * volatility guard, the instrument goes into a volatility call first and the order is
     * treated as in that call.
     */
    void work(final Order order, final long limit)
    {
        final Instrument instrument = order.instrument;
        int outcome = Matcher.LEAVES;
        if (instrument.phase == EngineCodes.CONTINUOUS)
        {
            outcome = matcher.match(order, limit);
        }
        if (outcome == Matcher.DONE)
        {
            return;
        }
        if (outcome == Matcher.INTERRUPTED)
        {
            phases.interrupt(instrument);
        }
        final byte tif = order.timeInForce;
        if (order.ordType == EngineCodes.MARKET || tif == EngineCodes.IOC || tif == EngineCodes.FOK)
        {
            // the client is told why its remainder did not trade: the call it set off, not a book without liquidity
            writer.orderCanceled(order, outcome == Matcher.INTERRUPTED ? CancelReason.VOLATILITY_INTERRUPTION : CancelReason.IOC_REMAINDER,
                0, 0, 0);
        }
        else
        {
            writer.orderRested(order);
        }
    }

    // ------------------------------------------------------------------ cancel

    /*
     * Checks: account exists; ClOrdID present and unused; the order (by OrderID if given, else by
     * OrigClOrdID within the account) is live and belongs to the account; the instrument and side
     * the request names, if any, are the order's. Halted and closed instruments still accept
     * cancels.
     */
    void onCancel(final CancelOrderDecoder d)
    {
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

        // looked up first: a refusal for the request itself (a duplicate ClOrdID, say) still reports the order's status
        final Order order = OrderChecks.findOrder(state, accountId, orderId, o0, o1, o2);
        RejectReason reason = OrderChecks.checkRequest(state, accountId, c0, c1, c2);
        if (reason == null)
        {
            reason = order == null ? OrderChecks.lookupFailure(state, accountId, orderId, o0, o1, o2)
                : OrderChecks.checkSameOrder(state, order, orderId, o0, o1, o2, d.instrumentId(), d.side(), 0, OrderChecks.NO_TIME_IN_FORCE);
        }
        if (reason != null)
        {
            writer.cancelRejected(accountId, d.sessionId(), order, orderId, CommandType.CANCEL_ORDER, reason, c0, c1, c2, o0, o1, o2);
            return;
        }
        writer.orderCanceled(order, CancelReason.USER, c0, c1, c2);
    }

    // ------------------------------------------------------------------ replace

    /*
     * Checks: account; ClOrdID; the order, instrument and side (as for cancel); instrument not halted or closed; new
     * total quantity above the filled quantity, within [min, max] and a multiple of the lot;
     * price positive, on a tick, inside the band (a stop that becomes a market order has price
     * 0); a new stop price only for a held stop, on a tick, in the band, not already reached;
     * notional; cash or position for any increase of the hold; post-only does not cross. Price
     * unchanged and quantity not increased keeps time priority; anything else moves the order to
     * the back and, in continuous trading, it may trade. A held stop stays held.
     */
    void onReplace(final ReplaceOrderDecoder d)
    {
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
        final long requestedStop = b.getLong(d.offset() + ReplaceOrderDecoder.stopPriceEncodingOffset(), ReplaceOrderDecoder.BYTE_ORDER);

        // looked up first: a refusal for the request itself (a duplicate ClOrdID, say) still reports the order's status
        final Order order = OrderChecks.findOrder(state, accountId, orderId, o0, o1, o2);
        RejectReason reason = OrderChecks.checkRequest(state, accountId, c0, c1, c2);
        if (reason == null && state.isBlocked(accountId, d.sessionId()))
        {
            reason = RejectReason.BLOCKED;
        }
        if (reason == null && state.clOrdIdDayFull())
        {
            reason = RejectReason.CLORDID_DAY_FULL;
        }
        if (reason == null)
        {
            reason = order == null ? OrderChecks.lookupFailure(state, accountId, orderId, o0, o1, o2)
                : OrderChecks.checkSameOrder(state, order, orderId, o0, o1, o2, d.instrumentId(), d.side(), d.ordType(),
                    d.timeInForceRaw());
        }
        if (reason == null)
        {
            reason = OrderChecks.checkKeptSettings(order, d.displayQty(), d.expireTime(), d.postOnlyRaw());
        }
        if (reason == null)
        {
            reason = replaceRefusal(order, price, quantity, requestedStop);
        }
        if (reason != null)
        {
            writer.cancelRejected(accountId, d.sessionId(), order, orderId, CommandType.REPLACE_ORDER, reason, c0, c1, c2, o0, o1, o2);
            return;
        }
        final Instrument instrument = order.instrument;
        final boolean heldStop = order.isHeldStop();
        final long stopPrice = heldStop && requestedStop != 0 ? requestedStop : order.stopPrice;
        final boolean keptPriority = keepsPriority(order, price, quantity, stopPrice);
        final long limit = limitOf(instrument, order.side, order.ordType, price);
        final long holdPrice = order.side == EngineCodes.BUY ? limit : 0;
        writer.orderReplaced(order, keptPriority, heldStop && order.ordType == EngineCodes.STOP ? 0 : price, quantity, holdPrice,
            c0, c1, c2, heldStop ? stopPrice : 0);
        if (!keptPriority && !heldStop)
        {
            work(order, limit);
        }
    }

    /** Same price, no more quantity and (for a held stop) the same stop price. */
    private static boolean keepsPriority(final Order order, final long price, final long quantity, final long stopPrice)
    {
        if (order.isHeldStop())
        {
            return stopPrice == order.stopPrice;
        }
        return price == order.price && quantity <= order.quantity;
    }

    private RejectReason replaceRefusal(final Order order, final long price, final long quantity, final long requestedStop)
    {
        final Instrument instrument = order.instrument;
        final boolean heldStop = order.isHeldStop();
        RejectReason reason = OrderChecks.checkTradable(instrument);
        if (reason == null && quantity <= order.cumQty)
        {
            reason = RejectReason.REPLACE_BELOW_FILLED;
        }
        if (reason == null)
        {
            reason = OrderChecks.checkQuantity(instrument, quantity);
        }
        if (reason == null)
        {
            reason = OrderChecks.checkIcebergPeaks(order.maxFloor, quantity - order.cumQty);
        }
        if (reason == null)
        {
            if (order.ordType == EngineCodes.STOP)
            {
                reason = price == 0 ? null : RejectReason.INVALID_PRICE;
            }
            else
            {
                reason = OrderChecks.checkPrice(instrument, price);
            }
        }
        if (reason == null && requestedStop != 0)
        {
            reason = heldStop ? OrderChecks.checkStopPrice(instrument, order.side, requestedStop) : RejectReason.INVALID_STOP_PRICE;
        }
        if (reason != null)
        {
            return reason;
        }
        final long limit = limitOf(instrument, order.side, order.ordType, price);
        reason = OrderChecks.checkNotional(instrument, limit, quantity);
        if (reason == null)
        {
            reason = OrderChecks.checkReplaceHold(order, limit, quantity - order.cumQty);
        }
        if (reason == null && !heldStop && order.isPostOnly() && instrument.phase == EngineCodes.CONTINUOUS &&
            !keepsPriority(order, price, quantity, order.stopPrice) && Matcher.wouldCross(instrument, order.side, price))
        {
            reason = RejectReason.WOULD_CROSS_POST_ONLY;
        }
        return reason;
    }

    // ------------------------------------------------------------------ mass cancel

    /*
     * Checks: account; ClOrdID (blank allowed only for cancel-on-disconnect and for a slice, limit
     * above 0) unused; instrument (if given) exists; side (if given) valid; reason is MASS_CANCEL
     * or CANCEL_ON_DISCONNECT; limit not negative. Cancels the account's matching orders in
     * order-id order, at most limit of them when limit is above 0 (a slice: the work one command
     * does on this thread stays bounded, whatever the book holds), then reports the count and
     * whether matching orders remain. The issuer sends the next slice, so other commands interleave.
     */
    void onMassCancel(final MassCancelDecoder d)
    {
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
        final boolean killSwitch = reasonRaw == CancelReason.KILL_SWITCH.value();
        // an operator's kill switch on a session: every account's orders the session entered
        final boolean sessionWide = killSwitch && accountId == 0;
        final int limit = d.actingVersion() < FIRST_VERSION_WITH_MASS_CANCEL_LIMIT ? 0 : d.maxOrders();
        final long upTo = d.actingVersion() < FIRST_VERSION_WITH_MASS_CANCEL_BOUND ? 0 : d.upToOrderId();
        // orders entered after a sliced mass cancel began are not its to cancel (orders are listed by OrderID)
        final long bound = upTo > 0 ? upTo : state.lastOrderId();

        final Account account = sessionWide ? null : state.account(accountId);
        RejectReason refusal = null;
        if (killSwitch && (limit <= 0 || !ClOrdIds.isBlank(c0, c1, c2) || (sessionWide && (!onlyThisSession || sessionId <= 0))))
        {
            // the kill switch's cancels are always bounded slices, from an operator (no ClOrdID)
            refusal = RejectReason.MALFORMED_COMMAND;
        }
        else if (account == null && !sessionWide)
        {
            refusal = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (ClOrdIds.isBlank(c0, c1, c2) && !onDisconnect && limit <= 0)
        {
            refusal = RejectReason.INVALID_CLORDID;
        }
        else if (!ClOrdIds.isBlank(c0, c1, c2) && state.isClOrdIdUsed(accountId, c0, c1, c2))
        {
            refusal = RejectReason.DUPLICATE_CLORDID;
        }
        else if (instrumentId != 0 && state.instrument(instrumentId) == null)
        {
            refusal = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (side != 0 && !EngineCodes.isSide(side))
        {
            refusal = RejectReason.INVALID_SIDE;
        }
        else if ((!onDisconnect && !killSwitch && reasonRaw != CancelReason.MASS_CANCEL.value()) || limit < 0 || upTo < 0)
        {
            refusal = RejectReason.MALFORMED_COMMAND;
        }

        final CancelReason cancelReason =
            onDisconnect ? CancelReason.CANCEL_ON_DISCONNECT : killSwitch ? CancelReason.KILL_SWITCH : CancelReason.MASS_CANCEL;
        int canceled = 0;
        boolean moreRemaining = false;
        if (refusal == null && sessionWide)
        {
            canceled = cancelSessionSlice(sessionId, instrumentId, side, limit);
            moreRemaining = canceled < 0;
            canceled = moreRemaining ? -canceled - 1 : canceled;
        }
        else if (refusal == null)
        {
            Order order = account.ordersHead;
            while (order != null)
            {
                final Order next = order.accountNext;
                if (order.orderId <= bound &&
                    (instrumentId == 0 || order.instrumentId == instrumentId) &&
                    (side == 0 || order.side == side) &&
                    (!onlyThisSession || order.sessionId == sessionId))
                {
                    if (limit > 0 && canceled == limit)
                    {
                        moreRemaining = true; // the first match beyond the slice: the next slice starts here
                        break;
                    }
                    writer.orderCanceled(order, cancelReason, 0, 0, 0);
                    canceled++;
                }
                order = next;
            }
        }
        writer.massCancelDone(accountId, sessionId, instrumentId, side, cancelReason, refusal, canceled, moreRemaining, c0, c1, c2,
            refusal == null ? bound : 0);
    }

    /**
     * One slice of a session's kill switch: at most {@code limit} of the orders the session entered,
     * instrument by instrument in id order. Returns the count, or {@code -count - 1} when matching
     * orders remain beyond the slice.
     */
    private int cancelSessionSlice(final int sessionId, final int instrumentId, final int side, final int limit)
    {
        int canceled = 0;
        for (final Instrument instrument : state.instruments)
        {
            if (instrument == null || (instrumentId != 0 && instrument.id != instrumentId))
            {
                continue;
            }
            Order order = instrument.ordersHead;
            while (order != null)
            {
                final Order next = order.instrumentNext;
                if (order.sessionId == sessionId && (side == 0 || order.side == side))
                {
                    if (canceled == limit)
                    {
                        return -canceled - 1;
                    }
                    writer.orderCanceled(order, CancelReason.KILL_SWITCH, 0, 0, 0);
                    canceled++;
                }
                order = next;
            }
        }
        return canceled;
    }

    // ------------------------------------------------------------------ order status

    /** Reports a live order of the account (by OrderID, else by its current ClOrdID), or UNKNOWN. */
    void onOrderStatus(final OrderStatusRequestDecoder d)
    {
        final DirectBuffer b = d.buffer();
        final int clOffset = d.offset() + OrderStatusRequestDecoder.clOrdIdEncodingOffset();
        final long c0 = ClOrdIds.word0(b, clOffset);
        final long c1 = ClOrdIds.word1(b, clOffset);
        final int c2 = ClOrdIds.word2(b, clOffset);
        final long accountId = d.accountId();
        final long orderId = d.orderId();
        // the request's instrument and side (before schema version 8: null, none named)
        final int instrumentId = d.instrumentId() == OrderStatusRequestDecoder.instrumentIdNullValue() ? 0 : d.instrumentId();
        final int side = d.side() == OrderStatusRequestDecoder.sideNullValue() ? 0 : d.side();
        final Order found = state.account(accountId) == null ? null :
            OrderChecks.findOrder(state, accountId, orderId, c0, c1, c2);
        // an order of another instrument or side is not the one asked about: answering with it told a probe's client
        // about an AAPL buy when it asked about ZZZZ (cancels and replaces refuse the same mismatch)
        final Order order = found == null || (instrumentId > 0 && instrumentId != found.instrumentId)
            || ((side == EngineCodes.BUY || side == EngineCodes.SELL) && side != found.side) ? null : found;
        if (order == null)
        {
            writer.orderStatusUnknown(accountId, d.sessionId(), orderId, c0, c1, c2, instrumentId, side);
        }
        else
        {
            writer.orderStatus(order, d.sessionId());
        }
    }
}
