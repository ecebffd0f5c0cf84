package dev.bourse.journal;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.protocol.CommandWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal append (on the engine thread) and tailing allocate nothing per entry in steady state:
 * measured with the JVM's per-thread allocation counter over a million commands after warm-up.
 */
class JournalAllocationTest
{
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 1_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private long tailed;
    /** One handler object: a method reference evaluated in the loop would allocate each time. */
    private final JournalHandler handler = this::onEntry;

    @Test
    void appendingAndTailingAllocateNothingPerEntry()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            final MatchingEngine engine = engine(journal, 2 * (WARM_UP + MEASURED));
            final ChronicleTailer tailer = journal.tailerFromStart();
            final SteadyStateLoad load = new SteadyStateLoad(7);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            setUp(engine, load, command);
            run(engine, tailer, load, command, WARM_UP);

            final long thread = Thread.currentThread().getId();
            final long before = THREADS.getThreadAllocatedBytes(thread);
            run(engine, tailer, load, command, MEASURED);
            final long allocated = THREADS.getThreadAllocatedBytes(thread) - before;

            assertFalse(engine.isHalted(), engine::haltReason);
            assertEquals(engine.state().lastSequence(), tailer.lastSequence(), "the tailer kept up");
            // Chronicle allocates a few hundred bytes when it maps the next chunk of the file (every
            // 64 MiB here: ~1.6 KB seen over this run). Any allocation per entry would be at least
            // 16 bytes x 1M = 16 MB, so this bound proves there is none.
            assertTrue(allocated < 64 * 1024, "bytes allocated over " + MEASURED + " appended and tailed entries: " + allocated);
        }
    }

    /** The largest batch documents (a burst: 2,048 entries or 256 KiB each) are read without the tailer growing its buffer. */
    @Test
    void tailingTheLargestBatchesAllocatesNothing()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            final MatchingEngine engine = engine(journal, 4 * WARM_UP);
            final ChronicleTailer tailer = journal.tailerFromStart();
            final SteadyStateLoad load = new SteadyStateLoad(11);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            setUp(engine, load, command);
            run(engine, tailer, load, command, WARM_UP); // small batches: 64 entries each

            for (int i = 0; i < 10 * JournalPosition.MAX_ENTRIES_PER_DOCUMENT; i++) // one burst: full documents
            {
                submit(engine, load, command);
            }
            engine.onEndOfBatch();
            assertFalse(engine.isHalted(), engine::haltReason);

            final long thread = Thread.currentThread().getId();
            final long before = THREADS.getThreadAllocatedBytes(thread);
            while (tailer.poll(handler, 1_000) > 0)
            {
                // read the burst
            }
            final long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
            assertEquals(engine.state().lastSequence(), tailer.lastSequence(), "the tailer read the burst");
            assertTrue(allocated < 16 * 1024, "bytes allocated reading the burst's full documents: " + allocated);
        }
    }

    private void run(
        final MatchingEngine engine, final ChronicleTailer tailer, final SteadyStateLoad load, final UnsafeBuffer command, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            submit(engine, load, command);
            if ((i & 63) == 63)
            {
                engine.onEndOfBatch();
                tailer.poll(handler, 1_000);
            }
        }
        engine.onEndOfBatch();
        tailer.poll(handler, 1_000);
    }

    private static MatchingEngine engine(final ChronicleJournal journal, final int expectedClOrdIds)
    {
        final EngineConfig config = new EngineConfig()
            .maxInstruments(SteadyStateLoad.INSTRUMENTS + 1)
            .preallocatedOrders(1 << 16)
            .preallocatedLevels(4_096)
            .expectedClOrdIdsPerDay(expectedClOrdIds)
            .conclude();
        return new MatchingEngine(new EngineState(config), journal);
    }

    /** The load's instruments and accounts. */
    private static void setUp(final MatchingEngine engine, final SteadyStateLoad load, final UnsafeBuffer command)
    {
        for (int step = 0, length; (length = load.setup(step, command)) > 0; step++)
        {
            engine.onCommand(command, 0, length);
        }
    }

    /** The load's next command, through the engine. */
    private static void submit(final MatchingEngine engine, final SteadyStateLoad load, final UnsafeBuffer command)
    {
        final int length = load.next(command, engine.state().liveOrders());
        engine.onCommand(command, 0, length);
        load.syncOrderIds(engine.state().lastOrderId());
    }

    private void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        tailed += length;
    }
}
