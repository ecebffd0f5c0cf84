package dev.bourse.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of this JVM, or of those of its threads whose name starts with a prefix, and its
 * collections, from the JVM's own management beans. On a shared two-core machine latency
 * percentiles swing with the host, but the CPU a peer spends per message barely moves, so the
 * sweep reports both; the collections say whether a window's tail had a GC pause in it, and the
 * JIT's compile time whether the compilers were at work beside the measured threads (on two cores a
 * C2 compile that has just been given a core is what a woken thread most often waited behind).
 */
public final class ProcessCpu
{
    private ProcessCpu()
    {
    }

    /** User plus system time of this whole JVM, nanoseconds, or -1 where the JVM does not say. */
    public static long processNanos()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
        {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Collections this JVM's collectors have made so far, and their time in milliseconds (G1 on
     * JDK 17: young and mixed pauses and full collections; the remark and cleanup pauses of a
     * concurrent cycle are not in these beans).
     */
    public static long[] collections()
    {
        long count = 0;
        long millis = 0;
        for (final java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[]{count, millis};
    }

    /**
     * Time this JVM's JIT compilers have spent compiling so far, milliseconds (the sum over compiles,
     * whichever compiler thread ran them), or -1 where the JVM does not measure it.
     */
    public static long compilationMillis()
    {
        final java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * User plus system time of the live threads whose name starts with one of the prefixes,
     * nanoseconds; -1 if there is no such thread or the JVM does not measure thread CPU time.
     */
    public static long threadNanos(final String... prefixes)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled())
        {
            return -1;
        }
        // The thread group's enumeration, not Thread.getAllStackTraces(): that stops every thread at
        // a safepoint to take their stacks, at the very moment a measured window begins.
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null)
        {
            root = root.getParent();
        }
        final Thread[] all = new Thread[root.activeCount() + 16];
        final int count = root.enumerate(all, true);
        long total = 0;
        boolean found = false;
        for (int i = 0; i < count; i++)
        {
            final Thread thread = all[i];
            for (final String prefix : prefixes)
            {
                if (thread.getName().startsWith(prefix))
                {
                    final long nanos = threads.getThreadCpuTime(thread.getId());
                    if (nanos >= 0)
                    {
                        total += nanos;
                        found = true;
                    }
                    break;
                }
            }
        }
        return found ? total : -1;
    }
}
