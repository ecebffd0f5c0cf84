package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.MutableDirectBuffer;

/**
 * Generates a steady matching load without allocating: resting limit orders near a mid, IOC
 * sweeps, market orders, cancels and price moves of recent orders, a few self-trades under STP.
 * It looks at the engine's state only to pick live targets, so it can run on the engine thread
 * (or feed a ring from one producer while the engine runs, picking targets by id only).
 */
public final class SteadyStateLoad
{
    public static final int INSTRUMENTS = 4;
    public static final int ACCOUNTS = 64;
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;

    private final CommandWriter writer = new CommandWriter();
    private final StringBuilder clOrdId = new StringBuilder(24);
    private final StringBuilder origClOrdId = new StringBuilder(24);
    private final long[] recentOrderIds = new long[4096];
    private final long[] recentClOrdNumbers = new long[4096];
    private final long[] recentAccounts = new long[4096];
    private int recentCount;
    private long nextClOrdNumber = 1;
    private long nextPredictedOrderId = 1;
    private long seed;
    private long timestamp = 1;

    public SteadyStateLoad(final long seed)
    {
        this.seed = seed | 1;
    }

    private int random(final int bound)
    {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int)((seed >>> 33) % bound);
    }

    /** Setup commands: instruments, accounts (some with STP), cash and positions. Call until it returns 0. */
    public int setup(final int step, final MutableDirectBuffer buffer)
    {
        if (step < INSTRUMENTS)
        {
            return writer.addInstrument(buffer, 0, timestamp++, step + 1, "I" + (step + 1), TICK, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, MID, 5_000, TradingStatus.OPEN);
        }
        final int accountStep = step - INSTRUMENTS;
        final int perAccount = 2 + INSTRUMENTS;
        if (accountStep >= ACCOUNTS * perAccount)
        {
            return 0;
        }
        final long account = accountStep / perAccount + 1;
        final int part = accountStep % perAccount;
        if (part == 0)
        {
            return writer.createAccount(buffer, 0, timestamp++, account, account % 8 == 0 ? StpMode.CANCEL_RESTING : StpMode.NONE);
        }
        if (part == 1)
        {
            return writer.deposit(buffer, 0, timestamp++, account, 0, MatchingEngine.MAX_TOTAL / (2 * ACCOUNTS), 0);
        }
        return writer.deposit(buffer, 0, timestamp++, account, part - 1, MatchingEngine.MAX_TOTAL / (2 * ACCOUNTS), 0);
    }

    /**
     * Encodes the next trading command.
     *
     * @param liveOrders the engine's live order count, to keep the book from growing without bound.
     */
    public int next(final MutableDirectBuffer buffer, final long liveOrders)
    {
        final long account = random(ACCOUNTS) + 1;
        final int instrument = random(INSTRUMENTS) + 1;
        final Side side = random(2) == 0 ? Side.BUY : Side.SELL;
        final int k = random(100);
        if (recentCount > 0 && (k >= 60 || liveOrders > 3_000))
        {
            final int pick = random(Math.min(recentCount, recentOrderIds.length));
            origClOrdId.setLength(0);
            origClOrdId.append('c').append(recentClOrdNumbers[pick]);
            final long clNumber = nextClOrdNumber++;
            setClOrdId(clNumber);
            if (k < 75 || liveOrders > 3_000)
            {
                return writer.cancelOrder(buffer, 0, timestamp++, 1, recentAccounts[pick], recentOrderIds[pick], clOrdId, origClOrdId);
            }
            recentClOrdNumbers[pick] = clNumber;
            final long price = MID + (random(41) - 20) * TICK;
            return writer.replaceOrder(buffer, 0, timestamp++, 1, recentAccounts[pick], recentOrderIds[pick], price,
                1 + random(100), clOrdId, origClOrdId);
        }
        final long clNumber = nextClOrdNumber++;
        setClOrdId(clNumber);
        final int slot = recentCount++ & (recentOrderIds.length - 1);
        recentOrderIds[slot] = nextPredictedOrderId++;
        recentClOrdNumbers[slot] = clNumber;
        recentAccounts[slot] = account;
        if (k < 3)
        {
            return writer.newOrder(buffer, 0, timestamp++, 1, account, instrument, side, OrdType.MARKET, TimeInForce.IOC,
                false, StpMode.ACCOUNT_DEFAULT, 0, 1 + random(50), clOrdId);
        }
        final boolean ioc = k < 15;
        final long offset = (random(21) - (ioc ? 5 : 15)) * TICK;
        final long price = side == Side.BUY ? MID + offset : MID - offset;
        return writer.newOrder(buffer, 0, timestamp++, 1, account, instrument, side, OrdType.LIMIT,
            ioc ? TimeInForce.IOC : TimeInForce.GTC, false, StpMode.ACCOUNT_DEFAULT, price, 1 + random(100), clOrdId);
    }

    /** Continues after a restart: fresh ClOrdIDs from {@code nextClOrdNumber}, order ids after {@code lastOrderId}. */
    public void continueFrom(final long nextClOrdNumber, final long lastOrderId, final long timestamp)
    {
        this.nextClOrdNumber = nextClOrdNumber;
        this.nextPredictedOrderId = lastOrderId + 1;
        this.timestamp = timestamp;
    }

    /** Keeps the predicted order ids in step with the engine (rejected new orders take no id). */
    public void syncOrderIds(final long lastOrderId)
    {
        nextPredictedOrderId = lastOrderId + 1;
    }

    private void setClOrdId(final long number)
    {
        clOrdId.setLength(0);
        clOrdId.append('c').append(number);
    }
}
