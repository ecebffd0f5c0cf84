package dev.bourse.server.schedule;

import dev.bourse.server.config.ConfigException;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The schedule section of the configuration: read, defaulted, validated with every problem named. */
class ScheduleConfigTest
{
    private static final String INSTRUMENTS = """
        instruments = AAA, BBB, CCC
        instrument.AAA.reference-price = 10
        instrument.BBB.reference-price = 10
        instrument.CCC.reference-price = 10
        """;

    @Test
    void aScheduleWithTwoSegmentsAndEverythingElse() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", INSTRUMENTS + """
            schedule.enabled = true
            schedule.time-zone = Europe/Paris
            schedule.trading-days = mon, tue, wed, thu, fri, sat
            schedule.holidays = 2026-12-25, 2027-01-01
            schedule.end-of-day = 18:30
            schedule.gtd-expiry-interval = 30s
            schedule.segments = EQ, REST
            schedule.segment.EQ.instruments = AAA
            schedule.segment.EQ.opening-call = 08:50
            schedule.segment.EQ.open = 09:00
            schedule.segment.EQ.open-random = 30s
            schedule.segment.EQ.closing-call = 17:30
            schedule.segment.EQ.close = 17:35
            schedule.segment.EQ.close-random = 30s
            schedule.segment.EQ.dynamic-band-bps = 200
            schedule.segment.EQ.static-band-bps = 1000
            schedule.segment.EQ.volatility-call = 2m
            schedule.segment.EQ.volatility-random = 10s
            schedule.segment.REST.instruments = *
            schedule.segment.REST.open = 09:00
            schedule.segment.REST.close = 17:30
            """));
        final ExchangeConfig.Schedule schedule = config.schedule();
        assertTrue(schedule.enabled());
        assertEquals(ZoneId.of("Europe/Paris"), schedule.zone());
        assertTrue(schedule.tradingDays().contains(DayOfWeek.SATURDAY));
        assertEquals(2, schedule.holidays().size());
        assertEquals(LocalTime.of(18, 30), schedule.endOfDay());
        assertEquals(Duration.ofSeconds(30), schedule.gtdExpiryInterval());
        final ExchangeConfig.Segment eq = schedule.segments().get(0);
        assertEquals(List.of(1), eq.instrumentIds());
        assertEquals(LocalTime.of(8, 50), eq.openingCall());
        assertEquals(Duration.ofSeconds(30), eq.closeRandom());
        assertEquals(200, eq.dynamicBandBps());
        assertEquals(List.of(2, 3), schedule.segments().get(1).instrumentIds(), "* takes every instrument in no other segment");
        assertNull(schedule.segments().get(1).openingCall());

        final ExchangeSchedule sources = new ExchangeSchedule(schedule);
        assertEquals(6, sources.sources().size(), "two segments, volatility call ends, end of day, GTD expiry rounds and times");
        assertNotNull(sources.gtdExpiryTimes());
    }

    @Test
    void withoutAScheduleSectionItIsOffAndStillExpiresGtdOrders() throws Exception
    {
        final ExchangeConfig.Schedule schedule = ExchangeConfig.read(Settings.parse("test", INSTRUMENTS)).schedule();
        assertFalse(schedule.enabled());
        assertEquals(java.time.ZoneOffset.UTC, schedule.zone());
        assertEquals(5, schedule.tradingDays().size());
        assertEquals(Duration.ofMinutes(1), schedule.gtdExpiryInterval());
        assertEquals(List.of(), schedule.segments());
    }

    @Test
    void everyProblemIsNamed()
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("bad", INSTRUMENTS + """
            schedule.time-zone = Mars/Olympus
            schedule.trading-days = mon, funday
            schedule.holidays = 25/12/2026
            schedule.end-of-day = 17:00
            schedule.segments = A, B, C
            schedule.segment.A.instruments = AAA, ZZZ
            schedule.segment.A.opening-call = 9am
            schedule.segment.A.open = 09:00
            schedule.segment.A.open-random = 2h
            schedule.segment.A.closing-call = 10:00
            schedule.segment.A.close = 17:30
            schedule.segment.A.dynamic-band-bps = -5
            schedule.segment.B.instruments = AAA
            schedule.segment.B.closing-call = 16:00
            schedule.segment.C.instruments = CCC
            schedule.segment.C.open = 17:00
            schedule.segment.C.close = 09:00
            """)));
        final String message = e.getMessage();
        for (final String expected : List.of(
            "schedule.time-zone: 'Mars/Olympus' is not a time zone",
            "schedule.trading-days: 'funday' is not a day",
            "schedule.holidays: '25/12/2026' is not a date",
            "schedule.segment.A.instruments: 'ZZZ' is not in 'instruments'",
            "schedule.segment.A.opening-call: '9am' is not a time of day",
            "schedule.segment.A.open: 09:00 + PT2H is not before schedule.segment.A.closing-call 10:00",
            "schedule.segment.A.close: 17:30 is not before schedule.end-of-day 17:00",
            "schedule.segment.A.dynamic-band-bps",
            "schedule.segment.B.instruments: 'AAA' is already in segment A",
            "schedule.segment.B.close: is required when there is a closing call",
            // no closing call: the close is what the open must come before, named as the key the operator set (an outside tester)
            "schedule.segment.C.open: 17:00 is not before schedule.segment.C.close 09:00"))
        {
            assertTrue(message.contains(expected), "missing '" + expected + "' in:\n" + message);
        }
    }
}
