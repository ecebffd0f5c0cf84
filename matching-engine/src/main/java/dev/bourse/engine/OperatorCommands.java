package dev.bourse.engine;

import dev.bourse.protocol.AccountIds;
import dev.bourse.protocol.sbe.*;

/**
 * The operator commands (instruments, trading status, reference prices, accounts, deposits and
 * withdrawals, end of day, audit records) carried out on the state, as docs/ENGINE-RULES.md
 * states them. Each refusal is one {@code CommandRejected}. Engine thread only.
 */
final class OperatorCommands
{
    /** A deposit leaves the account's balance (its cash, or its position in one instrument) at most 2^61 - 1. */
    static final long MAX_BALANCE = (1L << 61) - 1;

    /**
     * A deposit leaves the exchange's total of the asset (all accounts' cash, or all accounts'
     * positions in the instrument) at most 2^62 - 1. Only deposits and withdrawals change a total:
     * a trade moves cash and units from one account to another (auction trades too; there are no
     * fees), and no balance goes negative (buys hold their cash, sells their units). So every
     * balance, and every amount a trade moves, is at most the total: settlement cannot overflow,
     * however often deposits refill the accounts that pay (the per-account cap alone let an
     * operator's deposits push a seller's proceeds past 2^63, an outside tester found).
     */
    static final long MAX_TOTAL = (1L << 62) - 1;

    private final EngineState state;
    private final EntryWriter writer;

    OperatorCommands(final EngineState state, final EntryWriter writer)
    {
        this.state = state;
        this.writer = writer;
    }

    /*
     * Checks: id in [1, maxInstruments); not already defined; tick, lot, min quantity, max
     * notional and reference price positive, max quantity >= min, reference price on a tick,
     * band in [1, 100000] bps and computable without overflow, valid status; symbol present and
     * not used by another instrument.
     */
    void onAddInstrument(final AddInstrumentDecoder d)
    {
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
        else if (tick <= 0 || lot <= 0 || minQty < lot || minQty % lot != 0 || maxQty < minQty || maxNotional <= 0 || reference <= 0 ||
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
            writer.commandRejected(CommandType.ADD_INSTRUMENT, reason, 0, id, 0, AddInstrumentDecoder.TEMPLATE_ID);
            return;
        }
        writer.instrumentAdded(id, s0, s1, tick, lot, minQty, maxQty, maxNotional, reference, band, status);
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

    void onSetReferencePrice(final SetReferencePriceDecoder d)
    {
        final int id = d.instrumentId();
        final long reference = d.referencePrice();
        final Instrument instrument = state.instrument(id);
        if (instrument == null)
        {
            writer.commandRejected(CommandType.SET_REFERENCE_PRICE, RejectReason.UNKNOWN_INSTRUMENT, 0, id, 0,
                SetReferencePriceDecoder.TEMPLATE_ID);
            return;
        }
        if (reference <= 0 || reference % instrument.tickSize != 0 || !Instrument.bandFits(reference, instrument.priceBandBps))
        {
            writer.commandRejected(CommandType.SET_REFERENCE_PRICE, RejectReason.INVALID_PRICE, 0, id, 0,
                SetReferencePriceDecoder.TEMPLATE_ID);
            return;
        }
        writer.referencePriceChanged(id, reference);
    }

    /*
     * Each field 0 keeps the current value. Checks, in this order, each with its own reason:
     * the instrument exists (UNKNOWN_INSTRUMENT); some field is non-zero (MALFORMED_COMMAND);
     * tick not negative (BAD_TICK); lot not negative (BAD_LOT); min and max quantity not negative
     * and the resulting lot <= min <= max with min a whole number of lots (QTY_OUT_OF_RANGE; a min
     * not given is raised to a whole number of the new lot: an amend of the lot alone left a minimum
     * no order could have, outside testers found); max notional not negative (INVALID_AMOUNT);
     * reference price not negative (INVALID_PRICE); the resulting reference price on the resulting
     * tick (BAD_TICK); band in [1, 100000] bps and computable around the reference price
     * (OUTSIDE_PRICE_BAND). The resting book is not touched: orders keep their price and quantity.
     */
    void onAmendInstrument(final AmendInstrumentDecoder d)
    {
        final int id = d.instrumentId();
        final Instrument instrument = state.instrument(id);
        final long tickIn = d.tickSize();
        final long lotIn = d.lotSize();
        final long minIn = d.minQuantity();
        final long maxIn = d.maxQuantity();
        final long notionalIn = d.maxNotional();
        final long referenceIn = d.referencePrice();
        final int bandIn = d.priceBandBps();
        RejectReason reason = null;
        long tick = 0, lot = 0, minQty = 0, maxQty = 0, maxNotional = 0, reference = 0;
        int band = 0;
        if (instrument == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else
        {
            tick = tickIn == 0 ? instrument.tickSize : tickIn;
            lot = lotIn == 0 ? instrument.lotSize : lotIn;
            // a new lot raises the kept minimum to a whole number of lots, at least one: otherwise it is a
            // minimum no order can have
            minQty = minIn == 0 ? wholeLots(Math.max(instrument.minQuantity, lot), lot) : minIn;
            maxQty = maxIn == 0 ? instrument.maxQuantity : maxIn;
            maxNotional = notionalIn == 0 ? instrument.maxNotional : notionalIn;
            reference = referenceIn == 0 ? instrument.referencePrice : referenceIn;
            band = bandIn == 0 ? instrument.priceBandBps : bandIn;
            if ((tickIn | lotIn | minIn | maxIn | notionalIn | referenceIn | bandIn) == 0)
            {
                reason = RejectReason.MALFORMED_COMMAND;
            }
            else if (tickIn < 0)
            {
                reason = RejectReason.BAD_TICK;
            }
            else if (lotIn < 0)
            {
                reason = RejectReason.BAD_LOT;
            }
            else if (minIn < 0 || maxIn < 0 || maxQty < minQty || minQty < lot || minQty % lot != 0)
            {
                reason = RejectReason.QTY_OUT_OF_RANGE;
            }
            else if (notionalIn < 0)
            {
                reason = RejectReason.INVALID_AMOUNT;
            }
            else if (referenceIn < 0)
            {
                reason = RejectReason.INVALID_PRICE;
            }
            else if (reference % tick != 0)
            {
                reason = RejectReason.BAD_TICK;
            }
            else if (band < 1 || band > 100_000 || !Instrument.bandFits(reference, band))
            {
                reason = RejectReason.OUTSIDE_PRICE_BAND;
            }
        }
        if (reason != null)
        {
            writer.commandRejected(CommandType.AMEND_INSTRUMENT, reason, 0, id, 0, AmendInstrumentDecoder.TEMPLATE_ID);
            return;
        }
        writer.instrumentAmended(id, tick, lot, minQty, maxQty, maxNotional, reference, band);
    }

    /** {@code quantity} rounded up to a whole number of lots ({@code lot} not positive: as it is, refused later). */
    static long wholeLots(final long quantity, final long lot)
    {
        return lot <= 0 ? quantity : quantity + (lot - quantity % lot) % lot;
    }

    void onCreateAccount(final CreateAccountDecoder d)
    {
        final long id = d.accountId();
        final byte stp = (byte)d.stpModeRaw();
        RejectReason reason = null;
        if (!AccountIds.isValid(id))
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
            writer.commandRejected(CommandType.CREATE_ACCOUNT, reason, id, 0, 0, CreateAccountDecoder.TEMPLATE_ID);
            return;
        }
        writer.accountCreated(id, stp == EngineCodes.STP_ACCOUNT_DEFAULT ? EngineCodes.STP_NONE : stp);
    }

    void onDeposit(final DepositDecoder d)
    {
        transfer(CommandType.DEPOSIT, d.accountId(), d.instrumentId(), d.amount(), d.requestId(), DepositDecoder.TEMPLATE_ID);
    }

    void onWithdraw(final WithdrawDecoder d)
    {
        transfer(CommandType.WITHDRAW, d.accountId(), d.instrumentId(), d.amount(), d.requestId(), WithdrawDecoder.TEMPLATE_ID);
    }

    /*
     * Checks: account exists; instrument (if not cash) exists; amount positive; a deposit leaves
     * the balance at most MAX_BALANCE and the exchange's total of that asset at most MAX_TOTAL; a
     * withdrawal leaves the held part in place (available covers it).
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
            final Position holding = instrumentId == 0 ? null : account.position(instrumentId);
            final long current = instrumentId == 0 ? account.cash : holding == null ? 0 : holding.quantity;
            final long available = instrumentId == 0 ? account.availableCash() : holding == null ? 0 : holding.available();
            if (type == CommandType.DEPOSIT)
            {
                // amount <= MAX_BALANCE < MAX_TOTAL, so neither subtraction overflows
                if (amount > MAX_BALANCE || current > MAX_BALANCE - amount ||
                    (instrumentId == 0 ? state.totalCash : state.instruments[instrumentId].totalPosition) > MAX_TOTAL - amount)
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
            writer.commandRejected(type, reason, accountId, instrumentId, requestId, templateId);
            return;
        }
        writer.balanceChanged(accountId, instrumentId, type, amount, balance, requestId);
    }

    /**
     * Expires DAY orders, and auction-only orders whose call never ended (instrument by
     * instrument in id order, each in order-id order). For instrument 0 it covers every
     * instrument and also ends the ClOrdID day. With unlessEndedSince set it is refused if nothing
     * has changed the engine's state since the last day end, or if the exchange's current day
     * began at or after that time (the day open then has ended): a scheduler that cannot know
     * whether a day end was sent before a restart or a failover sends it again, guarded; an
     * operator sends Long.MAX_VALUE (only "nothing since the last day end").
     */
    void onEndOfDay(final EndOfDayDecoder d)
    {
        final int instrumentId = d.instrumentId();
        if (instrumentId != 0 && state.instrument(instrumentId) == null)
        {
            writer.commandRejected(CommandType.END_OF_DAY, RejectReason.UNKNOWN_INSTRUMENT, 0, instrumentId, 0,
                EndOfDayDecoder.TEMPLATE_ID);
            return;
        }
        final long unlessEndedSince = d.unlessEndedSince();
        // nothing has changed since the last day end (no day is open), or the day open now began at or after that
        // time, so the day open then has ended (null is Long.MIN_VALUE before schema 12)
        if (unlessEndedSince > 0 && (state.dayOpenedAt() == 0 || state.dayOpenedAt() >= unlessEndedSince))
        {
            writer.commandRejected(CommandType.END_OF_DAY, RejectReason.DAY_ALREADY_ENDED, 0, instrumentId, 0, EndOfDayDecoder.TEMPLATE_ID);
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
        writer.dayEnded(instrumentId, expired);
    }

    private int expireDayOrders(final Instrument instrument)
    {
        int expired = 0;
        Order order = instrument.ordersHead;
        while (order != null)
        {
            final Order next = order.instrumentNext;
            final byte tif = order.timeInForce;
            // A live IOC order is a held stop (an elected one never rests): it lasts the day, as a
            // DAY stop does, and is IOC only once elected; kept past the day it was a GTC order its
            // reports still called IOC (an outside probe).
            if (tif == EngineCodes.DAY || tif == EngineCodes.IOC || tif == EngineCodes.AT_THE_OPEN || tif == EngineCodes.AT_THE_CLOSE)
            {
                writer.orderCanceled(order, CancelReason.EXPIRED, 0, 0, 0);
                expired++;
            }
            order = next;
        }
        return expired;
    }

    /**
     * Expires every GTD order whose expire time is at or before the command's: earliest expire
     * time first, then in order-id order; then {@code OrdersExpired} with the count.
     */
    void onExpireOrders(final ExpireOrdersDecoder d)
    {
        final long expireTime = d.expireTime();
        final ExpiryIndex expiries = state.expiries;
        int expired = 0;
        while (expiries.hasDue(expireTime))
        {
            final Order order = state.order(expiries.poll());
            // the index keeps orders that ended early: only a live GTD order still due expires
            if (order != null && order.timeInForce == EngineCodes.GTD && order.expireTime <= expireTime)
            {
                writer.orderCanceled(order, CancelReason.EXPIRED, 0, 0, 0);
                expired++;
            }
        }
        writer.ordersExpired(expireTime, expired);
    }

    void onAudit(final AuditDecoder d)
    {
        final short type = d.auditTypeRaw();
        if (type < AuditType.LOGON.value() || type > AuditType.ORDER_REFUSED.value())
        {
            writer.commandRejected(CommandType.AUDIT, RejectReason.MALFORMED_COMMAND, d.accountId(), 0, 0, AuditDecoder.TEMPLATE_ID);
            return;
        }
        // a block long enough carries the instrument (read raw, whatever version the header claims); version 3 blocks end before it
        final int instrumentId = d.limit() - d.offset() >= AuditDecoder.instrumentIdEncodingOffset() + Integer.BYTES
            ? d.buffer().getInt(d.offset() + AuditDecoder.instrumentIdEncodingOffset(), AuditDecoder.BYTE_ORDER) : 0;
        // version 6 blocks carry the gateway and the CompID (a session's takeover by another gateway)
        final boolean hasCompId = d.limit() - d.offset() >= AuditDecoder.compIdEncodingOffset() + AuditDecoder.compIdLength();
        final int gatewayId = hasCompId ? d.buffer().getInt(d.offset() + AuditDecoder.gatewayIdEncodingOffset(), AuditDecoder.BYTE_ORDER) : 0;
        // version 14 blocks carry the ClOrdID of a request the gateway refused itself
        final boolean hasClOrdId = d.limit() - d.offset() >= AuditDecoder.clOrdIdEncodingOffset() + AuditDecoder.clOrdIdLength();
        writer.auditRecorded(d.accountId(), type, d.detail(), d.buffer(), d.offset() + AuditDecoder.usernameEncodingOffset(),
            instrumentId, gatewayId, hasCompId ? d.offset() + AuditDecoder.compIdEncodingOffset() : -1,
            hasClOrdId ? d.offset() + AuditDecoder.clOrdIdEncodingOffset() : -1);
    }

    /*
     * Checks: exactly one of account and session named; the account exists; blocked is a boolean
     * and cancelOrders FALSE. The kill switch's cancels are not done here: since version 5 they are
     * MassCancel slices (reason KILL_SWITCH, bounded by maxOrders) that the operator's side sends
     * after this block, so no single command does unbounded work (docs/ENGINE-RULES.md).
     */
    void onSetBlock(final SetBlockDecoder d)
    {
        final long accountId = d.accountId();
        final int sessionId = d.targetSessionId();
        final short blocked = d.blockedRaw();
        final short cancel = d.cancelOrdersRaw();
        RejectReason reason = null;
        if ((accountId == 0) == (sessionId == 0) || accountId < 0 || sessionId < 0 || !isBoolean(blocked) ||
            cancel != BooleanType.FALSE.value())
        {
            reason = RejectReason.MALFORMED_COMMAND;
        }
        else if (accountId != 0 && state.account(accountId) == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        if (reason != null)
        {
            writer.commandRejected(CommandType.SET_BLOCK, reason, accountId, 0, 0, SetBlockDecoder.TEMPLATE_ID);
            return;
        }
        writer.blockChanged(accountId, sessionId, blocked == BooleanType.TRUE.value(), 0);
    }

    private static boolean isBoolean(final short value)
    {
        return value == BooleanType.TRUE.value() || value == BooleanType.FALSE.value();
    }
}
