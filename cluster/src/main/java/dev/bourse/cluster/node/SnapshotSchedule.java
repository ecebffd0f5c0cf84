package dev.bourse.cluster.node;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * When a node asks the cluster for a snapshot under {@code cluster.snapshot-interval}: once the
 * cluster has gone an interval without one, if the node leads then, and again every tenth of the
 * interval (at least a second) while none comes. The clock is the last snapshot any leader took
 * (a node's snapshot counter moves with every one) and, at start, the newest in its recording log
 * ({@link LastSnapshot}): counted from the node's start and asked only if it led at that instant,
 * snapshots were skipped for as long as leadership moved or nodes restarted (probes saw none for 26
 * and for 42 minutes at a 10-minute interval, so every restart replayed the whole log).
 * One thread (the node's timer); times are {@code System.nanoTime()}'s.
 */
final class SnapshotSchedule
{
    private final long intervalNs;
    private final long retryNs;
    private long seenSnapshots;
    private long lastSnapshotNs;
    private long lastAskedNs;

    /**
     * @param intervalNs   the interval (positive).
     * @param nowNs        the time at start.
     * @param ageAtStartNs how long before {@code nowNs} the cluster's last snapshot was, 0 if unknown.
     * @param snapshots    this node's snapshot counter at start.
     */
    SnapshotSchedule(final long intervalNs, final long nowNs, final long ageAtStartNs, final long snapshots)
    {
        this.intervalNs = intervalNs;
        this.retryNs = Math.max(TimeUnit.SECONDS.toNanos(1), intervalNs / 10);
        this.seenSnapshots = snapshots;
        this.lastSnapshotNs = nowNs - Math.min(Math.max(0, ageAtStartNs), intervalNs);
        this.lastAskedNs = lastSnapshotNs - retryNs;
    }

    /**
     * Notes the snapshot counter; true when this node should ask for a snapshot now (and the ask is
     * noted). {@code leading} is asked only when a snapshot is due.
     */
    boolean due(final long nowNs, final long snapshots, final BooleanSupplier leading)
    {
        if (snapshots != seenSnapshots)
        {
            seenSnapshots = snapshots;
            lastSnapshotNs = nowNs;
        }
        if (nowNs - lastSnapshotNs >= intervalNs && nowNs - lastAskedNs >= retryNs && leading.getAsBoolean())
        {
            lastAskedNs = nowNs;
            return true;
        }
        return false;
    }
}
