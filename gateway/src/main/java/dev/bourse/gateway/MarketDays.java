package dev.bourse.gateway;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * When a market date ends, in nanos since the epoch: the next day's midnight in the market's zone
 * (which daylight saving time moves). Orders of a day name the same date, so the last answer is
 * kept and the order path allocates nothing for them.
 */
final class MarketDays
{
    private final ZoneId zone;
    private long lastDay = Long.MIN_VALUE;
    private long lastEnd;

    MarketDays(final ZoneId zone)
    {
        this.zone = zone;
    }

    /** @param epochDay days since 1970-01-01, from a date of four-digit year */
    long endNanos(final long epochDay)
    {
        if (epochDay != lastDay)
        {
            // a FIX date has four digits of year: java.time takes it, and toNanos saturates past 2262
            lastEnd = TimeUnit.SECONDS.toNanos(LocalDate.ofEpochDay(epochDay + 1).atStartOfDay(zone).toEpochSecond());
            lastDay = epochDay;
        }
        return lastEnd;
    }
}
