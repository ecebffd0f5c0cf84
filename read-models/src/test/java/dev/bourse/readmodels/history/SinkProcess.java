package dev.bourse.readmodels.history;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.readmodels.JournalSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A history sink alone in a process, for the crash test: {@code JOURNAL_DIR STORE BATCH_ENTRIES
 * STOP_IN_BATCH}, where STORE is a SQLite file or a PostgreSQL JDBC URL (user and password
 * postgres). With STOP_IN_BATCH n &gt; 0 it writes its n-th batch, says {@code MID-BATCH n} and
 * waits, transaction open, to be killed; otherwise it says {@code CAUGHT-UP position} once the
 * store holds the whole journal and exits.
 */
public final class SinkProcess
{
    private SinkProcess()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path journalDir = Path.of(args[0]);
        final String store = args[1];
        final int batchEntries = Integer.parseInt(args[2]);
        final long stopInBatch = Long.parseLong(args[3]);
        final StoreSettings settings = store.startsWith("jdbc:")
            ? StoreSettings.postgresql(store, "postgres", "postgres") : StoreSettings.embedded(Path.of(store));
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).readOnly(true));
            HistoryStore history = HistoryStore.open(settings))
        {
            final long head = journal.lastPosition();
            final SinkProgress progress = new SinkProgress();
            final HistorySink sink = new HistorySink(history, JournalSource.of(journal), () -> head, progress, batchEntries,
                TimeUnit.MILLISECONDS.toNanos(100), System.out::println, (batch, rows) ->
                {
                    if (batch == stopInBatch)
                    {
                        System.out.println("MID-BATCH " + batch + " rows " + rows);
                        System.out.flush();
                        while (true)
                        {
                            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                        }
                    }
                });
            sink.onStart();
            System.out.println("STARTED at " + progress.position());
            while (progress.position() < head)
            {
                sink.doWork();
            }
            sink.onClose();
            System.out.println("CAUGHT-UP " + progress.position());
            System.out.flush();
        }
    }
}
