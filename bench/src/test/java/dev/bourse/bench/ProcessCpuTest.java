package dev.bourse.bench;

import dev.bourse.bench.e2e.ProcessCpu;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest
{
    @Test
    void countsTheCpuOfTheJvmAndOfItsThreadsByName() throws Exception
    {
        final long before = ProcessCpu.processNanos();
        assertTrue(before > 0);
        assertEquals(-1, ProcessCpu.threadNanos("no-such-thread"));

        // a thread of a known name that burns 200 ms of its own CPU time (not of wall time: the
        // machine may be busy), then waits to be counted
        final CountDownLatch burnt = new CountDownLatch(1);
        final CountDownLatch counted = new CountDownLatch(1);
        final AtomicLong sink = new AtomicLong();
        final Thread burner = new Thread(() ->
        {
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < 200_000_000L)
            {
                for (int i = 0; i < 100_000; i++)
                {
                    x += x * 31 + 7;
                }
            }
            sink.set(x);
            burnt.countDown();
            try
            {
                counted.await();
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "cpu-test-burner");
        burner.start();
        burnt.await();
        final long burnerNanos = ProcessCpu.threadNanos("cpu-test", "other-prefix");
        final long after = ProcessCpu.processNanos();
        counted.countDown();
        burner.join();
        assertTrue(burnerNanos >= 200_000_000L, "burner " + burnerNanos);
        // The process's CPU time comes in clock ticks (10 ms on Linux), a thread's to the nanosecond: a CI run read the
        // process's 200,000,000 against the thread's 200,183,791. Two ticks of slack, far below the 200 ms burnt.
        final long tickSlack = 20_000_000L;
        assertTrue(after - before + tickSlack >= burnerNanos, "the JVM's total includes the thread's: " + (after - before) + " < " + burnerNanos);
    }

    @Test
    void countsTheJvmsCollections()
    {
        final long[] before = ProcessCpu.collections();
        System.gc(); // a full collection, counted by every collector this suite runs under (the flags do not disable explicit GC)
        final long[] after = ProcessCpu.collections();
        assertTrue(after[0] > before[0], "collections " + before[0] + " -> " + after[0]);
        assertTrue(after[1] >= before[1]);
    }

    /** The JVMs the project runs on (HotSpot) measure it, so {@code RESULT cpu} never prints "-" for it there. */
    @Test
    void readsTheJitsCompileTime()
    {
        final long before = ProcessCpu.compilationMillis();
        assertTrue(before >= 0, "HotSpot measures its compile time: " + before);
        assertTrue(ProcessCpu.compilationMillis() >= before);
    }
}
