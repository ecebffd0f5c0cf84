package dev.bourse.bench.demo;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.fixload.FixLoadClient;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The demo and the load generator against a real exchange in this JVM (no timing asserted). */
class DemoMainTest
{
    @Test
    void theLoadGeneratorGetsAnAnswerForEveryMessageItSends() throws Exception
    {
        try (BenchExchange exchange = new BenchExchange(2, 5, "mapped", null, line -> { });
            FixLoadClient client = new FixLoadClient(exchange.clientSettings(1)))
        {
            client.recording(true);
            client.run(500, 500, 10);
            final Histogram[] byType = client.takeTotal();
            final long answers = byType[0].getTotalCount() + byType[1].getTotalCount() + byType[2].getTotalCount();
            assertEquals(500, answers, "every message answered (acks, or cancel rejects for filled orders)");
            assertTrue(byType[FixLoadClient.NEW].getTotalCount() > 200, "mostly new orders acknowledged");
            assertTrue(client.rejectReasons().keySet().stream().allMatch(r -> r.contains("UNKNOWN_ORDER")
                || r.contains("TOO_LATE_TO_CANCEL") || r.contains("REPLACE_BELOW_FILLED")), "only late cancels/replaces are rejected: " + client.rejectReasons());
        }
    }

    @Test
    void theDemoTradesAndPrintsASummary()
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = new CommandLine(new DemoMain()).execute("--duration", "3s", "--traders", "2", "--instruments", "3");
        }
        finally
        {
            System.setOut(original);
        }
        final String output = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertTrue(output.contains("summary"), output);
        assertTrue(output.contains("trades "), output);
        assertTrue(output.contains("query API"), output);
        // what the JVM spent besides the exchange's own work, measured on HotSpot
        assertTrue(output.matches("(?s).*  this JVM +\\d+\\.\\d\\d of \\d+ cores busy on average, [\\d,]+ collections \\([\\d,]+ ms\\),"
            + " JIT compiling for [\\d,]+ ms\n.*"), output);
        assertFalse(output.contains("trades             0 "), "trades happened:\n" + output);
    }

    /** A second run on a kept journal had its traders' ClOrdIDs refused as duplicates of the first's (an outside tester). */
    @Test
    void aDataDirectoryThatIsNotEmptyIsRefusedInOneLine(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws java.io.IOException
    {
        java.nio.file.Files.createDirectories(dir.resolve("journal"));
        final java.io.StringWriter err = new java.io.StringWriter();
        final CommandLine commandLine = new CommandLine(new DemoMain());
        commandLine.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, commandLine.execute("--duration", "3s", "--data-dir", dir.toString()));
        assertTrue(err.toString().contains("--data-dir " + dir + " is not empty"), err.toString());
        final java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("journal").resolve("a-file"), "hi\n");
        err.getBuffer().setLength(0);
        assertEquals(2, commandLine.execute("--duration", "3s", "--data-dir", file.toString()));
        assertTrue(err.toString().contains("--data-dir " + file + " is a file"), err.toString());
    }
}
