package dev.bourse.readmodels.stream;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.StreamSnapshotsAccess;
import dev.bourse.readmodels.Workload;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber of the candles channel holds what a new subscriber's snapshot shows, across the end
 * of the trading day: the channel said nothing at the end of day, so a subscriber kept the ended
 * day's daily candle as current while a new one's snapshot had no daily candle and GET stats the new
 * date with no trades (an outside tester). Now the daily candle of a day without trades yet is
 * empty (count 0, no prices) in the snapshot, and an update says so when the day begins.
 */
class DailyCandleAtEndOfDayTest
{
    private static final long MONDAY = LocalDate.of(2023, 11, 20).toEpochDay();
    private static final Pattern CANDLE = Pattern.compile("\\{\"interval\":\"(1s|1m|1h|1d)\"[^}]*}");

    private final StreamSourceFixture fixture = new StreamSourceFixture();
    private final Workload workload = fixture.workload;
    private final CommandWriter writer = new CommandWriter();
    /** What a subscriber of instrument 1 (which trades) and one of instrument 2 (which does not) hold: candles by interval. */
    private TreeMap<String, String> traded;
    private TreeMap<String, String> quiet;

    @Test
    void anOldSubscriberAndANewOneAgreeAcrossTheEndOfDay()
    {
        fixture.updates(channel(1), StreamJson::update); // the models catch up with the set-up
        final LongHashSet interest = new LongHashSet();
        interest.add(channel(1));
        interest.add(channel(2));
        fixture.source.interest(interest);
        traded = snapshot(1);
        quiet = snapshot(2);

        workload.at(time(MONDAY, 9, 0));
        order(1, Side.BUY, 100); // Monday's first entry: the day's date moves from the set-up's
        check();

        workload.at(time(MONDAY, 10, 0));
        trade(100);
        check();
        workload.at(time(MONDAY, 11, 0));
        trade(101);
        check();
        assertEquals(2, count(traded.get("1d")));

        workload.at(time(MONDAY, 15, 0)).submit(b -> writer.endOfDay(b, 0, 0, 0));
        check();
        assertEquals(0, count(traded.get("1d")), "the day ended: its candle is not current any more");
        assertTrue(traded.get("1d").contains("\"open\":null") && traded.get("1d").contains("\"vwap\":null"), traded.get("1d"));
        assertEquals(time(MONDAY + 1, 0, 0), startNanos(traded.get("1d")), "Tuesday's, empty");
        assertEquals(time(MONDAY, 11, 0), startNanos(traded.get("1h")), "the intraday candles stay keyed by time");

        workload.at(time(MONDAY, 16, 0));
        order(1, Side.BUY, 99); // an evening entry belongs to Tuesday: nothing moves
        check();
        workload.at(time(MONDAY + 1, 10, 0));
        trade(102);
        check();
        assertEquals(1, count(traded.get("1d")));

        workload.at(time(MONDAY + 1, 15, 0)).submit(b -> writer.endOfDay(b, 0, 0, 0));
        check();
        workload.at(time(MONDAY + 3, 9, 0)); // Thursday's first entry: the day without trades takes its date
        order(1, Side.BUY, 99);
        check();
        assertEquals(0, count(traded.get("1d")));
        assertEquals(time(MONDAY + 3, 0, 0), startNanos(traded.get("1d")), "the empty candle starts at the day's date's midnight");
        assertEquals(traded.get("1d"), quiet.get("1d"), "an instrument that never traded has the same");
    }

    private static long channel(final int instrumentId)
    {
        return StreamChannels.key(StreamChannels.CANDLES, instrumentId);
    }

    /** The candles of a fresh snapshot, by interval. */
    private TreeMap<String, String> snapshot(final int instrumentId)
    {
        final TreeMap<String, String> candles = new TreeMap<>();
        final Matcher m = CANDLE.matcher(
            StreamSnapshotsAccess.builder().build(fixture.models, StreamChannels.CANDLES, instrumentId, Integer.MAX_VALUE));
        while (m.find())
        {
            candles.put(m.group(1), m.group());
        }
        return candles;
    }

    /** Applies the updates of the new entries to both subscribers' candles and compares them with new snapshots. */
    private void check()
    {
        final List<String> updates = fixture.updates(key -> key == channel(1) || key == channel(2), StreamJson::update);
        for (final String update : updates)
        {
            final Matcher m = CANDLE.matcher(update.substring(update.indexOf("\"data\":")));
            assertTrue(m.find(), update);
            (update.contains("\"instrumentId\":1,") ? traded : quiet).put(m.group(1), m.group());
        }
        assertEquals(snapshot(1), traded, "instrument 1: snapshot then updates " + updates);
        assertEquals(snapshot(2), quiet, "instrument 2: snapshot then updates " + updates);
    }

    private void order(final long account, final Side side, final long price)
    {
        final long clOrd = workload.state.lastOrderId() + 1;
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, account, 1, side, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            price * Prices.SCALE, 10, "o" + clOrd));
    }

    /** A trade on instrument 1 at {@code price}: a resting buy, then a sell that takes it (two entries). */
    private void trade(final long price)
    {
        order(2, Side.BUY, price);
        order(3, Side.SELL, price);
    }

    private static long count(final String candle)
    {
        return Long.parseLong(field(candle, "count"));
    }

    private static long startNanos(final String candle)
    {
        return Long.parseLong(field(candle, "startNanos"));
    }

    private static String field(final String candle, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":([^,}]*)").matcher(candle);
        assertTrue(m.find(), candle);
        return m.group(1);
    }

    private static long time(final long epochDay, final int hour, final int minute)
    {
        return LocalDate.ofEpochDay(epochDay).atTime(hour, minute).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
    }
}
