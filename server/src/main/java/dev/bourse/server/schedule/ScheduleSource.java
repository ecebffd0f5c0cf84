package dev.bourse.server.schedule;

import java.time.LocalDate;

/**
 * One kind of scheduled work feeding the one {@link Scheduler}: a segment's trading day, the end
 * of the day, GTD expiry, the ends of volatility calls; operations (issue 17) can add their own.
 * Called on the scheduler's thread only.
 */
public interface ScheduleSource
{
    /** Plans what this source does on {@code day} (a date in the scheduler's zone). */
    default void planDay(final LocalDate day, final DayPlan plan)
    {
    }

    /**
     * How many days before today this source's past actions count when the scheduler starts: the
     * latest of each catch-up key among them is sent at once (0: only today's). The day's end and a
     * segment's day look back a week, so a day end or a close missed overnight or over a weekend is
     * caught up, guarded.
     */
    default int catchUpDays()
    {
        return 0;
    }

    /**
     * At a start, before an action that was due at {@code scheduledAt} is caught up: plan, at
     * {@code nowNanos}, what this source would have sent by then, so the catch-up meets the state
     * it would have met.
     */
    default void beforeCatchUp(final long scheduledAt, final long nowNanos, final DayPlan plan)
    {
    }

    /** Called every duty cycle with the clock's time: a source that reacts to events plans here. */
    default void poll(final long nowNanos, final DayPlan plan)
    {
    }
}
