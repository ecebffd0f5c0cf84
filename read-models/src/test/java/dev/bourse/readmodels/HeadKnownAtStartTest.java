package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The journal's head sequence, and so every lag counted from it, is known as soon as the projection
 * is built, before its first duty cycle: the history sink read "unknown" until then and reported a
 * lag of 0 while thousands of entries behind (an outside probe, after a crash and on a rebuild).
 */
class HeadKnownAtStartTest
{
    @Test
    void theHeadAndTheLagAreThereBeforeTheFirstDutyCycle(@TempDir final Path dir)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final Workload workload = new Workload(5, journal).run(500);
            final long head = workload.state.lastSequence();
            final ReadModelCounters counters = new ReadModelCounters();
            new ProjectionAgent(new ReadModels(), JournalSource.of(journal), counters, null, 1_000_000, 1_000, 1_024, line -> { });
            assertEquals(head, counters.headSequence());
            assertEquals(head, counters.lag(), "nothing applied yet: the whole journal is the lag");
        }
    }
}
