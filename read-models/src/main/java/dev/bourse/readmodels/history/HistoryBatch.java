package dev.bourse.readmodels.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The rows of a run of journal entries, written to the store in one transaction together with the
 * checkpoint they lead to. Candle and daily-summary changes are summed per key over the batch, so
 * each is one upsert however many trades it had.
 */
final class HistoryBatch
{
    /** Intraday candles, keyed by time; the daily candle is the trading day's daily_summary row. */
    static final int INTERVAL_COUNT = 3;
    static final long[] INTERVAL_SECONDS = {1, 60, 3_600};

    // Order of the columns is the order a row is written in.
    final RowBuffer accounts = new RowBuffer("accounts", null, "account_id", "created_sequence");
    /**
     * Orders and their events go to one of two buffers by their order id's parity, so that with
     * PostgreSQL a second connection (a second server process, the other core) writes the odd half
     * ({@link ParallelWriter}). The even half goes with everything else and the checkpoint.
     */
    private final RowBuffer[] orders = {ordersBuffer(), ordersBuffer()};
    private final RowBuffer[] orderEvents = {orderEventsBuffer(), orderEventsBuffer()};
    static final int ORDERS_CLOSED_SEQUENCE = 12;
    /** Orders inserted by earlier batches and closed by this one. */
    final RowBuffer orderCloses = new RowBuffer("order_closes", null, "order_id", "closed_sequence");
    final RowBuffer trades = new RowBuffer("trades", null, "instrument_id:i4", "trade_id", "sequence", "event_time", "price",
        "quantity", "taker_side:i2", "maker_order_id", "taker_order_id");
    final RowBuffer activity = new RowBuffer("activity", null, "account_id", "sequence", "line:i4", "event_time", "kind:i2",
        "order_id", "cl_ord_id:text", "instrument_id:i4", "side:i2", "price", "quantity", "detail:text", "balance", "comp_id:text");

    final RowBuffer instruments = new RowBuffer("instruments",
        "INSERT INTO instruments (instrument_id, symbol, tick_size, lot_size, min_quantity, max_quantity, max_notional, " +
        "reference_price, price_band_bps, status, updated_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (instrument_id) DO UPDATE SET symbol = excluded.symbol, tick_size = excluded.tick_size, " +
        "lot_size = excluded.lot_size, min_quantity = excluded.min_quantity, max_quantity = excluded.max_quantity, " +
        "max_notional = excluded.max_notional, reference_price = excluded.reference_price, " +
        "price_band_bps = excluded.price_band_bps, status = excluded.status, updated_sequence = excluded.updated_sequence",
        "instrument_id:i4", "symbol:text", "tick_size", "lot_size", "min_quantity", "max_quantity", "max_notional",
        "reference_price", "price_band_bps:i4", "status:i2", "updated_sequence");
    final RowBuffer candleRows = new RowBuffer("candles",
        "INSERT INTO candles (instrument_id, interval_seconds, start_nanos, open_price, high_price, low_price, close_price, " +
        "volume, notional, trade_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (instrument_id, interval_seconds, start_nanos) DO UPDATE SET " +
        "high_price = CASE WHEN excluded.high_price > candles.high_price THEN excluded.high_price ELSE candles.high_price END, " +
        "low_price = CASE WHEN excluded.low_price < candles.low_price THEN excluded.low_price ELSE candles.low_price END, " +
        "close_price = excluded.close_price, volume = candles.volume + excluded.volume, " +
        "notional = candles.notional + excluded.notional, trade_count = candles.trade_count + excluded.trade_count",
        "instrument_id:i4", "interval_seconds:i4", "start_nanos", "open_price", "high_price", "low_price", "close_price",
        "volume", "notional", "trade_count");
    final RowBuffer dayRows = new RowBuffer("daily_summary",
        "INSERT INTO daily_summary (instrument_id, trading_day, open_price, high_price, low_price, close_price, volume, notional, " +
        "trade_count, orders_accepted, orders_canceled, orders_replaced, orders_rejected) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (instrument_id, trading_day) DO UPDATE SET " +
        "open_price = CASE WHEN daily_summary.trade_count = 0 THEN excluded.open_price ELSE daily_summary.open_price END, " +
        "high_price = CASE WHEN excluded.trade_count = 0 THEN daily_summary.high_price " +
        "WHEN daily_summary.trade_count = 0 OR excluded.high_price > daily_summary.high_price THEN excluded.high_price " +
        "ELSE daily_summary.high_price END, " +
        "low_price = CASE WHEN excluded.trade_count = 0 THEN daily_summary.low_price " +
        "WHEN daily_summary.trade_count = 0 OR excluded.low_price < daily_summary.low_price THEN excluded.low_price " +
        "ELSE daily_summary.low_price END, " +
        "close_price = CASE WHEN excluded.trade_count = 0 THEN daily_summary.close_price ELSE excluded.close_price END, " +
        "volume = daily_summary.volume + excluded.volume, notional = daily_summary.notional + excluded.notional, " +
        "trade_count = daily_summary.trade_count + excluded.trade_count, " +
        "orders_accepted = daily_summary.orders_accepted + excluded.orders_accepted, " +
        "orders_canceled = daily_summary.orders_canceled + excluded.orders_canceled, " +
        "orders_replaced = daily_summary.orders_replaced + excluded.orders_replaced, " +
        "orders_rejected = daily_summary.orders_rejected + excluded.orders_rejected",
        "instrument_id:i4", "trading_day", "open_price", "high_price", "low_price", "close_price", "volume", "notional",
        "trade_count", "orders_accepted", "orders_canceled", "orders_replaced", "orders_rejected");

    /** The trading days this batch saw, with their (latest) dates: a day's date only moves forward. */
    final RowBuffer tradingDayRows = new RowBuffer("trading_days",
        "INSERT INTO trading_days (trading_day, trade_date) VALUES (?, ?) " +
        "ON CONFLICT (trading_day) DO UPDATE SET trade_date = excluded.trade_date",
        "trading_day", "trade_date:i4");

    /** The plain inserts written with the checkpoint, in the order they are written. */
    final List<RowBuffer> inserts = List.of(accounts, orders[0], orderEvents[0], trades, activity, orderCloses);
    /** The plain inserts a second connection may write (odd order ids); otherwise written after {@link #inserts}. */
    final List<RowBuffer> parallelInserts = List.of(orders[1], orderEvents[1]);
    /** Upserts, after the inserts. */
    final List<RowBuffer> upserts = List.of(instruments, candleRows, dayRows, tradingDayRows);

    /** Candle changes of this batch by (instrument, interval, start). */
    final HashMap<CandleKey, Ohlc> candles = new HashMap<>();
    /** Daily-summary changes of this batch by (instrument, day). */
    final HashMap<DayKey, Day> days = new HashMap<>();
    /** Instruments whose definition or status changed in this batch, in the order they changed. */
    final ArrayList<Integer> changedInstruments = new ArrayList<>();

    /** Entries in the batch, and the checkpoint it leads to. */
    int entries;
    long position;
    long sequence;
    long totalEntries;
    long totalEvents;
    long entryTimestamp;
    long oldestLiveOrder = Long.MAX_VALUE;
    long firstEntryNanos;
    /** The current trading day (number and date): the daily rows' key, and the checkpoint's. */
    long tradingDay = 1;
    long tradeDate = dev.bourse.readmodels.TradingDay.NO_DATE;
    /** Trading days seen by this batch (consecutive numbers from the first) and their dates. */
    private long firstDayOfBatch = -1;
    private long[] dayDates = new long[4];
    private int dayCount;

    private static RowBuffer ordersBuffer()
    {
        return new RowBuffer("orders", null, "order_id", "account_id", "instrument_id:i4", "session_id:i4",
            "side:i2", "ord_type:i2", "time_in_force:i2", "post_only:i2", "stp_mode:i2", "cl_ord_id:text", "created_sequence",
            "created_timestamp", "closed_sequence", "display_qty", "expire_time");
    }

    private static RowBuffer orderEventsBuffer()
    {
        return new RowBuffer("order_events", null, "order_id", "sequence", "line:i4", "account_id",
            "event_time", "type:i2", "price", "quantity", "leaves_qty", "cum_qty", "cum_notional", "trade_id", "reason:i2",
            "cl_ord_id:text", "stop_price");
    }

    /** The orders buffer this order's row goes to. */
    RowBuffer orders(final long orderId)
    {
        return orders[(int)(orderId & 1)];
    }

    /** The order-events buffer this order's rows go to. */
    RowBuffer orderEvents(final long orderId)
    {
        return orderEvents[(int)(orderId & 1)];
    }

    record CandleKey(int instrumentId, long intervalSeconds, long start)
    {
    }

    record DayKey(int instrumentId, long tradingDay)
    {
    }

    /** Prices and sums of the trades of one candle (or day) in this batch. */
    static class Ohlc
    {
        long open;
        long high;
        long low;
        long close;
        long volume;
        long notional;
        long count;

        void add(final long price, final long quantity)
        {
            if (count == 0)
            {
                open = price;
                high = price;
                low = price;
            }
            else
            {
                high = Math.max(high, price);
                low = Math.min(low, price);
            }
            close = price;
            volume += quantity;
            notional += price * quantity;
            count++;
        }
    }

    static final class Day extends Ohlc
    {
        long accepted;
        long canceled;
        long replaced;
        long rejected;
    }

    void trade(final int instrumentId, final long timestamp, final long price, final long quantity)
    {
        for (int i = 0; i < INTERVAL_COUNT; i++)
        {
            final long intervalNanos = INTERVAL_SECONDS[i] * 1_000_000_000L;
            final long start = Math.floorDiv(timestamp, intervalNanos) * intervalNanos;
            candles.computeIfAbsent(new CandleKey(instrumentId, INTERVAL_SECONDS[i], start), k -> new Ohlc()).add(price, quantity);
        }
        day(instrumentId).add(price, quantity);
    }

    /** The instrument's row of the current trading day (not the calendar day of the event). */
    Day day(final int instrumentId)
    {
        return days.computeIfAbsent(new DayKey(instrumentId, tradingDay), k -> new Day());
    }

    /** The current trading day after an entry (and again after the entry that ended the day). */
    void tradingDay(final long number, final long date)
    {
        tradingDay = number;
        tradeDate = date;
        if (date == dev.bourse.readmodels.TradingDay.NO_DATE)
        {
            return;
        }
        if (dayCount == 0)
        {
            firstDayOfBatch = number;
        }
        final int index = (int)(number - firstDayOfBatch);
        if (index >= dayDates.length)
        {
            dayDates = java.util.Arrays.copyOf(dayDates, dayDates.length * 2);
        }
        dayDates[index] = date;
        dayCount = Math.max(dayCount, index + 1);
    }

    /** Turns the summed candles and days into upsert rows. */
    void closeAggregates()
    {
        candles.forEach((key, c) -> candleRows.row().l(key.instrumentId()).l(key.intervalSeconds()).l(key.start())
            .l(c.open).l(c.high).l(c.low).l(c.close).l(c.volume).l(c.notional).l(c.count).end());
        days.forEach((key, d) -> dayRows.row().l(key.instrumentId()).l(key.tradingDay())
            .l(d.open).l(d.high).l(d.low).l(d.close).l(d.volume).l(d.notional).l(d.count)
            .l(d.accepted).l(d.canceled).l(d.replaced).l(d.rejected).end());
        for (int i = 0; i < dayCount; i++)
        {
            tradingDayRows.row().l(firstDayOfBatch + i).l(dayDates[i]).end();
        }
    }

    int rows()
    {
        int rows = 0;
        for (final RowBuffer buffer : inserts)
        {
            rows += buffer.size();
        }
        for (final RowBuffer buffer : parallelInserts)
        {
            rows += buffer.size();
        }
        for (final RowBuffer buffer : upserts)
        {
            rows += buffer.size();
        }
        return rows;
    }

    void clear()
    {
        inserts.forEach(RowBuffer::clear);
        parallelInserts.forEach(RowBuffer::clear);
        upserts.forEach(RowBuffer::clear);
        candles.clear();
        days.clear();
        dayCount = 0;
        changedInstruments.clear();
        entries = 0;
    }
}
