package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

/** How a trading day is named (TradingDay): by the date of its latest entry in the exchange's zone, never reusing a date. */
class TradingDayNamingTest
{
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aLateCloseWestOfUtcIsNamedByItsLocalDateAndTheEveningAfterItByTheNext()
    {
        final TradingDay day = new TradingDay(NEW_YORK);
        entry(day, local(NEW_YORK, "2023-11-20T09:30"));
        // Extended hours end at 20:00 New York time: 01:00 UTC on the 21st.
        assertEquals(date("2023-11-20"), endOfDay(day, local(NEW_YORK, "2023-11-20T20:00")));
        assertEquals(2, day.number());
        assertEquals(date("2023-11-21"), day.date(), "the next day is named at once");
        assertEquals(local(NEW_YORK, "2023-11-21T00:00"), day.dateStartNanos(), "its daily candle starts at local midnight");
        entry(day, local(NEW_YORK, "2023-11-20T20:30"));
        assertEquals(date("2023-11-21"), day.date(), "an order after the close belongs to the next trading date");

        final TradingDay utc = new TradingDay();
        entry(utc, local(NEW_YORK, "2023-11-20T09:30"));
        assertEquals(date("2023-11-21"), endOfDay(utc, local(NEW_YORK, "2023-11-20T20:00")),
            "named by UTC dates, the same day would take the next date");
    }

    @Test
    void withoutAnEndOfDayTheDayRunsAcrossMidnightAndTakesTheLaterDate()
    {
        final TradingDay day = new TradingDay(ZoneOffset.UTC);
        entry(day, local(ZoneOffset.UTC, "2023-11-20T23:59:59"));
        assertEquals(date("2023-11-20"), day.date());
        entry(day, local(ZoneOffset.UTC, "2023-11-21T00:00:01"));
        assertEquals(1, day.number(), "still the first day");
        assertEquals(date("2023-11-21"), day.date());
    }

    @Test
    void aSecondEndOfDayOnOneDateGivesTheNextDayTheDateAfterAndDatesNeverGoBack()
    {
        final TradingDay day = new TradingDay(ZoneOffset.UTC);
        assertEquals(TradingDay.NO_DATE, day.date());
        assertNull(day.dateText());
        assertEquals(date("2023-11-20"), endOfDay(day, local(ZoneOffset.UTC, "2023-11-20T10:00")));
        assertEquals(date("2023-11-21"), endOfDay(day, local(ZoneOffset.UTC, "2023-11-20T11:00")));
        assertEquals(date("2023-11-22"), day.date());
        entry(day, local(ZoneOffset.UTC, "2023-11-20T11:30"));
        assertEquals("2023-11-22", day.dateText());
        day.onEntryStart(local(ZoneOffset.UTC, "2023-11-20T11:40"));
        day.onDayEnded(7);
        assertFalse(day.onEntryEnd(), "one instrument's end of day rolls nothing");
        assertEquals(3, day.number());
    }

    @Test
    void namingByAZoneAllocatesNothingWithinALocalDay()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TradingDay day = new TradingDay(NEW_YORK);
        final long start = local(NEW_YORK, "2023-11-20T09:30");
        long sum = 0;
        for (int i = 0; i < 200_000; i++) // warm up
        {
            entry(day, start + i * 1_000_000L);
            sum += day.dateStartNanos();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++)
        {
            entry(day, start + i * 1_000_000L);
            sum += day.dateStartNanos();
        }
        assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 1M entries");
        assertTrue(sum != 0);
    }

    private static void entry(final TradingDay day, final long timestamp)
    {
        day.onEntryStart(timestamp);
        assertFalse(day.onEntryEnd());
    }

    /** An entry with a whole-exchange DayEnded; returns the date of the day it ended. */
    private static long endOfDay(final TradingDay day, final long timestamp)
    {
        day.onEntryStart(timestamp);
        day.onDayEnded(0);
        final long ended = day.date();
        assertTrue(day.onEntryEnd());
        return ended;
    }

    private static long local(final ZoneId zone, final String dateTime)
    {
        return LocalDateTime.parse(dateTime).atZone(zone).toEpochSecond() * 1_000_000_000L;
    }

    private static long date(final String date)
    {
        return LocalDate.parse(date).toEpochDay();
    }
}
