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
 * DAY/GTC/IOC/FOK, market orders, post-only, every STP mode, cancels, replaces that keep or lose
 * priority, mass cancels, halts and reopenings, day ends. Targets are picked from the engine's state.
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
        }
        final StpMode[] modes = {StpMode.NONE, StpMode.CANCEL_RESTING, StpMode.CANCEL_AGGRESSOR, StpMode.CANCEL_BOTH};
        for (long a = 1; a <= accounts; a++)
        {
            send(writer.createAccount(command, 0, ++clock, a, modes[(int)(a % modes.length)]));
            send(writer.deposit(command, 0, ++clock, a, 0, MatchingEngine.MAX_BALANCE / 2, 0));
            for (int i = 1; i <= instruments; i++)
            {
                send(writer.deposit(command, 0, ++clock, a, i, MatchingEngine.MAX_BALANCE / 4, 0));
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
        final OrdType type = k < 480 ? OrdType.MARKET : OrdType.LIMIT;
        final TimeInForce tif;
        final int t = random.nextInt(10);
        tif = t < 3 ? TimeInForce.DAY : t < 7 ? TimeInForce.GTC : t < 9 ? TimeInForce.IOC : TimeInForce.FOK;
        final boolean postOnly = type == OrdType.LIMIT && (tif == TimeInForce.DAY || tif == TimeInForce.GTC) &&
            random.nextInt(10) == 0;
        final StpMode stp = random.nextInt(4) == 0 ? StpMode.values()[random.nextInt(5)] : StpMode.ACCOUNT_DEFAULT;
        final long before = state.lastOrderId();
        send(writer.newOrder(command, 0, ++clock, 1, account, instrument, side, type, tif, postOnly, stp,
            type == OrdType.LIMIT ? limitPrice(side) : 0, 1 + random.nextInt(200), clOrdId));
        if (state.lastOrderId() != before && state.order(state.lastOrderId()) != null)
        {
            candidates.add(state.lastOrderId());
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

    /** Reopens every instrument (so that a final check sees trading books). */
    void openAll()
    {
        for (int i = 1; i <= instruments; i++)
        {
            if (state.instrument(i).status() != TradingStatusCodes.OPEN)
            {
                send(writer.setTradingStatus(command, 0, ++clock, i, TradingStatus.OPEN));
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
