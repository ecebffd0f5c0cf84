package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.CancelReason;
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

/**
 * The history queries (orders and their changes, executions, trades, candles, the activity
 * report, daily summaries) against the history store, on the calling HTTP thread. Each reads the
 * sink's checkpoint and its rows in one transaction, so an answer reflects exactly the journal
 * position it states. Lists are pages by offset or by keyset ({@link Page}).
 * <p>
 * The SQL is the same for SQLite and PostgreSQL.
 */
final class HistoryQueries
{
    private static final String ORDER_EVENT_COLUMNS =
        "e.sequence, e.line, e.event_time, e.type, e.price, e.quantity, e.leaves_qty, e.cum_qty, e.cum_notional, e.trade_id, " +
        "e.reason, e.cl_ord_id";

    private final HistoryStore store;

    HistoryQueries(final HistoryStore store)
    {
        this.store = store;
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
            return Response.error(503, "store_unavailable", "the history store did not answer; retry", Long.MIN_VALUE);
        }
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
        if (!idOrSymbol.isEmpty() && idOrSymbol.length() < 10 && idOrSymbol.chars().allMatch(Character::isDigit))
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
                .name("takerSide").value(QueryApi.side(t.takerSide())).endObject());
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
            final String columns = "SELECT start_nanos, open_price, high_price, low_price, close_price, volume, notional, trade_count " +
                "FROM candles WHERE instrument_id = ? AND interval_seconds = ?";
            final boolean newest = fromMillis == Long.MIN_VALUE;
            final String sql = columns + (newest ? "" : " AND start_nanos >= ?") +
                (toMillis == Long.MAX_VALUE ? "" : " AND start_nanos < ?") +
                (newest ? " ORDER BY start_nanos DESC" : " ORDER BY start_nanos") + " LIMIT ?";
            final List<long[]> rows = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(sql))
            {
                int p = 1;
                s.setInt(p++, (Integer)instrument[0]);
                s.setLong(p++, seconds);
                if (!newest)
                {
                    s.setLong(p++, fromMillis * 1_000_000);
                }
                if (toMillis != Long.MAX_VALUE)
                {
                    s.setLong(p++, toMillis * 1_000_000);
                }
                s.setInt(p, limit);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        rows.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
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

    static Json candle(final Json json, final long start, final long open, final long high, final long low, final long close,
        final long volume, final long notional, final long count)
    {
        return json.beginObject().name("start").value(Instant.ofEpochSecond(0, start).toString())
            .name("startNanos").value(start)
            .name("open").price(open).name("high").price(high).name("low").price(low).name("close").price(close)
            .name("volume").value(volume).name("notional").price(notional).name("vwap").price(volume == 0 ? 0 : notional / volume)
            .name("count").value(count).endObject();
    }

    /** The statistics of one instrument on one past (or the current) UTC day, from the daily summary. */
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
                "SELECT open_price, high_price, low_price, close_price, volume, notional, trade_count FROM daily_summary " +
                "WHERE instrument_id = ? AND epoch_day = ? AND trade_count > 0"))
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
                            .name("notional").price(notional).name("vwap").price(volume == 0 ? 0 : notional / volume)
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

    /** Every instrument's summary of one UTC day: prices, volume, and orders accepted, canceled, replaced and rejected. */
    Response dailySummary(final long epochDay)
    {
        return read((connection, position, sequence) ->
        {
            final Json json = envelope(position, sequence).name("date").value(LocalDate.ofEpochDay(epochDay).toString())
                .name("data").beginArray();
            try (PreparedStatement s = connection.prepareStatement(
                "SELECT d.instrument_id, i.symbol, d.open_price, d.high_price, d.low_price, d.close_price, d.volume, d.notional, " +
                "d.trade_count, d.orders_accepted, d.orders_canceled, d.orders_replaced, d.orders_rejected " +
                "FROM daily_summary d LEFT JOIN instruments i ON i.instrument_id = d.instrument_id " +
                "WHERE d.epoch_day = ? ORDER BY d.instrument_id"))
            {
                s.setLong(1, epochDay);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        final long volume = rs.getLong(7);
                        final long notional = rs.getLong(8);
                        json.beginObject().name("instrumentId").value(rs.getInt(1)).name("symbol").value(rs.getString(2))
                            .name("open").price(rs.getLong(3)).name("high").price(rs.getLong(4)).name("low").price(rs.getLong(5))
                            .name("last").price(rs.getLong(6)).name("volume").value(volume).name("notional").price(notional)
                            .name("vwap").price(volume == 0 ? 0 : notional / volume).name("trades").value(rs.getLong(9))
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
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            final OrderRecord order = loadOrder(connection, "order_id = ?", orderId);
            // Another account's order is "not found", exactly like a missing one.
            if (order == null || order.accountId != accountId)
            {
                return notFound("order", position);
            }
            return ok(OrderJson.write(envelope(position, sequence).name("data"), order, loadHistory(connection, order)), position);
        });
    }

    /** The order that last used this ClOrdID (as original or replacement id). */
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
                "SELECT order_id FROM order_events WHERE account_id = ? AND cl_ord_id = ? AND type IN (1, 4) " +
                "ORDER BY sequence DESC, line DESC LIMIT 1"))
            {
                s.setLong(1, accountId);
                s.setString(2, clOrdId);
                try (ResultSet rs = s.executeQuery())
                {
                    if (rs.next())
                    {
                        orderId = rs.getLong(1);
                    }
                }
            }
            final OrderRecord order = orderId < 0 ? null : loadOrder(connection, "order_id = ?", orderId);
            if (order == null)
            {
                return notFound("order", position);
            }
            return ok(OrderJson.write(envelope(position, sequence).name("data"), order, loadHistory(connection, order)), position);
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
            final Listing<OrderRecord> orders = list(connection, "SELECT " + ORDER_COLUMNS + " FROM orders o", "o.account_id = ?",
                new Object[]{accountId}, new String[]{"o.order_id"}, page, HistoryQueries::orderRow, o -> new long[]{o.orderId});
            for (final OrderRecord order : orders.rows())
            {
                loadHistory(connection, order);
            }
            final Json json = envelope(position, sequence);
            orders.write(json, order -> OrderJson.write(json, order, null));
            return ok(json, position);
        });
    }

    private record Execution(
        long sequence, long line, long tradeId, long timestamp, long orderId, String clOrdId, int instrumentId, byte side,
        long price, long quantity, boolean maker, long leavesQty, long cumQty)
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
                "JOIN orders o ON o.order_id = e.order_id", "e.account_id = ? AND e.type = 2", new Object[]{accountId},
                new String[]{"e.sequence", "e.line"}, page, rs -> new Execution(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10),
                    rs.getInt(11) == 1, rs.getLong(12), rs.getLong(13)),
                e -> new long[]{e.sequence(), e.line()});
            final Json json = envelope(position, sequence);
            fills.write(json, e -> json.beginObject()
                .name("tradeId").value(e.tradeId()).name("sequence").value(e.sequence())
                .name("timestamp").value(e.timestamp()).name("orderId").value(e.orderId())
                .name("clOrdId").value(e.clOrdId()).name("instrumentId").value(e.instrumentId())
                .name("side").value(QueryApi.side(e.side())).name("price").price(e.price())
                .name("quantity").value(e.quantity()).name("liquidity").value(e.maker() ? "MAKER" : "TAKER")
                .name("leavesQty").value(e.leavesQty()).name("cumQty").value(e.cumQty()).endObject());
            return ok(json, position);
        });
    }

    /**
     * The compliance activity report: the account's order events and its other activity, merged
     * in journal order, as CSV (no envelope; the position is in {@code X-Journal-Position}, the next
     * page's cursor in {@code X-Next-Cursor}).
     */
    Response activityCsv(final long accountId, final Page page)
    {
        return read((connection, position, sequence) ->
        {
            if (!accountExists(connection, accountId))
            {
                return notFound("account", position);
            }
            final Listing<ActivityLine> lines = activity(connection, accountId, page);
            final StringBuilder csv = new StringBuilder(128 + lines.rows().size() * 96);
            csv.append("sequence,timestamp,time_utc,kind,order_id,cl_ord_id,instrument_id,side,price,quantity,leaves_qty,cum_qty,detail,balance\n");
            for (final ActivityLine line : lines.rows())
            {
                csvLine(csv, line);
            }
            return new Response(200, Response.CSV, csv.toString(), position, lines.nextCursor());
        });
    }

    // ------------------------------------------------------------------ orders

    private static final String ORDER_COLUMNS = "o.order_id, o.account_id, o.instrument_id, o.session_id, o.side, o.ord_type, " +
        "o.time_in_force, o.post_only, o.stp_mode, o.cl_ord_id, o.created_sequence, o.created_timestamp";

    private static OrderRecord loadOrder(final Connection connection, final String where, final long value) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM orders o WHERE o." + where))
        {
            s.setLong(1, value);
            try (ResultSet rs = s.executeQuery())
            {
                return rs.next() ? orderRow(rs) : null;
            }
        }
    }

    private static OrderRecord orderRow(final ResultSet rs) throws SQLException
    {
        final OrderRecord order = new OrderRecord(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), (byte)rs.getInt(5),
            (byte)rs.getInt(6), (byte)rs.getInt(7), rs.getInt(8) != 0, (byte)rs.getInt(9), rs.getLong(11), rs.getLong(12));
        order.clOrdId = rs.getString(10);
        return order;
    }

    /** The order's events, oldest first; also brings the order to its current state. */
    private static List<OrderEvent> loadHistory(final Connection connection, final OrderRecord order) throws SQLException
    {
        final List<OrderEvent> history = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT " + ORDER_EVENT_COLUMNS +
            " FROM order_events e WHERE e.order_id = ? ORDER BY e.sequence, e.line"))
        {
            s.setLong(1, order.orderId);
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    history.add(new OrderEvent(rs.getLong(1), rs.getLong(3), (byte)rs.getInt(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), (byte)rs.getInt(11), rs.getString(12)));
                }
            }
        }
        fold(order, history);
        return history;
    }

    /** An order's state is the fold of its events, the way the hot projections change a live order. */
    static void fold(final OrderRecord order, final List<OrderEvent> history)
    {
        order.origClOrdId = null;
        order.status = OrderRecord.NEW;
        for (final OrderEvent e : history)
        {
            switch (e.type())
            {
                case ActivityKind.EVENT_ACCEPTED:
                    order.price = e.price();
                    order.quantity = e.quantity();
                    order.leavesQty = e.leavesQty();
                    order.clOrdId = e.clOrdId();
                    order.status = OrderRecord.NEW;
                    break;
                case ActivityKind.EVENT_FILL:
                    order.leavesQty = e.leavesQty();
                    order.cumQty = e.cumQty();
                    order.cumNotional = e.cumNotional();
                    order.status = e.leavesQty() == 0 ? OrderRecord.FILLED : OrderRecord.PARTIALLY_FILLED;
                    break;
                case ActivityKind.EVENT_CANCELED:
                    order.leavesQty = 0;
                    order.cumQty = e.cumQty();
                    order.cumNotional = e.cumNotional();
                    order.status = OrderRecord.CANCELED;
                    order.cancelReason = e.reason();
                    break;
                case ActivityKind.EVENT_REPLACED:
                    order.price = e.price();
                    order.quantity = e.quantity();
                    order.leavesQty = e.leavesQty();
                    order.cumQty = e.cumQty();
                    order.cumNotional = e.cumNotional();
                    order.origClOrdId = order.clOrdId;
                    order.clOrdId = e.clOrdId();
                    break;
                default:
                    break;
            }
            order.updatedSequence = e.sequence();
            order.updatedTimestamp = e.timestamp();
        }
    }

    // ------------------------------------------------------------------ lists

    @FunctionalInterface
    private interface RowReader<T>
    {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface KeyOf<T>
    {
        long[] key(T row);
    }

    /**
     * One page of a list, oldest first, with what the answer says about paging: {@code total},
     * {@code offset} and {@code nextOffset} for offset pages (total -1 for keyset pages), and the
     * cursors of the pages after and before it.
     */
    private record Listing<T>(List<T> rows, int limit, long total, long from, String nextCursor, String prevCursor)
    {
        void write(final Json json, final java.util.function.Consumer<T> row)
        {
            if (total >= 0)
            {
                final long to = from + rows.size();
                json.name("total").value(total).name("offset").value(from).name("limit").value(limit);
                if (to < total)
                {
                    json.name("nextOffset").value(to);
                }
                else
                {
                    json.name("nextOffset").nullValue();
                }
            }
            else
            {
                json.name("limit").value(limit);
            }
            json.name("data").beginArray();
            rows.forEach(row);
            json.endArray().name("nextCursor").value(nextCursor).name("prevCursor").value(prevCursor);
        }
    }

    /**
     * One page of {@code select} (up to its FROM and JOINs) restricted by {@code filter}, in the
     * order of the key columns.
     */
    private static <T> Listing<T> list(
        final Connection connection, final String select, final String filter, final Object[] params, final String[] keys,
        final Page page, final RowReader<T> reader, final KeyOf<T> keyOf) throws SQLException
    {
        final List<T> rows = new ArrayList<>();
        if (page.keyset())
        {
            final boolean forward = page.after() != null;
            final String sql = select + " WHERE " + filter + " AND " + keyCondition(keys, forward) + " ORDER BY " +
                orderBy(keys, forward) + " LIMIT ?";
            try (PreparedStatement s = connection.prepareStatement(sql))
            {
                final int p = bindKey(s, forward ? page.after() : page.before(), bind(s, params, 1));
                s.setInt(p, page.limit() + 1);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        rows.add(reader.read(rs));
                    }
                }
            }
            final boolean more = rows.size() > page.limit();
            if (more)
            {
                rows.remove(rows.size() - 1);
            }
            if (!forward)
            {
                java.util.Collections.reverse(rows);
            }
            final String first = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(0)));
            final String last = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(rows.size() - 1)));
            return new Listing<>(rows, page.limit(), -1, 0, forward && !more ? null : last, !forward && !more ? null : first);
        }
        final long total;
        try (PreparedStatement s = connection.prepareStatement("SELECT COUNT(*)" + select.substring(select.indexOf(" FROM ")) +
            " WHERE " + filter))
        {
            bind(s, params, 1);
            try (ResultSet rs = s.executeQuery())
            {
                rs.next();
                total = rs.getLong(1);
            }
        }
        final long from = page.offset() < 0 ? Math.max(0, total - page.limit()) : Math.min(page.offset(), total);
        final long to = Math.min(total, from + page.limit());
        if (to > from)
        {
            try (PreparedStatement s = connection.prepareStatement(select + " WHERE " + filter + " ORDER BY " +
                orderBy(keys, true) + " LIMIT ? OFFSET ?"))
            {
                final int p = bind(s, params, 1);
                s.setLong(p, to - from);
                s.setLong(p + 1, from);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        rows.add(reader.read(rs));
                    }
                }
            }
        }
        final String first = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(0)));
        final String last = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(rows.size() - 1)));
        return new Listing<>(rows, page.limit(), total, from, to < total ? last : null, from > 0 ? first : null);
    }

    private static String orderBy(final String[] keys, final boolean ascending)
    {
        return ascending ? String.join(", ", keys) : String.join(" DESC, ", keys) + " DESC";
    }

    /** Rows with a 2-part key compare as (k1, k2); the k1 bound lets both stores use the index range. */
    private static String keyCondition(final String[] keys, final boolean after)
    {
        final String op = after ? ">" : "<";
        if (keys.length == 1)
        {
            return keys[0] + " " + op + " ?";
        }
        return keys[0] + " " + op + "= ? AND (" + keys[0] + " " + op + " ? OR " + keys[1] + " " + op + " ?)";
    }

    private static int bindKey(final PreparedStatement s, final long[] key, final int from) throws SQLException
    {
        int p = from;
        s.setLong(p++, key[0]);
        if (key.length == 2)
        {
            s.setLong(p++, key[0]);
            s.setLong(p++, key[1]);
        }
        return p;
    }

    private static int bind(final PreparedStatement s, final Object[] params, final int from) throws SQLException
    {
        int p = from;
        for (final Object param : params)
        {
            s.setObject(p++, param);
        }
        return p;
    }

    // ------------------------------------------------------------------ the activity report

    /** One line of the activity report (fields a kind does not use are 0 or empty). */
    private record ActivityLine(
        long sequence, long line, long timestamp, int kind, long orderId, String clOrdId, int instrumentId, byte side,
        long price, long quantity, long leavesQty, long cumQty, String detail, long balance)
    {
        long[] key()
        {
            return new long[]{sequence, line};
        }
    }

    private static final String ACTIVITY_FROM_EVENTS = "SELECT e.sequence, e.line, e.event_time, e.type, e.order_id, " +
        "e.cl_ord_id, o.instrument_id, o.side, e.price, e.quantity, e.leaves_qty, e.cum_qty, e.reason FROM order_events e " +
        "JOIN orders o ON o.order_id = e.order_id";
    private static final String ACTIVITY_OTHER = "SELECT a.sequence, a.line, a.event_time, a.kind, a.order_id, a.cl_ord_id, " +
        "a.instrument_id, a.side, a.price, a.quantity, a.detail, a.balance FROM activity a";

    /**
     * The account's report lines: its order events and its other activity, two lists in the store
     * merged here by (sequence, line). An offset page reads both lists up to its end.
     */
    private static Listing<ActivityLine> activity(final Connection connection, final long accountId, final Page page)
        throws SQLException
    {
        final Object[] params = {accountId};
        final String[] eventKeys = {"e.sequence", "e.line"};
        final String[] otherKeys = {"a.sequence", "a.line"};
        if (page.keyset())
        {
            final Listing<ActivityLine> events = list(connection, ACTIVITY_FROM_EVENTS, "e.account_id = ?", params, eventKeys, page,
                HistoryQueries::eventLine, ActivityLine::key);
            final Listing<ActivityLine> other = list(connection, ACTIVITY_OTHER, "a.account_id = ?", params, otherKeys, page,
                HistoryQueries::otherLine, ActivityLine::key);
            final List<ActivityLine> merged = merge(events.rows(), other.rows());
            final boolean forward = page.after() != null;
            final boolean more = merged.size() > page.limit() || (forward ? events.nextCursor() != null || other.nextCursor() != null
                : events.prevCursor() != null || other.prevCursor() != null);
            final List<ActivityLine> rows = forward ? merged.subList(0, Math.min(page.limit(), merged.size()))
                : merged.subList(Math.max(0, merged.size() - page.limit()), merged.size());
            final String first = rows.isEmpty() ? null : Page.cursor(rows.get(0).key());
            final String last = rows.isEmpty() ? null : Page.cursor(rows.get(rows.size() - 1).key());
            return new Listing<>(new ArrayList<>(rows), page.limit(), -1, 0, forward && !more ? null : last,
                !forward && !more ? null : first);
        }
        final long total = count(connection, "SELECT COUNT(*) FROM order_events e WHERE e.account_id = ?", accountId) +
            count(connection, "SELECT COUNT(*) FROM activity a WHERE a.account_id = ?", accountId);
        final long from = page.offset() < 0 ? Math.max(0, total - page.limit()) : Math.min(page.offset(), total);
        final long to = Math.min(total, from + page.limit());
        // The first `to` lines of each list hold the first `to` lines of the merge.
        final List<ActivityLine> merged = merge(
            firstLines(connection, ACTIVITY_FROM_EVENTS + " WHERE e.account_id = ? ORDER BY e.sequence, e.line LIMIT ?",
                accountId, to, HistoryQueries::eventLine),
            firstLines(connection, ACTIVITY_OTHER + " WHERE a.account_id = ? ORDER BY a.sequence, a.line LIMIT ?",
                accountId, to, HistoryQueries::otherLine));
        final List<ActivityLine> rows = new ArrayList<>(merged.subList((int)Math.min(from, merged.size()),
            (int)Math.min(to, merged.size())));
        final String first = rows.isEmpty() ? null : Page.cursor(rows.get(0).key());
        final String last = rows.isEmpty() ? null : Page.cursor(rows.get(rows.size() - 1).key());
        return new Listing<>(rows, page.limit(), total, from, to < total ? last : null, from > 0 ? first : null);
    }

    private static long count(final Connection connection, final String sql, final long accountId) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement(sql))
        {
            s.setLong(1, accountId);
            try (ResultSet rs = s.executeQuery())
            {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<ActivityLine> firstLines(
        final Connection connection, final String sql, final long accountId, final long limit, final RowReader<ActivityLine> reader)
        throws SQLException
    {
        final List<ActivityLine> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql))
        {
            s.setLong(1, accountId);
            s.setLong(2, limit);
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    rows.add(reader.read(rs));
                }
            }
        }
        return rows;
    }

    private static List<ActivityLine> merge(final List<ActivityLine> a, final List<ActivityLine> b)
    {
        final List<ActivityLine> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size())
        {
            if (j >= b.size() || (i < a.size() && compare(a.get(i), b.get(j)) < 0))
            {
                merged.add(a.get(i++));
            }
            else
            {
                merged.add(b.get(j++));
            }
        }
        return merged;
    }

    private static int compare(final ActivityLine a, final ActivityLine b)
    {
        final int bySequence = Long.compare(a.sequence(), b.sequence());
        return bySequence != 0 ? bySequence : Long.compare(a.line(), b.line());
    }

    private static ActivityLine eventLine(final ResultSet rs) throws SQLException
    {
        final int type = rs.getInt(4);
        final int reason = rs.getInt(13);
        final String detail = type == ActivityKind.EVENT_FILL ? (reason == 1 ? "MAKER" : "TAKER")
            : type == ActivityKind.EVENT_CANCELED ? CancelReason.get((short)reason).name()
            : type == ActivityKind.EVENT_REPLACED ? (reason == 1 ? "KEPT_PRIORITY" : "LOST_PRIORITY") : "";
        return new ActivityLine(rs.getLong(1), rs.getLong(2), rs.getLong(3), ActivityKind.ofEvent(type), rs.getLong(5),
            rs.getString(6), rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
            detail, 0);
    }

    private static ActivityLine otherLine(final ResultSet rs) throws SQLException
    {
        return new ActivityLine(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getString(6),
            rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10), 0, 0, rs.getString(11), rs.getLong(12));
    }

    private static void csvLine(final StringBuilder csv, final ActivityLine a)
    {
        csv.append(a.sequence()).append(',').append(a.timestamp()).append(',')
            .append(Instant.ofEpochSecond(0, a.timestamp())).append(',').append(ActivityKind.name(a.kind())).append(',')
            .append(a.orderId() == 0 ? "" : Long.toString(a.orderId())).append(',');
        csvField(csv, a.clOrdId());
        csv.append(',').append(a.instrumentId() == 0 ? "" : Integer.toString(a.instrumentId())).append(',')
            .append(QueryApi.side(a.side())).append(',');
        if (a.price() != 0)
        {
            Prices.append(csv, a.price());
        }
        csv.append(',').append(a.quantity()).append(',').append(a.leavesQty()).append(',').append(a.cumQty()).append(',');
        csvField(csv, a.detail());
        csv.append(',');
        if (a.kind() == ActivityKind.DEPOSIT || a.kind() == ActivityKind.WITHDRAW)
        {
            if (a.instrumentId() == 0)
            {
                Prices.append(csv, a.balance());
            }
            else
            {
                csv.append(a.balance());
            }
        }
        csv.append('\n');
    }

    private static void csvField(final StringBuilder csv, final String value)
    {
        // Quote everything that could split a field, and defuse spreadsheet formulas.
        final boolean formula = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0;
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || formula)
        {
            csv.append('"');
            if (formula)
            {
                csv.append('\'');
            }
            csv.append(value.replace("\"", "\"\"")).append('"');
        }
        else
        {
            csv.append(value);
        }
    }
}
