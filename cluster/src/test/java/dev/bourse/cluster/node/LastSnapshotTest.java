package dev.bourse.cluster.node;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The snapshot interval counts from the cluster's last snapshot as the recording log has it. */
class LastSnapshotTest
{
    private static final long NOW = TimeUnit.DAYS.toNanos(20_000);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void aNewNodeCountsFromNow()
    {
        assertEquals(0, LastSnapshot.ageNs(dir, NOW));
    }

    @Test
    void theNewestSnapshotOrElseTheFirstTerm() throws Exception
    {
        try (RecordingLog log = new RecordingLog(dir.toFile(), true))
        {
            log.appendTerm(1, 0, 0, NOW - 30 * MINUTE);
            log.appendTerm(1, 1, 1_000, NOW - 20 * MINUTE);
        }
        assertEquals(30 * MINUTE, LastSnapshot.ageNs(dir, NOW), "no snapshot yet: since the cluster's first term");

        try (RecordingLog log = new RecordingLog(dir.toFile(), false))
        {
            log.appendSnapshot(2, 1, 1_000, 2_000, NOW - 12 * MINUTE, 0);
            log.appendSnapshot(3, 1, 1_000, 2_000, NOW - 12 * MINUTE, ConsensusModule.Configuration.SERVICE_ID);
            log.appendSnapshot(4, 1, 1_000, 3_000, NOW - 2 * MINUTE, 0);
            log.appendSnapshot(5, 1, 1_000, 3_000, NOW - 2 * MINUTE, ConsensusModule.Configuration.SERVICE_ID);
        }
        assertEquals(2 * MINUTE, LastSnapshot.ageNs(dir, NOW), "the newest snapshot");
    }

    @Test
    void anUnreadableLogCountsFromNow() throws Exception
    {
        Files.write(dir.resolve(RecordingLog.RECORDING_LOG_FILE_NAME), new byte[]{1, 2, 3});
        assertEquals(0, LastSnapshot.ageNs(dir, NOW));
    }
}
