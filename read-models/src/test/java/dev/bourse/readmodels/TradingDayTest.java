package dev.bourse.readmodels;

import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.DayEndedDecoder;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.TradeDecoder;
import dev.bourse.readmodels.history.StoreSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static dev.bourse.readmodels.MarketView.DAY;
import static dev.bourse.readmodels.MarketView.HOUR;
import static dev.bourse.readmodels.MarketView.MINUTE;
import static dev.bourse.readmodels.MarketView.SECOND;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The daily statistics and daily candles roll at the exchange's end of day (the journal's
 * whole-exchange DayEnded), not at midnight UTC: a day that ends at 15:00 UTC splits that date's
 * trades in two, and a day without an end runs across midnight. The hot answers (/stats) and the
 * history store's (?date=, /daily-summary, 1d candles) agree, on SQLite and PostgreSQL, and a replay
 * or a checkpoint restore gives the same day. The expected days are recomputed here from the
 * journal's own Trade and DayEnded events.
 */
class TradingDayTest
{
    private static final long MONDAY = LocalDate.of(2023, 11, 20).toEpochDay();
    private static final String MONDAY_TEXT = "2023-11-20";
    private static final String TUESDAY_TEXT = "2023-11-21";

    @TempDir
    Path dir;
    /** What the query side logged: a checkpoint it could not use or a write that failed would show here. */
    private final java.util.Queue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private java.time.ZoneId zone;

    /** With the exchange in New York the same journal gives the same days, their candles starting at New York midnight. */
    @ParameterizedTest
    @CsvSource({"embedded, UTC", "postgresql, UTC", "embedded, America/New_York"})
    void theDayRollsAtTheEndOfDayAndNotAtMidnight(final String kind, final String timeZone) throws Exception
    {
        zone = java.time.ZoneId.of(timeZone);
        final CommandWriter writer = new CommandWriter();
        // Monday morning trading (the instruments and accounts were set up the week before: the same trading day).
        final Workload workload = new Workload(17).at(time(MONDAY, 14, 0, 0)).run(1_500);
        // The exchange's day ends at 15:00 UTC.
        workload.at(time(MONDAY, 15, 0, 0)).submit(buffer -> writer.endOfDay(buffer, 0, 0, 0));
        final StoreSettings store = kind.equals("embedded") ? StoreSettings.embedded(dir.resolve("history.db"))
            : StoreSettings.postgresql(TestPostgres.newDatabase(), TestPostgres.user(), TestPostgres.password());
        try (ReadModelsServer server = start(workload, store))
        {
            final ApiClient api = new ApiClient(server.port());
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            // Just after the end of day: the next day is named Tuesday and has no trades yet, hot and stored alike.
            for (int id = 1; id <= SteadyStateLoad.INSTRUMENTS; id++)
            {
                final String hot = data(api.get("/api/v1/instruments/" + id + "/stats", null).body());
                assertTrue(hot.contains("\"date\":\"" + TUESDAY_TEXT + "\",\"count\":0"), hot);
                assertEquals(hot, data(api.get("/api/v1/instruments/" + id + "/stats?date=" + TUESDAY_TEXT, null).body()));
            }
        }

        assertTrue(java.nio.file.Files.exists(dir.resolve("checkpoints").resolve(CheckpointStore.NAME)), "a checkpoint at the close");
        // Monday afternoon after the end of day, and on to Tuesday across midnight UTC without an end of day. The
        // query side restarts in between: the hot side from its checkpoint, the sink from the store's checkpoint.
        workload.at(time(MONDAY, 15, 30, 0)).run(1_500);
        workload.at(time(MONDAY, 23, 59, 50)).run(2_000);
        try (ReadModelsServer server = start(workload, store))
        {
            final ApiClient api = new ApiClient(server.port());
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);

            final TreeMap<Integer, List<long[]>> tradesByDay = tradesByTradingDay(workload);
            assertEquals(2, tradesByDay.size(), "trades on both sides of the end of day");
            assertTrue(tradesByDay.get(1).stream().anyMatch(t -> t[1] >= time(MONDAY + 1, 0, 0, 0)) &&
                tradesByDay.get(1).stream().anyMatch(t -> t[1] < time(MONDAY + 1, 0, 0, 0)),
                "the second day has trades on both sides of midnight UTC");
            assertTrue(tradesByDay.get(0).stream().anyMatch(t -> t[1] >= time(MONDAY, 14, 0, 0)));

            int instrumentsTraded = 0;
            for (int id = 1; id <= SteadyStateLoad.INSTRUMENTS; id++)
            {
                final long[] monday = ohlcv(tradesByDay.get(0), id);
                final long[] tuesday = ohlcv(tradesByDay.get(1), id);
                final String hot = data(api.get("/api/v1/instruments/" + id + "/stats", null).body());
                final String storedTuesday = data(api.get("/api/v1/instruments/" + id + "/stats?date=" + TUESDAY_TEXT, null).body());
                final String storedMonday = data(api.get("/api/v1/instruments/" + id + "/stats?date=" + MONDAY_TEXT, null).body());
                assertEquals(hot, storedTuesday, "the live day and the stored day agree");
                assertDay(TUESDAY_TEXT, tuesday, hot);
                assertDay(MONDAY_TEXT, monday, storedMonday);
                final String wednesday = data(api.get("/api/v1/instruments/" + id + "/stats?date=2023-11-22", null).body());
                assertTrue(wednesday.contains("\"date\":\"2023-11-22\",\"count\":0}"), wednesday);

                final String candles = api.get("/api/v1/instruments/" + id + "/candles?interval=1d", null).body();
                final List<String> expected = new ArrayList<>();
                if (monday[5] > 0)
                {
                    expected.add("\"startNanos\":" + TradingDay.startNanos(zone, MONDAY) + ",\"open\":\"" + Prices.toString(monday[0]) + "\"");
                }
                if (tuesday[5] > 0)
                {
                    expected.add("\"startNanos\":" + TradingDay.startNanos(zone, MONDAY + 1) + ",\"open\":\"" + Prices.toString(tuesday[0]) + "\"");
                }
                assertEquals(expected.size(), candles.split("\"startNanos\"").length - 1, candles);
                expected.forEach(e -> assertTrue(candles.contains(e), candles + " lacks " + e));
                instrumentsTraded += monday[5] > 0 && tuesday[5] > 0 ? 1 : 0;
            }
            assertTrue(instrumentsTraded > 0);

            // The daily summary of each day counts that day's trades.
            assertEquals(tradesByDay.get(0).size(), summedTrades(api.get("/api/v1/daily-summary?date=" + MONDAY_TEXT, null).body()));
            assertEquals(tradesByDay.get(1).size(), summedTrades(api.get("/api/v1/daily-summary?date=" + TUESDAY_TEXT, null).body()));
        }

        assertTrue(log.stream().noneMatch(line -> line.contains("unusable") || line.contains("error") || line.contains("fail")),
            String.join("\n", log));
        replayAndCheckpointGiveTheSameDay(workload);
    }

    private ReadModelsServer start(final Workload workload, final StoreSettings store) throws IOException
    {
        return ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).store(store)
            .checkpointDirectory(dir.resolve("checkpoints")).timeZone(zone).port(0).bindAddress("127.0.0.1").sinkBatchEntries(200)
            .log(log::add));
    }

    /** A full replay, and a restore from a checkpoint taken right after the end of day then continued, agree byte for byte. */
    private static void replayAndCheckpointGiveTheSameDay(final Workload workload) throws IOException
    {
        final ReadModels replayed = workload.project();
        assertEquals(java.time.ZoneOffset.UTC, replayed.tradingDay().zone());
        assertEquals(2, replayed.tradingDay().number());
        assertEquals(MONDAY + 1, replayed.tradingDay().date());

        final ReadModels untilDayEnd = new ReadModels();
        long dayEndPosition = -1;
        try (var tailer = workload.journal.tailer())
        {
            while (untilDayEnd.tradingDay().number() == 1)
            {
                assertEquals(1, tailer.poll(untilDayEnd, 1));
                dayEndPosition++;
            }
        }
        final ReadModels restored = new ReadModels();
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(untilDayEnd))));
        assertEquals(MONDAY + 1, restored.tradingDay().date());
        assertNull(restored.findMarket(1).today(), "the checkpoint holds the new, empty day");
        try (var tailer = workload.journal.tailerAfter(dayEndPosition))
        {
            while (tailer.poll(restored, 1_000) > 0)
            {
            }
        }
        assertArrayEquals(bytes(replayed), bytes(restored));
    }

    /** Trades as {instrument, timestamp, price, quantity} by trading day (0, 1, ...), from the journal's events alone. */
    private static TreeMap<Integer, List<long[]>> tradesByTradingDay(final Workload workload)
    {
        final TreeMap<Integer, List<long[]>> days = new TreeMap<>();
        final JournalEntryReader reader = new JournalEntryReader();
        final JournalEventListener listener = new JournalEventListener()
        {
            int day;
            boolean ends;
            long timestamp;

            @Override
            public void onEntryStart(final EntryHeaderDecoder header)
            {
                timestamp = header.timestamp();
            }

            @Override
            public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
            {
                days.computeIfAbsent(day, d -> new ArrayList<>())
                    .add(new long[]{event.instrumentId(), timestamp, event.price(), event.quantity()});
            }

            @Override
            public void onDayEnded(final EntryHeaderDecoder header, final DayEndedDecoder event)
            {
                ends |= event.instrumentId() == 0;
            }

            @Override
            public void onEntryEnd(final EntryHeaderDecoder header)
            {
                if (ends)
                {
                    day++;
                    ends = false;
                }
            }
        };
        try (var tailer = workload.journal.tailer())
        {
            while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, listener), 1_000) > 0)
            {
            }
        }
        return days;
    }

    /** {open, high, low, last, volume, count} of one instrument's trades. */
    private static long[] ohlcv(final List<long[]> trades, final int instrumentId)
    {
        final long[] day = new long[6];
        for (final long[] t : trades)
        {
            if (t[0] != instrumentId)
            {
                continue;
            }
            if (day[5] == 0)
            {
                day[0] = t[2];
                day[1] = t[2];
                day[2] = t[2];
            }
            day[1] = Math.max(day[1], t[2]);
            day[2] = Math.min(day[2], t[2]);
            day[3] = t[2];
            day[4] += t[3];
            day[5]++;
        }
        return day;
    }

    private static void assertDay(final String date, final long[] expected, final String json)
    {
        assertTrue(json.contains("\"date\":\"" + date + "\""), json);
        assertTrue(json.contains("\"count\":" + expected[5]), json);
        if (expected[5] > 0)
        {
            assertTrue(json.contains("\"open\":\"" + Prices.toString(expected[0]) + "\",\"high\":\"" + Prices.toString(expected[1]) +
                "\",\"low\":\"" + Prices.toString(expected[2]) + "\",\"last\":\"" + Prices.toString(expected[3]) +
                "\",\"volume\":" + expected[4] + ","), json + " expected " + java.util.Arrays.toString(expected));
        }
    }

    private static long summedTrades(final String summary)
    {
        long sum = 0;
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"trades\":(\\d+)").matcher(summary);
        while (m.find())
        {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** The answer's data (without the journal position, which differs between the hot and the history side). */
    private static String data(final String body)
    {
        return body.substring(body.indexOf("\"data\""));
    }

    private static byte[] bytes(final ReadModels models) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            models.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static long time(final long epochDay, final int hour, final int minute, final int second)
    {
        return epochDay * DAY + hour * HOUR + minute * MINUTE + second * SECOND;
    }
}
