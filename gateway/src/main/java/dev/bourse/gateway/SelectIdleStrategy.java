package dev.bourse.gateway;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a gateway (or shared order-path) thread by blocking in its selector, the way a plain TCP
 * server waits: after a few empty duty cycles the thread sleeps in {@code select} until a socket
 * has bytes or someone calls {@link GatewayAgent#wakeUp()} (a logon check finished, a command
 * from another thread, the engine on another thread wrote the journal), and reads at once when it
 * wakes. A parked thread would instead wake on a timer and find the message waiting; on a busy
 * 2-core machine that wake-up is the largest part of an order's latency.
 */
final class SelectIdleStrategy implements IdleStrategy
{
    /**
     * Empty cycles (yielding) before blocking: cover for a message that is already on its way. Each
     * costs a selector poll and a yield, two system calls; at 20 they were 8-10 us of the order-path
     * thread's CPU per message at 10k orders/s and 15-30 us at 1k/s, with no latency to show for it
     * against 5 or 0 in bench e2e (BENCHMARKS.md, 2026-12-02).
     */
    private static final int SPINS = 5;

    private final GatewayAgent agent;
    private final long maxBlockMs;
    private int idleCycles;

    SelectIdleStrategy(final GatewayAgent agent, final long maxBlockMs)
    {
        this.agent = agent;
        this.maxBlockMs = maxBlockMs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCycles = 0;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (++idleCycles <= SPINS)
        {
            Thread.yield();
            return;
        }
        if (agent.awaitInput(maxBlockMs) > 0)
        {
            idleCycles = 0;
        }
    }

    @Override
    public void reset()
    {
        idleCycles = 0;
    }

    @Override
    public String alias()
    {
        return "select";
    }
}
