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
 * entries does allocate, but only for live state: an order record, its ClOrdID and its map entries
 * per accepted order (dropped again when the order is done), a ClOrdID per replace, a candle per
 * new interval; no history (that is the history sink's). The bound catches a regression that adds
 * garbage per event (it was 600 bytes per event on this workload while the history was kept here).
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
        assertTrue(perEvent < 400, perEvent + " bytes per event");
    }
}
