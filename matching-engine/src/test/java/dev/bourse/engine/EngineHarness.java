package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Drives a {@link MatchingEngine} directly (no ring) with readable helpers and returns each
 * command's events as text lines (see {@link EventText}). Prices in helpers are whole currency
 * units unless a method says "raw".
 */
public final class EngineHarness
{
    public final RecordingSink sink = new RecordingSink();
    public final EngineState state;
    public final MatchingEngine engine;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final EventText text = new EventText();
    private long clock = 1_000_000_000L;

    public EngineHarness()
    {
        this(new EngineConfig().maxInstruments(64).preallocatedOrders(1024).preallocatedLevels(256).expectedClOrdIdsPerDay(1024));
    }

    public EngineHarness(final EngineConfig config)
    {
        state = new EngineState(config);
        engine = new MatchingEngine(state, sink);
    }

    /** An engine carrying on from a given state (one read from a snapshot, say), its clock after the state's last command. */
    public EngineHarness(final EngineState restored)
    {
        state = restored;
        engine = new MatchingEngine(state, sink);
        clock = Math.max(clock, restored.lastTimestamp());
    }

    public static long px(final long units)
    {
        return units * Prices.SCALE;
    }

    /** Sends an already encoded command and returns its events. */
    public List<String> send(final UnsafeBuffer buffer, final int length)
    {
        final int before = sink.entries().size();
        engine.onCommand(buffer, 0, length);
        if (sink.entries().size() == before)
        {
            throw new IllegalStateException("no entry produced (engine halted: " + engine.haltReason() + ")");
        }
        final byte[] entry = sink.last();
        return text.events(new UnsafeBuffer(entry), 0, entry.length);
    }

    /** The header line of the last entry. */
    public String lastHeader()
    {
        return text.header();
    }

    private List<String> send(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("command did not encode");
        }
        return send(command, length);
    }

    private long tick()
    {
        return clock += 1_000;
    }

    // ------------------------------------------------------------------ setup

    /** Instrument with tick 0.01, lot 1, qty 1..1,000,000, max notional 10M, reference 100, band 50%. */
    public List<String> addInstrument(final int id, final String symbol)
    {
        return addInstrument(id, symbol, Prices.SCALE / 100, 1, 1, 1_000_000, px(10_000_000), px(100), 5_000);
    }

    public List<String> addInstrument(
        final int id, final String symbol, final long tick, final long lot, final long minQty, final long maxQty,
        final long maxNotional, final long referencePrice, final int bandBps)
    {
        return send(writer.addInstrument(command, 0, tick(), id, symbol, tick, lot, minQty, maxQty, maxNotional,
            referencePrice, bandBps, TradingStatus.OPEN));
    }

    public List<String> createAccount(final long account, final StpMode stp)
    {
        return send(writer.createAccount(command, 0, tick(), account, stp));
    }

    public List<String> depositCash(final long account, final long amount)
    {
        return send(writer.deposit(command, 0, tick(), account, 0, amount, 0));
    }

    public List<String> depositPosition(final long account, final int instrument, final long quantity)
    {
        return send(writer.deposit(command, 0, tick(), account, instrument, quantity, 0));
    }

    public List<String> withdrawCash(final long account, final long amount)
    {
        return send(writer.withdraw(command, 0, tick(), account, 0, amount, 0));
    }

    public List<String> withdrawPosition(final long account, final int instrument, final long quantity)
    {
        return send(writer.withdraw(command, 0, tick(), account, instrument, quantity, 0));
    }

    /** An account with STP off, plenty of cash and 1,000,000 units of each listed instrument. */
    public void fundedAccount(final long account, final int... instruments)
    {
        fundedAccount(account, StpMode.NONE, instruments);
    }

    public void fundedAccount(final long account, final StpMode stp, final int... instruments)
    {
        createAccount(account, stp);
        depositCash(account, px(1_000_000_000L));
        for (final int instrument : instruments)
        {
            depositPosition(account, instrument, 1_000_000);
        }
    }

    public List<String> setTradingStatus(final int instrument, final TradingStatus status)
    {
        return send(writer.setTradingStatus(command, 0, tick(), instrument, status));
    }

    public List<String> setReferencePrice(final int instrument, final long price)
    {
        return send(writer.setReferencePrice(command, 0, tick(), instrument, price));
    }

    public List<String> amendInstrument(
        final int instrument, final long tick, final long lot, final long minQty, final long maxQty, final long maxNotional,
        final long reference, final int bandBps)
    {
        return send(writer.amendInstrument(command, 0, tick(), instrument, tick, lot, minQty, maxQty, maxNotional, reference, bandBps));
    }

    /** One slice of a kill switch: an account's orders (session 0) or a session's (account 0), at most {@code limit}. */
    public List<String> killSwitchSlice(final long account, final int session, final int limit)
    {
        return send(writer.massCancel(command, 0, tick(), session, account, 0, null, session != 0, CancelReason.KILL_SWITCH, "", limit));
    }

    public List<String> setBlock(final long account, final int session, final boolean blocked, final boolean cancelOrders)
    {
        return send(writer.setBlock(command, 0, tick(), account, session, blocked, cancelOrders));
    }

    public List<String> endOfDay(final int instrument)
    {
        return send(writer.endOfDay(command, 0, tick(), instrument));
    }

    /** An EndOfDay guarded as a scheduler's catch-up sends it: refused if the day ended at or after {@code unlessEndedSince}. */
    public List<String> endOfDayUnlessEndedSince(final int instrument, final long unlessEndedSince)
    {
        return send(writer.endOfDay(command, 0, tick(), instrument, unlessEndedSince));
    }

    /** The command time the next command will carry. */
    public long nextTime()
    {
        return clock + 1_000;
    }

    public List<String> setTradingPhase(final int instrument, final TradingPhase phase)
    {
        return send(writer.setTradingPhase(command, 0, tick(), instrument, phase, null, 0));
    }

    public List<String> setTradingPhase(final int instrument, final TradingPhase phase, final TradingPhase expected, final long callEndDelay)
    {
        return send(writer.setTradingPhase(command, 0, tick(), instrument, phase, expected, callEndDelay));
    }

    public List<String> setVolatilityGuards(final int instrument, final int dynamicBps, final int staticBps, final long interruptionNanos)
    {
        return send(writer.setVolatilityGuards(command, 0, tick(), instrument, dynamicBps, staticBps, interruptionNanos));
    }

    /** An operator's audit record, as the admin API journals it before its action. */
    public List<String> operatorAudit(final dev.bourse.protocol.sbe.CommandType action)
    {
        return send(writer.operatorAudit(command, 0, tick(), "ops", action, 0, 0, 0));
    }

    public List<String> expireOrders(final long expireTime)
    {
        return send(writer.expireOrders(command, 0, tick(), expireTime));
    }

    /** The timestamp the next command will carry. */
    public long nextTimestamp()
    {
        return clock + 1_000;
    }

    // ------------------------------------------------------------------ orders

    public List<String> newOrder(
        final long account, final int instrument, final Side side, final OrdType type, final TimeInForce tif,
        final boolean postOnly, final StpMode stp, final long price, final long quantity, final String clOrdId)
    {
        return send(writer.newOrder(command, 0, tick(), 7, account, instrument, side, type, tif, postOnly, stp, price,
            quantity, clOrdId));
    }

    /** Any order, with the stop price, iceberg peak and GTD expire time the new types need (0 where unused). */
    public List<String> order(
        final long account, final int instrument, final Side side, final OrdType type, final TimeInForce tif, final long price,
        final long quantity, final String clOrdId, final long stopPrice, final long displayQty, final long expireTime)
    {
        return send(writer.newOrder(command, 0, tick(), 7, account, instrument, side, type, tif, false, StpMode.ACCOUNT_DEFAULT,
            price, quantity, clOrdId, stopPrice, displayQty, expireTime));
    }

    public List<String> stop(
        final long account, final int instrument, final Side side, final long stopPrice, final long quantity, final String clOrdId)
    {
        return order(account, instrument, side, OrdType.STOP, TimeInForce.DAY, 0, quantity, clOrdId, stopPrice, 0, 0);
    }

    public List<String> stopLimit(
        final long account, final int instrument, final Side side, final long stopPrice, final long price, final long quantity,
        final String clOrdId)
    {
        return order(account, instrument, side, OrdType.STOP_LIMIT, TimeInForce.DAY, price, quantity, clOrdId, stopPrice, 0, 0);
    }

    public List<String> iceberg(
        final long account, final int instrument, final Side side, final long price, final long quantity, final long displayQty,
        final String clOrdId)
    {
        return order(account, instrument, side, OrdType.LIMIT, TimeInForce.GTC, price, quantity, clOrdId, 0, displayQty, 0);
    }

    public List<String> limit(
        final long account, final int instrument, final Side side, final TimeInForce tif, final long price,
        final long quantity, final String clOrdId)
    {
        return newOrder(account, instrument, side, OrdType.LIMIT, tif, false, StpMode.ACCOUNT_DEFAULT, price, quantity, clOrdId);
    }

    /** A GTC limit order marked a resend (its FIX message was PossResend or PossDupFlag). */
    public List<String> resentLimit(
        final long account, final int instrument, final Side side, final long price, final long quantity, final String clOrdId)
    {
        final int length = writer.newOrder(command, 0, tick(), 7, account, instrument, side, OrdType.LIMIT, TimeInForce.GTC, false,
            StpMode.ACCOUNT_DEFAULT, price, quantity, clOrdId);
        CommandWriter.markPossResend(command, 0);
        return send(length);
    }

    public List<String> buy(final long account, final int instrument, final long price, final long quantity, final String clOrdId)
    {
        return limit(account, instrument, Side.BUY, TimeInForce.GTC, price, quantity, clOrdId);
    }

    public List<String> sell(final long account, final int instrument, final long price, final long quantity, final String clOrdId)
    {
        return limit(account, instrument, Side.SELL, TimeInForce.GTC, price, quantity, clOrdId);
    }

    public List<String> market(final long account, final int instrument, final Side side, final long quantity, final String clOrdId)
    {
        return newOrder(account, instrument, side, OrdType.MARKET, TimeInForce.IOC, false, StpMode.ACCOUNT_DEFAULT, 0, quantity, clOrdId);
    }

    public List<String> cancel(final long account, final long orderId, final String clOrdId, final String origClOrdId)
    {
        return send(writer.cancelOrder(command, 0, tick(), 7, account, orderId, clOrdId, origClOrdId));
    }

    public List<String> replace(
        final long account, final long orderId, final long price, final long quantity, final String clOrdId, final String origClOrdId)
    {
        return send(writer.replaceOrder(command, 0, tick(), 7, account, orderId, price, quantity, clOrdId, origClOrdId));
    }

    /** A replace naming a TimeInForce, as a FIX replace carrying TimeInForce (59) does. */
    public List<String> replaceNamingTimeInForce(
        final long account, final long orderId, final long price, final long quantity, final String clOrdId, final TimeInForce tif)
    {
        return send(writer.replaceOrder(command, 0, tick(), 7, account, orderId, price, quantity, clOrdId, "", 0, 0, 0, 0, tif,
            CommandWriter.NOT_NAMED, CommandWriter.NOT_NAMED, BooleanType.NULL_VAL));
    }

    /** A replace naming the settings a replace keeps, as a FIX replace carrying MaxFloor, ExpireTime or ExecInst does. */
    public List<String> replaceNamingSettings(
        final long account, final long orderId, final long price, final long quantity, final String clOrdId,
        final long displayQty, final long expireTime, final BooleanType postOnly)
    {
        return send(writer.replaceOrder(command, 0, tick(), 7, account, orderId, price, quantity, clOrdId, "", 0, 0, 0, 0,
            TimeInForce.NULL_VAL, displayQty, expireTime, postOnly));
    }

    public List<String> replaceStop(
        final long account, final long orderId, final long price, final long quantity, final long stopPrice, final String clOrdId)
    {
        return send(writer.replaceOrder(command, 0, tick(), 7, account, orderId, price, quantity, clOrdId, "", stopPrice));
    }

    public List<String> massCancel(final long account, final int instrument, final Side side, final String clOrdId)
    {
        return send(writer.massCancel(command, 0, tick(), 7, account, instrument, side, false, CancelReason.MASS_CANCEL, clOrdId));
    }

    /** One slice of a client's mass cancel: at most {@code limit} orders with an OrderID up to {@code upTo} (0: the newest). */
    public List<String> massCancelSlice(final long account, final String clOrdId, final int limit, final long upTo)
    {
        return send(writer.massCancel(command, 0, tick(), 7, account, 0, null, false, CancelReason.MASS_CANCEL, clOrdId, limit, upTo));
    }

    /** A status request naming an instrument and side (0: none), as a FIX OrderStatusRequest does. */
    public List<String> orderStatus(final long account, final long orderId, final String clOrdId, final int instrument, final Side side)
    {
        return send(writer.orderStatus(command, 0, tick(), 7, account, orderId, clOrdId, instrument, side.value()));
    }

    public List<String> orderStatus(final long account, final long orderId, final String clOrdId)
    {
        return send(writer.orderStatus(command, 0, tick(), 7, account, orderId, clOrdId));
    }

    /** Replays every entry so far into a fresh state and returns it. */
    public EngineState replay()
    {
        final EngineState replayed = new EngineState(state.config());
        final EngineReplayer replayer = new EngineReplayer(replayed);
        for (final byte[] entry : sink.entries())
        {
            replayer.apply(new UnsafeBuffer(entry), 0, entry.length);
        }
        return replayed;
    }
}
