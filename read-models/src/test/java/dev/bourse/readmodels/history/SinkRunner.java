package dev.bourse.readmodels.history;

import dev.bourse.journal.InMemoryJournal;
import dev.bourse.readmodels.JournalSource;

import java.util.concurrent.TimeUnit;

/** Runs a history sink on the calling thread over an in-memory journal until it has committed all of it. */
final class SinkRunner
{
    private SinkRunner()
    {
    }

    static SinkProgress runToEnd(final HistoryStore store, final InMemoryJournal journal, final int batchEntries)
    {
        final SinkProgress progress = new SinkProgress();
        final HistorySink sink = new HistorySink(store, JournalSource.of(journal), () -> journal.size() - 1L, progress,
            batchEntries, TimeUnit.MILLISECONDS.toNanos(50), line -> { throw new AssertionError(line); }, null);
        sink.onStart();
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (progress.position() < journal.size() - 1L)
        {
            sink.doWork();
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("the sink did not catch up: at " + progress.position() + " of " + (journal.size() - 1));
            }
        }
        sink.onClose();
        return progress;
    }
}
