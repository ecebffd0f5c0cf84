package dev.bourse.journal;

import dev.bourse.engine.BufferStateIO;
import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.engine.sequencer.CommandSequencer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The exchange engine under continuous load, for {@link CrashRecoveryTest} to kill: recovers
 * from the journal and snapshots, prints what it recovered, starts the snapshotter, then feeds
 * generated commands through the ring into the engine and the journal until it is killed.
 * <p>
 * Args: journal dir, snapshot dir, run number.
 */
public final class CrashChild
{
    static EngineConfig config()
    {
        return new EngineConfig()
            .maxInstruments(SteadyStateLoad.INSTRUMENTS + 1)
            .preallocatedOrders(1 << 14)
            .preallocatedLevels(1_024)
            .expectedClOrdIdsPerDay(1 << 20)
            .conclude();
    }

    public static void main(final String[] args)
    {
        final Path journalDir = Path.of(args[0]);
        final Path snapshotDir = Path.of(args[1]);
        final int run = Integer.parseInt(args[2]);

        final ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir));
        final SnapshotStore store = new SnapshotStore(snapshotDir, 2);
        final Recovery.Result recovered = Recovery.recover(journal, store, config(), System.out::println);
        final EngineState state = recovered.state();
        System.out.println("RECOVERED sequence=" + state.lastSequence() + " orderId=" + state.lastOrderId()
            + " tradeId=" + state.lastTradeId() + " source=" + recovered.source());

        final byte[] copy = EngineSnapshot.toBytes(state);
        final EngineState shadow = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(copy), 0, copy.length), config());
        final JournalTailer snapshotTail = recovered.lastPosition() < 0
            ? journal.tailerFromStart() : journal.tailerAfter(recovered.lastPosition(), false);
        final Snapshotter snapshotter = new Snapshotter(snapshotTail, shadow, store, 3_000, 0,
            new SystemEpochNanoClock(), System.out::println);
        AgentRunner.startOnThread(new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, snapshotter));

        final MatchingEngine engine = new MatchingEngine(state, journal);
        final CommandSequencer sequencer = new CommandSequencer(1024, "sleeping", new EngineCommandHandler(engine)).start();
        final SteadyStateLoad load = new SteadyStateLoad(run * 7919L);
        load.continueFrom(run * 100_000_000L + 1, state.lastOrderId(), state.lastTimestamp() + 1);
        if (state.lastSequence() == 0)
        {
            for (int step = 0; ; step++)
            {
                final long claim = sequencer.claim();
                final MutableDirectBuffer buffer = sequencer.buffer(claim);
                final int length = load.setup(step, buffer);
                if (length == 0)
                {
                    sequencer.commit(claim, writeNoop(load, buffer));
                    break;
                }
                sequencer.commit(claim, length);
            }
        }
        System.out.println("READY");
        System.out.flush();
        long sent = 0;
        while (true)
        {
            final long claim = sequencer.claim();
            // The engine's counters are read across threads: good enough to steer a generator.
            final int length = load.next(sequencer.buffer(claim), state.liveOrders());
            sequencer.commit(claim, length);
            load.syncOrderIds(state.lastOrderId());
            if ((++sent & 255) == 0)
            {
                LockSupport.parkNanos(50_000); // a steady load, not a flood that starves the other core
            }
        }
    }

    /** A harmless trading command to fill the claimed slot after setup ends. */
    private static int writeNoop(final SteadyStateLoad load, final MutableDirectBuffer buffer)
    {
        return load.next(buffer, 0);
    }
}
