package dev.bourse.cluster.node;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long ago the cluster last took a snapshot, from this node's recording log, read before the
 * node starts. {@code cluster.snapshot-interval} counts from it: counted from the process's start,
 * nodes restarted more often than the interval (a rolling restart, an outside probe's kills every
 * half minute) never saw it expire, and in 42 minutes at a 10-minute interval no snapshot was taken
 * and every restart replayed the whole log, each failover slower than the last.
 * <p>
 * Timestamps are the cluster clock's (epoch nanoseconds, {@code NanosecondClusterClock}). Without a
 * snapshot the clock starts at the cluster's first term; without a recording log (a new node), now.
 */
final class LastSnapshot
{
    private LastSnapshot()
    {
    }

    /** Nanoseconds since the newest snapshot (or the first term) in {@code clusterDir}'s recording log; 0 if none. */
    static long ageNs(final Path clusterDir, final long nowEpochNs)
    {
        if (!Files.isRegularFile(clusterDir.resolve(RecordingLog.RECORDING_LOG_FILE_NAME)))
        {
            return 0;
        }
        try (RecordingLog log = new RecordingLog(clusterDir.toFile(), false))
        {
            final long since = since(log);
            return since <= 0 ? 0 : Math.max(0, nowEpochNs - since);
        }
        catch (final RuntimeException e)
        {
            return 0; // unreadable: Aeron says so when it opens it; the interval counts from now
        }
    }

    /** The newest snapshot's timestamp, else the first term's, else 0. */
    private static long since(final RecordingLog log)
    {
        final RecordingLog.Entry snapshot = log.getLatestSnapshot(ConsensusModule.Configuration.SERVICE_ID);
        if (snapshot != null)
        {
            return snapshot.timestamp;
        }
        for (final RecordingLog.Entry entry : log.entries())
        {
            if (entry.isValid && entry.type == RecordingLog.ENTRY_TYPE_TERM && entry.timestamp > 0)
            {
                return entry.timestamp;
            }
        }
        return 0;
    }
}
