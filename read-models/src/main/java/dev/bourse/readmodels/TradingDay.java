package dev.bourse.readmodels;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The exchange's trading day as every reader derives it from the journal alone: the day's daily
 * statistics and daily candles, hot and in the history store, belong to it.
 * <ul>
 *   <li>A trading day begins with the journal's first entry or the entry after a whole-exchange
 *   {@code DayEnded} (instrument 0), and ends with the entry that carries that {@code DayEnded}
 *   (the whole entry, its expiries included, belongs to the day it ends). A per-instrument
 *   {@code DayEnded} expires that instrument's DAY orders and rolls nothing.</li>
 *   <li>Its {@link #number} counts the days (1, 2, ...): the history store's key.</li>
 *   <li>Its {@link #date} (days since 1970-01-01) names it: the calendar date, in the exchange's
 *   time zone ({@code schedule.time-zone}, UTC by default), of its latest entry, but at least the
 *   day after the previous trading day's date. So a day that ends at 15:00 is named by that date
 *   and the trades after it by the next date; a day with no end of day runs across midnight and
 *   takes the later date; dates only ever grow, and no two days share one. Until the day has ended
 *   its date may still move forward.</li>
 * </ul>
 * Allocation-free per entry (the zone's day bounds are cached; they are looked up once per local
 * day). Not thread-safe: one per projection, fed in journal order.
 */
public final class TradingDay
{
    /** {@link #date} before the first entry. */
    public static final long NO_DATE = -1;
    private static final long DAY_NANOS = 86_400_000_000_000L;

    private final ZoneId zone;
    private final boolean utc;
    private long number = 1;
    private long date = NO_DATE;
    private boolean endsWithEntry;
    // The local day the last timestamp fell in: [cachedStart, cachedEnd) is cachedDate.
    private long cachedStart = Long.MAX_VALUE;
    private long cachedEnd = Long.MIN_VALUE;
    private long cachedDate;
    // The start of the current date (the daily candle's start).
    private long startOfDate = NO_DATE;
    private long startOfDateNanos;

    /** Days named by UTC dates. */
    public TradingDay()
    {
        this(ZoneOffset.UTC);
    }

    /** Days named by dates in {@code zone} (the exchange's {@code schedule.time-zone}). */
    public TradingDay(final ZoneId zone)
    {
        this.zone = zone;
        this.utc = zone.normalized().equals(ZoneOffset.UTC);
    }

    public ZoneId zone()
    {
        return zone;
    }

    /** The state a checkpoint recorded. */
    public void restore(final long number, final long date)
    {
        this.number = number;
        this.date = date;
        endsWithEntry = false;
    }

    /** An entry of the current day, stamped {@code timestamp}: the day's date may move forward. */
    public void onEntryStart(final long timestamp)
    {
        date = Math.max(date, localDate(timestamp));
    }

    /** A DayEnded event of the current entry; a whole-exchange one ends the day with the entry. */
    public void onDayEnded(final int instrumentId)
    {
        if (instrumentId == 0)
        {
            endsWithEntry = true;
        }
    }

    /** The current entry is done: if it ended the day, the next day begins; returns whether it did. */
    public boolean onEntryEnd()
    {
        if (!endsWithEntry)
        {
            return false;
        }
        endsWithEntry = false;
        number++;
        date = date == NO_DATE ? NO_DATE : date + 1;
        return true;
    }

    public long number()
    {
        return number;
    }

    /** The current day's date in days since 1970-01-01, {@link #NO_DATE} before the first entry. */
    public long date()
    {
        return date;
    }

    /** Start of the current day's date (midnight in the zone) in epoch nanoseconds: the daily candle's start. */
    public long dateStartNanos()
    {
        if (date == NO_DATE)
        {
            return 0;
        }
        if (date != startOfDate)
        {
            startOfDate = date;
            startOfDateNanos = startNanos(zone, date);
        }
        return startOfDateNanos;
    }

    /** The date (days since 1970-01-01) in the zone of an instant in epoch nanoseconds. */
    public long localDate(final long epochNanos)
    {
        if (utc)
        {
            return Math.floorDiv(epochNanos, DAY_NANOS);
        }
        if (epochNanos < cachedStart || epochNanos >= cachedEnd)
        {
            final LocalDate day = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .atZone(zone).toLocalDate();
            cachedDate = day.toEpochDay();
            cachedStart = startNanos(zone, cachedDate);
            cachedEnd = startNanos(zone, cachedDate + 1);
        }
        return cachedDate;
    }

    /** The first instant of a date (days since 1970-01-01) in a zone, in epoch nanoseconds. */
    public static long startNanos(final ZoneId zone, final long epochDay)
    {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toEpochSecond() * 1_000_000_000L;
    }

    /** The date as ISO text (YYYY-MM-DD), or null before the first entry. */
    public String dateText()
    {
        return date == NO_DATE ? null : LocalDate.ofEpochDay(date).toString();
    }
}
