package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.BooleanType;
import dev.bourse.protocol.sbe.RejectReason;
import dev.bourse.protocol.sbe.ReplaceOrderDecoder;

/**
 * The checks an order or order request passes before the engine acts on it, each returning the
 * {@link RejectReason} of the first failure or null. Pure functions of the state: they change
 * nothing. The order in which a command applies them is the rule (docs/ENGINE-RULES.md).
 */
final class OrderChecks
{
    private OrderChecks()
    {
    }

    /**
     * The fields an order's type and time in force need, and no others: side, type, time in
     * force and STP mode known; a stop's time in force DAY, GTC, GTD or IOC; auction-only orders
     * limit orders; a stop price exactly on stops; a peak (display quantity) only on limit orders
     * that can rest; an expire time exactly on GTD orders, after the command's time; post-only
     * only on limit orders that can rest in continuous trading (DAY, GTC, GTD).
     */
    static RejectReason checkOrderShape(
        final byte side,
        final byte ordType,
        final byte tif,
        final byte stp,
        final boolean postOnly,
        final long stopPrice,
        final long displayQty,
        final long expireTime,
        final long timestamp)
    {
        if (!EngineCodes.isSide(side))
        {
            return RejectReason.INVALID_SIDE;
        }
        if (!EngineCodes.isOrdType(ordType))
        {
            return RejectReason.INVALID_ORDER_TYPE;
        }
        if (!EngineCodes.isTimeInForce(tif))
        {
            return RejectReason.INVALID_TIME_IN_FORCE;
        }
        if (!EngineCodes.isStpMode(stp))
        {
            return RejectReason.INVALID_STP_MODE;
        }
        final boolean stop = EngineCodes.isStop(ordType);
        if (stop && !(tif == EngineCodes.DAY || tif == EngineCodes.GTC || tif == EngineCodes.GTD || tif == EngineCodes.IOC))
        {
            return RejectReason.INVALID_TIME_IN_FORCE;
        }
        if ((tif == EngineCodes.AT_THE_OPEN || tif == EngineCodes.AT_THE_CLOSE) && ordType != EngineCodes.LIMIT)
        {
            return RejectReason.INVALID_ORDER_TYPE;
        }
        if (stop ? stopPrice <= 0 : stopPrice != 0)
        {
            return RejectReason.INVALID_STOP_PRICE;
        }
        if (displayQty < 0 || (displayQty > 0 && (ordType != EngineCodes.LIMIT || !EngineCodes.rests(tif))))
        {
            return RejectReason.INVALID_DISPLAY_QTY;
        }
        if (tif == EngineCodes.GTD ? expireTime <= timestamp : expireTime != 0)
        {
            return RejectReason.INVALID_EXPIRE_TIME;
        }
        if (postOnly && (ordType != EngineCodes.LIMIT || !(tif == EngineCodes.DAY || tif == EngineCodes.GTC || tif == EngineCodes.GTD)))
        {
            return RejectReason.POST_ONLY_NOT_ALLOWED;
        }
        return null;
    }

    /**
     * What the trading phase admits: in a call nothing can match, so market orders, IOC and FOK
     * are refused (stops are held, so they are not); at-the-open orders only in the opening call,
     * at-the-close orders only in the closing call.
     */
    static RejectReason checkPhase(final Instrument instrument, final byte ordType, final byte tif)
    {
        final byte phase = instrument.phase;
        if (tif == EngineCodes.AT_THE_OPEN)
        {
            return phase == EngineCodes.OPENING_CALL ? null : RejectReason.NOT_ALLOWED_IN_PHASE;
        }
        if (tif == EngineCodes.AT_THE_CLOSE)
        {
            return phase == EngineCodes.CLOSING_CALL ? null : RejectReason.NOT_ALLOWED_IN_PHASE;
        }
        if (EngineCodes.isCall(phase) && !EngineCodes.isStop(ordType) &&
            (ordType == EngineCodes.MARKET || tif == EngineCodes.IOC || tif == EngineCodes.FOK))
        {
            return RejectReason.NOT_ALLOWED_IN_PHASE;
        }
        return null;
    }

    /**
     * A stop price on a tick and inside the price band, and not already reached by the last
     * trade (a buy stop at or below it, a sell stop at or above it would be elected at once).
     */
    static RejectReason checkStopPrice(final Instrument instrument, final byte side, final long stopPrice)
    {
        if (stopPrice <= 0 || stopPrice % instrument.tickSize != 0 || stopPrice < instrument.bandLow || stopPrice > instrument.bandHigh)
        {
            return RejectReason.INVALID_STOP_PRICE;
        }
        final long last = instrument.lastTradePrice;
        if (last > 0 && (side == EngineCodes.BUY ? last >= stopPrice : last <= stopPrice))
        {
            return RejectReason.STOP_ALREADY_TRIGGERED;
        }
        return null;
    }

    /** Halted and closed instruments take no new orders or replaces (cancels still work). */
    static RejectReason checkTradable(final Instrument instrument)
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

    /** Within [min, max] and a whole number of lots. */
    static RejectReason checkQuantity(final Instrument instrument, final long quantity)
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

    /**
     * An iceberg shows at most {@link #MAX_ICEBERG_PEAKS} peaks over its life: each peak traded is a
     * trade, so a peak of 1 lot on a huge quantity would let one aggressive order make millions of
     * trades in one command (one journal entry that outgrows the heap, seen in the boundary fuzz).
     *
     * @param leaves the quantity left to show (a new order's whole quantity).
     */
    static RejectReason checkIcebergPeaks(final long displayQty, final long leaves)
    {
        return displayQty > 0 && (leaves - 1) / displayQty >= MAX_ICEBERG_PEAKS ? RejectReason.ICEBERG_TOO_MANY_PEAKS : null;
    }

    static final long MAX_ICEBERG_PEAKS = 1_000;

    /** Positive, on a tick, inside the price band. */
    static RejectReason checkPrice(final Instrument instrument, final long price)
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

    /** price x quantity must not overflow and must stay within the instrument's maximum notional. */
    static RejectReason checkNotional(final Instrument instrument, final long price, final long quantity)
    {
        final long notional = Prices.multiplyOrOverflow(price, quantity);
        return notional < 0 || notional > instrument.maxNotional ? RejectReason.NOTIONAL_EXCEEDED : null;
    }

    /** A new buy holds {@code holdPrice x quantity} of available cash; a new sell holds {@code quantity} of the position. */
    static RejectReason checkNewHold(
        final Account account, final int instrumentId, final byte side, final long holdPrice, final long quantity)
    {
        if (side == EngineCodes.BUY)
        {
            return holdPrice * quantity > account.availableCash() ? RejectReason.INSUFFICIENT_FUNDS : null;
        }
        final Position held = account.position(instrumentId);
        return held == null || held.available() < quantity ? RejectReason.INSUFFICIENT_POSITION : null;
    }

    /** A replace moves the hold from the order's old leaves to its new ones: the increase must be available. */
    static RejectReason checkReplaceHold(final Order order, final long price, final long newLeaves)
    {
        if (order.side == EngineCodes.BUY)
        {
            final long increase = price * newLeaves - order.holdPrice * order.leavesQty;
            return increase > order.account.availableCash() ? RejectReason.INSUFFICIENT_FUNDS : null;
        }
        return newLeaves - order.leavesQty > order.account.position(order.instrumentId).available() ?
            RejectReason.INSUFFICIENT_POSITION : null;
    }

    /** A cancel or replace request: the account exists and its ClOrdID is present and unused today. */
    static RejectReason checkRequest(final EngineState state, final long accountId, final long c0, final long c1, final int c2)
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

    /**
     * The account's live order by OrderID if non-zero, else by its current ClOrdID; null if there
     * is none ({@link #lookupFailure} says why).
     */
    static Order findOrder(final EngineState state, final long accountId, final long orderId, final long o0, final long o1, final int o2)
    {
        if (orderId != 0)
        {
            final Order order = state.order(orderId);
            return order != null && order.accountId == accountId ? order : null;
        }
        return state.orderByClOrdId(accountId, o0, o1, o2);
    }

    /** A TimeInForce field's null value: the request names none. */
    static final int NO_TIME_IN_FORCE = dev.bourse.protocol.sbe.TimeInForce.NULL_VAL.value();

    /**
     * Whether the order a cancel or replace found is the one the request describes; ORDER_MISMATCH
     * if not, since acting on it would do something the client did not ask for:
     * <ul>
     * <li>named by both OrderID and OrigClOrdID, the OrigClOrdID carried another order of the
     * account today (FIX 4.4: both name one order); one the day's index does not know (a GTC
     * order's from an earlier day) is not checked;</li>
     * <li>an instrument or a side (0, or null in a command from before schema version 7: none)
     * other than the order's: neither can be changed;</li>
     * <li>a replace's order type (a valid OrdType value; anything else, and a cancel's 0, names
     * none) other than the order's: a replace keeps the type. An elected stop limit, now a limit
     * order, still answers to STOP_LIMIT, the type its client sent;</li>
     * <li>a replace's time in force (a TimeInForce value; null, and a cancel's, names none) other
     * than the order's: a replace keeps it, and acknowledging a DAY order "replaced" as GTC that
     * then expired at the day's end misled a probe's client.</li>
     * </ul>
     */
    static RejectReason checkSameOrder(
        final EngineState state, final Order order, final long orderId, final long o0, final long o1, final int o2,
        final int instrumentId, final int side, final int ordType, final int timeInForce)
    {
        if (orderId != 0 && !ClOrdIds.isBlank(o0, o1, o2))
        {
            final long carried = state.orderIdOfClOrdId(order.accountId, o0, o1, o2);
            if (carried != 0 && carried != order.orderId)
            {
                return RejectReason.ORDER_MISMATCH;
            }
        }
        if (instrumentId > 0 && instrumentId != order.instrumentId)
        {
            return RejectReason.ORDER_MISMATCH;
        }
        if ((side == EngineCodes.BUY || side == EngineCodes.SELL) && side != order.side)
        {
            return RejectReason.ORDER_MISMATCH;
        }
        if (timeInForce != NO_TIME_IN_FORCE && timeInForce != order.timeInForce)
        {
            return RejectReason.ORDER_MISMATCH;
        }
        if (ordType < EngineCodes.MARKET || ordType > EngineCodes.STOP_LIMIT || ordType == order.ordType)
        {
            return null;
        }
        final boolean electedStopLimit = ordType == EngineCodes.STOP_LIMIT && order.ordType == EngineCodes.LIMIT && order.stopPrice != 0;
        return electedStopLimit ? null : RejectReason.ORDER_MISMATCH;
    }

    /** A replace's displayQty or expireTime that names nothing: the schema's int64 null value. */
    static final long NOT_NAMED = ReplaceOrderDecoder.displayQtyNullValue();

    /**
     * ORDER_MISMATCH if a replace names a peak, expire time or post-only flag (schema version 15;
     * not named: the null values) other than the order's. A replace keeps them, and a FIX
     * replace's MaxFloor, ExpireTime and ExecInst were not read:
     * a client that moved an iceberg's peak or a GTD order's expiry was told "replaced" while nothing
     * of it changed. An elected stop keeps the settings it was entered with.
     */
    static RejectReason checkKeptSettings(
        final Order order, final long displayQty, final long expireTime, final int postOnly)
    {
        if (displayQty != NOT_NAMED && displayQty != order.maxFloor)
        {
            return RejectReason.ORDER_MISMATCH;
        }
        if (expireTime != NOT_NAMED && expireTime != order.expireTime)
        {
            return RejectReason.ORDER_MISMATCH;
        }
        if (postOnly != BooleanType.NULL_VAL.value() && (postOnly == BooleanType.TRUE.value()) != order.isPostOnly())
        {
            return RejectReason.ORDER_MISMATCH;
        }
        return null;
    }

    /**
     * Why {@link #findOrder} found nothing: another account's order; an OrigClOrdID that an order of
     * the account carried but that order is no longer live (filled, canceled, expired: FIX's "too
     * late to cancel"); or no such live order (an OrigClOrdID the order has since replaced
     * included). By OrderID a dead order is unknown: whose it was is no longer known, and
     * answering otherwise would tell one account about another's orders.
     */
    static RejectReason lookupFailure(
        final EngineState state, final long accountId, final long orderId, final long o0, final long o1, final int o2)
    {
        if (orderId != 0)
        {
            final Order order = state.order(orderId);
            if (order != null && order.accountId != accountId)
            {
                return RejectReason.NOT_YOUR_ORDER;
            }
            return RejectReason.UNKNOWN_ORDER;
        }
        final long carried = state.orderIdOfClOrdId(accountId, o0, o1, o2);
        return carried != 0 && state.order(carried) == null ? RejectReason.TOO_LATE_TO_CANCEL : RejectReason.UNKNOWN_ORDER;
    }
}
