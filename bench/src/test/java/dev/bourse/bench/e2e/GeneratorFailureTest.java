package dev.bourse.bench.e2e;

import dev.bourse.bench.fix.FixBaselines;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorFailureTest
{
    @TempDir
    Path out;

    /** Nothing listens on the port: the generator cannot connect and exits non-zero with no rate measured. */
    @Test
    void aGeneratorThatDiesIsAFailureNamingThePeerAndRateNotAQuietlyShorterSweep() throws Exception
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final GeneratorFailures failures = new GeneratorFailures(new PrintStream(text, true, StandardCharsets.UTF_8));
        final List<String> lines = new ArrayList<>();
        final List<Runner.RateResult> results = Runner.sweep("echo", FixBaselines.settings(22_017, 1), true, List.of(200L, 400L), 0,
            0.1, 0.1, out, null, null, lines::add, failures);

        assertTrue(results.isEmpty(), String.join("\n", lines));
        assertTrue(failures.any());
        final String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.lines().anyMatch(line -> line.startsWith("ERROR bench: load generator for peer echo failed at rate 200/s: exit status ")
            && line.endsWith(", 0 of 2 rates reported")), printed);
        assertTrue(printed.contains("  | "), "the generator's last lines: " + printed);
        assertEquals(1, failures.exitStatus());
    }

    @Test
    void noFailuresExitZero()
    {
        assertEquals(0, new GeneratorFailures(new PrintStream(new ByteArrayOutputStream())).exitStatus());
        assertEquals("did not exit (killed), 1 of 2 rates reported", GeneratorFailures.why(-1, 1, 2));
        assertEquals("1 of 2 rates reported", GeneratorFailures.why(0, 1, 2));
    }

    @Test
    void aRateIsAnsweredInFullOnlyWhenEveryMeasuredMessageWasAckedAndNoneRejected()
    {
        assertTrue(rate(1_000, 1_000, 0).complete());
        assertFalse(rate(1_000, 999, 0).complete(), "one unanswered");
        assertFalse(rate(1_000, 1_000, 1).complete(), "one rejected (a session-level reject, with every message acked)");
        assertFalse(rate(1_000, 990, 10).complete(), "answered or rejected is not answered in full");
        assertFalse(rate(0, 0, 0).complete(), "nothing measured");
    }

    private static Runner.RateResult rate(final long count, final long answered, final long rejects)
    {
        return new Runner.RateResult(1_000, count, answered, rejects, 1, 1, 1, 1, 1, 0, 0, 0, new Histogram(3), answered);
    }
}
