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

    private long errors;
    private final List<String> stuckLog = new ArrayList<>();
    private final List<String> blockedSteps = new ArrayList<>();
    private final ElectionWatch stuckWatch = new ElectionWatch(2, "0=a:9000", () -> state, stuckLog::add, () -> errors,
        () -> "\"consensus-module\" RUNNABLE\n    at io.aeron.cluster.ConsensusModuleAgent.awaitServicesReady\n", blockedSteps::add);

    private List<String> stuckWarnings()
    {
        return stuckLog.stream().filter(line -> line.contains("looks blocked")).toList();
    }

    private void runStuckWatchFor(final long fromSeconds, final long toSeconds)
    {
        for (long s = fromSeconds; s <= toSeconds; s++)
        {
            stuckWatch.check(TimeUnit.SECONDS.toNanos(s));
        }
    }

    @Test
    void aBriefStepHeldHalfAMinuteWithNoErrorIsReportedOnceWithTheAeronThreads()
    {
        state = ElectionState.FOLLOWER_LOG_AWAIT.code();
        runStuckWatchFor(0, 29);
        assertEquals(List.of(), stuckWarnings(), "not before 30 s");
        runStuckWatchFor(30, 30);
        assertEquals(1, stuckWarnings().size());
        final String warning = stuckWarnings().get(0);
        assertTrue(warning.startsWith("node 2: warning: the election has been in follower_log_await for 30 s, a step Aeron ends"), warning);
        assertTrue(warning.endsWith("The node's Aeron threads:\n\"consensus-module\" RUNNABLE\n"
            + "    at io.aeron.cluster.ConsensusModuleAgent.awaitServicesReady\n"), warning);
        assertEquals(List.of("follower_log_await"), blockedSteps, "the node's remedy told, after the warning");
        runStuckWatchFor(31, 200);
        assertEquals(1, stuckWarnings().size(), "once per step held");
        assertEquals(1, blockedSteps.size());
        state = ElectionState.CANVASS.code();
        runStuckWatchFor(201, 210);
        state = ElectionState.FOLLOWER_LOG_AWAIT.code();
        runStuckWatchFor(211, 241);
        assertEquals(2, stuckWarnings().size(), "again for the next time the step holds");
    }

    @Test
    void aStepThatKeepsTimingOutIsNotBlocked()
    {
        // sampled once a second, an election failing in the same step over and over shows that step each time; its errors tell
        state = ElectionState.FOLLOWER_LOG_AWAIT.code();
        for (long s = 0; s <= 120; s++)
        {
            if (s % 7 == 0)
            {
                errors++;
            }
            stuckWatch.check(TimeUnit.SECONDS.toNanos(s));
        }
        assertEquals(List.of(), stuckWarnings());
        assertEquals(List.of(), blockedSteps);
    }

    @Test
    void stepsThatMayRightlyTakeLongAreNotReported()
    {
        for (final ElectionState step : new ElectionState[] {ElectionState.CANVASS, ElectionState.FOLLOWER_REPLAY,
            ElectionState.FOLLOWER_CATCHUP, ElectionState.LEADER_REPLAY, ElectionState.FOLLOWER_LOG_REPLICATION, ElectionState.CLOSED})
        {
            state = step.code();
            runStuckWatchFor(0, 100);
            assertEquals(List.of(), stuckWarnings(), step.name());
        }
    }

    @Test
    void theWarningsStacksAreThoseOfThreadsInAeronsCode()
    {
        final Thread consensusModule = new Thread(() -> { }, "consensus-module-0-0");
        final Thread gauges = new Thread(() -> { }, "node-gauges");
        final java.util.Map<Thread, StackTraceElement[]> stacks = new java.util.LinkedHashMap<>();
        stacks.put(gauges, new StackTraceElement[] {new StackTraceElement("dev.bourse.server.Gauges", "run", null, -1)});
        stacks.put(consensusModule, new StackTraceElement[] {
            new StackTraceElement("org.agrona.concurrent.BackoffIdleStrategy", "idle", null, -1),
            new StackTraceElement("io.aeron.cluster.ConsensusModuleAgent", "awaitServicesReady", null, -1)});
        assertEquals("\"consensus-module-0-0\" NEW\n"
            + "    at org.agrona.concurrent.BackoffIdleStrategy.idle(Unknown Source)\n"
            + "    at io.aeron.cluster.ConsensusModuleAgent.awaitServicesReady(Unknown Source)\n", ElectionWatch.aeronThreadStacks(stacks));
    }
}
