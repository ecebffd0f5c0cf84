package dev.bourse.engine;

import dev.bourse.engine.sequencer.CommandHandler;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.protocol.CommandWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import dev.bourse.protocol.sbe.*;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine allocates nothing per command once warm: measured with the JVM's per-thread
 * allocation counter over a million mixed commands (resting orders, sweeps, market orders,
 * cancels, replaces, self-trade prevention, rejects).
 * <p>
 * Tiered compilation keeps replacing code for a while after warm-up, and some of those
 * transitions charge a few bytes to the running thread (64 to 1,200 bytes were seen, at lines
 * such as a decoder's wrap; with -XX:-TieredCompilation, with C1 alone and in the interpreter
 * nothing is ever allocated). On a busy machine that can fall in any window. So each test
 * measures up to {@link #WINDOWS} windows of a million commands: one must allocate exactly
 * nothing (a per-command allocation would show in every window, 16 bytes x 1M at least), and
 * none more than {@link #JIT_NOISE_BYTES}.
 */
class AllocationTest
{
    private static final int WARM_UP = 300_000;
    private static final int WINDOWS = 4;
    /** A loaded CI machine (a build beside it) once gave three windows that all carried compilation's bytes (464, 192, 80). */
    private static final int RING_WINDOWS = 6;
    /** A trading day's commands cost more (auctions, indications): shorter windows. */
    private static final int DAY_WINDOW = 400_000;
    /**
     * And more of them: its rarer paths (auctions, elections, expiries) are compiled late, and on a
     * loaded CI machine four windows all carried compilation's bytes (720, 280, 336, 88).
     */
    private static final int DAY_WINDOWS = 8;
    private static final long JIT_NOISE_BYTES = 4_096;
    /**
     * Behind the ring the consumer loop itself is still being JIT-compiled for a while: a one-off
     * 152-byte allocation between two commands was seen between 330k and 390k commands, never
     * later, so the ring test warms up for longer before it measures.
     */
    private static final int RING_WARM_UP = 800_000;
    private static final int MEASURED = 1_000_000;
    /** Pools grow only past their high-water mark; the tests check the book never got that big. */
    private static final int PREALLOCATED_ORDERS = 1 << 16;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static EngineConfig config()
    {
        return new EngineConfig()
            .maxInstruments(SteadyStateLoad.INSTRUMENTS + 1)
            .preallocatedOrders(PREALLOCATED_ORDERS)
            .preallocatedLevels(4_096)
            .expectedClOrdIdsPerDay(2 * (RING_WARM_UP + WINDOWS * MEASURED));
    }

    private static final class CountingSink implements EventSink
    {
        long entries;
        long events;

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            entries++;
            events += buffer.getInt(offset + 8 + 21);
            return true;
        }
    }

    @Test
    void engineAllocatesNothingPerCommandInSteadyState()
    {
        final CountingSink sink = new CountingSink();
        final MatchingEngine engine = new MatchingEngine(new EngineState(config()), sink);
        final SteadyStateLoad load = new SteadyStateLoad(42);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        for (int step = 0, length; (length = load.setup(step, command)) > 0; step++)
        {
            engine.onCommand(command, 0, length);
        }
        run(engine, load, command, WARM_UP);

        final long threadId = Thread.currentThread().getId();
        final long[] windows = new long[WINDOWS];
        int measured = 0;
        do
        {
            final long tradesBefore = engine.state().lastTradeId();
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            run(engine, load, command, MEASURED);
            windows[measured++] = THREADS.getThreadAllocatedBytes(threadId) - before;
            assertTrue(engine.state().lastTradeId() - tradesBefore > MEASURED / 20, "the load must trade");
        }
        while (windows[measured - 1] != 0 && measured < WINDOWS);

        assertFalse(engine.isHalted());
        assertAllocatedNothing(java.util.Arrays.copyOf(windows, measured), "");
    }

    /** One window with nothing allocated, and none with more than JIT noise. */
    private static void assertAllocatedNothing(final long[] windows, final String note)
    {
        assertAllocatedNothing(windows, MEASURED, note);
    }

    private static void assertAllocatedNothing(final long[] windows, final int window, final String note)
    {
        final String all = java.util.Arrays.toString(windows);
        assertEquals(0, java.util.Arrays.stream(windows).min().orElseThrow(),
            "bytes allocated over each window of " + window + " commands: " + all + note);
        assertTrue(java.util.Arrays.stream(windows).max().orElseThrow() <= JIT_NOISE_BYTES,
            "bytes allocated over each window of " + window + " commands: " + all + note);
    }

    /** Counts the journal's events by template id, without allocating. */
    private static final class EventCounter implements EventSink
    {
        final long[] byTemplate = new long[256];

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            int position = offset + 8 + buffer.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN);
            while (position < offset + length)
            {
                byTemplate[buffer.getShort(position + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFF]++;
                position += 8 + (buffer.getShort(position, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            }
            return true;
        }

        long count(final int templateId)
        {
            return byTemplate[templateId];
        }
    }

    @Test
    void tradingDaysAllocateNothingOnceWarm()
    {
        final EventCounter counter = new EventCounter();
        final MatchingEngine engine = new MatchingEngine(new EngineState(new EngineConfig()
            .maxInstruments(TradingDayLoad.INSTRUMENTS + 1)
            .preallocatedOrders(PREALLOCATED_ORDERS)
            .preallocatedLevels(4_096)
            .expectedClOrdIdsPerDay(2 * (WARM_UP + DAY_WINDOWS * DAY_WINDOW))), counter);
        final TradingDayLoad load = new TradingDayLoad(engine.state(), 5);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        for (int step = 0, length; (length = load.setup(step, command)) > 0; step++)
        {
            engine.onCommand(command, 0, length);
        }
        for (int i = 0; i < WARM_UP; i++)
        {
            engine.onCommand(command, 0, load.next(command));
        }

        final long threadId = Thread.currentThread().getId();
        final long[] windows = new long[DAY_WINDOWS];
        int measured = 0;
        do
        {
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < DAY_WINDOW; i++)
            {
                engine.onCommand(command, 0, load.next(command));
            }
            windows[measured++] = THREADS.getThreadAllocatedBytes(threadId) - before;
        }
        while (windows[measured - 1] != 0 && measured < DAY_WINDOWS);

        assertFalse(engine.isHalted(), () -> engine.haltReason());
        assertTrue(engine.state().liveOrders() < PREALLOCATED_ORDERS, "live orders " + engine.state().liveOrders());
        final String covered = "auctions " + counter.count(AuctionUncrossedDecoder.TEMPLATE_ID) + ", indications " +
            counter.count(AuctionIndicationDecoder.TEMPLATE_ID) + ", elections " + counter.count(OrderElectedDecoder.TEMPLATE_ID) +
            ", interruptions and phases " + counter.count(TradingPhaseChangedDecoder.TEMPLATE_ID) + ", expiries " +
            counter.count(OrdersExpiredDecoder.TEMPLATE_ID) + ", rests " + counter.count(OrderRestedDecoder.TEMPLATE_ID) + ", trades " +
            counter.count(TradeDecoder.TEMPLATE_ID);
        assertTrue(counter.count(AuctionUncrossedDecoder.TEMPLATE_ID) > 10 && counter.count(OrderElectedDecoder.TEMPLATE_ID) > 1_000 &&
            counter.count(AuctionIndicationDecoder.TEMPLATE_ID) > 1_000 && counter.count(OrdersExpiredDecoder.TEMPLATE_ID) > 1_000,
            "the days exercise the phases and order types: " + covered);
        assertAllocatedNothing(java.util.Arrays.copyOf(windows, measured), DAY_WINDOW, " (" + covered + ")");
    }

    private static void run(final MatchingEngine engine, final SteadyStateLoad load, final UnsafeBuffer command, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            load.syncOrderIds(engine.state().lastOrderId());
            engine.onCommand(command, 0, load.next(command, engine.state().liveOrders()));
        }
    }

    @Test
    void engineThreadAllocatesNothingBehindTheRing() throws Exception
    {
        final CountingSink sink = new CountingSink();
        final MatchingEngine engine = new MatchingEngine(new EngineState(config()), sink);
        final AtomicLong engineThread = new AtomicLong();
        final AtomicLong measuredFrom = new AtomicLong(-1);
        final long[] bytesAt = new long[RING_WINDOWS + 1];
        final AtomicLong measurementCost = new AtomicLong();
        final AtomicLong processed = new AtomicLong();
        final AtomicLong peakLiveOrders = new AtomicLong();
        final long total = RING_WARM_UP + (long)RING_WINDOWS * MEASURED;
        final CommandHandler handler = new CommandHandler()
        {
            @Override
            public void onStart()
            {
                engineThread.set(Thread.currentThread().getId());
            }

            @Override
            public void onCommand(final DirectBuffer buffer, final int offset, final int length)
            {
                engine.onCommand(buffer, offset, length);
                if (engine.state().liveOrders() > peakLiveOrders.get())
                {
                    peakLiveOrders.set(engine.state().liveOrders());
                }
                final long n = processed.incrementAndGet();
                final long from = measuredFrom.get();
                if (n == from)
                {
                    // Calibrate: what one reading of the counter costs on this thread, then start.
                    final long first = THREADS.getThreadAllocatedBytes(engineThread.get());
                    final long second = THREADS.getThreadAllocatedBytes(engineThread.get());
                    measurementCost.set(second - first);
                    bytesAt[0] = THREADS.getThreadAllocatedBytes(engineThread.get());
                }
                else if (from > 0 && n > from && (n - from) % MEASURED == 0)
                {
                    bytesAt[(int)((n - from) / MEASURED)] = THREADS.getThreadAllocatedBytes(engineThread.get());
                }
            }

            @Override
            public void onEndOfBatch()
            {
                engine.onEndOfBatch();
            }
        };
        final SteadyStateLoad load = new SteadyStateLoad(7);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        try (CommandSequencer sequencer = new CommandSequencer(1 << 14, "yielding", handler).start())
        {
            int setup = 0;
            for (int step = 0, length; (length = load.setup(step, command)) > 0; step++)
            {
                publish(sequencer, command, length);
                setup++;
            }
            measuredFrom.set(setup + RING_WARM_UP);
            for (long i = 0; i < total; i++)
            {
                // Order ids are predicted from what the engine has done so far: a stale guess only
                // turns a cancel into a reject, which is load too.
                load.syncOrderIds(engine.state().lastOrderId());
                publish(sequencer, command, load.next(command, engine.state().liveOrders()));
            }
            sequencer.drainAndStop(60, TimeUnit.SECONDS);
        }
        assertEquals(measuredFrom.get() + (long)RING_WINDOWS * MEASURED, processed.get());
        assertTrue(peakLiveOrders.get() < PREALLOCATED_ORDERS, "peak live orders " + peakLiveOrders.get());
        assertFalse(engine.isHalted());
        final long[] windows = new long[RING_WINDOWS];
        for (int w = 0; w < RING_WINDOWS; w++)
        {
            windows[w] = bytesAt[w + 1] - bytesAt[w] - measurementCost.get();
        }
        assertAllocatedNothing(windows, " (on the engine thread; reading the counter costs " + measurementCost.get() +
            " bytes, subtracted)");
    }

    private static void publish(final CommandSequencer sequencer, final UnsafeBuffer command, final int length)
    {
        while (!sequencer.tryPublish(command, 0, length))
        {
            Thread.onSpinWait();
        }
    }
}
