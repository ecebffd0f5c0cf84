package dev.bourse.bench;

import dev.bourse.bench.engine.EngineBenchmark;
import dev.bourse.bench.engine.EngineRun;
import dev.bourse.bench.engine.StreamEncoder;
import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadGenerator;
import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.Durability;
import dev.bourse.journal.IdleSchedulingClass;
import dev.bourse.journal.Recovery;
import dev.bourse.journal.SnapshotStore;
import dev.bourse.protocol.JournalEntryReader;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** {@code bench journal}: what the Chronicle journal costs the engine, replay and recovery speed, snapshot interference. */
@Command(name = "journal", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "The Chronicle journal's cost on the engine workloads, replay speed, recovery time and snapshots' effect on latency.",
    description = {
        "On the engine workloads (exchange-core's mix): throughput through ring + engine with the Chronicle journal",
        "(mapped, then sync) against the same stream with no journal, alternating, medians; replay speed (events/s, median of --replays) of a",
        "journal through the engine's replayer; recovery time of a journal of --recovery-events events with a snapshot",
        "near its end (in this JVM); and the engine's latency p99 at a fixed rate with ~1M resting orders, without and",
        "with a snapshotter thread writing snapshots of a 1M-order state the whole time."})
public final class JournalCommand implements Callable<Integer>
{
    @Option(names = "--commands", defaultValue = "2000000", description = "Timed commands per throughput run (default ${DEFAULT-VALUE}).")
    long commands;

    @Option(names = "--iterations", defaultValue = "5", description = "Measured iterations of each mode (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--recovery-events", defaultValue = "10000000", description = "Events in the recovery journal (default ${DEFAULT-VALUE}).")
    long recoveryEvents;

    @Option(names = "--replays", defaultValue = "3",
        description = "Full replays of the recovery journal, each in a fresh state; RESULT replay is their median, the "
            + "first is the coldest (default ${DEFAULT-VALUE}).")
    int replays;

    @Option(names = "--snapshot-scheduling", defaultValue = "idle",
        description = "The snapshot thread of the snapshot-impact runs: idle (Linux's idle scheduling class, as the exchange's "
            + "snapshotter by default) or background (the background priority only, snapshot.idle-class-max-lag=0) "
            + "(default ${DEFAULT-VALUE}).")
    String snapshotScheduling;

    @Option(names = "--rate", defaultValue = "100000", description = "Offered rate of the snapshot-impact runs (default ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--latency-seconds", defaultValue = "5", description = "Length of each snapshot-impact run (default ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--dir", description = "Where to put the temporary journals (default: the system temp directory).")
    Path dir;

    @Option(names = "--pretouch-bytes", description = "How far ahead a thread of the journal's own prepares its pages (default 8 MiB; 0: off).")
    long pretouchBytes = ChronicleJournal.DEFAULT_PRETOUCH_BYTES;

    @Option(names = "--pretouch-read", description = "Prepare pages by reading the file, as on kernels before 5.14, instead of madvise(MADV_POPULATE_WRITE) on the mapping.")
    boolean pretouchRead;

    @Option(names = "--quick", description = "A smoke run: 300,000 commands, 2 iterations, 1M recovery events, 1 s latency runs.")
    boolean quick;

    private final List<ChronicleJournal> open = new ArrayList<>();
    private boolean pretouchReported;

    @Override
    public Integer call() throws Exception
    {
        if (!snapshotScheduling.equals("idle") && !snapshotScheduling.equals("background"))
        {
            throw new IllegalArgumentException("--snapshot-scheduling is idle or background, not '" + snapshotScheduling + "'");
        }
        if (quick)
        {
            commands = 300_000;
            iterations = 2;
            recoveryEvents = 1_000_000;
            latencySeconds = 1;
        }
        final Path root = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "bourse-bench-journal-");
        System.out.printf("bench journal: %d cpus, load average %s, %,d commands, journals under %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), commands, root);
        try
        {
            throughput(root);
            replayAndRecovery(root);
            snapshotImpact(root);
        }
        finally
        {
            closeJournals();
            IoUtil.delete(root.toFile(), true);
        }
        return 0;
    }

    private CommandStream stream(final WorkloadSpec spec)
    {
        final ByteBuffer bytes = new WorkloadGenerator(spec).generate();
        return CommandStream.wrap(bytes);
    }

    private void throughput(final Path root) throws Exception
    {
        final CommandStream stream = stream(WorkloadSpec.single(commands));
        final EngineBenchmark plain = new EngineBenchmark(stream, "yielding", 1 << 16);
        final AtomicLong journals = new AtomicLong();
        final EngineBenchmark mapped = new EngineBenchmark(stream, "yielding", 1 << 16)
            .journal(() -> newJournal(root.resolve("t" + journals.incrementAndGet()), Durability.MAPPED));
        final EngineBenchmark synced = new EngineBenchmark(stream, "yielding", 1 << 16)
            .journal(() -> newJournal(root.resolve("t" + journals.incrementAndGet()), Durability.SYNC));
        final double[][] results = new double[3][iterations];
        for (int i = -1; i < iterations; i++) // -1: warm-up of each
        {
            final double a = plain.throughput(false).commandsPerSecond();
            closeJournals();
            final double b = mapped.throughput(false).commandsPerSecond();
            closeJournals();
            final double c = synced.throughput(false).commandsPerSecond();
            closeJournals();
            if (i >= 0)
            {
                results[0][i] = a;
                results[1][i] = b;
                results[2][i] = c;
                System.out.printf("  iteration %d: unjournaled %,.0f, mapped %,.0f, sync %,.0f commands/s%n", i + 1, a, b, c);
            }
        }
        final double none = Median.of(results[0]);
        final double map = Median.of(results[1]);
        final double sync = Median.of(results[2]);
        System.out.printf("  medians: unjournaled %,.0f, mapped %,.0f, sync %,.0f commands/s%n", none, map, sync);
        System.out.printf("RESULT journal journaled/unjournaled=%.2f%n", map / none);
        System.out.printf("RESULT journal sync/unjournaled=%.2f%n", sync / none);
    }

    private EventSink newJournal(final Path path, final Durability durability)
    {
        final ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(path).durability(durability)
            .pretouchBytes(pretouchBytes)
            .pretouchByReading(pretouchRead));
        if (!pretouchReported)
        {
            pretouchReported = true;
            System.out.printf("  pretouch: %s, %,d bytes ahead%n", journal.pretouchMode(), pretouchBytes);
        }
        open.add(journal);
        return journal;
    }

    private void closeJournals()
    {
        for (final ChronicleJournal journal : open)
        {
            final Path path = journal.context().dir();
            journal.close();
            IoUtil.delete(path.toFile(), true);
        }
        open.clear();
    }

    private void replayAndRecovery(final Path root) throws Exception
    {
        // A journal of at least --recovery-events events from the single-instrument mix, a snapshot ~95% through.
        final CommandStream stream = stream(WorkloadSpec.single(Math.max(commands, recoveryEvents)));
        final EngineConfig config = StreamEncoder.engineConfig(stream);
        final Path path = root.resolve("recovery");
        final SnapshotStore snapshots = new SnapshotStore(root.resolve("snapshots"), 2);
        long events = 0;
        long entries = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(path)))
        {
            // setup, prefill and timed commands all journaled, so a full replay starts at sequence 1
            final dev.bourse.engine.EngineState state = new dev.bourse.engine.EngineState(config);
            final StreamEncoder encoder = new StreamEncoder(stream);
            final JournalEntryReader reader = new JournalEntryReader();
            final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
            final MatchingEngine engine = new MatchingEngine(state, new dev.bourse.engine.EventSink()
            {
                @Override
                public boolean onEntry(final org.agrona.DirectBuffer buffer, final int offset, final int length)
                {
                    reader.readHeader(buffer, offset, length);
                    return journal.onEntry(buffer, offset, length);
                }

                @Override
                public void onEndOfBatch()
                {
                    journal.onEndOfBatch();
                }
            });
            for (long step = 0; step < encoder.setupCount(); step++)
            {
                engine.onCommand(command, 0, encoder.setup(step, command, 0));
                events += reader.header().eventCount();
                entries++;
            }
            boolean snapshotTaken = false;
            final long setup = encoder.setupCount();
            for (long i = 0; i < stream.prefillCount + stream.timedCount && events < recoveryEvents; i++)
            {
                engine.onCommand(command, 0, encoder.encode(i, command, 0, setup + i + 1));
                events += reader.header().eventCount();
                entries++;
                if ((i & 255) == 255)
                {
                    engine.onEndOfBatch(); // batches as a busy ring would deliver them
                }
                if (!snapshotTaken && events >= recoveryEvents * 95 / 100)
                {
                    engine.onEndOfBatch(); // the snapshot's position must be the last entry written
                    snapshots.write(state, journal.lastPosition());
                    snapshotTaken = true;
                }
            }
            engine.onEndOfBatch();
            System.out.printf("  recovery journal: %,d entries, %,d events%n", entries, events);
        }
        // Replay speed: the whole journal through the replayer, no snapshot, --replays times.
        final double[] rates = new double[Math.max(1, replays)];
        for (int run = 0; run < rates.length; run++)
        {
            try (ChronicleJournal journal = ChronicleJournal.openForReading(path))
            {
                final long start = System.nanoTime();
                final Recovery.Result full = Recovery.recover(journal, null, config, line -> { });
                final double seconds = (System.nanoTime() - start) / 1e9;
                rates[run] = events / seconds;
                System.out.printf("  full replay %d: %,d entries in %.2f s, %,.0f events/s%n", run + 1, full.entriesReplayed(), seconds, rates[run]);
            }
            System.gc();
        }
        System.out.printf("RESULT replay events/s=%.0f%n", Median.of(rates));
        System.gc();
        try (ChronicleJournal journal = ChronicleJournal.openForReading(path))
        {
            final long start = System.nanoTime();
            final Recovery.Result result = Recovery.recover(journal, snapshots, config, line -> { });
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("  recovery: snapshot at sequence %,d + %,d entries replayed (%s) in %.2f s%n",
                result.snapshotSequence(), result.entriesReplayed(), result.source(), seconds);
            System.out.printf("RESULT recovery events=%d seconds=%.2f%n", events, seconds);
        }
    }

    private void snapshotImpact(final Path root) throws Exception
    {
        final CommandStream stream = stream(WorkloadSpec.multi((long)(rate * latencySeconds) + 1_000));
        final EngineBenchmark bench = new EngineBenchmark(stream, "yielding", 1 << 16);
        final int count = (int)(rate * latencySeconds);
        bench.latency(rate, Math.min(count, 200_000)); // warm-up
        final Histogram without = bench.latency(rate, count);
        // A shadow state with the same ~1M resting orders, snapshotted over and over on another thread.
        final EngineRun shadow = new EngineRun(stream);
        final SnapshotStore store = new SnapshotStore(root.resolve("impact-snapshots"), 1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong taken = new AtomicLong();
        final Thread snapshotter = new Thread(() ->
        {
            try
            {
                if (snapshotScheduling.equals("idle") && !IdleSchedulingClass.INSTANCE.yieldCores())
                {
                    System.out.println("  (this system has no idle scheduling class: the snapshot thread stays at the background priority)");
                }
                while (running.get())
                {
                    store.write(shadow.state, taken.incrementAndGet());
                }
            }
            catch (final Exception e)
            {
                System.err.println("snapshotter: " + e);
            }
        }, "bench-snapshotter");
        // As the exchange runs its snapshotter: in the idle scheduling class while it is close behind
        // (snapshot.idle-class-max-lag; here it is never behind), else at threading.priority.background,
        // applied by the OS when the launcher passes -XX:ThreadPriorityPolicy=1. The engine stays at the normal priority.
        snapshotter.setPriority(Thread.MIN_PRIORITY);
        snapshotter.start();
        final Histogram with = bench.latency(rate, count);
        running.set(false);
        snapshotter.join();
        final double p99Without = without.getValueAtPercentile(99) / 1000.0;
        final double p99With = with.getValueAtPercentile(99) / 1000.0;
        System.out.printf("  %,d resting orders; rate %,d/s for %.0f s: p50 %.1f / %.1f us, p99 %.1f / %.1f us, p99.9 %.1f / %.1f us"
                + " (without / with %d snapshots written meanwhile, %,d bytes each)%n", stream.prefillCount, rate, latencySeconds,
            without.getValueAtPercentile(50) / 1000.0, with.getValueAtPercentile(50) / 1000.0, p99Without, p99With,
            without.getValueAtPercentile(99.9) / 1000.0, with.getValueAtPercentile(99.9) / 1000.0, taken.get(),
            EngineSnapshot.toBytes(shadow.state).length);
        System.out.printf("RESULT snapshot-impact rate=%d p99.without=%.1f p99.with=%.1f ratio=%.2f scheduling=%s%n", rate, p99Without,
            p99With, p99With / p99Without, snapshotScheduling);
    }
}
