package dev.bourse.server.metrics;

import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class CountersTest
{
    @Test
    void engineCountsAreVisibleToAReaderOfTheFileAndAsPrometheusText(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile owner = CountersFile.create(file, 512); CountersFile reader = CountersFile.openForReading(file))
        {
            final EngineCounters engine = new EngineCounters(owner.manager());
            engine.onCommand(CommandType.NEW_ORDER.value(), 0);
            engine.onCommand(CommandType.NEW_ORDER.value(), RejectReason.INSUFFICIENT_FUNDS.value());
            engine.onCommand(CommandType.CANCEL_ORDER.value(), 0);
            engine.onCommand(200, 250);

            final String text = PrometheusText.render(reader.reader());
            assertTrue(text.contains("# TYPE bourse_engine_commands_total counter\n"), text);
            assertTrue(text.contains("bourse_engine_commands_total{type=\"new_order\"} 2\n"), text);
            assertTrue(text.contains("bourse_engine_commands_total{type=\"cancel_order\"} 1\n"), text);
            assertTrue(text.contains("bourse_engine_rejects_total{reason=\"insufficient_funds\"} 1\n"), text);
            assertTrue(text.contains("# TYPE bourse_engine_halted gauge\n"), text);
            assertEquals(ProcessHandle.current().pid(), reader.ownerPid());
        }
    }

    /** /metrics needs no login: another account's order must count as an unknown one, or the counters tell which OrderIDs are live. */
    @Test
    void anotherAccountsOrderCountsAsAnUnknownOrder(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile owner = CountersFile.create(file, 512); CountersFile reader = CountersFile.openForReading(file))
        {
            final EngineCounters engine = new EngineCounters(owner.manager());
            engine.onCommand(CommandType.CANCEL_ORDER.value(), RejectReason.UNKNOWN_ORDER.value());
            engine.onCommand(CommandType.CANCEL_ORDER.value(), RejectReason.NOT_YOUR_ORDER.value());

            final String text = PrometheusText.render(reader.reader());
            assertTrue(text.contains("bourse_engine_rejects_total{reason=\"unknown_order\"} 2\n"), text);
            assertFalse(text.contains("not_your_order"), text);
            assertEquals(ProcessHandle.current().pid(), reader.ownerPid());
        }
    }

    @Test
    void aForeignOrMissingFileIsRefusedClearly(@TempDir final Path dir) throws Exception
    {
        final IllegalArgumentException missing =
            assertThrows(IllegalArgumentException.class, () -> CountersFile.openForReading(dir.resolve("none.dat")));
        assertTrue(missing.getMessage().startsWith("no counters file at "), missing.getMessage());
        final Path foreign = Files.write(dir.resolve("foreign.dat"), new byte[4096]);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CountersFile.openForReading(foreign));
        assertTrue(e.getMessage().endsWith("is not a bourse counters file"), e.getMessage());
    }
}
