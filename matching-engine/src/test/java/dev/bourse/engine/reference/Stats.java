package dev.bourse.engine.reference;

import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Counts what a random run exercised (events, reject reasons, cancel reasons), so a generator
 * that drifts into only producing rejects is noticed instead of passing vacuously.
 */
final class Stats implements JournalEventListener
{
    private final JournalEntryReader reader = new JournalEntryReader();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final TreeMap<String, Long> counts = new TreeMap<>();
    private final java.util.HashMap<Integer, Long> lastPrices = new java.util.HashMap<>();

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder h, final InstrumentAmendedDecoder e)
    {
        increment("amended");
    }

    void add(final byte[] entry)
    {
        view.wrap(entry);
        reader.read(view, 0, entry.length, this);
    }

    private long bookSum;
    private long bookSamples;
    private long bookMax;

    /** Samples the reference's resting order count after a command. */
    void book(final long liveOrders)
    {
        bookSum += liveOrders;
        bookSamples++;
        bookMax = Math.max(bookMax, liveOrders);
    }

    private void increment(final String key)
    {
        counts.merge(key, 1L, Long::sum);
    }

    long count(final String key)
    {
        return counts.getOrDefault(key, 0L);
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder h, final OrderAcceptedDecoder e)
    {
        increment("accepted." + e.ordType() + "." + e.timeInForce());
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder h, final OrderRejectedDecoder e)
    {
        increment("orderRejected." + e.reason());
    }

    @Override
    public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e)
    {
        increment("trade");
        lastPrices.put(e.instrumentId(), e.price());
        if (e.auction() == BooleanType.TRUE)
        {
            increment("trade.auction");
        }
        if (e.makerAccountId() == e.takerAccountId())
        {
            increment("selfTrade");
        }
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder h, final OrderCanceledDecoder e)
    {
        increment("canceled." + e.reason());
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder h, final OrderReplacedDecoder e)
    {
        increment("replaced.keptPriority=" + e.keptPriority());
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder h, final CancelRejectedDecoder e)
    {
        increment("cancelRejected." + e.responseTo() + "." + e.reason());
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder h, final MassCancelDoneDecoder e)
    {
        increment("massCancel." + e.rejectReason());
        if (e.moreRemaining() == BooleanType.TRUE)
        {
            increment("massCancel.moreRemaining");
        }
    }

    @Override
    public void onOrderStatusReport(final EntryHeaderDecoder h, final OrderStatusReportDecoder e)
    {
        increment("status." + e.status());
        if (h.commandType() == CommandType.NEW_ORDER)
        {
            increment("resendAnsweredWithStatus");
        }
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder h, final CommandRejectedDecoder e)
    {
        increment("commandRejected." + e.commandType() + "." + e.reason());
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder h, final TradingStatusChangedDecoder e)
    {
        increment("status." + e.status());
    }

    @Override
    public void onOrderRested(final EntryHeaderDecoder h, final OrderRestedDecoder e)
    {
        increment(e.displayQty() < e.leavesQty() ? "rested.iceberg" : "rested");
    }

    @Override
    public void onOrderElected(final EntryHeaderDecoder h, final OrderElectedDecoder e)
    {
        increment("elected." + e.ordType());
        if (e.triggerPrice() != lastPrices.getOrDefault(e.instrumentId(), 0L))
        {
            increment("elected.byEarlierPrint"); // a print the last price has since moved past
        }
        if (h.commandType() != CommandType.NEW_ORDER && h.commandType() != CommandType.REPLACE_ORDER &&
            h.commandType() != CommandType.SET_TRADING_PHASE && h.commandType() != CommandType.SET_TRADING_STATUS)
        {
            increment("elected.later");
        }
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
    {
        increment("phase." + e.phase() + "." + e.reason());
    }

    @Override
    public void onAuctionIndication(final EntryHeaderDecoder h, final AuctionIndicationDecoder e)
    {
        increment(e.matchedQty() > 0 ? "indication.crossed" : "indication.uncrossed");
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder h, final AuctionUncrossedDecoder e)
    {
        increment(e.matchedQty() > 0 ? "uncross.traded" : "uncross.empty");
    }

    @Override
    public void onOrdersExpired(final EntryHeaderDecoder h, final OrdersExpiredDecoder e)
    {
        increment(e.expiredCount() > 0 ? "expired.some" : "expired.none");
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder h, final DayEndedDecoder e)
    {
        increment("dayEnded." + (e.instrumentId() == 0 ? "all" : "one"));
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder h, final BalanceChangedDecoder e)
    {
        increment("balance." + e.commandType());
    }

    /** Fails unless the run reached every order outcome the spec describes. */
    void assertCoverage(final boolean limitedBook, final boolean shortCascades)
    {
        assertTrue(count("resendAnsweredWithStatus") > 0, "never answered a resent order with its first copy's status: " + this);
        assertTrue(count("elected.byEarlierPrint") > 0, "never elected a stop by a print the last price had moved past: " + this);
        if (shortCascades)
        {
            assertTrue(count("elected.later") > 0, "never elected a stop left over from an earlier command: " + this);
        }
        final Set<RejectReason> orderRejects = EnumSet.of(
            RejectReason.UNKNOWN_ACCOUNT, RejectReason.INVALID_CLORDID, RejectReason.DUPLICATE_CLORDID,
            RejectReason.UNKNOWN_INSTRUMENT, RejectReason.INVALID_SIDE, RejectReason.INVALID_ORDER_TYPE,
            RejectReason.INVALID_TIME_IN_FORCE, RejectReason.INVALID_STP_MODE, RejectReason.POST_ONLY_NOT_ALLOWED,
            RejectReason.INSTRUMENT_HALTED, RejectReason.INSTRUMENT_CLOSED, RejectReason.QTY_OUT_OF_RANGE,
            RejectReason.BAD_LOT, RejectReason.INVALID_PRICE, RejectReason.BAD_TICK, RejectReason.OUTSIDE_PRICE_BAND,
            RejectReason.NOTIONAL_EXCEEDED, RejectReason.INSUFFICIENT_FUNDS,
            RejectReason.INSUFFICIENT_POSITION, RejectReason.WOULD_CROSS_POST_ONLY, RejectReason.FOK_NOT_FILLABLE,
            RejectReason.INVALID_STOP_PRICE, RejectReason.STOP_ALREADY_TRIGGERED, RejectReason.INVALID_DISPLAY_QTY,
            RejectReason.INVALID_EXPIRE_TIME, RejectReason.NOT_ALLOWED_IN_PHASE);
        if (limitedBook)
        {
            orderRejects.add(RejectReason.TOO_MANY_ORDERS);
        }
        for (final RejectReason r : orderRejects)
        {
            assertTrue(count("orderRejected." + r) > 0, "never rejected a new order with " + r + ": " + this);
        }
        for (final CancelReason r : EnumSet.of(CancelReason.USER, CancelReason.IOC_REMAINDER, CancelReason.VOLATILITY_INTERRUPTION,
            CancelReason.SELF_TRADE_PREVENTION, CancelReason.MASS_CANCEL, CancelReason.CANCEL_ON_DISCONNECT, CancelReason.EXPIRED))
        {
            assertTrue(count("canceled." + r) > 0, "never canceled with " + r + ": " + this);
        }
        for (final String key : new String[]{"trade", "selfTrade", "replaced.keptPriority=TRUE", "replaced.keptPriority=FALSE",
            "cancelRejected.REPLACE_ORDER.REPLACE_BELOW_FILLED", "cancelRejected.CANCEL_ORDER.NOT_YOUR_ORDER",
            "cancelRejected.CANCEL_ORDER.UNKNOWN_ORDER", "cancelRejected.REPLACE_ORDER.WOULD_CROSS_POST_ONLY",
            "cancelRejected.REPLACE_ORDER.INSUFFICIENT_FUNDS", "cancelRejected.REPLACE_ORDER.ORDER_MISMATCH",
            "cancelRejected.CANCEL_ORDER.ORDER_MISMATCH", "cancelRejected.CANCEL_ORDER.TOO_LATE_TO_CANCEL", "massCancel.NONE", "massCancel.MALFORMED_COMMAND", "massCancel.moreRemaining",
            "status.NEW", "status.PARTIALLY_FILLED", "status.UNKNOWN", "status.HALTED", "dayEnded.all", "dayEnded.one",
            "accepted.MARKET.IOC", "accepted.LIMIT.FOK", "commandRejected.DEPOSIT.BALANCE_OVERFLOW",
            "commandRejected.WITHDRAW.INSUFFICIENT_FUNDS", "commandRejected.ADD_INSTRUMENT.INVALID_INSTRUMENT",
            "commandRejected.END_OF_DAY.DAY_ALREADY_ENDED",
            "trade.auction", "rested.iceberg", "elected.MARKET", "elected.LIMIT",
            "phase.OPENING_CALL.COMMAND", "phase.CLOSING_CALL.COMMAND", "phase.CONTINUOUS.COMMAND", "phase.POST_CLOSE.COMMAND",
            "phase.REOPENING_CALL.COMMAND", "phase.VOLATILITY_CALL.VOLATILITY_INTERRUPTION", "indication.crossed",
            "uncross.traded", "uncross.empty", "expired.some", "accepted.LIMIT.GTD", "accepted.LIMIT.AT_THE_OPEN",
            "accepted.LIMIT.AT_THE_CLOSE", "accepted.STOP.DAY", "accepted.STOP_LIMIT.GTC",
            "commandRejected.SET_TRADING_PHASE.TRADING_PHASE_MISMATCH", "commandRejected.SET_TRADING_PHASE.INVALID_TRADING_PHASE",
            "commandRejected.SET_VOLATILITY_GUARDS.INVALID_VOLATILITY_GUARD", "amended",
            "commandRejected.AMEND_INSTRUMENT.BAD_TICK", "commandRejected.AMEND_INSTRUMENT.QTY_OUT_OF_RANGE",
            "commandRejected.AMEND_INSTRUMENT.OUTSIDE_PRICE_BAND"})
        {
            assertTrue(count(key) > 0, "never saw " + key + ": " + this);
        }
    }

    @Override
    public String toString()
    {
        return "book avg " + (bookSamples == 0 ? 0 : bookSum / bookSamples) + " max " + bookMax + ", " + counts;
    }
}
