package dev.bourse.readmodels;

import dev.bourse.readmodels.history.ActivityKind;
import dev.bourse.readmodels.history.HistoryStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import dev.bourse.readmodels.HistoryLists.Listing;

import static dev.bourse.readmodels.HistoryLists.list;

/**
 * The history queries (orders and their changes, executions, trades, candles, the activity
 * report, daily summaries) against the history store, on the calling HTTP thread. Each reads the
 * sink's checkpoint and its rows in one transaction (an order by OrderID: in one statement), so an
 * answer reflects exactly the journal position it states. Lists are pages by offset or by keyset
 * ({@link Page}).
 * <p>
 * The SQL is the same for SQLite and PostgreSQL. Longer than most classes here: one method and its
 * SQL per query of the API; nothing here is on the order path.
 */
final class HistoryQueries
{
    private static final String ORDER_EVENT_COLUMNS =
        "e.sequence, e.line, e.event_time, e.type, e.price, e.quantity, e.leaves_qty, e.cum_qty, e.cum_notional, e.trade_id, " +
        "e.reason, e.cl_ord_id, e.stop_price";

    private final HistoryStore store;
    /** Names the trading days (a daily candle starts at its date's midnight in it). */
    private final java.time.ZoneId zone;

    HistoryQueries(final HistoryStore store, final java.time.ZoneId zone)
    {
        this.store = store;
        this.zone = zone;
    }

    /** A body run inside a read transaction, after the checkpoint was read. */
    @FunctionalInterface
    private interface Body
    {
        Response run(Connection connection, long position, long sequence) throws SQLException;
    }

    private Response read(final Body body)
    {
        try (Connection connection = store.readerConnection())
        {
            try
            {
                final long position;
                final long sequence;
                try (PreparedStatement s = connection.prepareStatement("SELECT position, sequence FROM sink_checkpoint WHERE id = 1");
                    ResultSet rs = s.executeQuery())
                {
                    rs.next();
                    position = rs.getLong(1);
                    sequence = rs.getLong(2);
                }
                return body.run(connection, position, sequence);
            }
            finally
            {
                connection.rollback(); // read-only: ends the snapshot
            }
        }
        catch (final SQLException e)
        {
            return storeUnavailable();
        }
    }

    /** A body that reads all it needs in one statement, which is its own snapshot in either store. */
    @FunctionalInterface
    private interface OneStatement
    {
        Response run(Connection connection) throws SQLException;
    }

    /** As {@link #read}, for one statement: in autocommit, so no BEGIN and ROLLBACK round trips around it. */
    private Response readInOneStatement(final OneStatement body)
    {
        try (Connection connection = store.readerConnection())
        {
            connection.setAutoCommit(true); // the pool sets it back when the connection returns
            return body.run(connection);
        }
        catch (final SQLException e)
        {
            return storeUnavailable();
        }
    }

    private static Response storeUnavailable()
    {
        return Response.error(503, "store_unavailable", "the history store did not answer; retry", Long.MIN_VALUE);
    }

    private static Json envelope(final long position, final long sequence)
    {
        return new Json().beginObject().name("position").value(position).name("sequence").value(sequence);
    }

    private static Response ok(final Json json, final long position)
    {
        return new Response(200, Response.JSON, json.endObject().toString(), position);
    }

    private static Response notFound(final String what, final long position)
    {
        return Response.error(404, "not_found", what + " not found", position);
    }

    /** Instrument id and symbol, by id (digits) or else by symbol; null if the store has no such instrument. */
    private static Object[] instrument(final Connection connection, final String idOrSymbol) throws SQLException
    {
        if (AsciiDigits.isDigits(idOrSymbol, 9))
        {
            final Object[] byId = instrumentWhere(connection, "instrument_id = ?", Integer.parseInt(idOrSymbol));
            if (byId != null)
            {
                return byId;
            }
        }
        return instrumentWhere(connection, "symbol = ?", idOrSymbol);
    }

    private static Object[] instrumentWhere(final Connection connection, final String where, final Object value) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT instrument_id, symbol FROM instruments WHERE " + where))
        {
            s.setObject(1, value);
            try (ResultSet rs = s.executeQuery())
            {
                return rs.next() ? new Object[]{rs.getInt(1), rs.getString(2)} : null;
            }
        }
    }

    private static boolean accountExists(final Connection connection, final long accountId) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM accounts WHERE account_id = ?"))
        {
            s.setLong(1, accountId);
            try (ResultSet rs = s.executeQuery())
            {
                return rs.next();
            }
        }
    }

    // ------------------------------------------------------------------ market

    private record Trade(long tradeId, long timestamp, long price, long quantity, byte takerSide)
    {
    }

    Response trades(final String idOrSymbol, final Page page)
    {
        return read((connection, position, sequence) ->
        {
            final Object[] instrument = instrument(connection, idOrSymbol);
            if (instrument == null)
            {
                return notFound("instrument", position);
            }
            final Listing<Trade> trades = list(connection, "SELECT trade_id, event_time, price, quantity, taker_side FROM trades",
                "instrument_id = ?", new Object[]{instrument[0]}, new String[]{"trade_id"}, page,
                rs -> new Trade(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), (byte)rs.getInt(5)),
                t -> new long[]{t.tradeId()});
            final Json json = envelope(position, sequence);
            trades.write(json, t -> json.beginObject().name("tradeId").value(t.tradeId()).name("timestamp").value(t.timestamp())
                .name("price").price(t.price()).name("quantity").value(t.quantity())
                .name("takerSide").value(QueryApi.takerSide(t.takerSide())).endObject());
            return ok(json, position);
        });
    }

    Response candles(final String idOrSymbol, final String interval, final long fromMillis, final long toMillis, final int limit)
    {
        final long seconds = switch (interval)
        {
            case "1s" -> 1;
            case "1m" -> 60;
            case "1h" -> 3_600;
            default -> 86_400;
        };
        return read((connection, position, sequence) ->
        {
            final Object[] instrument = instrument(connection, idOrSymbol);
            if (instrument == null)
            {
                return notFound("instrument", position);
            }
            // Intraday candles are keyed by time; the daily candle is the trading day's summary row, starting at
            // its date's midnight in the exchange's time zone (as the hot daily statistics do).
            final boolean daily = seconds == 86_400;
            final String columns = daily ?
                "SELECT t.trade_date, d.open_price, d.high_price, d.low_price, d.close_price, d.volume, d.notional, d.trade_count " +
                "FROM daily_summary d JOIN trading_days t ON t.trading_day = d.trading_day " +
                "WHERE d.instrument_id = ? AND d.trade_count > 0" :
                "SELECT start_nanos, open_price, high_price, low_price, close_price, volume, notional, trade_count " +
                "FROM candles WHERE instrument_id = ? AND interval_seconds = ?";
            final String key = daily ? "t.trade_date" : "start_nanos";
            final boolean newest = fromMillis == Long.MIN_VALUE;
            final String sql = columns + (newest ? "" : " AND " + key + " >= ?") +
                (toMillis == Long.MAX_VALUE ? "" : " AND " + key + " < ?") +
                (newest ? " ORDER BY " + key + " DESC" : " ORDER BY " + key) + " LIMIT ?";
            final List<long[]> rows = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(sql))
            {
                int p = 1;
                s.setInt(p++, (Integer)instrument[0]);
                if (!daily)
                {
                    s.setLong(p++, seconds);
                }
                if (!newest)
                {
                    s.setLong(p++, daily ? firstDateFrom(fromMillis * 1_000_000) : fromMillis * 1_000_000);
                }
                if (toMillis != Long.MAX_VALUE)
                {
                    s.setLong(p++, daily ? firstDateFrom(toMillis * 1_000_000) : toMillis * 1_000_000);
                }
                s.setInt(p, limit);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        final long start = daily ? TradingDay.startNanos(zone, rs.getLong(1)) : rs.getLong(1);
                        rows.add(new long[]{start, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8)});
                    }
                }
            }
            if (newest)
            {
                java.util.Collections.reverse(rows);
            }
            final Json json = envelope(position, sequence).name("interval").value(interval).name("data").beginArray();
            for (final long[] c : rows)
            {
                candle(json, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
            }
            return ok(json.endArray(), position);
        });
    }

    /** The first date (days since 1970-01-01) whose midnight in the zone is at or after {@code epochNanos}. */
    private long firstDateFrom(final long epochNanos)
    {
        final long date = new TradingDay(zone).localDate(epochNanos);
        return TradingDay.startNanos(zone, date) < epochNanos ? date + 1 : date;
    }

    static Json candle(final Json json, final long start, final long open, final long high, final long low, final long close,
        final long volume, final long notional, final long count)
    {
        return json.beginObject().name("start").value(Instant.ofEpochSecond(0, start).toString())
            .name("startNanos").value(start)
            .name("open").price(open).name("high").price(high).name("low").price(low).name("close").price(close)
            .name("volume").value(volume).name("notional").price(notional).name("vwap").price(dev.bourse.protocol.Prices.average(notional, volume))
            .name("count").value(count).endObject();
    }

    /** The statistics of one instrument on one past (or the current) trading day, by its date, from the daily summary. */
    Response dayStats(final String idOrSymbol, final long epochDay, final String date)
    {
        return read((connection, position, sequence) ->
        {
            final Object[] instrument = instrument(connection, idOrSymbol);
            if (instrument == null)
            {
                return notFound("instrument", position);
            }
            final Json json = envelope(position, sequence).name("data").beginObject().name("instrumentId").value((Integer)instrument[0])
                .name("symbol").value((String)instrument[1]);
            try (PreparedStatement s = connection.prepareStatement(
                "SELECT d.open_price, d.high_price, d.low_price, d.close_price, d.volume, d.notional, d.trade_count " +
                "FROM daily_summary d JOIN trading_days t ON t.trading_day = d.trading_day " +
                "WHERE d.instrument_id = ? AND t.trade_date = ? AND d.trade_count > 0"))
            {
                s.setInt(1, (Integer)instrument[0]);
                s.setLong(2, epochDay);
                try (ResultSet rs = s.executeQuery())
                {
                    if (rs.next())
                    {
                        final long volume = rs.getLong(5);
                        final long notional = rs.getLong(6);
                        json.name("date").value(date).name("open").price(rs.getLong(1)).name("high").price(rs.getLong(2))
                            .name("low").price(rs.getLong(3)).name("last").price(rs.getLong(4)).name("volume").value(volume)
                            .name("notional").price(notional).name("vwap").price(dev.bourse.protocol.Prices.average(notional, volume))
                            .name("count").value(rs.getLong(7));
                    }
                    else
                    {
                        json.name("date").value(date).name("count").value(0);
                    }
                }
            }
            return ok(json.endObject(), position);
        });
    }

    /** Every instrument's summary of one trading day, by its date: prices, volume, and orders accepted, canceled, replaced and rejected. */
    Response dailySummary(final long epochDay)
    {
        return read((connection, position, sequence) ->
        {
            final Json json = envelope(position, sequence).name("date").value(LocalDate.ofEpochDay(epochDay).toString())
                .name("data").beginArray();
            try (PreparedStatement s = connection.prepareStatement(
                "SELECT d.instrument_id, i.symbol, d.open_price, d.high_price, d.low_price, d.close_price, d.volume, d.notional, " +
                "d.trade_count, d.orders_accepted, d.orders_canceled, d.orders_replaced, d.orders_rejected " +
                "FROM daily_summary d JOIN trading_days t ON t.trading_day = d.trading_day " +
                "LEFT JOIN instruments i ON i.instrument_id = d.instrument_id " +
                "WHERE t.trade_date = ? ORDER BY d.instrument_id"))
            {
                s.setLong(1, epochDay);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        final long volume = rs.getLong(7);
                        final long notional = rs.getLong(8);
                        final long trades = rs.getLong(9);
                        json.beginObject().name("instrumentId").value(rs.getInt(1)).name("symbol").value(rs.getString(2));
                        if (trades > 0)
                        {
                            json.name("open").price(rs.getLong(3)).name("high").price(rs.getLong(4)).name("low").price(rs.getLong(5))
                                .name("last").price(rs.getLong(6));
                        }
                        else
                        {
                            // no trade, no price: not 0 (an outside probe read "open":"0" as a price)
                            json.name("open").value((String)null).name("high").value((String)null).name("low").value((String)null)
                                .name("last").value((String)null);
                        }
                        json.name("volume").value(volume).name("notional").price(notional).name("vwap");
                        if (trades > 0)
                        {
                            json.price(dev.bourse.protocol.Prices.average(notional, volume));
                        }
                        else
                        {
                            json.value((String)null); // as the prices: no trade, no average
                        }
                        json.name("trades").value(trades)
                            .name("ordersAccepted").value(rs.getLong(10)).name("ordersCanceled").value(rs.getLong(11))
                            .name("ordersReplaced").value(rs.getLong(12)).name("ordersRejected").value(rs.getLong(13))
                            .endObject();
                    }
                }
            }
            return ok(json.endArray(), position);
        });
    }

    // ------------------------------------------------------------------ accounts

    Response order(final long accountId, final long orderId)
    {
        // The API's most frequent history question, so it is one statement: one round trip to PostgreSQL instead of
        // five (checkpoint, account, order, events, the read transaction's rollback), each a wake-up of a server
        // process that waits for a core on a busy machine.
        return readInOneStatement(connection ->
        {
            try (PreparedStatement s = connection.prepareStatement(ORDER_WITH_HISTORY))
            {
                s.setLong(1, accountId);
                s.setLong(2, orderId);
                try (ResultSet rs = s.executeQuery())
                {
                    rs.next(); // the checkpoint's row is always there
                    final long position = rs.getLong(1);
                    final long sequence = rs.getLong(2);
                    if (rs.getLong(3) == 0)
                    {
                        return notFound("account", position);
                    }
                    rs.getLong(ORDER_BASE + 1);
                    // Another account's order is "not found", exactly like a missing one.
                    if (rs.wasNull() || rs.getLong(ORDER_BASE + 2) != accountId)
                    {
                        return notFound("order", position);
                    }
                    final OrderRecord order = orderRow(rs, ORDER_BASE);
                    final List<OrderEvent> history = new ArrayList<>();
                    do
                    {
                        rs.getLong(EVENT_BASE + 1);
                        if (!rs.wasNull())
                        {
                            history.add(eventRow(rs, EVENT_BASE));
                        }
                    }
                    while (rs.next());
                    fold(order, history);
                    return ok(OrderJson.write(envelope(position, sequence).name("data"), order, history), position);
                }
            }
        });
    }

    /** The order that last used this ClOrdID (as original or replacement id, or as the id of the cancel request that canceled it). */
    Response orderByClOrdId(final long accountId, final String clOrdId)
    {
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            long orderId = -1;
            try (PreparedStatement s = connection.prepareStatement(
                // the partial index's condition word for word (V7), so that both stores use it
                "SELECT order_id FROM order_events WHERE account_id = ? AND cl_ord_id = ? AND (type IN (1, 4) OR (type = 3 AND reason = 1)) " +
                "AND sequence <= ? " +
                "ORDER BY sequence DESC, line DESC LIMIT 1"))
            {
                s.setLong(1, accountId);
                s.setString(2, clOrdId);
                s.setLong(3, sequence);
                try (ResultSet rs = s.executeQuery())
                {
                    if (rs.next())
                    {
                        orderId = rs.getLong(1);
                    }
                }
            }
            final OrderRecord order = orderId < 0 ? null : loadOrder(connection, orderId, sequence);
            if (order == null)
            {
                return notFound("order", position);
            }
            return ok(OrderJson.write(envelope(position, sequence).name("data"), order, loadHistory(connection, order, sequence)), position);
        });
    }

    /** The account's orders (live and done), by OrderID, with their current state and without their history. */
    Response orders(final long accountId, final Page page)
    {
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            final Listing<OrderRecord> orders = list(connection, "SELECT " + ORDER_COLUMNS + " FROM orders o",
                "o.account_id = ? AND o.created_sequence <= ?", new Object[]{accountId, sequence}, new String[]{"o.order_id"}, page, HistoryQueries::orderRow, o -> new long[]{o.orderId()});
            for (final OrderRecord order : orders.rows())
            {
                loadHistory(connection, order, sequence);
            }
            final Json json = envelope(position, sequence);
            orders.write(json, order -> OrderJson.write(json, order, null));
            return ok(json, position);
        });
    }

    private record Execution(
        long sequence, long line, long tradeId, long timestamp, long orderId, String clOrdId, int instrumentId, byte side,
        long price, long quantity, int liquidity, long leavesQty, long cumQty)
    {
    }

    Response executions(final long accountId, final Page page)
    {
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            final Listing<Execution> fills = list(connection, "SELECT e.sequence, e.line, e.trade_id, e.event_time, e.order_id, " +
                "e.cl_ord_id, o.instrument_id, o.side, e.price, e.quantity, e.reason, e.leaves_qty, e.cum_qty FROM order_events e " +
                "JOIN orders o ON o.order_id = e.order_id", "e.account_id = ? AND e.type = 2 AND e.sequence <= ?", new Object[]{accountId, sequence},
                new String[]{"e.sequence", "e.line"}, page, rs -> new Execution(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10),
                    rs.getInt(11), rs.getLong(12), rs.getLong(13)),
                e -> new long[]{e.sequence(), e.line()});
            final Json json = envelope(position, sequence);
            fills.write(json, e -> json.beginObject()
                .name("tradeId").value(e.tradeId()).name("sequence").value(e.sequence())
                .name("timestamp").value(e.timestamp()).name("orderId").value(e.orderId())
                .name("clOrdId").value(e.clOrdId()).name("instrumentId").value(e.instrumentId())
                .name("side").value(QueryApi.side(e.side())).name("price").price(e.price())
                .name("quantity").value(e.quantity()).name("liquidity").value(Liquidity.name(e.liquidity()))
                .name("leavesQty").value(e.leavesQty()).name("cumQty").value(e.cumQty()).endObject());
            return ok(json, position);
        });
    }

    /** The audit log, every account's and none's, in journal order (see {@link AuditLog}). */
    Response audit(final Page page)
    {
        return read((connection, position, sequence) ->
        {
            final Json json = envelope(position, sequence);
            AuditLog.write(connection, page, json);
            return ok(json, position);
        });
    }

    /**
     * The compliance activity report: the account's order events and its other activity, merged
     * in journal order, as CSV (no envelope; the position is in {@code X-Journal-Position}, the next
     * and previous pages' cursors in {@code X-Next-Cursor} and {@code X-Prev-Cursor}).
     */
    Response activityCsv(final long accountId, final Page page)
    {
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            final Listing<ActivityReport.ActivityLine> lines = ActivityReport.lines(connection, accountId, sequence, page);
            final StringBuilder csv = new StringBuilder(128 + lines.rows().size() * 96);
            csv.append("sequence,timestamp,time_utc,kind,order_id,cl_ord_id,instrument_id,side,price,quantity,leaves_qty,cum_qty,detail," +
                "balance,comp_id\n");
            for (final ActivityReport.ActivityLine line : lines.rows())
            {
                ActivityReport.csvLine(csv, line);
            }
            return new Response(200, Response.CSV, csv.toString(), position, lines.nextCursor(), lines.prevCursor());
        });
    }

    // ------------------------------------------------------------------ orders

    private static final String ORDER_COLUMNS = "o.order_id, o.account_id, o.instrument_id, o.session_id, o.side, o.ord_type, " +
        "o.time_in_force, o.post_only, o.stp_mode, o.cl_ord_id, o.created_sequence, o.created_timestamp, o.display_qty, o.expire_time";
    /** Columns before the order's in {@link #ORDER_WITH_HISTORY}: the checkpoint's position and sequence, the account count. */
    private static final int ORDER_BASE = 3;
    private static final int EVENT_BASE = ORDER_BASE + 14;
    /**
     * The checkpoint, whether the account exists, the order and its events up to the checkpoint, in one statement: one
     * row per event (one row with nulls for a missing order or an order with no events yet). Parameters: account, order.
     */
    private static final String ORDER_WITH_HISTORY = "SELECT c.position, c.sequence, " +
        "(SELECT COUNT(*) FROM accounts a WHERE a.account_id = ?), " + ORDER_COLUMNS + ", " + ORDER_EVENT_COLUMNS +
        " FROM sink_checkpoint c" +
        " LEFT JOIN orders o ON o.order_id = ? AND o.created_sequence <= c.sequence" +
        " LEFT JOIN order_events e ON e.order_id = o.order_id AND e.sequence <= c.sequence" +
        " WHERE c.id = 1 ORDER BY e.sequence, e.line";

    /**
     * Orders and order events above the checkpoint's sequence ({@code upTo}) are not read: a parallel
     * writer may have committed them before the checkpoint that covers them (see ParallelWriter).
     */
    private static OrderRecord loadOrder(final Connection connection, final long orderId, final long upTo) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ORDER_COLUMNS +
            " FROM orders o WHERE o.order_id = ? AND o.created_sequence <= ?"))
        {
            s.setLong(1, orderId);
            s.setLong(2, upTo);
            try (ResultSet rs = s.executeQuery())
            {
                return rs.next() ? orderRow(rs) : null;
            }
        }
    }

    private static OrderRecord orderRow(final ResultSet rs) throws SQLException
    {
        return orderRow(rs, 0);
    }

    /** An order from {@link #ORDER_COLUMNS}, read from column {@code base + 1} on. */
    private static OrderRecord orderRow(final ResultSet rs, final int base) throws SQLException
    {
        final OrderRecord order = new OrderRecord(rs.getLong(base + 1), rs.getLong(base + 2), rs.getInt(base + 3), rs.getInt(base + 4),
            (byte)rs.getInt(base + 5), (byte)rs.getInt(base + 6), (byte)rs.getInt(base + 7), rs.getInt(base + 8) != 0,
            (byte)rs.getInt(base + 9), rs.getLong(base + 11), rs.getLong(base + 12));
        order.clOrdId(rs.getString(base + 10));
        order.displayQty(rs.getLong(base + 13));
        order.expireTime(rs.getLong(base + 14));
        return order;
    }

    /** An order event from {@link #ORDER_EVENT_COLUMNS}, read from column {@code base + 1} on. */
    private static OrderEvent eventRow(final ResultSet rs, final int base) throws SQLException
    {
        return new OrderEvent(rs.getLong(base + 1), rs.getLong(base + 3), ActivityKind.eventType(rs.getInt(base + 4), rs.getInt(base + 11)),
            rs.getLong(base + 5), rs.getLong(base + 6), rs.getLong(base + 7), rs.getLong(base + 8), rs.getLong(base + 9),
            rs.getLong(base + 10), (byte)rs.getInt(base + 11), rs.getString(base + 12), rs.getLong(base + 13));
    }

    /** The order's events, oldest first; also brings the order to its current state. */
    private static List<OrderEvent> loadHistory(final Connection connection, final OrderRecord order, final long upTo)
        throws SQLException
    {
        final List<OrderEvent> history = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ORDER_EVENT_COLUMNS +
            " FROM order_events e WHERE e.order_id = ? AND e.sequence <= ? ORDER BY e.sequence, e.line"))
        {
            s.setLong(1, order.orderId());
            s.setLong(2, upTo);
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    history.add(eventRow(rs, 0));
                }
            }
        }
        fold(order, history);
        return history;
    }

    /** An order's state is the fold of its events, the way the hot projections change a live order. */
    static void fold(final OrderRecord order, final List<OrderEvent> history)
    {
        order.origClOrdId(null);
        order.status(OrderRecord.NEW);
        for (final OrderEvent e : history)
        {
            switch (e.type())
            {
                case ActivityKind.EVENT_ACCEPTED:
                    order.stopPrice(e.stopPrice());
                    order.price(e.price());
                    order.quantity(e.quantity());
                    order.leavesQty(e.leavesQty());
                    order.clOrdId(e.clOrdId());
                    order.status(OrderRecord.NEW);
                    break;
                case ActivityKind.EVENT_FILL:
                    order.leavesQty(e.leavesQty());
                    order.cumQty(e.cumQty());
                    order.cumNotional(e.cumNotional());
                    order.status(e.leavesQty() == 0 ? OrderRecord.FILLED : OrderRecord.PARTIALLY_FILLED);
                    break;
                case ActivityKind.EVENT_CANCELED:
                case ActivityKind.EVENT_EXPIRED:
                    order.leavesQty(0);
                    order.cumQty(e.cumQty());
                    order.cumNotional(e.cumNotional());
                    order.status(OrderRecord.canceledStatus(e.reason()));
                    order.cancelReason(e.reason());
                    break;
                case ActivityKind.EVENT_ELECTED:
                    order.ordType((byte)e.reason()); // its stop_price is the trigger, not the order's stop price
                    order.price(e.price());
                    break;
                case ActivityKind.EVENT_REPLACED:
                    if (e.stopPrice() != 0)
                    {
                        order.stopPrice(e.stopPrice());
                    }
                    order.price(e.price());
                    order.quantity(e.quantity());
                    order.leavesQty(e.leavesQty());
                    order.cumQty(e.cumQty());
                    order.cumNotional(e.cumNotional());
                    order.clOrdIdBecomesOrig();
                    order.clOrdId(e.clOrdId());
                    break;
                default:
                    break;
            }
            order.updated(e.sequence(), e.timestamp());
        }
    }
}
