package dev.bourse.server.threading;

import dev.bourse.journal.SchedulerSlice;
import net.openhft.affinity.Affinity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.BitSet;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Agent threads, optionally pinned to a core (OpenHFT affinity, already on the classpath through
 * Chronicle) for users with isolated cores; a thread that asked for a core it cannot have says so
 * once and runs where the OS puts it.
 * <p>
 * And with a Java priority: the JVM maps it to the thread's nice value on Linux only when started
 * with {@code -XX:ThreadPriorityPolicy=1} (the launcher adds it: 10 is nice -5, which needs root or
 * CAP_SYS_NICE, 1 is nice 4); otherwise priorities are ignored. On a machine with fewer cores than
 * busy threads, the scheduler then wakes the order path first (ARCHITECTURE.md, Thread priorities).
 * The order path's threads also ask for a short scheduler slice, so that waking they need not wait
 * for the running thread's whole slice ({@link SchedulerSlice}).
 */
public final class PinnedThreads
{
    private PinnedThreads()
    {
    }

    /** A daemon thread factory whose threads hold {@code cpu} while they run (-1: not pinned). */
    public static ThreadFactory factory(final String name, final int cpu, final Consumer<String> log)
    {
        return factory(name, cpu, Thread.NORM_PRIORITY, log);
    }

    /** As {@link #factory(String, int, Consumer)}, with the threads' Java priority (1 to 10). */
    public static ThreadFactory factory(final String name, final int cpu, final int priority, final Consumer<String> log)
    {
        return factory(name, cpu, priority, 0, log);
    }

    /**
     * As {@link #factory(String, int, int, Consumer)}, and each thread asks the scheduler for a slice of
     * {@code sliceNanos} as it starts ({@link SchedulerSlice}; 0: the kernel's default).
     */
    public static ThreadFactory factory(final String name, final int cpu, final int priority, final long sliceNanos,
        final Consumer<String> log)
    {
        return runnable ->
        {
            final Thread thread = new Thread(() ->
            {
                if (sliceNanos > 0)
                {
                    shortenSlice(name, sliceNanos, log);
                }
                if (cpu >= 0)
                {
                    pin(name, cpu, log);
                }
                runnable.run();
            }, name);
            thread.setDaemon(true);
            thread.setPriority(priority);
            return thread;
        };
    }

    /**
     * Sets the calling thread's affinity to {@code cpu} alone. Not with OpenHFT's {@code AffinityLock}: it lends
     * only the CPUs it may reserve (by default every CPU but 0) and hands back another CPU for the rest, so
     * {@code threading.cpu.* = 0} ran unpinned; its one-thread-per-CPU bookkeeping served nothing here.
     */
    private static void pin(final String name, final int cpu, final Consumer<String> log)
    {
        final BitSet wanted = new BitSet();
        wanted.set(cpu);
        try
        {
            Affinity.setAffinity(wanted);
            final BitSet got = Affinity.getAffinity();
            if (!wanted.equals(got))
            {
                log.accept(name + ": could not pin to cpu " + cpu + ", running on " + got);
            }
        }
        catch (final RuntimeException | Error e)
        {
            log.accept(name + ": could not pin to cpu " + cpu + ": " + e.getMessage());
        }
    }

    /** After the JVM has set the thread's nice value from its priority, which the slice keeps. */
    private static void shortenSlice(final String name, final long sliceNanos, final Consumer<String> log)
    {
        if (SchedulerSlice.applyToCurrentThread(sliceNanos) < 0 && SchedulerSlice.onLinux())
        {
            log.accept(name + ": this kernel has no shorter scheduler slice to give it (Linux 6.12 or later): on a busy machine it "
                + "may wait for another thread's whole slice, 1-3 ms, when it wakes (threading.slice.order-path)");
        }
    }

    /** Starts {@code agent} on its own thread. */
    public static AgentRunner start(
        final String name, final Agent agent, final IdleStrategy idleStrategy, final int cpu, final Consumer<String> log)
    {
        return start(name, agent, idleStrategy, cpu, Thread.NORM_PRIORITY, log);
    }

    /** Starts {@code agent} on its own thread with the given Java priority (1 to 10). */
    public static AgentRunner start(
        final String name, final Agent agent, final IdleStrategy idleStrategy, final int cpu, final int priority,
        final Consumer<String> log)
    {
        return start(name, agent, idleStrategy, cpu, priority, 0, t -> log.accept(name + ": " + t), log);
    }

    /**
     * As above, with the agent's own error handler (the order path's: {@link FatalErrors#handler}) and
     * the slice its thread asks for (0: the kernel's default).
     */
    public static AgentRunner start(
        final String name, final Agent agent, final IdleStrategy idleStrategy, final int cpu, final int priority, final long sliceNanos,
        final org.agrona.ErrorHandler errorHandler, final Consumer<String> log)
    {
        final AgentRunner runner = new AgentRunner(idleStrategy, errorHandler, null, agent);
        AgentRunner.startOnThread(runner, factory(name, cpu, priority, sliceNanos, log));
        return runner;
    }
}
