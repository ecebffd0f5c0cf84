package dev.bourse.server;

import dev.bourse.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read models in the exchange's process see the journal through {@link ExchangeServer#journalSource}:
 * it must say where the journal starts, or their refusal to rebuild from a journal retention trimmed
 * never fires there (an outside probe's re-check found it held only in ./exchange read-models).
 */
class ReadModelsJournalSourceTest
{
    @Test
    void theInProcessSourceSaysWhereTheJournalStarts(@TempDir final Path dir)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            assertEquals(journal.firstSequence(), ExchangeServer.journalSource(journal).firstSequence());
        }
    }
}
