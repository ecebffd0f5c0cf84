package dev.bourse.bench.readmodels;

import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.bourse.bench.readmodels.ReadModelsCommand.line;

/**
 * Does the query side's heap stay flat however long the exchange runs? Writes a Chronicle journal
 * of at least {@code events} events first (off the heap; the generator is dropped before the
 * measurement), then lets the whole query side (hot projections, history sink, servers) apply it,
 * and takes the heap after GC once a tenth is applied and again at the end.
 */
final class HeapRun
{
    private final WorkloadSpec spec;
    private final BenchStores stores;
    private final Path dir;
    private final long events;

    HeapRun(final WorkloadSpec spec, final BenchStores stores, final Path dir, final long events)
    {
        this.spec = spec;
        this.stores = stores;
        this.dir = dir;
        this.events = events;
    }

    void run() throws Exception
    {
        try (BenchJournal journal = BenchJournal.create("chronicle", dir))
        {
            long entries;
            long written;
            {
                // Each command journals at least one event: this many commands is enough.
                JournalLoad load = new JournalLoad(spec.withTimedCount(events), journal.sink());
                final long start = System.nanoTime();
                while (load.events() < events && !load.exhausted())
                {
                    load.run(100_000);
                }
                entries = load.entries();
                written = load.events();
                line("heap: journal of %,d entries, %,d events written in %.1f s", entries, written,
                    (System.nanoTime() - start) / 1e9);
                load = null; // the command stream is not the query side's: let it go before measuring
            }
            final ReadModelsContext ctx = new ReadModelsContext().journal(journal.source()).port(0).bindAddress("127.0.0.1")
                .store(stores.fresh());
            try (ReadModelsServer server = ReadModelsServer.start(ctx))
            {
                final long started = System.nanoTime();
                awaitEntries(server, entries / 10);
                final long startMb = heapAfterGcMb();
                final long startEntries = server.counters().entriesApplied();
                line("  start: %,d entries applied, heap after GC %,d MB", startEntries, startMb);
                awaitEntries(server, entries);
                final long endMb = heapAfterGcMb();
                final double seconds = (System.nanoTime() - started) / 1e9;
                line("  end: %,d entries (%,d events) applied in %.1f s, heap after GC %,d MB; live orders %,d; " +
                    "history sink %,d entries behind (it writes on while the projections apply)", server.counters().entriesApplied(),
                    server.counters().eventsApplied(), seconds, endMb, server.history().liveOrders(), server.history().lag());
                line("  goal: end <= 1.25 x start + 64 MB = %,d MB: %s", (long)(1.25 * startMb) + 64,
                    endMb <= 1.25 * startMb + 64 ? "met" : "MISSED");
                line("RESULT read-models-heap start.mb=%d end.mb=%d events=%d", startMb, endMb, server.counters().eventsApplied());
            }
        }
    }

    private static void awaitEntries(final ReadModelsServer server, final long entries)
    {
        final long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        while (server.counters().entriesApplied() < entries)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the projections did not apply the journal within an hour");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static long heapAfterGcMb()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return memory.getHeapMemoryUsage().getUsed() >> 20;
    }
}
