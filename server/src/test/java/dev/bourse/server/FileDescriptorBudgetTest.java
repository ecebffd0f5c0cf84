package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A descriptor limit below what the connection caps can hold open is said once at start. */
class FileDescriptorBudgetTest
{
    private static final String MINIMAL = dev.bourse.server.config.MinimalConfig.TEXT + """
        gateway.max-sessions = 100
        gateway.admission.max-unauthenticated = 128
        query.http.max-connections = 500
        """;

    @Test
    void theCapsPlusAMarginAreNeededAndALowerLimitIsOneWarningLine() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL));
        assertEquals(100 + 128 + 500 + FileDescriptorBudget.MARGIN, FileDescriptorBudget.needed(config));
        final String warning = FileDescriptorBudget.warning(config, 128);
        assertTrue(warning.startsWith("warning: the process may open 128 files (ulimit -n), fewer than the 984 "), warning);
        assertFalse(warning.contains("\n"));
        assertNull(FileDescriptorBudget.warning(config, 984));
        assertNull(FileDescriptorBudget.warning(config, -1));
    }
}
