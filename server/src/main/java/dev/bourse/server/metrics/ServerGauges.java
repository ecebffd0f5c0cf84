package dev.bourse.server.metrics;

import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.gateway.Gateway;
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
 * The counters that are states rather than events (ring occupancy, each reader's lag behind the
 * journal, sessions, snapshot age), sampled every 100 ms on the housekeeping thread from values
 * the components publish. Reading another thread's plain fields gives a value that may be a
 * moment stale, which is what a gauge is.
 */
public final class ServerGauges
{
    private static final long SAMPLE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ChronicleJournal journal;
    private final CommandSequencer sequencer;
    private final Snapshotter snapshotter;
    private final Gateway gateway;
    private final JournalTailer gatewayTailer;
    private final MarketDataPublisher marketData;
    private ReadModelCounters readModels;

    private final AtomicCounter journalSequence;
    private final AtomicCounter ringOccupancy;
    private final AtomicCounter ringCapacity;
    private final AtomicCounter snapshotAge;
    private final AtomicCounter snapshotSequence;
    private final AtomicCounter snapshots;
    private final AtomicCounter snapshotFailures;
    private final AtomicCounter sessions;
    private final AtomicCounter throttled;
    private final AtomicCounter busyRejects;
    private final AtomicCounter gatewayLag;
    private final AtomicCounter marketDataLag;
    private final AtomicCounter marketDataMessages;
    private final AtomicCounter readModelsLag;
    private final AtomicCounter queries;

    public ServerGauges(
        final CountersManager counters,
        final ChronicleJournal journal,
        final CommandSequencer sequencer,
        final Snapshotter snapshotter,
        final Gateway gateway,
        final JournalTailer gatewayTailer,
        final MarketDataPublisher marketData)
    {
        this.journal = journal;
        this.sequencer = sequencer;
        this.snapshotter = snapshotter;
        this.gateway = gateway;
        this.gatewayTailer = gatewayTailer;
        this.marketData = marketData;
        journalSequence = counters.newCounter("bourse_journal_sequence", MetricTypes.GAUGE);
        ringOccupancy = counters.newCounter("bourse_ring_occupancy", MetricTypes.GAUGE);
        ringCapacity = counters.newCounter("bourse_ring_capacity", MetricTypes.GAUGE);
        snapshotAge = counters.newCounter("bourse_snapshot_age_seconds", MetricTypes.GAUGE);
        snapshotSequence = counters.newCounter("bourse_snapshot_sequence", MetricTypes.GAUGE);
        snapshots = counters.newCounter("bourse_snapshots_total", MetricTypes.COUNTER);
        snapshotFailures = counters.newCounter("bourse_snapshot_failures_total", MetricTypes.COUNTER);
        sessions = counters.newCounter("bourse_gateway_sessions", MetricTypes.GAUGE);
        throttled = counters.newCounter("bourse_gateway_throttled_total", MetricTypes.COUNTER);
        busyRejects = counters.newCounter("bourse_gateway_busy_rejects_total", MetricTypes.COUNTER);
        gatewayLag = counters.newCounter("bourse_gateway_lag_entries", MetricTypes.GAUGE);
        marketDataLag = counters.newCounter("bourse_md_lag_entries", MetricTypes.GAUGE);
        marketDataMessages = counters.newCounter("bourse_md_messages_total", MetricTypes.COUNTER);
        readModelsLag = counters.newCounter("bourse_read_models_lag_entries", MetricTypes.GAUGE);
        queries = counters.newCounter("bourse_queries_total", MetricTypes.COUNTER);
    }

    public void readModels(final ReadModelCounters counters)
    {
        this.readModels = counters;
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
        if (gateway != null)
        {
            sessions.setRelease(gateway.sessions().connectionCount());
            throttled.setRelease(gateway.sessions().throttledCount());
            busyRejects.setRelease(gateway.sessions().busyRejects());
            gatewayLag.setRelease(Math.max(0, head - gatewayTailer.lastSequence()));
        }
        if (marketData != null)
        {
            marketDataLag.setRelease(Math.max(0, head - marketData.publishedJournalSequence()));
            marketDataMessages.setRelease(marketData.lastIncrementalSequence());
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
                            final List<Path> deleted = Retention.apply(journal, kept.get(kept.size() - 1).journalPosition(), retainCycles);
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
