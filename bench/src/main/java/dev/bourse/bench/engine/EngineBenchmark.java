package dev.bourse.bench.engine;

import dev.bourse.bench.workload.CommandStream;
import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.engine.sequencer.IdleStrategies;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a stream's timed commands through the full path a gateway uses: a producer thread
 * encodes each command straight into a {@link CommandSequencer} slot, the engine thread matches it
 * and hands one entry to a {@link CountingSink}. Each run starts from a fresh engine holding the
 * stream's prefilled book.
 * <ul>
 * <li>Throughput: the producer publishes as fast as the ring takes commands; time from the first
 * publish to the last entry.</li>
 * <li>Latency, open loop: command i is planned at start + i / rate. The producer never spins: it
 * parks until the next planned time, then publishes everything due in one batch. Latency is the
 * entry's arrival minus the planned time, so a late send (park overshoot, a full ring, a stalled
 * engine) counts against us: coordinated omission corrected.</li>
 * </ul>
 * Throughput also runs in shared threading ({@link #shared(int)}), the default on small machines:
 * one thread publishes a burst of commands and then drains the ring into the engine itself, as
 * the gateway's duty cycle does with what it read from its sockets.
 */
public final class EngineBenchmark
{
    private final CommandStream stream;
    private final String waitStrategy;
    private final int ringSize;
    /** Commands published per duty cycle in shared threading; 0 for the engine on a thread of its own. */
    private int sharedBurst;

    public EngineBenchmark(final CommandStream stream, final String waitStrategy, final int ringSize)
    {
        IdleStrategies.of(waitStrategy);
        this.stream = stream;
        this.waitStrategy = waitStrategy;
        this.ringSize = ringSize;
    }

    /** Throughput runs drain the ring on the producer's thread, {@code burst} commands per duty cycle. */
    public EngineBenchmark shared(final int burst)
    {
        if (burst < 1 || burst > ringSize)
        {
            throw new IllegalArgumentException("burst must be 1.." + ringSize + ": " + burst);
        }
        sharedBurst = burst;
        return this;
    }

    /** The result of one timed replay. */
    public static final class Run
    {
        public final long commands;
        public final long nanos;
        public final long rejects;
        public final String book;

        Run(final long commands, final long nanos, final long rejects, final String book)
        {
            this.commands = commands;
            this.nanos = nanos;
            this.rejects = rejects;
            this.book = book;
        }

        public double commandsPerSecond()
        {
            return commands * 1e9 / nanos;
        }
    }

    /** One throughput iteration over all timed commands; {@code dumpBook} also captures the final book. */
    public Run throughput(final boolean dumpBook)
    {
        if (sharedBurst > 0)
        {
            return throughputShared(dumpBook);
        }
        final long count = stream.timedCount;
        final EngineRun run = freshRun();
        run.sink.reset(count, null);
        final CommandSequencer sequencer = new CommandSequencer(ringSize, waitStrategy, new EngineCommandHandler(run.engine)).start();
        final long start = System.nanoTime();
        final long base = stream.prefillCount;
        for (long i = 0; i < count; i++)
        {
            publish(sequencer, run, base + i, base + i + 1);
        }
        awaitCompletion(run.sink, count);
        final long nanos = run.sink.lastNanos() - start;
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        return new Run(count, nanos, run.rejects.rejects(), dumpBook ? run.bookDump() : null);
    }

    private Run throughputShared(final boolean dumpBook)
    {
        final long count = stream.timedCount;
        final EngineRun run = freshRun();
        run.sink.reset(count, null);
        final CommandSequencer sequencer = new CommandSequencer(ringSize, waitStrategy, new EngineCommandHandler(run.engine));
        final Agent agent = sequencer.agent();
        agent.onStart();
        final long start = System.nanoTime();
        final long base = stream.prefillCount;
        long i = 0;
        try
        {
            while (i < count)
            {
                final long end = Math.min(count, i + sharedBurst);
                for (; i < end; i++)
                {
                    publish(sequencer, run, base + i, base + i + 1);
                }
                while (agent.doWork() > 0)
                {
                    // drain what this cycle published
                }
            }
        }
        catch (final Exception e)
        {
            throw new IllegalStateException("engine failed in shared threading", e);
        }
        final long nanos = run.sink.lastNanos() - start;
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        agent.onClose();
        return new Run(count, nanos, run.rejects.rejects(), dumpBook ? run.bookDump() : null);
    }

    /**
     * Open-loop run at {@code rate} commands/s over the first {@code count} timed commands.
     * Returns the latency histogram in nanoseconds.
     */
    public Histogram latency(final long rate, final int count)
    {
        if (count > stream.timedCount)
        {
            throw new IllegalArgumentException("stream has only " + stream.timedCount + " timed commands, " + count + " needed");
        }
        final EngineRun run = freshRun();
        final long[] planned = new long[count];
        final long[] completed = new long[count];
        run.sink.reset(count, completed);
        final CommandSequencer sequencer = new CommandSequencer(ringSize, waitStrategy, new EngineCommandHandler(run.engine)).start();
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int i = 0; i < count; i++)
        {
            planned[i] = start + (long)i * 1_000_000_000L / rate;
        }
        final long base = stream.prefillCount;
        int next = 0;
        while (next < count)
        {
            final long now = System.nanoTime();
            while (next < count && planned[next] <= now)
            {
                publish(sequencer, run, base + next, planned[next]);
                next++;
            }
            if (next < count)
            {
                final long wait = planned[next] - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        awaitCompletion(run.sink, count);
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        if (run.rejects.rejects() != 0)
        {
            throw new IllegalStateException("engine rejected " + run.rejects.rejects() + " commands: " + run.rejects.lastReject());
        }
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(100), 3);
        for (int i = 0; i < count; i++)
        {
            histogram.recordValue(Math.max(0, completed[i] - planned[i]));
        }
        return histogram;
    }

    /** Encodes stream record {@code index} straight into a claimed slot and publishes it. */
    private static void publish(final CommandSequencer sequencer, final EngineRun run, final long index, final long timestamp)
    {
        final long claim = sequencer.claim();
        sequencer.commit(claim, run.encoder.encode(index, sequencer.buffer(claim), 0, timestamp));
    }

    private java.util.function.Supplier<dev.bourse.engine.EventSink> journals;

    /** Every later run's entries also go to a fresh sink from this factory (a real journal), after the prefill. */
    public EngineBenchmark journal(final java.util.function.Supplier<dev.bourse.engine.EventSink> factory)
    {
        journals = factory;
        return this;
    }

    private EngineRun freshRun()
    {
        System.gc();
        final EngineRun run = new EngineRun(stream);
        if (journals != null)
        {
            run.sink.delegate(journals.get());
        }
        System.gc();
        return run;
    }

    /** Polls (parking, never spinning) until the sink has seen {@code count} entries. */
    private static void awaitCompletion(final CountingSink sink, final long count)
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (sink.completed() < count)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("engine stalled at " + sink.completed() + " of " + count + " commands");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
