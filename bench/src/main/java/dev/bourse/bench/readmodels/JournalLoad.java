package dev.bourse.bench.readmodels;

import dev.bourse.bench.engine.StreamEncoder;
import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadGenerator;
import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * Grows a journal the way the exchange does: the bench workload (exchange-core's mix of GTC, IOC,
 * cancel and move over several instruments and accounts) encoded as our commands and applied by
 * a real {@link MatchingEngine} whose sink is the journal. Counts the events it journals, so a
 * paced run can hold an events/s rate rather than a commands/s one. One thread drives it.
 */
final class JournalLoad implements EventSink
{
    /** Simulated time between commands: 100k commands per journal second, so 1 s candles fill. */
    private static final long NANOS_PER_COMMAND = 10_000;
    private static final long FIRST_TIMESTAMP = 1_000_000_000L;

    private final EventSink journal;
    private final CommandStream stream;
    private final StreamEncoder encoder;
    private final MatchingEngine engine;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final org.agrona.concurrent.EpochNanoClock clock;
    private long next;
    private long entries;
    private volatile long events;
    private volatile boolean stop;

    JournalLoad(final WorkloadSpec spec, final EventSink journal)
    {
        this(spec, journal, null);
    }

    /** @param clock stamps each command with the wall clock (for latency from the journal entry); null: simulated time. */
    JournalLoad(final WorkloadSpec spec, final EventSink journal, final org.agrona.concurrent.EpochNanoClock clock)
    {
        this.journal = journal;
        this.clock = clock;
        this.stream = CommandStream.wrap(new WorkloadGenerator(spec).generate());
        this.encoder = new StreamEncoder(stream);
        this.engine = new MatchingEngine(new EngineState(StreamEncoder.engineConfig(stream)), this);
        final long setup = encoder.setupCount();
        for (long step = 0; step < setup; step++)
        {
            engine.onCommand(command, 0, encoder.setup(step, command, 0));
        }
        engine.onEndOfBatch();
        if (engine.isHalted())
        {
            throw new IllegalStateException("setup halted the engine: " + engine.haltReason());
        }
    }

    CommandStream stream()
    {
        return stream;
    }

    /** Records sent so far (prefill first, then the timed mix). */
    long sent()
    {
        return next;
    }

    long entries()
    {
        return entries;
    }

    /** Events journaled so far (any thread). */
    long events()
    {
        return events;
    }

    boolean exhausted()
    {
        return next >= stream.count();
    }

    /** Sends up to {@code count} more records at once. */
    void run(final long count)
    {
        final long end = Math.min(stream.count(), next + count);
        while (next < end)
        {
            send();
        }
        engine.onEndOfBatch();
    }

    /**
     * Sends records so that events reach the journal at {@code eventsPerSecond}, in 1 ms steps,
     * until {@link #stop()} or the stream runs out.
     */
    void paced(final long eventsPerSecond)
    {
        final long start = System.nanoTime();
        final long startEvents = events;
        while (!stop && !exhausted())
        {
            final long due = startEvents + (System.nanoTime() - start) * eventsPerSecond / 1_000_000_000L;
            while (events < due && !exhausted())
            {
                send();
            }
            engine.onEndOfBatch();
            LockSupport.parkNanos(1_000_000);
        }
    }

    void stop()
    {
        stop = true;
    }

    private void send()
    {
        final long index = next++;
        final long timestamp = clock != null ? clock.nanoTime() : FIRST_TIMESTAMP + index * NANOS_PER_COMMAND;
        engine.onCommand(command, 0, encoder.encode(index, command, 0, timestamp));
        if (engine.isHalted())
        {
            throw new IllegalStateException("the engine halted: " + engine.haltReason());
        }
    }

    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!journal.onEntry(buffer, offset, length))
        {
            return false;
        }
        entries++;
        if (reader.readHeader(buffer, offset, length) == JournalEntryReader.OK)
        {
            events += reader.header().eventCount();
        }
        return true;
    }

    @Override
    public void onEndOfBatch()
    {
        journal.onEndOfBatch();
    }
}
