package dev.bourse.bench;

import dev.bourse.journal.SchedulerSlice;
import dev.bourse.server.config.ExchangeConfig;

/**
 * The benchmarks' light measuring threads (the abuse bench's honest trader and HTTP client,
 * {@code bench read-models}' query clients) ask for the order path's short scheduler slice as they
 * start. A client on its own machine never waits for a core behind the exchange's JIT compiler; on
 * this one, with the kernel's default slice, the honest trader's thread waited 1-1.75 ms behind a C2
 * compile in the exchange's JVM (perf sched), and that wait was counted as the exchange's latency.
 * The FIX load generator of {@code bench e2e} and the demo does not: at 100,000 messages/s its
 * threads, given the slice too, took the cores from the exchange often enough that the ack p99 there
 * rose from 3-6 ms to 35-110 ms in most runs (docs/BENCHMARKS.md, late morning of 2026-12-06).
 */
public final class ClientSlice
{
    private ClientSlice()
    {
    }

    /**
     * For the calling thread; does nothing where the kernel has no such slice, or with
     * {@code -Dbourse.bench.client-slice=0} (nanoseconds; the environment's JAVA_TOOL_OPTIONS
     * reaches a bench's child JVMs too), which leaves the kernel's default to compare.
     */
    public static void applyToCurrentThread()
    {
        SchedulerSlice.applyToCurrentThread(Long.getLong("bourse.bench.client-slice", ExchangeConfig.DEFAULT_ORDER_PATH_SLICE_NANOS));
    }
}
