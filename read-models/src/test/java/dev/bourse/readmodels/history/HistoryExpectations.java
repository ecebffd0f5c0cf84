package dev.bourse.readmodels.history;

import dev.bourse.readmodels.reference.AccountView;
import dev.bourse.readmodels.reference.ActivityLine;
import dev.bourse.readmodels.reference.Candle;
import dev.bourse.readmodels.reference.MarketView;
import dev.bourse.readmodels.reference.OrderChange;
import dev.bourse.readmodels.reference.OrderRecord;
import dev.bourse.readmodels.reference.ReferenceModels;
import dev.bourse.readmodels.reference.TradeRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history store's tables against the reference models (everything in memory): every trade,
 * fill, order change, activity line, candle and day, and which orders are still live. Rows are
 * compared as text, so a missing or doubled row shows in the message.
 */
final class HistoryExpectations
{
    private HistoryExpectations()
    {
    }

    /**
     * What a reader of the store sees matches the reference: orders and order events are read up to
     * the checkpoint's sequence, as the queries read them (a parallel writer may have committed rows
     * above it, see ParallelWriter).
     */
    static void assertStoreMatches(final Connection connection, final ReferenceModels reference) throws SQLException
    {
        final long upTo = checkpointSequence(connection);
        final List<String> trades = new ArrayList<>();
        final List<String> candles = new ArrayList<>();
        final List<String> days = new ArrayList<>();
        for (final int instrumentId : new java.util.TreeSet<>(reference.markets().keySet()))
        {
            final MarketView market = reference.findMarket(instrumentId);
            for (final TradeRecord t : market.trades())
            {
                trades.add(row(instrumentId, t.tradeId(), t.sequence(), t.timestamp(), t.price(), t.quantity(), t.takerSide()));
            }
            // The candles table holds the intraday intervals; the daily candle is the trading day's daily_summary row.
            final String[] intervals = {"1s", "1m", "1h"};
            final long[] seconds = {1, 60, 3_600};
            for (int i = 0; i < intervals.length; i++)
            {
                for (final Candle c : market.candles(intervals[i]).candles())
                {
                    candles.add(row(instrumentId, seconds[i], c.start(), c.open(), c.high(), c.low(), c.close(), c.volume(),
                        c.notional(), c.count()));
                }
            }
            for (final Candle c : market.daily().candles())
            {
                days.add(row(instrumentId, c.start() / 86_400_000_000_000L, c.open(), c.high(), c.low(), c.close(), c.volume(),
                    c.notional(), c.count()));
            }
        }
        assertRows(trades, connection, "SELECT instrument_id, trade_id, sequence, event_time, price, quantity, taker_side " +
            "FROM trades ORDER BY instrument_id, trade_id");
        assertRows(candles, connection, "SELECT instrument_id, interval_seconds, start_nanos, open_price, high_price, low_price, " +
            "close_price, volume, notional, trade_count FROM candles ORDER BY instrument_id, interval_seconds, start_nanos");
        // These workloads have no whole-exchange end of day and stay within one UTC date: one trading day, named by that date.
        assertRows(days, connection, "SELECT d.instrument_id, t.trade_date, d.open_price, d.high_price, d.low_price, d.close_price, " +
            "d.volume, d.notional, d.trade_count FROM daily_summary d JOIN trading_days t ON t.trading_day = d.trading_day " +
            "WHERE d.trade_count > 0 ORDER BY d.instrument_id, t.trade_date");

        final List<String> fills = new ArrayList<>();
        final List<String> activity = new ArrayList<>();
        for (final long accountId : new java.util.TreeSet<>(reference.accounts().keySet()))
        {
            final AccountView account = reference.findAccount(accountId);
            for (final OrderChange f : account.executions())
            {
                fills.add(row(accountId, f.sequence(), f.tradeId(), f.timestamp(), f.orderId(), f.clOrdId(), f.instrumentId(),
                    f.side(), f.price(), f.quantity(), f.reason(), f.leavesQty(), f.cumQty()));
            }
            for (final ActivityLine a : account.activity())
            {
                activity.add(row(accountId, a.sequence(), a.timestamp(), a.kind(), a.orderId(), a.clOrdId(), a.instrumentId(),
                    a.side(), a.price(), a.quantity(), a.leavesQty(), a.cumQty(), a.detail(), a.balance()));
            }
        }
        assertRows(fills, connection, "SELECT e.account_id, e.sequence, e.trade_id, e.event_time, e.order_id, e.cl_ord_id, " +
            "o.instrument_id, o.side, e.price, e.quantity, e.reason, e.leaves_qty, e.cum_qty FROM order_events e " +
            "JOIN orders o ON o.order_id = e.order_id WHERE e.type = 2 AND e.sequence <= " + upTo +
            " ORDER BY e.account_id, e.sequence, e.line");
        assertEquals(activity, activityRows(connection, upTo), "activity report lines");

        final List<String> changes = new ArrayList<>();
        final List<String> live = new ArrayList<>();
        final List<Long> orderIds = new ArrayList<>();
        for (final long accountId : new java.util.TreeSet<>(reference.accounts().keySet()))
        {
            for (final OrderChange c : reference.findAccount(accountId).activity().stream()
                .filter(a -> a instanceof OrderChange).map(a -> (OrderChange)a).toList())
            {
                if (c.type() == OrderChange.ACCEPTED)
                {
                    orderIds.add(c.orderId());
                }
            }
        }
        java.util.Collections.sort(orderIds);
        for (final long orderId : orderIds)
        {
            final OrderRecord order = reference.order(orderId);
            for (final OrderChange c : order.history())
            {
                changes.add(row(orderId, c.sequence(), c.type(), c.price(), c.quantity(), c.leavesQty(), c.cumQty(), c.tradeId(),
                    c.reason(), c.clOrdId()));
            }
            if (order.status() == OrderRecord.NEW || order.status() == OrderRecord.PARTIALLY_FILLED)
            {
                live.add(row(orderId));
            }
        }
        assertRows(changes, connection, "SELECT order_id, sequence, type, price, quantity, leaves_qty, cum_qty, trade_id, reason, " +
            "cl_ord_id FROM order_events WHERE sequence <= " + upTo + " ORDER BY order_id, sequence, line");
        assertRows(live, connection, "SELECT o.order_id FROM orders o WHERE o.created_sequence <= " + upTo +
            " AND o.closed_sequence IS NULL AND NOT EXISTS " +
            "(SELECT 1 FROM order_closes c WHERE c.order_id = o.order_id) ORDER BY o.order_id");
        assertTrue(trades.size() > 100 && activity.size() > 1_000, "the workload should trade");
        connection.commit();
    }

    /** The account's order events and other activity, merged in journal order. */
    static long checkpointSequence(final Connection connection) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT sequence FROM sink_checkpoint WHERE id = 1");
            ResultSet rs = s.executeQuery())
        {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static List<String> activityRows(final Connection connection, final long upTo) throws SQLException
    {
        final List<String> lines = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT account_id, sequence, line, event_time, kind, order_id, cl_ord_id, instrument_id, side, price, quantity, " +
            "0 AS leaves, 0 AS cum, detail, balance FROM activity " +
            "UNION ALL SELECT e.account_id, e.sequence, e.line, e.event_time, e.type + 100, e.order_id, e.cl_ord_id, " +
            "o.instrument_id, o.side, e.price, e.quantity, e.leaves_qty, e.cum_qty, CAST(e.reason AS VARCHAR(10)), 0 " +
            "FROM order_events e JOIN orders o ON o.order_id = e.order_id WHERE e.sequence <= " + upTo + " ORDER BY 1, 2, 3");
            ResultSet rs = s.executeQuery())
        {
            while (rs.next())
            {
                int kind = rs.getInt(5);
                String detail = rs.getString(14);
                if (kind > 100)
                {
                    final int type = kind - 100;
                    final int reason = Integer.parseInt(detail);
                    kind = ActivityKind.ofEvent(type);
                    detail = type == ActivityKind.EVENT_FILL ? (reason == 1 ? "MAKER" : reason == 2 ? "AUCTION" : "TAKER")
                        : ActivityKind.isCancel(type) ? dev.bourse.protocol.sbe.CancelReason.get((short)reason).name()
                        : type == ActivityKind.EVENT_REPLACED ? (reason == 1 ? "KEPT_PRIORITY" : "LOST_PRIORITY") : "";
                }
                lines.add(row(rs.getLong(1), rs.getLong(2), rs.getLong(4), kind, rs.getLong(6), rs.getString(7), rs.getLong(8),
                    rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), detail, rs.getLong(15)));
            }
        }
        return lines;
    }

    private static void assertRows(final List<String> expected, final Connection connection, final String sql) throws SQLException
    {
        final List<String> actual = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery())
        {
            final ResultSetMetaData meta = rs.getMetaData();
            while (rs.next())
            {
                final Object[] values = new Object[meta.getColumnCount()];
                for (int i = 0; i < values.length; i++)
                {
                    final Object value = rs.getObject(i + 1);
                    values[i] = value instanceof Number n ? (Object)n.longValue() : value;
                }
                actual.add(row(values));
            }
        }
        assertEquals(expected.size(), actual.size(), "rows of " + sql);
        assertEquals(expected, actual, sql);
    }

    static String row(final Object... values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Object value : values)
        {
            sb.append(value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value)).append('|');
        }
        return sb.toString();
    }
}
