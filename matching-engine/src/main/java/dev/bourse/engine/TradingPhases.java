package dev.bourse.engine;

import dev.bourse.protocol.sbe.*;

/**
 * Trading phases and auctions: the phase commands, the uncross that ends a call, volatility
 * interruptions, and the end of every command, where triggered stops are elected and the
 * indication of each call whose book changed is published if it changed. The rules are in
 * docs/ENGINE-RULES.md ("Trading phases", "Auctions", "Stop orders"). Engine thread only.
 */
final class TradingPhases
{
    private final EngineState state;
    private final EntryWriter writer;
    private final InstrumentWork work;
    private final OrderEntry orders;
    private final UncrossCalculator calculator = new UncrossCalculator();
    private final int maxElectionsPerCommand;
    /** Instruments whose triggered stops wait for the next command (the election bound was reached). */
    private int pendingStopInstruments;

    TradingPhases(final EngineState state, final EntryWriter writer, final InstrumentWork work, final OrderEntry orders)
    {
        this.state = state;
        this.writer = writer;
        this.work = work;
        this.orders = orders;
        this.maxElectionsPerCommand = state.config.maxStopElectionsPerCommand();
        // On a recovered state: which instruments still have triggered stops waiting.
        for (final Instrument instrument : state.instruments)
        {
            if (instrument != null)
            {
                markPendingStops(instrument);
            }
        }
    }

    // ------------------------------------------------------------------ commands

    /*
     * Checks: instrument exists; phase is a phase and not VOLATILITY_CALL (those are the
     * engine's); expectedPhase is 0 or the instrument's phase; the phase is a change.
     */
    void onSetTradingPhase(final SetTradingPhaseDecoder d)
    {
        final int id = d.instrumentId();
        final byte phase = (byte)d.phaseRaw();
        final Instrument instrument = state.instrument(id);
        RejectReason reason = null;
        if (instrument == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (!EngineCodes.isTradingPhase(phase) || phase == EngineCodes.VOLATILITY_CALL)
        {
            reason = RejectReason.INVALID_TRADING_PHASE;
        }
        else if (d.expectedPhase() != 0 && d.expectedPhase() != instrument.phase)
        {
            reason = RejectReason.TRADING_PHASE_MISMATCH;
        }
        else if (phase == instrument.phase)
        {
            reason = RejectReason.INVALID_TRADING_PHASE;
        }
        if (reason != null)
        {
            writer.commandRejected(CommandType.SET_TRADING_PHASE, reason, 0, id, 0, SetTradingPhaseDecoder.TEMPLATE_ID);
            return;
        }
        leave(instrument, phase);
        writer.tradingPhaseChanged(instrument, phase, PhaseChangeReason.COMMAND, d.callEndDelay(), 0);
    }

    /** The legacy status command: OPEN is continuous trading (reached through an uncross if the book crosses). */
    void onSetTradingStatus(final SetTradingStatusDecoder d)
    {
        final int id = d.instrumentId();
        final byte status = (byte)d.statusRaw();
        final Instrument instrument = state.instrument(id);
        if (instrument == null)
        {
            writer.commandRejected(CommandType.SET_TRADING_STATUS, RejectReason.UNKNOWN_INSTRUMENT, 0, id, 0,
                SetTradingStatusDecoder.TEMPLATE_ID);
            return;
        }
        if (!EngineCodes.isTradingStatus(status))
        {
            writer.commandRejected(CommandType.SET_TRADING_STATUS, RejectReason.INVALID_TRADING_STATUS, 0, id, 0,
                SetTradingStatusDecoder.TEMPLATE_ID);
            return;
        }
        leave(instrument, EngineCodes.phaseOf(status));
        writer.tradingStatusChanged(instrument, status);
    }

    /*
     * Checks: instrument exists; both bands in [0, 100000] bps; the interruption not negative.
     */
    void onSetVolatilityGuards(final SetVolatilityGuardsDecoder d)
    {
        final int id = d.instrumentId();
        final int dynamic = d.dynamicBandBps();
        final int fixed = d.staticBandBps();
        final long interruption = d.interruptionNanos();
        RejectReason reason = null;
        if (state.instrument(id) == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (dynamic < 0 || dynamic > 100_000 || fixed < 0 || fixed > 100_000 || interruption < 0)
        {
            reason = RejectReason.INVALID_VOLATILITY_GUARD;
        }
        if (reason != null)
        {
            writer.commandRejected(CommandType.SET_VOLATILITY_GUARDS, reason, 0, id, 0, SetVolatilityGuardsDecoder.TEMPLATE_ID);
            return;
        }
        writer.volatilityGuardsChanged(id, dynamic, fixed, interruption);
    }

    /**
     * What leaving the current phase for {@code next} does before the phase changes: a call
     * that ends in continuous trading or the post-close is uncrossed (and continuous trading is
     * always entered with an uncrossed book); the auction-only orders of the opening or closing
     * call that ends expire, unless it ends in a halt: a halt keeps the call's book, these orders
     * included, for the auction the call still gets when the halt is lifted back into it (they
     * expire when the instrument leaves the halt for anything else: at-the-close orders before that
     * phase's auction, which is not the close; at-the-open ones after it, which opens the instrument).
     */
    private void leave(final Instrument instrument, final byte next)
    {
        final byte from = instrument.phase;
        if (from == EngineCodes.HALTED && next != EngineCodes.CLOSING_CALL) // a change: next is not HALTED too
        {
            // before any auction: a halted closing call lifted into anything but itself has no closing auction, and
            // at-the-close orders trade in that one only (an outside tester's filled in the auction of a resume)
            expireAuctionOnly(instrument, EngineCodes.AT_THE_CLOSE);
        }
        if (next == EngineCodes.CONTINUOUS || (EngineCodes.isCall(from) && next == EngineCodes.POST_CLOSE))
        {
            uncross(instrument, from);
        }
        if (next == EngineCodes.HALTED)
        {
            return;
        }
        if ((from == EngineCodes.OPENING_CALL || from == EngineCodes.HALTED) && next != EngineCodes.OPENING_CALL)
        {
            expireAuctionOnly(instrument, EngineCodes.AT_THE_OPEN);
        }
        if (from == EngineCodes.CLOSING_CALL && next != EngineCodes.CLOSING_CALL)
        {
            expireAuctionOnly(instrument, EngineCodes.AT_THE_CLOSE);
        }
    }

    // ------------------------------------------------------------------ auctions

    /**
     * The auction: one price for everything that can trade (see {@link UncrossCalculator}), then
     * the fills in price-time priority on each side: the best bid's oldest order with the best
     * ask's oldest, and so on. A call always ends with an {@code AuctionUncrossed} (quantity 0 if
     * the book did not cross); another phase only if its book crosses.
     */
    private void uncross(final Instrument instrument, final byte from)
    {
        final boolean crosses = calculator.compute(instrument);
        if (!crosses && !EngineCodes.isCall(from))
        {
            return;
        }
        final long price = calculator.price;
        final long volume = calculator.volume;
        writer.auctionUncrossed(instrument, from, price, volume, calculator.imbalance, calculator.imbalanceSide);
        long remaining = volume;
        Order lastBuy = null;
        Order lastSell = null;
        while (remaining > 0)
        {
            final Order buy = instrument.bids.best().head;
            final Order sell = instrument.asks.best().head;
            final long quantity = Math.min(remaining, Math.min(buy.leavesQty, sell.leavesQty));
            writer.auctionTrade(sell, buy, price, quantity);
            remaining -= quantity;
            lastBuy = buy;
            lastSell = sell;
        }
        // An iceberg traded past its peak shows a new one at the back of its level (at most one
        // order, on the side with the surplus, is left partly filled).
        refillIfExhausted(lastBuy);
        refillIfExhausted(lastSell);
    }

    private void refillIfExhausted(final Order order)
    {
        if (order != null && order.leavesQty > 0 && order.maxFloor > 0 && order.displayQty == 0)
        {
            writer.orderRested(order);
        }
    }

    /** At-the-open (at-the-close) orders take part in their auction only: when their call ends, they expire. */
    private void expireAuctionOnly(final Instrument instrument, final byte tif)
    {
        Order order = instrument.ordersHead;
        while (order != null)
        {
            final Order next = order.instrumentNext;
            if (order.timeInForce == tif)
            {
                writer.orderCanceled(order, CancelReason.EXPIRED, 0, 0, 0);
            }
            order = next;
        }
    }

    /** A trade would have printed outside a volatility guard: the instrument goes into a volatility call instead. */
    void interrupt(final Instrument instrument)
    {
        writer.tradingPhaseChanged(instrument, EngineCodes.VOLATILITY_CALL, PhaseChangeReason.VOLATILITY_INTERRUPTION, 0,
            instrument.interruptionNanos);
    }

    // ------------------------------------------------------------------ end of command

    /**
     * After the command's own events: elect triggered stops (of the instruments the command
     * touched, in the order it touched them, then those left over from earlier commands in
     * instrument id order), at most {@code engine.maxStopElectionsPerCommand} in all; then
     * publish the indication of every touched instrument in a call whose result changed.
     */
    void endOfCommand()
    {
        if (work.size() == 0 && pendingStopInstruments == 0)
        {
            return; // the common case: nothing held or in a call was touched
        }
        int budget = maxElectionsPerCommand;
        for (int i = 0; i < work.size(); i++)
        {
            budget = electStops(work.get(i), budget);
        }
        if (pendingStopInstruments > 0)
        {
            for (final Instrument instrument : state.instruments)
            {
                if (instrument != null && instrument.stopsPending)
                {
                    budget = electStops(instrument, budget);
                }
            }
        }
        for (int i = 0; i < work.size(); i++)
        {
            final Instrument instrument = work.get(i);
            if (instrument.inCall())
            {
                publishIndication(instrument);
            }
        }
        work.clear();
    }

    /**
     * Elects in rounds: a round elects every stop that a price it covers reached, in turn, even
     * when an earlier election of the round moved the price back past one (a stop whose price was
     * reached is triggered, as at the venues clients know; an outside probe's sell stop, reached by
     * an auction's print, was passed over when a buy stop elected first lifted the price). The
     * first round covers every print of the entry in this instrument, else the last price (a sweep
     * that printed a stop's price and ended past it elected nothing when only the last price
     * counted: another probe's protective stop stayed held); each later round covers the prints
     * of the round before, while they reach beyond it.
     */
    private int electStops(final Instrument instrument, final int budget)
    {
        final long sequence = state.lastSequence;
        long low = instrument.lastTradeSequence == sequence ? instrument.printLow : instrument.lastTradePrice;
        long high = instrument.lastTradeSequence == sequence ? instrument.printHigh : instrument.lastTradePrice;
        beginRound(instrument);
        int left = budget;
        while (left > 0 && instrument.phase == EngineCodes.CONTINUOUS && instrument.heldStops > 0)
        {
            final Order stop = nextTriggered(instrument, low, high);
            if (stop == null)
            {
                if (instrument.lastTradeSequence != sequence || instrument.printLow >= low && instrument.printHigh <= high)
                {
                    break; // the round printed nothing a stop it passed over could be reached by
                }
                low = instrument.printLow;
                high = instrument.printHigh;
                beginRound(instrument);
                continue;
            }
            left--;
            final byte becomes = stop.ordType == EngineCodes.STOP ? EngineCodes.MARKET : EngineCodes.LIMIT;
            writer.orderElected(stop, becomes, stop.side == EngineCodes.BUY ? high : low);
            final long limit = becomes == EngineCodes.LIMIT ? stop.price :
                stop.side == EngineCodes.BUY ? Math.min(instrument.bandHigh, stop.holdPrice) : instrument.bandLow;
            orders.work(stop, limit);
        }
        markPendingStops(instrument);
        return left;
    }

    /** The next round's prints start from the last price (the round's trades widen them). */
    private static void beginRound(final Instrument instrument)
    {
        instrument.printLow = instrument.lastTradePrice;
        instrument.printHigh = instrument.lastTradePrice;
    }

    /** Keeps the invariant: an instrument is pending exactly when it trades continuously and has a triggered stop. */
    private void markPendingStops(final Instrument instrument)
    {
        final long last = instrument.lastTradePrice;
        final boolean pending = instrument.phase == EngineCodes.CONTINUOUS && instrument.heldStops > 0 &&
            nextTriggered(instrument, last, last) != null;
        if (pending != instrument.stopsPending)
        {
            instrument.stopsPending = pending;
            pendingStopInstruments += pending ? 1 : -1;
        }
    }

    /**
     * The stop to elect next in a round whose prints went from {@code low} to {@code high}: the
     * oldest buy stop at the lowest stop price if {@code high} is at or above it, the oldest sell
     * stop at the highest stop price if {@code low} is at or below it; if both, the one accepted
     * first (lower OrderID).
     */
    static Order nextTriggered(final Instrument instrument, final long low, final long high)
    {
        if (high == 0)
        {
            return null;
        }
        final PriceLevel buyLevel = instrument.buyStops.best();
        final PriceLevel sellLevel = instrument.sellStops.best();
        final Order buy = buyLevel != null && buyLevel.price <= high ? buyLevel.head : null;
        final Order sell = sellLevel != null && sellLevel.price >= low ? sellLevel.head : null;
        if (buy == null)
        {
            return sell;
        }
        if (sell == null)
        {
            return buy;
        }
        return buy.orderId < sell.orderId ? buy : sell;
    }

    private void publishIndication(final Instrument instrument)
    {
        calculator.compute(instrument);
        if (calculator.price != instrument.indicativePrice || calculator.volume != instrument.indicativeQty ||
            calculator.imbalance != instrument.imbalanceQty || calculator.imbalanceSide != instrument.imbalanceSide)
        {
            writer.auctionIndication(instrument, calculator.price, calculator.volume, calculator.imbalance, calculator.imbalanceSide);
        }
    }
}
