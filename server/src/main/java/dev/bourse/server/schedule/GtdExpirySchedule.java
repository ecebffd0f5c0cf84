package dev.bourse.server.schedule;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * GTD orders expire when an ExpireOrders command reaches their expire time: this source sends one
 * every interval, around the clock (a GTD order may expire at any time), carrying the time it is
 * sent. The engine expires what is due from an index, so a command with nothing due costs one
 * comparison and one small journal entry. The expiries share one catch-up key: an exchange started
 * late in the day sends one at once, which expires every order that fell due while it was down,
 * instead of skipping a day's worth of them.
 */
public final class GtdExpirySchedule implements ScheduleSource
{
    static final String CATCH_UP_KEY = "gtd-expiry";

    private final Duration interval;

    public GtdExpirySchedule(final Duration interval)
    {
        if (interval.isZero() || interval.isNegative())
        {
            throw new IllegalArgumentException("GTD expiry interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    @Override
    public void planDay(final LocalDate day, final DayPlan plan)
    {
        final long start = plan.at(day, LocalTime.MIDNIGHT);
        final long end = plan.at(day.plusDays(1), LocalTime.MIDNIGHT);
        for (long at = start + interval.toNanos(); at <= end; at += interval.toNanos())
        {
            final long due = at; // the round's time: caught up late, it expires what was due by then, not by now
            plan.schedule(at, CATCH_UP_KEY, "GTD expiry", (writer, buffer, timestamp) -> writer.expireOrders(buffer, 0, timestamp, due));
        }
    }
}
