package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot interval on a fake clock: from the cluster's last snapshot, asked only while leading, retried. */
class SnapshotScheduleTest
{
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long T0 = 1_000 * MINUTE;

    @Test
    void aNodeThatJustStartedCountsFromTheClustersLastSnapshot()
    {
        final SnapshotSchedule fresh = new SnapshotSchedule(10 * MINUTE, T0, 0, 0);
        assertFalse(fresh.due(T0 + 9 * MINUTE, 0, () -> true), "no snapshot known: an interval from the start");
        assertTrue(fresh.due(T0 + 10 * MINUTE, 0, () -> true));

        final SnapshotSchedule restarted = new SnapshotSchedule(10 * MINUTE, T0, 8 * MINUTE, 0);
        assertFalse(restarted.due(T0 + MINUTE, 0, () -> true));
        assertTrue(restarted.due(T0 + 2 * MINUTE, 0, () -> true), "the cluster's last snapshot was 8 minutes before the start");

        final SnapshotSchedule longAgo = new SnapshotSchedule(10 * MINUTE, T0, 300 * MINUTE, 0);
        assertTrue(longAgo.due(T0 + TimeUnit.SECONDS.toNanos(1), 0, () -> true), "overdue: asked at once");
    }

    @Test
    void onlyALeaderAsksAndASnapshotByAnyLeaderRestartsTheClock()
    {
        final SnapshotSchedule schedule = new SnapshotSchedule(10 * MINUTE, T0, 0, 0);
        assertFalse(schedule.due(T0 + 11 * MINUTE, 0, () -> false), "a follower does not ask");
        assertFalse(schedule.due(T0 + 12 * MINUTE, 1, () -> true), "another leader took one: the clock starts again");
        assertFalse(schedule.due(T0 + 21 * MINUTE, 1, () -> true));
        assertTrue(schedule.due(T0 + 22 * MINUTE, 1, () -> true));
    }

    @Test
    void anAskNotAnsweredIsRepeatedEveryTenthOfTheInterval()
    {
        final SnapshotSchedule schedule = new SnapshotSchedule(10 * MINUTE, T0, 0, 0);
        assertTrue(schedule.due(T0 + 10 * MINUTE, 0, () -> true));
        assertFalse(schedule.due(T0 + 10 * MINUTE + MINUTE / 2, 0, () -> true));
        assertTrue(schedule.due(T0 + 11 * MINUTE, 0, () -> true));
    }
}
