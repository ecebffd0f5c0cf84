package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.MutableDirectBuffer;

/**
 * An allocation-free generator of whole trading days on a few instruments, for the allocation
 * test of the paths that {@link SteadyStateLoad} does not take: a closing call that collects a
 * crossed book (icebergs, stops) and ends in an auction, volatility interruptions (tight guards)
 * ended by the "scheduler", stops and stop-limits near the last price, icebergs, GTD orders
 * expired by periodic ExpireOrders, cancels and replaces. It reads the engine's state only through
 * its public getters, to aim at phases and live orders.
 */
public final class TradingDayLoad
{
    public static final int INSTRUMENTS = 2;
    public static final int ACCOUNTS = 32;
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final int DAY = 4_000;
    private static final int CALL = 800;

    private final EngineState state;
    private final CommandWriter writer = new CommandWriter();
    private final StringBuilder clOrdId = new StringBuilder(24);
    private final long[] recentOrderIds = new long[1024];
    private final long[] recentAccounts = new long[1024];
    private int recentCount;
    private long nextClOrdNumber = 1;
    private long seed;
    private long timestamp = 1;
    private long step;
    private int interruptedFor;

    public TradingDayLoad(final EngineState state, final long seed)
    {
        this.state = state;
        this.seed = seed | 1;
    }

    private int random(final int bound)
    {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int)((seed >>> 33) % bound);
    }

    /** Setup commands: instruments with tight volatility guards, funded accounts. Call until it returns 0. */
    public int setup(final int i, final MutableDirectBuffer buffer)
    {
        if (i < INSTRUMENTS)
        {
            return writer.addInstrument(buffer, 0, timestamp++, i + 1, "D" + (i + 1), TICK, 1, 1, 1_000_000, Long.MAX_VALUE / 4,
                MID, 5_000, TradingStatus.OPEN);
        }
        if (i < 2 * INSTRUMENTS)
        {
            return writer.setVolatilityGuards(buffer, 0, timestamp++, i - INSTRUMENTS + 1, 15, 300, 1);
        }
        final int a = i - 2 * INSTRUMENTS;
        final int perAccount = 2 + INSTRUMENTS;
        if (a >= ACCOUNTS * perAccount)
        {
            return 0;
        }
        final long account = a / perAccount + 1;
        final int part = a % perAccount;
        if (part == 0)
        {
            return writer.createAccount(buffer, 0, timestamp++, account, account % 4 == 0 ? StpMode.CANCEL_RESTING : StpMode.NONE);
        }
        if (part == 1)
        {
            return writer.deposit(buffer, 0, timestamp++, account, 0, MatchingEngine.MAX_TOTAL / (2 * ACCOUNTS), 0);
        }
        return writer.deposit(buffer, 0, timestamp++, account, part - 1, MatchingEngine.MAX_TOTAL / (4 * ACCOUNTS), 0);
    }

    /** The next command of the day. */
    public int next(final MutableDirectBuffer buffer)
    {
        step++;
        final int instrument = 1 + (int)(step % INSTRUMENTS);
        final Instrument view = state.instrument(instrument);
        final long inDay = (step / INSTRUMENTS) % DAY;
        timestamp += 1_000;
        if (view.phase() == TradingPhase.VOLATILITY_CALL.value() && ++interruptedFor > 20)
        {
            interruptedFor = 0;
            return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CONTINUOUS, TradingPhase.VOLATILITY_CALL, 0);
        }
        // the day: a closing call, its auction into the post-close, the day's end, an opening call, its auction
        final byte phase = view.phase();
        if (inDay == DAY - CALL && phase == TradingPhase.CONTINUOUS.value())
        {
            return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CLOSING_CALL, TradingPhase.CONTINUOUS, 0);
        }
        if (inDay == 0 && phase == TradingPhase.CLOSING_CALL.value())
        {
            return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.POST_CLOSE, TradingPhase.CLOSING_CALL, random(1_000));
        }
        if (inDay == 1)
        {
            return writer.endOfDay(buffer, 0, timestamp, instrument);
        }
        if (inDay == 2 && phase != TradingPhase.CONTINUOUS.value() && phase != TradingPhase.OPENING_CALL.value())
        {
            return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.OPENING_CALL, null, 0);
        }
        if (inDay == CALL / 2 && phase != TradingPhase.CONTINUOUS.value())
        {
            return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CONTINUOUS, null, random(1_000));
        }
        if (step % 150 == 0)
        {
            return writer.expireOrders(buffer, 0, timestamp, timestamp);
        }
        final long account = 1 + random(ACCOUNTS);
        final Side side = random(2) == 0 ? Side.BUY : Side.SELL;
        final int k = random(100);
        if (recentCount > 0 && (k < 25 || state.liveOrders() > 3_000) && state.liveOrders() > 50)
        {
            final int pick = random(Math.min(recentCount, recentOrderIds.length));
            setClOrdId();
            final Order order = state.order(recentOrderIds[pick]);
            if (order == null || k < 12)
            {
                return writer.cancelOrder(buffer, 0, timestamp, 1, recentAccounts[pick], recentOrderIds[pick], clOrdId, "");
            }
            final long price = order.isHeldStop() && order.ordType() == OrdType.STOP.value() ? 0 : order.price() + TICK * (random(5) - 2);
            return writer.replaceOrder(buffer, 0, timestamp, 1, order.accountId(), order.orderId(), price,
                order.cumQty() + 1 + random(50), clOrdId, "", 0);
        }
        final long offset = (random(31) - 12) * TICK;
        final long price = side == Side.BUY ? MID + (view.phase() == TradingPhase.CLOSING_CALL.value() ? 4 * TICK : 0) - offset :
            MID + offset;
        final long quantity = 1 + random(60);
        setClOrdId();
        final int slot = recentCount++ & (recentOrderIds.length - 1);
        recentOrderIds[slot] = state.lastOrderId() + 1;
        recentAccounts[slot] = account;
        final boolean call = view.inCall();
        if (k < 33 && !call)
        {
            // a stop near the last price, on the far side, so the market reaches it now and then
            final long last = view.lastTradePrice() > 0 ? view.lastTradePrice() : MID;
            final long stop = side == Side.BUY ? last + TICK * (1 + random(6)) : last - TICK * (1 + random(6));
            final boolean limit = random(2) == 0;
            return writer.newOrder(buffer, 0, timestamp, 1, account, instrument, side, limit ? OrdType.STOP_LIMIT : OrdType.STOP,
                TimeInForce.DAY, false, StpMode.ACCOUNT_DEFAULT, limit ? stop + (side == Side.BUY ? 2 * TICK : -2 * TICK) : 0,
                quantity, clOrdId, stop, 0, 0);
        }
        if (k < 40 && !call)
        {
            return writer.newOrder(buffer, 0, timestamp, 1, account, instrument, side, k < 37 ? OrdType.LIMIT : OrdType.MARKET,
                TimeInForce.IOC, false, StpMode.ACCOUNT_DEFAULT, side == Side.BUY ? MID + 10 * TICK : MID - 10 * TICK,
                quantity, clOrdId);
        }
        final boolean gtd = k > 90;
        final long display = k < 55 ? 1 + random((int)quantity) : 0;
        return writer.newOrder(buffer, 0, timestamp, 1, account, instrument, side, OrdType.LIMIT, gtd ? TimeInForce.GTD : TimeInForce.GTC,
            false, StpMode.ACCOUNT_DEFAULT, price, quantity, clOrdId, 0, display, gtd ? timestamp + 1 + random(100_000) : 0);
    }

    private void setClOrdId()
    {
        clOrdId.setLength(0);
        clOrdId.append('d').append(nextClOrdNumber++);
    }
}
