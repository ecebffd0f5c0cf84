package dev.bourse.cluster.node;

import io.aeron.cluster.ElectionState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElectionWatchTest
{
    private long state = -1;
    private final List<String> log = new ArrayList<>();
    private final ElectionWatch watch = new ElectionWatch(1, "0=a:9000,1=b:9100", () -> state, log::add);

    private void runFor(final long fromSeconds, final long toSeconds)
    {
        for (long s = fromSeconds; s <= toSeconds; s++)
        {
            watch.check(TimeUnit.SECONDS.toNanos(s));
        }
    }

    @Test
    void aNodeWithoutALeaderSaysSoAfterAWhileAndThenOnceAMinute()
    {
        runFor(0, 5);
        assertTrue(log.isEmpty(), "no counter yet: starting");
        state = ElectionState.CANVASS.code();
        runFor(6, 20);
        assertTrue(log.isEmpty(), "not before 15 s: " + log);
        runFor(21, 21);
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("node 1: warning: no leader for 15 s (election state canvass). If it stays so: are a majority"
            + " of the members up, and is cluster.members (0=a:9000,1=b:9100) the same on every node?"), log.get(0));
        runFor(22, 80);
        assertEquals(1, log.size(), "once a minute");
        runFor(81, 81);
        assertEquals(2, log.size());
        assertTrue(log.get(1).contains("no leader for 75 s"), log.get(1));
    }

    @Test
    void anElectionThatClosesInTimeSaysNothing()
    {
        state = ElectionState.CANVASS.code();
        runFor(0, 10);
        assertEquals(false, watch.leaderKnown());
        assertEquals(10, watch.secondsWithoutLeader(TimeUnit.SECONDS.toNanos(10)), "from the first check that saw the election");
        state = ElectionState.CLOSED.code();
        assertEquals(true, watch.leaderKnown(), "a closed election is seen at once, not at the next check");
        assertEquals(0, watch.secondsWithoutLeader(TimeUnit.SECONDS.toNanos(10)));
        runFor(11, 30);
        state = ElectionState.CANVASS.code();
        runFor(31, 40);
        assertTrue(log.isEmpty(), "each election counted from its own start: " + log);
    }
}
