package dev.bourse.server.metrics;

import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.protocol.CounterDescriptor;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.journal.Retention;
import dev.bourse.journal.SnapshotStore;
import dev.bourse.journal.Snapshotter;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.readmodels.ReadModelCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The housekeeping thread's counters: the journal's head, the snapshotter's (which runs on the
 * same thread), ring occupancy (read from the ring's own sequences), and copies, for the counters
 * file, of what the market-data and read-model agents count themselves. Sampled every 100 ms.
 * Components that run on other threads own and write their own counters (gateway, engine).
 */
public final class ServerGauges
{
    private static final long SAMPLE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ChronicleJournal journal;
    private final CommandSequencer sequencer;
    private final Snapshotter snapshotter;
    private final MarketDataPublisher marketData;
    /** Set by the starting thread once the query side is up, read by the housekeeping thread. */
    private volatile ReadModelCounters readModels;

    private final AtomicCounter journalSequence;
    private final AtomicCounter ringOccupancy;
    private final AtomicCounter ringCapacity;
    private final AtomicCounter snapshotAge;
    private final AtomicCounter snapshotSequence;
    private final AtomicCounter snapshots;
    private final AtomicCounter snapshotFailures;
    private final AtomicCounter snapshotIdleClass;
    private final AtomicCounter marketDataLag;
    private final AtomicCounter marketDataMessages;
    private final AtomicCounter readModelsLag;
    private final AtomicCounter queries;

    private volatile java.util.function.LongSupplier queryNeeds = () -> Long.MAX_VALUE;

    public ServerGauges(
        final CountersManager counters,
        final ChronicleJournal journal,
        final CommandSequencer sequencer,
        final Snapshotter snapshotter,
        final MarketDataPublisher marketData)
    {
        this.journal = journal;
        this.sequencer = sequencer;
        this.snapshotter = snapshotter;
        this.marketData = marketData;
        journalSequence = CounterDescriptor.JOURNAL_SEQUENCE.newCounter(counters);
        ringOccupancy = CounterDescriptor.RING_OCCUPANCY.newCounter(counters);
        ringCapacity = CounterDescriptor.RING_CAPACITY.newCounter(counters);
        snapshotAge = CounterDescriptor.SNAPSHOT_AGE.newCounter(counters);
        snapshotSequence = CounterDescriptor.SNAPSHOT_SEQUENCE.newCounter(counters);
        snapshots = CounterDescriptor.SNAPSHOTS.newCounter(counters);
        snapshotFailures = CounterDescriptor.SNAPSHOT_FAILURES.newCounter(counters);
        snapshotIdleClass = CounterDescriptor.SNAPSHOT_IDLE_CLASS.newCounter(counters);
        marketDataLag = CounterDescriptor.MD_LAG.newCounter(counters);
        marketDataMessages = CounterDescriptor.MD_MESSAGES.newCounter(counters);
        readModelsLag = CounterDescriptor.READ_MODELS_LAG.newCounter(counters);
        queries = CounterDescriptor.QUERIES.newCounter(counters);
    }

    public void readModels(final ReadModelCounters counters)
    {
        this.readModels = counters;
    }

    /**
     * The oldest journal position the in-process query side may read again after a restart
     * ({@link JournalTailer#START} for everything): retention keeps it, as it keeps what the
     * newest snapshot needs. Any thread may set it; the housekeeping agent reads it.
     */
    public void queryNeeds(final java.util.function.LongSupplier position)
    {
        this.queryNeeds = position;
    }

    private void sample()
    {
        final long head = journal.lastSequence();
        journalSequence.setRelease(head);
        ringOccupancy.setRelease(sequencer.occupancy());
        ringCapacity.setRelease(sequencer.capacity());
        snapshotAge.setRelease(TimeUnit.NANOSECONDS.toSeconds(snapshotter.snapshotAgeNanos()));
        snapshotSequence.setRelease(Math.max(0, snapshotter.lastSnapshotSequence()));
        snapshots.setRelease(snapshotter.snapshotsTaken());
        snapshotFailures.setRelease(snapshotter.snapshotFailures());
        snapshotIdleClass.setRelease(snapshotter.yieldingCores() ? 1 : 0);
        if (marketData != null)
        {
            marketDataLag.setRelease(marketData.lagCounterValue());
            marketDataMessages.setRelease(marketData.messagesCounterValue());
        }
        final ReadModelCounters rm = readModels;
        if (rm != null)
        {
            readModelsLag.setRelease(Math.max(0, head - rm.sequence()));
            queries.setRelease(rm.queriesServed());
        }
    }

    /**
     * The housekeeping duty: sample the gauges, apply journal retention after each new snapshot,
     * and on close write a last snapshot (the server closes it after the readers caught up).
     */
    public Agent agent(final int retainCycles, final SnapshotStore store, final Consumer<String> log)
    {
        return new Agent()
        {
            private long lastSample;
            private long snapshotsSeen;

            @Override
            public int doWork()
            {
                final long now = System.nanoTime();
                if (now - lastSample < SAMPLE_EVERY_NS)
                {
                    return 0;
                }
                lastSample = now;
                sample();
                final long taken = snapshotter.snapshotsTaken();
                if (retainCycles > 0 && taken != snapshotsSeen)
                {
                    snapshotsSeen = taken;
                    final List<SnapshotStore.Info> kept = store.list();
                    if (!kept.isEmpty())
                    {
                        try
                        {
                            final long query = queryNeeds.getAsLong();
                            final long snapshot = kept.get(kept.size() - 1).journalPosition();
                            final List<Path> deleted = Retention.apply(journal, query < 0 ? -1 : Math.min(snapshot, query), retainCycles);
                            if (!deleted.isEmpty())
                            {
                                log.accept("retention: removed " + deleted.size() + " old journal cycle file(s)");
                            }
                        }
                        catch (final IOException e)
                        {
                            log.accept("retention: " + e.getMessage());
                        }
                    }
                }
                return 1;
            }

            @Override
            public void onClose()
            {
                snapshotter.snapshotNow();
                sample();
            }

            @Override
            public String roleName()
            {
                return "housekeeping";
            }
        };
    }
}
