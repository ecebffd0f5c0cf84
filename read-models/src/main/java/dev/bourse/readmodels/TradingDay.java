package dev.bourse.readmodels;

/**
 * The exchange's trading day as every reader derives it from the journal alone: the day's daily
 * statistics and daily candles, hot and in the history store, belong to it.
 * <ul>
 *   <li>A trading day begins with the journal's first entry or the entry after a whole-exchange
 *   {@code DayEnded} (instrument 0), and ends with the entry that carries that {@code DayEnded}
 *   (the whole entry, its expiries included, belongs to the day it ends). A per-instrument
 *   {@code DayEnded} expires that instrument's DAY orders and rolls nothing.</li>
 *   <li>Its {@link #number} counts the days (1, 2, ...): the history store's key.</li>
 *   <li>Its {@link #date} (days since 1970-01-01) names it: the UTC calendar date of its latest
 *   entry, but at least the day after the previous trading day's date. So a day that ends at
 *   15:00 UTC is named by that date and the trades after it by the next date; a day with no end of
 *   day runs across midnight UTC and takes the later date; dates only ever grow, and no two days
 *   share one. Until the day has ended its date may still move forward.</li>
 * </ul>
 * Not thread-safe: one per projection, fed in journal order.
 */
public final class TradingDay
{
    /** {@link #date} before the first entry. */
    public static final long NO_DATE = -1;
    private static final long DAY_NANOS = 86_400_000_000_000L;

    private long number = 1;
    private long date = NO_DATE;
    private boolean endsWithEntry;

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
        date = Math.max(date, Math.floorDiv(timestamp, DAY_NANOS));
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

    /** Start of the current day's date (UTC midnight) in epoch nanoseconds: the daily candle's start. */
    public long dateStartNanos()
    {
        return date == NO_DATE ? 0 : date * DAY_NANOS;
    }

    /** The date as ISO text (YYYY-MM-DD), or null before the first entry. */
    public String dateText()
    {
        return date == NO_DATE ? null : java.time.LocalDate.ofEpochDay(date).toString();
    }
}
