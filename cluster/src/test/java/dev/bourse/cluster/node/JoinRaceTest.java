package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JoinRaceTest
{
    private final Thread consensusModule = new Thread(() -> { }, "consensus-module-0-0");
    private final Thread service = new Thread(() -> { }, "clustered-service-0-0");
    private final Thread driver = new Thread(() -> { }, "archive-and-driver-0");

    private static StackTraceElement[] stack(final String... classAndMethod)
    {
        final StackTraceElement[] frames = new StackTraceElement[classAndMethod.length];
        for (int i = 0; i < classAndMethod.length; i++)
        {
            final int dot = classAndMethod[i].lastIndexOf('.');
            frames[i] = new StackTraceElement(classAndMethod[i].substring(0, dot), classAndMethod[i].substring(dot + 1), null, -1);
        }
        return frames;
    }

    private static final StackTraceElement[] CONSENSUS_MODULE_WAITING = stack(
        "org.agrona.concurrent.BackoffIdleStrategy.idle",
        "io.aeron.cluster.ConsensusModuleAgent.idle",
        "io.aeron.cluster.ConsensusModuleAgent.awaitServicesReady",
        "io.aeron.cluster.ConsensusModuleAgent.tryJoinLogAsFollower",
        "io.aeron.cluster.Election.followerLogAwait");
    private static final StackTraceElement[] SERVICE_WAITING = stack(
        "io.aeron.cluster.service.ClusteredServiceAgent.idle",
        "io.aeron.cluster.service.ClusteredServiceAgent.awaitImage",
        "io.aeron.cluster.service.ClusteredServiceAgent.joinActiveLog");
    private static final StackTraceElement[] IDLE_AGENT = stack(
        "org.agrona.concurrent.BackoffIdleStrategy.idle",
        "org.agrona.concurrent.AgentRunner.doWork");

    @Test
    void bothWaitingForEachOtherIsTheRace()
    {
        final Map<Thread, StackTraceElement[]> stacks = new LinkedHashMap<>();
        stacks.put(driver, IDLE_AGENT);
        stacks.put(service, SERVICE_WAITING);
        stacks.put(consensusModule, CONSENSUS_MODULE_WAITING);
        assertEquals(List.of(consensusModule, service), JoinRace.heldThreads(stacks));
    }

    @Test
    void eitherWaitAloneIsNot()
    {
        assertEquals(List.of(), JoinRace.heldThreads(Map.of(consensusModule, CONSENSUS_MODULE_WAITING, service, IDLE_AGENT)),
            "the service about to ack");
        assertEquals(List.of(), JoinRace.heldThreads(Map.of(consensusModule, IDLE_AGENT, service, SERVICE_WAITING)),
            "the service waiting for an image the consensus module has not asked it to join");
        assertEquals(List.of(), JoinRace.heldThreads(Map.of(consensusModule, IDLE_AGENT, service, IDLE_AGENT, driver, IDLE_AGENT)));
    }
}
