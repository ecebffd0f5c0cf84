package dev.bourse.marketdata;

import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.Order;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives a matching engine with random commands of every kind the feed must express: limit orders
 * DAY/GTC/IOC/FOK/GTD, market orders, post-only, every STP mode, cancels, replaces that keep or lose
 * priority, mass cancels, halts and reopenings, day ends; and the trading day: calls and their
 * auctions, volatility interruptions, stop orders, icebergs (only their peak shows), GTD expiry,
 * auction-only orders. Targets are picked from the engine's state.
 */
final class RandomWorkload
{
    static final long TICK = Prices.SCALE / 100;
    static final long MID = 100 * Prices.SCALE;

    private final MatchingEngine engine;
    private final EngineState state;
    private final int instruments;
    private final int accounts;
    private final Random random;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final List<Long> candidates = new ArrayList<>();
    private long clock = 1_000_000;
    private long clOrdNumber;

    RandomWorkload(final MatchingEngine engine, final int instruments, final int accounts, final long seed)
    {
        this.engine = engine;
        this.state = engine.state();
        this.instruments = instruments;
        this.accounts = accounts;
        this.random = new Random(seed);
    }

    void setup()
    {
        for (int i = 1; i <= instruments; i++)
        {
            send(writer.addInstrument(command, 0, ++clock, i, "SYM" + i, TICK, 1, 1, 1_000_000, Long.MAX_VALUE / 4, MID,
                5_000, TradingStatus.OPEN));
            if (i % 3 == 0)
            {
                send(writer.setVolatilityGuards(command, 0, ++clock, i, 10, 200, 1_000_000_000L));
            }
        }
        final StpMode[] modes = {StpMode.NONE, StpMode.CANCEL_RESTING, StpMode.CANCEL_AGGRESSOR, StpMode.CANCEL_BOTH};
        for (long a = 1; a <= accounts; a++)
        {
            send(writer.createAccount(command, 0, ++clock, a, modes[(int)(a % modes.length)]));
            send(writer.deposit(command, 0, ++clock, a, 0, MatchingEngine.MAX_TOTAL / (2L * accounts), 0));
            for (int i = 1; i <= instruments; i++)
            {
                send(writer.deposit(command, 0, ++clock, a, i, MatchingEngine.MAX_TOTAL / (4L * accounts), 0));
            }
        }
    }

    void step()
    {
        final int k = random.nextInt(1000);
        final long account = 1 + random.nextInt(accounts);
        final int instrument = 1 + random.nextInt(instruments);
        final String clOrdId = "c" + (++clOrdNumber);
        if (k < 3)
        {
            send(writer.massCancel(command, 0, ++clock, 1, account, random.nextBoolean() ? 0 : instrument,
                random.nextBoolean() ? null : side(), false, CancelReason.MASS_CANCEL, clOrdId));
            return;
        }
        if (k < 5)
        {
            final TradingStatus status = state.instrument(instrument).status() == TradingStatusCodes.OPEN ?
                (random.nextBoolean() ? TradingStatus.HALTED : TradingStatus.CLOSED) : TradingStatus.OPEN;
            send(writer.setTradingStatus(command, 0, ++clock, instrument, status));
            return;
        }
        if (k < 6)
        {
            send(writer.endOfDay(command, 0, ++clock, instrument));
            return;
        }
        if (k < 14)
        {
            send(writer.setTradingPhase(command, 0, ++clock, instrument, nextPhase(state.instrument(instrument).phase()), null,
                random.nextInt(1_000)));
            return;
        }
        if (k < 16)
        {
            send(writer.expireOrders(command, 0, ++clock, clock + random.nextInt(2_000)));
            return;
        }
        if (k < 450 && !candidates.isEmpty())
        {
            final int pick = random.nextInt(candidates.size());
            final long orderId = candidates.get(pick);
            final Order order = state.order(orderId);
            if (order == null)
            {
                candidates.set(pick, candidates.get(candidates.size() - 1));
                candidates.remove(candidates.size() - 1);
                step();
                return;
            }
            if (k < 250)
            {
                send(writer.cancelOrder(command, 0, ++clock, 1, order.accountId(), orderId, clOrdId, ""));
                return;
            }
            final long price;
            final long quantity;
            if (k < 350)
            {
                // keeps priority: same price, quantity down (or equal)
                price = order.price();
                quantity = Math.max(order.cumQty() + 1, order.quantity() - random.nextInt(20));
            }
            else
            {
                price = limitPrice(order.side() == 1 ? Side.BUY : Side.SELL);
                quantity = order.cumQty() + 1 + random.nextInt(100);
            }
            send(writer.replaceOrder(command, 0, ++clock, 1, order.accountId(), orderId, price, quantity, clOrdId, ""));
            return;
        }
        final Side side = side();
        final OrdType type = k < 480 ? OrdType.MARKET : k < 520 ? OrdType.STOP : k < 560 ? OrdType.STOP_LIMIT : OrdType.LIMIT;
        TimeInForce tif;
        final int t = random.nextInt(20);
        tif = t < 6 ? TimeInForce.DAY : t < 13 ? TimeInForce.GTC : t < 15 ? TimeInForce.GTD : t < 18 ? TimeInForce.IOC : TimeInForce.FOK;
        final byte phase = state.instrument(instrument).phase();
        if (type == OrdType.LIMIT && (phase == 4 || phase == 5) && random.nextInt(4) == 0)
        {
            tif = phase == 4 ? TimeInForce.AT_THE_OPEN : TimeInForce.AT_THE_CLOSE;
        }
        final boolean postOnly = type == OrdType.LIMIT && (tif == TimeInForce.DAY || tif == TimeInForce.GTC) &&
            random.nextInt(10) == 0;
        final StpMode stp = random.nextInt(4) == 0 ? StpMode.values()[random.nextInt(5)] : StpMode.ACCOUNT_DEFAULT;
        final long before = state.lastOrderId();
        final long quantity = 1 + random.nextInt(200);
        final long last = state.instrument(instrument).lastTradePrice() > 0 ? state.instrument(instrument).lastTradePrice() : MID;
        final long stopPrice = type == OrdType.STOP || type == OrdType.STOP_LIMIT ?
            (side == Side.BUY ? last + TICK * (1 + random.nextInt(4)) : last - TICK * (1 + random.nextInt(4))) : 0;
        final long displayQty = type == OrdType.LIMIT && tif != TimeInForce.IOC && tif != TimeInForce.FOK && random.nextInt(6) == 0 ?
            1 + random.nextInt(20) : 0;
        send(writer.newOrder(command, 0, ++clock, 1, account, instrument, side, type, tif, postOnly, stp,
            type == OrdType.LIMIT || type == OrdType.STOP_LIMIT ? limitPrice(side) : 0, quantity, clOrdId, stopPrice, displayQty,
            tif == TimeInForce.GTD ? clock + 1 + random.nextInt(5_000) : 0));
        if (state.lastOrderId() != before && state.order(state.lastOrderId()) != null)
        {
            candidates.add(state.lastOrderId());
        }
    }

    /** Through the day: continuous into a call, a call to its auction, a halt or close back through a call. */
    private TradingPhase nextPhase(final byte phase)
    {
        final int k = random.nextInt(10);
        switch (phase)
        {
            case 1: return k < 5 ? TradingPhase.CLOSING_CALL : k < 8 ? TradingPhase.OPENING_CALL : TradingPhase.HALTED;
            case 4:
            case 6:
            case 7: return k < 8 ? TradingPhase.CONTINUOUS : TradingPhase.HALTED;
            case 5: return k < 5 ? TradingPhase.POST_CLOSE : TradingPhase.CONTINUOUS;
            case 2: return k < 7 ? TradingPhase.REOPENING_CALL : TradingPhase.CONTINUOUS;
            default: return k < 7 ? TradingPhase.OPENING_CALL : TradingPhase.CONTINUOUS;
        }
    }

    private Side side()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    private long limitPrice(final Side side)
    {
        final long offset = (random.nextInt(31) - 8) * TICK;
        return side == Side.BUY ? MID - offset : MID + offset;
    }

    /** Reopens every instrument, through its auction if it is in a call (so that a final check sees trading books). */
    void openAll()
    {
        for (int i = 1; i <= instruments; i++)
        {
            if (state.instrument(i).phase() != TradingPhase.CONTINUOUS.value())
            {
                send(writer.setTradingPhase(command, 0, ++clock, i, TradingPhase.CONTINUOUS, null, 0));
            }
        }
    }

    /** A resting order far from the market: produces one AddOrder. */
    void restingOrder(final int instrument)
    {
        send(writer.newOrder(command, 0, ++clock, 1, 1, instrument, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false,
            StpMode.NONE, MID / 2 + TICK * 7, 1, "r" + (++clOrdNumber)));
    }

    private void send(final int length)
    {
        if (length < 0)
        {
            throw new IllegalStateException("command did not encode");
        }
        engine.onCommand(command, 0, length);
        if (engine.isHalted())
        {
            throw new IllegalStateException("engine halted: " + engine.haltReason());
        }
    }

    private static final class TradingStatusCodes
    {
        static final byte OPEN = 1;
    }
}
