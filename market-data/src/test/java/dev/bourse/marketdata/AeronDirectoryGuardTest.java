package dev.bourse.marketdata;

import dev.bourse.journal.InMemoryJournal;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.*;

/** A second embedded driver never takes over (and later deletes) a directory a live driver uses. */
class AeronDirectoryGuardTest
{
    @Test
    void aSecondPublisherOnALiveDriversDirectoryIsRefusedAndTheFirstKeepsItsDirectory()
    {
        final String aeronDir = CommonContext.generateRandomDirName();
        final InMemoryJournal journal = new InMemoryJournal();
        try (MarketDataPublisher first = new MarketDataPublisher(context(journal, aeronDir)))
        {
            assertTrue(first.doWork() >= 0);
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> context(journal, aeronDir).conclude());
            assertTrue(refused.getMessage().contains("is running in " + aeronDir), refused.getMessage());
            assertTrue(refused.getMessage().contains("md.aeron-dir"), refused.getMessage());
            assertTrue(new File(aeronDir, "cnc.dat").isFile(), "the first driver's directory is still there");
        }
        assertFalse(new File(aeronDir).exists(), "the first driver deletes its own directory when it stops");
        try (MarketDataPublisher again = new MarketDataPublisher(context(journal, aeronDir)))
        {
            assertTrue(new File(aeronDir, "cnc.dat").isFile(), "a directory no live driver uses is taken");
        }
    }

    private static MarketDataPublisher.Context context(final InMemoryJournal journal, final String aeronDir)
    {
        final MarketDataPublisher.Context ctx = new MarketDataPublisher.Context()
            .journalTailer(journal.tailer())
            .journalHead(journal::size)
            .termLength(64 * 1024)
            .expectedOrders(1024)
            .invoked(true);
        ctx.aeronDirectoryName(aeronDir);
        return ctx;
    }
}
