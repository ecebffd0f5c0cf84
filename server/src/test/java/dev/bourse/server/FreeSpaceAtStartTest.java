package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A start on a nearly full disk is refused in one line naming the key, the path and both sizes, before anything is mapped. */
class FreeSpaceAtStartTest
{
    private static final String MINIMAL = dev.bourse.server.config.MinimalConfig.TEXT + """
        journal.min-free-mb = 8
        """;

    @TempDir
    Path dir;

    private ExchangeConfig config() throws Exception
    {
        return ExchangeConfig.read(Settings.parse("test", MINIMAL + "data.dir = " + dir.resolve("data") + "\n"
            + "gateway.session-dir = " + dir.resolve("sessions") + "\n"));
    }

    private static String refusal(final ExchangeConfig config, final Map<String, Long> freeByDirectoryName)
    {
        final FreeSpaceAtStart check = ExchangeServer.freeSpaceNeeded(config,
            new FreeSpaceAtStart(d -> freeByDirectoryName.getOrDefault(d.getFileName().toString(), 1L << 40)));
        try
        {
            check.check();
            return null;
        }
        catch (final IOException e)
        {
            return e.getMessage();
        }
    }

    @Test
    void aDataDirWithoutRoomForTheCountersIsNamedWithItsFreeAndNeededSpace() throws Exception
    {
        final String said = refusal(config(), Map.of("data", 1L << 20));
        assertEquals("data.dir: " + dir.resolve("data") + " has only 1 MiB free, below the 2 MiB the exchange needs there "
            + "(counters.dat); free some space or point data.dir elsewhere", said);
    }

    @Test
    void theJournalsReserveAndTheSessionStoresAreCheckedBeforeAnythingIsMapped() throws Exception
    {
        final String journal = refusal(config(), Map.of("journal", 7L << 20));
        assertTrue(journal.startsWith("journal.dir: " + dir.resolve("data").resolve("journal") + " has only 7 MiB free, below the 8 MiB"),
            journal);
        final String sessions = refusal(config(), Map.of("sessions", 4096L));
        assertTrue(sessions.startsWith("gateway.session-dir: " + dir.resolve("sessions") + " has only 0 MiB free, below the 2 MiB"),
            sessions);
        assertFalse(sessions.contains("\n"));
    }

    @Test
    void enoughRoomOrAnUnknownAmountStarts() throws Exception
    {
        assertNull(refusal(config(), Map.of()));
        assertNull(refusal(config(), Map.of("data", -1L)));
    }
}
