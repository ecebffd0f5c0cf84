package dev.bourse.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damages the length word of a Chronicle document the way a torn write does: the length then
 * reaches past the data written, and a reader takes the document, and all after it, as not
 * written yet. For the tests of what recovery says of a journal it cannot read to its end.
 */
final class DocumentHeaderDamage
{
    private DocumentHeaderDamage()
    {
    }

    /** Where the length word of the journal's document after the first {@code skipped} ones is. */
    static long headerOf(final ChronicleJournal journal, final int skipped)
    {
        try (net.openhft.chronicle.queue.ExcerptTailer tailer = journal.queue().createTailer())
        {
            for (int i = 0; i < skipped; i++)
            {
                try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
                {
                    assertTrue(dc.isPresent());
                }
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
            {
                return dc.wire().bytes().readPosition() - 4; // the document's length word
            }
        }
    }

    /** Flips a bit of the length word at {@code headerAt} in {@code cycleFile}. */
    static void damage(final Path cycleFile, final long headerAt) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(cycleFile.toFile(), "rw"))
        {
            raf.seek(headerAt + 2);
            final int b = raf.read();
            raf.seek(headerAt + 2);
            raf.write(b ^ 0x10);
        }
    }
}
