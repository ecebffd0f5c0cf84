package dev.bourse.bench.jmh;

import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The engine's basic operations straight into {@code MatchingEngine} (no ring): each invocation
 * runs a batch of pre-encoded commands against a book of ~1,000 resting orders, and an untimed
 * per-invocation setup puts the book back. Run with {@code -prof gc}: gc.alloc.rate.norm should be
 * ~0 B/op (the setups allocate nothing per invocation except the end-of-day that lets ClOrdIDs be
 * reused, which the engine does by rebuilding its ClOrdID index: amortised over the batch).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineOperationsBenchmark
{
    static final int BATCH = 1_000;
    static final int SWEEPS = 100;
    private static final int RESTING = 1_000;

    /** An engine with a standing ~1,000-order book on instrument 1 and 100 more instruments for sweeps. */
    public abstract static class Book
    {
        EngineFixture fixture;

        void standingBook()
        {
            fixture = new EngineFixture(1 + SWEEPS);
            for (int i = 0; i < RESTING; i++)
            {
                final boolean buy = (i & 1) == 0;
                final long price = EngineFixture.MID + (buy ? -1 - i % 50 : 1 + i % 50) * EngineFixture.TICK;
                fixture.run(fixture.newOrder(1 + (i & 1), 1, buy ? Side.BUY : Side.SELL, TimeInForce.GTC, price, 10, "s", i));
            }
        }

        @TearDown(Level.Trial)
        public void checkNoRejects()
        {
            fixture.checkNoRejects();
        }
    }

    /** Orders that rest without matching; the setup cancels the previous batch. */
    @State(Scope.Thread)
    public static class PlaceState extends Book
    {
        final UnsafeBuffer[] places = new UnsafeBuffer[BATCH];
        final UnsafeBuffer[] cancels = new UnsafeBuffer[BATCH];
        long firstPlacedId;

        @Setup(Level.Trial)
        public void setUp()
        {
            standingBook();
            for (int i = 0; i < BATCH; i++)
            {
                places[i] = fixture.newOrder(2, 1, Side.BUY, TimeInForce.GTC, EngineFixture.MID - (1 + i % 50) * EngineFixture.TICK, 10, "p", i);
                cancels[i] = fixture.cancel(2, 1, "c", i);
            }
        }

        @Setup(Level.Invocation)
        public void cancelPreviousBatch()
        {
            if (firstPlacedId != 0)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    fixture.retarget(cancels[i], firstPlacedId + i);
                    fixture.run(cancels[i]);
                }
            }
            fixture.endDay();
            firstPlacedId = fixture.state.lastOrderId() + 1;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void place(final PlaceState state)
    {
        for (final UnsafeBuffer command : state.places)
        {
            state.fixture.run(command);
        }
    }

    /** Cancels by order id of orders resting in the book; the setup places them. */
    @State(Scope.Thread)
    public static class CancelState extends PlaceState
    {
        @Setup(Level.Invocation)
        public void placeBatch()
        {
            fixture.endDay();
            firstPlacedId = fixture.state.lastOrderId() + 1;
            for (int i = 0; i < BATCH; i++)
            {
                fixture.run(places[i]);
                fixture.retarget(cancels[i], firstPlacedId + i);
            }
        }

        @Override
        public void cancelPreviousBatch()
        {
            // The benchmark itself cancels the batch.
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void cancel(final CancelState state)
    {
        for (final UnsafeBuffer command : state.cancels)
        {
            state.fixture.run(command);
        }
    }

    /** Price changes that lose priority (leave one level, join the back of another), no match. */
    @State(Scope.Thread)
    public static class ReplaceState extends Book
    {
        final UnsafeBuffer[][] replaces = new UnsafeBuffer[2][BATCH];
        int round;

        @Setup(Level.Trial)
        public void setUp()
        {
            standingBook();
            final long first = fixture.state.lastOrderId() + 1;
            for (int i = 0; i < BATCH; i++)
            {
                fixture.run(fixture.newOrder(1, 1, Side.BUY, TimeInForce.GTC, EngineFixture.MID - (60 + i % 20) * EngineFixture.TICK, 5, "t", i));
                replaces[0][i] = fixture.replace(1, first + i, EngineFixture.MID - (90 + i % 20) * EngineFixture.TICK, 5, "ra", i);
                replaces[1][i] = fixture.replace(1, first + i, EngineFixture.MID - (60 + i % 20) * EngineFixture.TICK, 5, "rb", i);
            }
        }

        @Setup(Level.Invocation)
        public void newDay()
        {
            fixture.endDay();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replace(final ReplaceState state)
    {
        for (final UnsafeBuffer command : state.replaces[state.round++ & 1])
        {
            state.fixture.run(command);
        }
    }

    /** On each of 100 instruments, 10 asks over 5 levels that one IOC buy takes (10 trades each). */
    @State(Scope.Thread)
    public static class SweepState extends Book
    {
        final UnsafeBuffer[] makers = new UnsafeBuffer[SWEEPS * 10];
        final UnsafeBuffer[] takers = new UnsafeBuffer[SWEEPS];

        @Setup(Level.Trial)
        public void setUp()
        {
            standingBook();
            for (int k = 0; k < SWEEPS; k++)
            {
                for (int m = 0; m < 10; m++)
                {
                    final long price = EngineFixture.MID + (1 + m / 2) * EngineFixture.TICK;
                    makers[k * 10 + m] = fixture.newOrder(2, 2 + k, Side.SELL, TimeInForce.GTC, price, 3, "m", k * 10L + m);
                }
                takers[k] = fixture.newOrder(1, 2 + k, Side.BUY, TimeInForce.IOC, EngineFixture.MID + 5 * EngineFixture.TICK, 30, "x", k);
            }
        }

        @Setup(Level.Invocation)
        public void refill()
        {
            fixture.endDay();
            for (final UnsafeBuffer command : makers)
            {
                fixture.run(command);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SWEEPS)
    public void aggressiveSweep(final SweepState state)
    {
        for (final UnsafeBuffer command : state.takers)
        {
            state.fixture.run(command);
        }
    }
}
