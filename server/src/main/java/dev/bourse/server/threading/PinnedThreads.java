package dev.bourse.server.threading;

import net.openhft.affinity.AffinityLock;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Agent threads, optionally pinned to a core (OpenHFT affinity, already on the classpath through
 * Chronicle) for users with isolated cores; a thread that asked for a core it cannot have says so
 * once and runs unpinned.
 */
public final class PinnedThreads
{
    private PinnedThreads()
    {
    }

    /** A daemon thread factory whose threads hold {@code cpu} while they run (-1: not pinned). */
    public static ThreadFactory factory(final String name, final int cpu, final Consumer<String> log)
    {
        return runnable ->
        {
            final Thread thread = new Thread(() ->
            {
                if (cpu < 0)
                {
                    runnable.run();
                    return;
                }
                AffinityLock lock = null;
                try
                {
                    lock = AffinityLock.acquireLock(cpu);
                    if (lock.cpuId() != cpu)
                    {
                        log.accept(name + ": could not pin to cpu " + cpu + " (got " + lock.cpuId() + "), running unpinned");
                        lock.release();
                        lock = null;
                    }
                }
                catch (final RuntimeException | Error e)
                {
                    log.accept(name + ": could not pin to cpu " + cpu + ": " + e.getMessage());
                }
                try
                {
                    runnable.run();
                }
                finally
                {
                    if (lock != null)
                    {
                        lock.release();
                    }
                }
            }, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Starts {@code agent} on its own thread. */
    public static AgentRunner start(
        final String name, final Agent agent, final IdleStrategy idleStrategy, final int cpu, final Consumer<String> log)
    {
        final AgentRunner runner = new AgentRunner(idleStrategy, t -> log.accept(name + ": " + t), null, agent);
        AgentRunner.startOnThread(runner, factory(name, cpu, log));
        return runner;
    }
}
