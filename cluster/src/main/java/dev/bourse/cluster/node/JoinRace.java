package dev.bourse.cluster.node;

import java.util.List;
import java.util.Map;

/**
 * Recognises a race in Aeron Cluster (1.51) that leaves a follower out of the cluster for good. In
 * {@code follower_log_await} the consensus module finds the leader's log image on its own
 * subscription and then waits, with no timeout, for the clustered service to ack joining that
 * log ({@code ConsensusModuleAgent.awaitServicesReady}); the service adds its own subscription to
 * the same channel and waits, with no timeout either, for the image of the same session
 * ({@code ClusteredServiceAgent.awaitImage}). If that leader steps down in between (an election
 * lost at a starved start, seen on this 2-core host), its publication ends, the driver links no
 * new subscriber to the closing image, and the two wait for each other forever while the election
 * counter says {@code follower_log_await}. Both loops end only when their thread is interrupted,
 * which terminates the node's consensus module and service: the node stops, and started again it
 * rejoins from its log like any restarted node.
 */
final class JoinRace
{
    static final String CONSENSUS_MODULE = "io.aeron.cluster.ConsensusModuleAgent";
    static final String CONSENSUS_MODULE_WAIT = "awaitServicesReady";
    static final String SERVICE = "io.aeron.cluster.service.ClusteredServiceAgent";
    static final String SERVICE_WAIT = "awaitImage";

    private JoinRace()
    {
    }

    /**
     * The consensus module's and the service's threads when the stacks show both in the race's
     * waits, else an empty list. Either wait alone lasts milliseconds; both at once, in an election
     * held in one step for half a minute, is the race.
     */
    static List<Thread> heldThreads(final Map<Thread, StackTraceElement[]> stacks)
    {
        Thread consensusModule = null;
        Thread service = null;
        for (final Map.Entry<Thread, StackTraceElement[]> thread : stacks.entrySet())
        {
            if (isIn(thread.getValue(), CONSENSUS_MODULE, CONSENSUS_MODULE_WAIT))
            {
                consensusModule = thread.getKey();
            }
            else if (isIn(thread.getValue(), SERVICE, SERVICE_WAIT))
            {
                service = thread.getKey();
            }
        }
        return consensusModule != null && service != null ? List.of(consensusModule, service) : List.of();
    }

    private static boolean isIn(final StackTraceElement[] frames, final String className, final String method)
    {
        for (final StackTraceElement frame : frames)
        {
            if (frame.getClassName().equals(className) && frame.getMethodName().equals(method))
            {
                return true;
            }
        }
        return false;
    }
}
