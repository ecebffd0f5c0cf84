package dev.bourse.bench.readmodels;

import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.journal.JournalTailer;
import dev.bourse.readmodels.CheckpointStore;
import dev.bourse.readmodels.ReadModels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static dev.bourse.bench.readmodels.ReadModelsCommand.line;

/**
 * What a checkpoint of the hot projections costs the thread that writes it: the projection
 * thread, which answers the queries, so a query that arrives while it writes waits for it. Builds
 * the models from a journal of the bench workload, then saves them again and again into a
 * temporary directory (as the exchange does every million entries) and loads the newest back.
 * Save is timed on the calling thread (wall and CPU), written in slices as the projection thread
 * writes it: the longest slice is the longest a query waits for the checkpoint. What the checkpoint store leaves to a thread of its own (the fsync and the
 * renames) is timed separately, as the wait for it afterwards.
 */
final class CheckpointRun
{
    /** Orders per slice, as the projection thread writes a checkpoint between queries. */
    private static final int SLICE = 2_048;

    private final WorkloadSpec spec;
    private final String journalKind;
    private final Path dir;
    private final int runs;
    private final int warmups;

    CheckpointRun(final WorkloadSpec spec, final String journalKind, final Path dir, final int runs, final int warmups)
    {
        this.spec = spec;
        this.journalKind = journalKind;
        this.dir = dir;
        this.runs = runs;
        this.warmups = warmups;
    }

    void run() throws Exception
    {
        final ReadModels models = new ReadModels();
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            final JournalLoad load = new JournalLoad(spec, journal.sink());
            load.run(Long.MAX_VALUE);
            try (JournalTailer tailer = journal.source().tailerAfter(ReadModels.START))
            {
                while (tailer.poll(models, 1_000) > 0)
                {
                    // apply everything
                }
            }
            line("checkpoint: models of %,d entries, %,d live orders, %,d accounts", models.entriesApplied(), models.liveOrders(),
                models.accounts().size());
        }
        final Path target = dir == null ? Files.createTempDirectory("bourse-bench-ckpt") : Files.createTempDirectory(dir, "bourse-bench-ckpt");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try
        {
            final CheckpointStore store = new CheckpointStore(target);
            final double[] saveMs = new double[runs];
            final double[] saveCpuMs = new double[runs];
            final double[] durableMs = new double[runs];
            final double[] sliceMs = new double[runs];
            final double[] loadMs = new double[runs];
            long bytes = 0;
            for (int run = -warmups; run < runs; run++)
            {
                final long cpuBefore = threads.getCurrentThreadCpuTime();
                final long start = System.nanoTime();
                final CheckpointStore.Writing writing = store.begin(models);
                if (writing == null)
                {
                    throw new IllegalStateException("the checkpoint before is still being made durable");
                }
                long longestSlice = System.nanoTime() - start;
                boolean done = false;
                while (!done)
                {
                    final long sliceStart = System.nanoTime();
                    done = writing.writeSome(SLICE);
                    longestSlice = Math.max(longestSlice, System.nanoTime() - sliceStart);
                }
                final long saved = System.nanoTime();
                final long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                store.awaitDurable();
                final long durable = System.nanoTime();
                bytes = Files.size(target.resolve(CheckpointStore.NAME));
                final long loadStart = System.nanoTime();
                final ReadModels loaded = store.load(warning -> line("  warning: %s", warning));
                final long loadEnd = System.nanoTime();
                if (loaded.position() != models.position() || loaded.liveOrders() != models.liveOrders())
                {
                    throw new IllegalStateException("the checkpoint loaded back differs from the models saved");
                }
                line("  %s %d: save %.1f ms (CPU %.1f ms) in slices of %,d orders, the longest %.2f ms; durable %.1f ms after; "
                    + "load %.1f ms; %,d bytes", run < 0 ? "warm-up" : "run", run < 0 ? run + warmups + 1 : run + 1,
                    (saved - start) / 1e6, cpu / 1e6, SLICE, longestSlice / 1e6, (durable - saved) / 1e6, (loadEnd - loadStart) / 1e6,
                    bytes);
                if (run >= 0)
                {
                    saveMs[run] = (saved - start) / 1e6;
                    saveCpuMs[run] = cpu / 1e6;
                    sliceMs[run] = longestSlice / 1e6;
                    durableMs[run] = (durable - saved) / 1e6;
                    loadMs[run] = (loadEnd - loadStart) / 1e6;
                }
            }
            line("RESULT checkpoint live-orders=%d bytes=%d save-ms=%.1f save-cpu-ms=%.1f longest-slice-ms=%.2f "
                + "durable-after-ms=%.1f load-ms=%.1f", models.liveOrders(), bytes, median(saveMs), median(saveCpuMs), median(sliceMs),
                median(durableMs), median(loadMs));
        }
        finally
        {
            try (Stream<Path> files = Files.walk(target))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double median(final double[] values)
    {
        return dev.bourse.bench.Median.of(values);
    }
}
