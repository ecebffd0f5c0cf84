package dev.bourse.journal;

import dev.bourse.engine.EngineState;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshotter's thread starts in the idle class and leaves it while it is far behind the journal's head. */
class SnapshotterSchedulingTest
{
    @TempDir
    Path dir;

    @Test
    void theSnapshotterYieldsTheCoresWhileCloseBehindAndCompetesWhenFarBehind()
    {
        final RecordingScheduling recording = new RecordingScheduling(true);
        final List<String> log = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final JournalFixture fixture = new JournalFixture(5, journal);
            fixture.run(300);
            final AtomicLong head = new AtomicLong(journal.lastSequence());
            final Snapshotter snapshotter = new Snapshotter(journal.tailerFromStart(), new EngineState(JournalFixture.config()),
                new SnapshotStore(dir.resolve("snapshots"), 1), 0, 0, new SystemEpochNanoClock(), log::add)
                .scheduling(recording, 100, head::get);

            snapshotter.onStart();
            assertEquals(List.of("yield"), recording.calls);
            assertTrue(snapshotter.yieldingCores());

            // one poll reads at most its limit; the head says the journal is far ahead of what it applied
            head.set(journal.lastSequence() + 10_000);
            snapshotter.doWork();
            assertFalse(snapshotter.yieldingCores());
            assertTrue(log.stream().anyMatch(line -> line.startsWith("snapshotter: ") && line.contains("competing for the cores")), log.toString());

            head.set(journal.lastSequence());
            while (snapshotter.doWork() > 0)
            {
                // catching up
            }
            assertTrue(snapshotter.yieldingCores());
            assertEquals(List.of("yield", "compete", "yield"), recording.calls);
            snapshotter.onClose();
        }
    }
}
