package dev.bourse.server.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Set;

/**
 * The trading day's end for the whole exchange: GTD orders due by then expire (ExpireOrders),
 * then EndOfDay for every instrument, which expires DAY orders and ends the ClOrdID day. Shared
 * with operations, which end the day the same way.
 * <p>
 * A day end no process was up to send (a restart or a failover across it, a night down) is
 * caught up when the scheduler starts, from up to a week back. The scheduler cannot know whether
 * it was sent, so the EndOfDay names its scheduled time and the engine refuses it if the day open
 * then has already ended ({@code DAY_ALREADY_ENDED}): a day is never ended twice, nor a day that
 * began after the end that was missed.
 */
public final class DayEndSchedule implements ScheduleSource
{
    private final LocalTime endOfDay;
    private final Set<DayOfWeek> tradingDays;
    private final Set<LocalDate> holidays;

    public DayEndSchedule(final LocalTime endOfDay, final Set<DayOfWeek> tradingDays, final Set<LocalDate> holidays)
    {
        this.endOfDay = endOfDay;
        this.tradingDays = tradingDays;
        this.holidays = holidays;
    }

    @Override
    public void planDay(final LocalDate day, final DayPlan plan)
    {
        if (!tradingDays.contains(day.getDayOfWeek()) || holidays.contains(day))
        {
            return;
        }
        final long at = plan.at(day, endOfDay);
        // the orders due by the day's end: caught up after a restart it must not expire those due later (an outside probe)
        plan.schedule(at, "day-end:gtd", "end of day " + day + ": GTD expiry",
            (writer, buffer, timestamp) -> writer.expireOrders(buffer, 0, timestamp, at));
        plan.schedule(at, "day-end", "end of day " + day, (writer, buffer, timestamp) -> writer.endOfDay(buffer, 0, timestamp, 0, at));
    }

    @Override
    public int catchUpDays()
    {
        return 7;
    }
}
