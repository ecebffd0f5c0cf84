package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.RejectReason;

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

    /** Why {@link #findOrder} found nothing: another account's order, or no such live order. */
    static RejectReason lookupFailure(final EngineState state, final long accountId, final long orderId)
    {
        if (orderId != 0)
        {
            final Order order = state.order(orderId);
            if (order != null && order.accountId != accountId)
            {
                return RejectReason.NOT_YOUR_ORDER;
            }
        }
        return RejectReason.UNKNOWN_ORDER;
    }
}
