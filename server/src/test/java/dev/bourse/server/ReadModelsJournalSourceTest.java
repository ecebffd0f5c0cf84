package dev.bourse.server;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.readmodels.JournalSource;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The read models in the exchange's process see the journal through {@link ExchangeServer#journalSource}:
 * it must say where the journal starts and read the entry at a checkpoint's position, or their refusals
 * (to rebuild from a journal retention trimmed, to load another journal's checkpoint) never fire there
 * (an outside probe's re-check found the first held only in ./exchange read-models).
 */
class ReadModelsJournalSourceTest
{
    @Test
    void theInProcessSourceSaysWhereTheJournalStartsAndReadsTheEntryAtAPosition(@TempDir final Path dir)
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final UnsafeBuffer entry = new UnsafeBuffer(new byte[32]);
            for (long sequence = 1; sequence <= 3; sequence++)
            {
                entry.putLong(8, sequence, ByteOrder.LITTLE_ENDIAN);
                journal.onEntry(entry, 0, entry.capacity());
                journal.onEndOfBatch();
            }
            final JournalSource source = ExchangeServer.journalSource(journal);
            assertEquals(journal.firstSequence(), source.firstSequence());

            final List<Long> positions = new ArrayList<>();
            try (JournalTailer all = source.tailerAfter(JournalTailer.START))
            {
                all.poll((position, buffer, offset, length) -> positions.add(position), 10);
            }
            assertEquals(3, positions.size(), "every entry");
            final JournalTailer atSecond = source.tailerAt(positions.get(1));
            assertNotNull(atSecond, "a tailer at a checkpoint's position, to tell whether the checkpoint is this journal's");
            final long[] sequence = {-1};
            try (atSecond)
            {
                atSecond.poll((position, buffer, offset, length) -> sequence[0] = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN), 1);
            }
            assertEquals(2, sequence[0], "the entry at that position");
        }
    }
}
