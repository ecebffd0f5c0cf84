package dev.bourse.bench;

import dev.bourse.journal.SchedulerSlice;
import dev.bourse.server.config.ExchangeConfig;

/**
 * The benchmarks' measuring threads (a FIX load generator's sender and receiver, the abuse bench's
 * honest trader and HTTP client) ask for the order path's short scheduler slice as they start. A
 * client on its own machine never waits for a core behind the exchange's JIT compiler; on this one,
 * with the kernel's default slice, the honest trader's thread waited 1-1.75 ms behind a C2 compile in
 * the exchange's JVM (perf sched), and that wait was counted as the exchange's latency. Every peer
 * a bench compares is measured by the same client, so their ratios are unaffected.
 */
public final class ClientSlice
{
    private ClientSlice()
    {
    }

    /** For the calling thread; does nothing where the kernel has no such slice. */
    public static void applyToCurrentThread()
    {
        SchedulerSlice.applyToCurrentThread(ExchangeConfig.DEFAULT_ORDER_PATH_SLICE_NANOS);
    }
}
