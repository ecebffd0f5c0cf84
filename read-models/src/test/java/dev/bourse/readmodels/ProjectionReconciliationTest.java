package dev.bourse.readmodels;

import dev.bourse.engine.Account;
import dev.bourse.engine.BookSide;
import dev.bourse.engine.Instrument;
import dev.bourse.engine.PriceLevel;
import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import dev.bourse.readmodels.history.HistoryStore;
import dev.bourse.readmodels.history.HistoryTestSupport;
import dev.bourse.readmodels.history.StoreSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The projections against independent computations over random workloads: balances, holds and
 * positions against the engine's own accounts; depth and open orders against the engine's books;
 * candles, daily statistics and VWAP recomputed from the journal's trades (the hot projections'
 * current candles, and every candle of the history store); average cost and realized P&amp;L
 * recomputed with BigInteger arithmetic.
 */
class ProjectionReconciliationTest
{
    @ParameterizedTest
    @ValueSource(longs = {1, 42, 20240601})
    void projectionsReconcileWithTheEngineAndWithARecomputation(final long seed, @TempDir final Path dir) throws Exception
    {
        final Workload workload = new Workload(seed).run(25_000);
        final ReadModels models = workload.project();

        assertEquals(workload.journal.size() - 1, models.position());
        assertEquals(workload.state.lastSequence(), models.sequence());
        assertEquals(0, models.malformedSkipped());
        assertTrue(workload.state.lastTradeId() > 1_000, "the workload should trade");

        accountsMatchTheEngine(workload, models);
        booksMatchTheEngine(workload, models);
        openOrdersMatchTheEngine(workload, models);

        final Recomputation recomputed = new Recomputation();
        final JournalEntryReader reader = new JournalEntryReader();
        try (JournalTailer tailer = workload.journal.tailer())
        {
            while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, recomputed), 1_000) > 0)
            {
            }
        }
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            HistoryTestSupport.writeAll(store, workload.journal);
            candlesMatchTheTrades(models, store, recomputed);
        }
        costAndPnlMatch(models, recomputed);
    }

    private static void accountsMatchTheEngine(final Workload workload, final ReadModels models)
    {
        for (long id = 1; id <= SteadyStateLoad.ACCOUNTS; id++)
        {
            final Account engine = workload.state.account(id);
            final AccountView view = models.findAccount(id);
            assertNotNull(view, "account " + id);
            assertEquals(engine.cash(), view.cash(), "cash of " + id);
            assertEquals(engine.cashHeld(), view.cashHeld(), "cash held by " + id);
            for (int instrument = 1; instrument <= SteadyStateLoad.INSTRUMENTS; instrument++)
            {
                final PositionView position = view.positions().get(instrument);
                assertEquals(engine.positionQuantity(instrument), position == null ? 0 : position.quantity(),
                    "position of " + id + " in " + instrument);
                assertEquals(engine.positionHeld(instrument), position == null ? 0 : position.held(),
                    "held position of " + id + " in " + instrument);
            }
        }
    }

    private static void booksMatchTheEngine(final Workload workload, final ReadModels models)
    {
        for (int id = 1; id <= SteadyStateLoad.INSTRUMENTS; id++)
        {
            final Instrument instrument = workload.state.instrument(id);
            final MarketView market = models.findMarket(id);
            assertEquals(instrument.symbol(), market.symbol());
            assertEquals(levels(instrument.bids()), levels(market.bids()), "bids of " + id);
            assertEquals(levels(instrument.asks()), levels(market.asks()), "asks of " + id);
        }
    }

    private static List<String> levels(final BookSide side)
    {
        final List<String> levels = new ArrayList<>();
        for (int rank = 0; rank < side.size(); rank++)
        {
            final PriceLevel level = side.level(rank);
            levels.add(level.price() + " x " + level.totalQty() + " (" + level.orderCount() + ")");
        }
        return levels;
    }

    private static List<String> levels(final DepthSide side)
    {
        final List<String> levels = new ArrayList<>();
        for (int rank = 0; rank < side.size(); rank++)
        {
            levels.add(side.price(rank) + " x " + side.quantity(rank) + " (" + side.orders(rank) + ")");
        }
        return levels;
    }

    private static void openOrdersMatchTheEngine(final Workload workload, final ReadModels models)
    {
        long open = 0;
        for (final AccountView account : models.accounts().values())
        {
            for (final OrderRecord order : account.openOrders())
            {
                final dev.bourse.engine.Order live = workload.state.order(order.orderId());
                assertNotNull(live, "order " + order.orderId() + " is open in the read model but not live in the engine");
                assertEquals(live.leavesQty(), order.leavesQty());
                assertEquals(live.price(), order.price());
                assertEquals(live.cumQty(), order.cumQty());
                assertEquals(order.leavesQty(), models.order(order.orderId()).leavesQty(), "the same order by its OrderID");
                open++;
            }
        }
        assertEquals(workload.state.liveOrders(), open);
        assertEquals(workload.state.liveOrders(), models.liveOrders(), "the hot projections keep live orders only");
    }

    private static void candlesMatchTheTrades(final ReadModels models, final HistoryStore store, final Recomputation recomputed)
        throws SQLException
    {
        final long[] seconds = {1, 60, 3_600, 86_400};
        try (Connection connection = store.readerConnection())
        {
            for (int id = 1; id <= SteadyStateLoad.INSTRUMENTS; id++)
            {
                final MarketView market = models.findMarket(id);
                final List<long[]> trades = recomputed.trades.getOrDefault(id, List.of());
                assertEquals(trades.size(), market.tradeCount());
                for (int i = 0; i < MarketView.INTERVALS.length; i++)
                {
                    final long interval = MarketView.INTERVALS[i];
                    final TreeMap<Long, long[]> expected = new TreeMap<>();
                    for (final long[] t : trades) // t = {timestamp, price, quantity}
                    {
                        final long start = t[0] - Math.floorMod(t[0], interval);
                        final long[] c = expected.computeIfAbsent(start, s -> new long[]{t[1], t[1], t[1], 0, 0, 0, 0});
                        c[1] = Math.max(c[1], t[1]);
                        c[2] = Math.min(c[2], t[1]);
                        c[3] = t[1];
                        c[4] += t[2];
                        c[5] += t[1] * t[2];
                        c[6]++;
                    }
                    // The hot projections hold the current candle of each interval ...
                    final Candle current = market.candle(i);
                    assertEquals(expected.lastKey(), current.start());
                    assertArrayEquals(expected.lastEntry().getValue(), new long[]{current.open(), current.high(), current.low(),
                        current.close(), current.volume(), current.notional(), current.count()});
                    // VWAP from the sums, independently: rounded half up, as FIX AvgPx
                    final long[] last = expected.lastEntry().getValue();
                    assertEquals(new java.math.BigDecimal(last[5]).divide(new java.math.BigDecimal(last[4]), 0,
                        java.math.RoundingMode.HALF_UP).longValueExact(), current.vwap());

                    // ... and the history store every candle.
                    final TreeMap<Long, long[]> stored = new TreeMap<>();
                    // (the daily candle is the trading day's summary row: the workload is one trading day within one UTC date)
                    try (PreparedStatement s = connection.prepareStatement(seconds[i] == 86_400 ?
                        "SELECT t.trade_date * 86400000000000, d.open_price, d.high_price, d.low_price, d.close_price, d.volume, " +
                        "d.notional, d.trade_count FROM daily_summary d JOIN trading_days t ON t.trading_day = d.trading_day " +
                        "WHERE d.instrument_id = ? AND d.trade_count > 0 AND ? = 86400" :
                        "SELECT start_nanos, open_price, high_price, low_price, " +
                        "close_price, volume, notional, trade_count FROM candles WHERE instrument_id = ? AND interval_seconds = ?"))
                    {
                        s.setInt(1, id);
                        s.setLong(2, seconds[i]);
                        try (ResultSet rs = s.executeQuery())
                        {
                            while (rs.next())
                            {
                                stored.put(rs.getLong(1), new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                    rs.getLong(6), rs.getLong(7), rs.getLong(8)});
                            }
                        }
                    }
                    assertEquals(expected.keySet(), stored.keySet(), MarketView.INTERVAL_NAMES[i] + " candles of " + id);
                    expected.forEach((start, c) -> assertArrayEquals(c, stored.get(start), "candle at " + start));
                }
                assertEquals(trades.get(trades.size() - 1)[1], market.today().close(), "last price");
            }
            connection.rollback();
        }
    }

    private static void costAndPnlMatch(final ReadModels models, final Recomputation recomputed)
    {
        int checked = 0;
        for (final Map.Entry<String, BigInteger[]> e : recomputed.positions.entrySet())
        {
            final String[] key = e.getKey().split("/");
            final PositionView position = models.findAccount(Long.parseLong(key[0])).positions().get(Integer.parseInt(key[1]));
            assertEquals(e.getValue()[0].longValueExact(), position.quantity(), "quantity " + e.getKey());
            final BigInteger average = e.getValue()[0].signum() == 0 ? BigInteger.ZERO
                : Recomputation.halfUp(e.getValue()[1], e.getValue()[0]);
            assertEquals(average.longValueExact(), position.averageCost(), "average cost, rounded half up " + e.getKey());
            assertEquals(e.getValue()[2].longValueExact(), position.realizedPnl(), "realized P&L " + e.getKey());
            checked++;
        }
        assertTrue(checked > 100);
    }

    /** Trades and average-cost positions recomputed straight from the journal, with BigInteger. */
    private static final class Recomputation implements JournalEventListener
    {
        final Map<Integer, List<long[]>> trades = new HashMap<>();
        /** account/instrument -> {quantity, exact cost, realized P&L}. */
        final Map<String, BigInteger[]> positions = new TreeMap<>();
        final Map<Integer, Long> reference = new HashMap<>();
        final Map<Long, Long> orderAccount = new HashMap<>();
        private long timestamp;

        @Override
        public void onEntryStart(final EntryHeaderDecoder header)
        {
            timestamp = header.timestamp();
        }

        @Override
        public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
        {
            reference.put(event.instrumentId(), event.referencePrice());
        }

        @Override
        public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder event)
        {
            reference.put(event.instrumentId(), event.referencePrice());
        }

        @Override
        public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
        {
            reference.put(event.instrumentId(), event.referencePrice());
        }

        @Override
        public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
        {
            trades.computeIfAbsent(event.instrumentId(), i -> new ArrayList<>()).add(new long[]{timestamp, event.price(), event.quantity()});
            final boolean takerBuys = event.takerSide() == Side.BUY;
            final long buyer = takerBuys ? event.takerAccountId() : event.makerAccountId();
            final long seller = takerBuys ? event.makerAccountId() : event.takerAccountId();
            if (buyer == seller)
            {
                return; // a self-trade nets out: no cost moved, no P&L
            }
            final BigInteger quantity = BigInteger.valueOf(event.quantity());
            final BigInteger notional = BigInteger.valueOf(event.price()).multiply(quantity);
            final BigInteger[] sold = position(seller, event.instrumentId());
            sold[2] = sold[2].add(notional.subtract(take(sold, quantity)));
            buy(position(buyer, event.instrumentId()), quantity, BigInteger.valueOf(event.price()));
        }

        @Override
        public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder event)
        {
            if (event.instrumentId() == 0)
            {
                return;
            }
            final BigInteger[] p = position(event.accountId(), event.instrumentId());
            final BigInteger amount = BigInteger.valueOf(event.amount());
            if (event.commandType() == CommandType.DEPOSIT)
            {
                buy(p, amount, BigInteger.valueOf(reference.get(event.instrumentId())));
            }
            else
            {
                take(p, amount);
            }
        }

        /** A purchase adds its notional to the position's exact cost (p[1] here is the total cost, not an average). */
        private static void buy(final BigInteger[] p, final BigInteger quantity, final BigInteger price)
        {
            p[1] = p[1].add(price.multiply(quantity));
            p[0] = p[0].add(quantity);
        }

        /** Takes quantity out at its share of the cost, rounded half up; returns that share. */
        private static BigInteger take(final BigInteger[] p, final BigInteger quantity)
        {
            final BigInteger share = p[0].equals(quantity) ? p[1] : halfUp(p[1].multiply(quantity), p[0]);
            p[1] = p[1].subtract(share);
            p[0] = p[0].subtract(quantity);
            if (p[0].signum() == 0)
            {
                p[1] = BigInteger.ZERO;
            }
            return share;
        }

        static BigInteger halfUp(final BigInteger numerator, final BigInteger denominator)
        {
            final BigInteger[] division = numerator.divideAndRemainder(denominator);
            return division[1].shiftLeft(1).compareTo(denominator) >= 0 ? division[0].add(BigInteger.ONE) : division[0];
        }

        private BigInteger[] position(final long account, final int instrument)
        {
            return positions.computeIfAbsent(account + "/" + instrument, k -> new BigInteger[]{BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
        }
    }
}
