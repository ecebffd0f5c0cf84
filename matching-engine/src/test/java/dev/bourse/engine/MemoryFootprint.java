package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Run in a child JVM with a fixed heap by {@link MemoryFootprintTest}: fills an engine with
 * {@code orders} resting orders over {@code instruments} instruments and prints the retained heap.
 * With a third argument {@code ioc} the orders are immediate-or-cancel and rest nowhere: what they
 * leave behind is the day's ClOrdIDs. Exits non-zero (OutOfMemoryError) if they do not fit.
 */
public final class MemoryFootprint
{
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final int ACCOUNTS = 10;

    private MemoryFootprint()
    {
    }

    public static void main(final String[] args)
    {
        final int instruments = Integer.parseInt(args[0]);
        final int orders = Integer.parseInt(args[1]);
        final boolean ioc = args.length > 2 && "ioc".equals(args[2]);
        final EngineConfig config = ioc
            ? new EngineConfig().maxInstruments(instruments + 1).maxClOrdIdsPerDay(orders + 1)
            : new EngineConfig()
            .maxInstruments(instruments + 1)
            .maxLiveOrders(orders + 1)
            .expectedClOrdIdsPerDay(orders + 1024);
        final EngineState state = new EngineState(config);
        final long[] rejects = new long[1];
        final MatchingEngine engine = new MatchingEngine(state, new EventSink()
        {
            @Override
            public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
            {
                return true;
            }
        }, new EngineListener()
        {
            @Override
            public void onCommand(final int commandType, final int rejectReason)
            {
                if (rejectReason != 0)
                {
                    rejects[0]++;
                }
            }
        });
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        long timestamp = 1;
        for (int i = 1; i <= instruments; i++)
        {
            engine.onCommand(command, 0, writer.addInstrument(command, 0, timestamp++, i, "S" + i, TICK, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, MID, 5_000, TradingStatus.OPEN));
        }
        for (long account = 1; account <= ACCOUNTS; account++)
        {
            engine.onCommand(command, 0, writer.createAccount(command, 0, timestamp++, account, StpMode.NONE));
            engine.onCommand(command, 0, writer.deposit(command, 0, timestamp++, account, 0, MatchingEngine.MAX_TOTAL / (2 * ACCOUNTS), 0));
            for (int i = 1; i <= instruments; i++)
            {
                engine.onCommand(command, 0, writer.deposit(command, 0, timestamp++, account, i, 1_000_000_000L, 0));
            }
        }
        // Bids below the mid and offers above it, a few orders per level, so nothing trades.
        final StringBuilder clOrdId = new StringBuilder(20);
        for (int n = 0; n < orders; n++)
        {
            final int instrument = n % instruments + 1;
            final int k = n / instruments;
            final boolean buy = (k & 1) == 0;
            final long away = ioc ? 1 : 1 + k / 8;
            final long price = buy ? MID - away * TICK : MID + away * TICK;
            clOrdId.setLength(0);
            clOrdId.append('m').append(n);
            engine.onCommand(command, 0, writer.newOrder(command, 0, timestamp++, 1, n % ACCOUNTS + 1, instrument,
                buy ? Side.BUY : Side.SELL, OrdType.LIMIT, ioc ? TimeInForce.IOC : TimeInForce.GTC, false, StpMode.ACCOUNT_DEFAULT, price, 10,
                clOrdId));
        }
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        final Runtime runtime = Runtime.getRuntime();
        final long used = runtime.totalMemory() - runtime.freeMemory();
        System.out.println("liveOrders=" + state.liveOrders() + " clOrdIds=" + state.clOrdIds.size() + " rejects=" + rejects[0] +
            " usedHeapMiB=" + (used >> 20) +
            " maxHeapMiB=" + (runtime.maxMemory() >> 20));
    }
}
