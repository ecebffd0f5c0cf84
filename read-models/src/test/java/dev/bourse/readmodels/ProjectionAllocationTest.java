package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Allocation on the projection thread, measured with {@code ThreadMXBean#getCurrentThreadAllocatedBytes}.
 * The duty cycle of a caught-up projection (polling the Chronicle journal, checking for queries
 * and the head position) allocates nothing, so an idle read side makes no garbage. Applying
 * entries allocates only for live state that grows: the chunks of order rows and the maps'
 * arrays while the book grows, a candle per new interval; no object per order and no history
 * (that is the history sink's). Once the book has grown, orders that come and go reuse rows.
 * The bounds catch a regression that adds garbage per event (it was 600 bytes per event on
 * this workload while the history was kept here, 255 with an object and a string per order, 50
 * with rows; 2 once the book has grown).
 */
class ProjectionAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void aCaughtUpProjectionAllocatesNothingPerDutyCycle(@TempDir final Path dir)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            new Workload(21, journal).run(2_000);
            final ProjectionAgent agent = new ProjectionAgent(new ReadModels(), JournalSource.of(journal), new ReadModelCounters(),
                null, 1_000_000, 1_000, 1_024, line -> fail(line));
            agent.onStart();
            while (agent.doWork() > 0)
            {
                // catch up
            }
            for (int i = 0; i < 3_000_000; i++)
            {
                agent.doWork(); // warm up the idle path (the first million still allocated a few hundred bytes once)
            }
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000_000; i++)
            {
                agent.doWork();
            }
            assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 1M idle duty cycles");
            assertEquals(0, agent.counters().lag());
            agent.onClose();
        }
    }

    @Test
    void applyingEntriesAllocatesAboutWhatTheModelsKeep()
    {
        final Workload workload = new Workload(22).run(20_000);
        for (int round = 0; round < 3; round++)
        {
            workload.project(); // warm up
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final ReadModels models = workload.project();
        final double perEvent = (double)(THREADS.getCurrentThreadAllocatedBytes() - before) / models.eventsApplied();
        System.out.printf("projection allocation: %.0f bytes per event over %d events%n", perEvent, models.eventsApplied());
        assertTrue(perEvent < 100, perEvent + " bytes per event");
    }

    @Test
    void ordersThatComeAndGoReuseRowsOnceTheBookHasGrown()
    {
        final Workload workload = new Workload(23).run(60_000);
        workload.project(); // warm up
        final ReadModels models = new ReadModels();
        try (var tailer = workload.journal.tailer())
        {
            while (models.entriesApplied() < 30_000 && tailer.poll(models, 1_000) > 0)
            {
                // the first half grows the rows and maps to the book's size
            }
            final long eventsBefore = models.eventsApplied();
            final int liveBefore = models.liveOrders();
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            while (tailer.poll(models, 1_000) > 0)
            {
                // the second half: orders come and go
            }
            final long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            final double perEvent = (double)bytes / (models.eventsApplied() - eventsBefore);
            System.out.printf("steady-state projection allocation: %.1f bytes per event over %d events (live orders %d -> %d)%n",
                perEvent, models.eventsApplied() - eventsBefore, liveBefore, models.liveOrders());
            assertTrue(perEvent < 16, perEvent + " bytes per event");
        }
    }
}
