package dev.bourse.server.schedule;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * What a {@link ScheduleSource} plans into: actions at instants, and random draws. The draws come
 * from the scheduler's injected random source, never from the engine: the command that results
 * carries the drawn value into the journal.
 */
public interface DayPlan
{
    ZoneId zone();

    /** The instant (nanos since the epoch) of a time of day on a day, in the scheduler's zone. */
    long at(LocalDate day, LocalTime time);

    /**
     * Plans a command.
     *
     * @param atNanos when to send it (nanos since the epoch).
     * @param catchUpKey actions that set the same state (an instrument's phase) share a key: when
     *                   the scheduler starts late in the day, only the latest past action of each key
     *                   is sent, at once; null for actions that are not caught up when missed.
     * @param description for the log and for tests.
     */
    void schedule(long atNanos, String catchUpKey, String description, CommandEncoder encoder);

    /** A uniform random draw in [0, windowNanos] (0 if the window is 0). */
    long draw(long windowNanos);
}
