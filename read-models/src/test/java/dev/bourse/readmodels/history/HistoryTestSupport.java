package dev.bourse.readmodels.history;

import dev.bourse.journal.InMemoryJournal;

/** For tests outside this package: writes a whole in-memory journal into a history store. */
public final class HistoryTestSupport
{
    private HistoryTestSupport()
    {
    }

    public static SinkProgress writeAll(final HistoryStore store, final InMemoryJournal journal)
    {
        return SinkRunner.runToEnd(store, journal, 1_000);
    }
}
