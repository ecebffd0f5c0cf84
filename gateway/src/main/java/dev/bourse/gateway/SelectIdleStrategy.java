package dev.bourse.gateway;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a gateway (or shared order-path) thread by blocking in its selector, the way a plain TCP
 * server waits: as soon as a duty cycle finds nothing to do the thread sleeps in {@code select}
 * until a socket has bytes or someone calls {@link GatewayAgent#wakeUp()} (a logon check finished,
 * a command from another thread, the engine on another thread wrote the journal), and reads at
 * once when it wakes. A parked thread would instead wake on a timer and find the message waiting;
 * on a busy 2-core machine that wake-up is the largest part of an order's latency.
 * <p>
 * It does not spin or yield first. Each empty cycle before blocking cost a selector poll and a
 * yield, two system calls (about a microsecond each on a VM before any work): with 5 of them the
 * order-path thread made 6 system calls per order at 10k orders/s, and without them its CPU per
 * order fell by 12% with no change in latency (docs/BENCHMARKS.md, 2026-12-02 afternoon).
 */
final class SelectIdleStrategy implements IdleStrategy
{
    private final GatewayAgent agent;
    private final long maxBlockMs;

    SelectIdleStrategy(final GatewayAgent agent, final long maxBlockMs)
    {
        this.agent = agent;
        this.maxBlockMs = maxBlockMs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        agent.awaitInput(maxBlockMs);
    }

    @Override
    public void reset()
    {
    }

    @Override
    public String alias()
    {
        return "select";
    }
}
