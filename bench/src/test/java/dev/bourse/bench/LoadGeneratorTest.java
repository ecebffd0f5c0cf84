package dev.bourse.bench;

import dev.bourse.bench.e2e.Runner;
import dev.bourse.bench.fix.FixBaselines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The load generator runs in a JVM of its own and reports every rate it was given. */
class LoadGeneratorTest
{
    @TempDir
    Path out;

    @Test
    void aSweepAgainstAnEchoServerIsAnsweredInFullAndReportedPerRate() throws Exception
    {
        final List<String> lines = new ArrayList<>();
        final List<Runner.RateResult> results;
        try (FixBaselines.EchoServer echo = new FixBaselines.EchoServer())
        {
            results = Runner.sweep("echo", FixBaselines.settings(echo.port(), 2), true, List.of(200L, 400L), 0.2, 0.5, out, null,
                lines::add);
        }
        assertEquals(2, results.size(), String.join("\n", lines));
        for (final Runner.RateResult r : results)
        {
            assertTrue(r.complete(), r.answers() + " of " + r.count() + " answered at " + r.rate() + "/s");
            assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() <= r.max());
            assertNotNull(r.histogram());
            assertEquals(r.answers(), r.histogram().getTotalCount());
        }
        assertTrue(Files.exists(out.resolve("echo-ack-200.hgrm")));
        assertTrue(lines.contains("DONE"), String.join("\n", lines));
        // each rate's CPU per message: of this JVM (the echo server's) and of the generator's (no order path here), and both JVMs'
        // collections and JIT compile time
        for (final long rate : List.of(200L, 400L))
        {
            assertTrue(lines.stream().anyMatch(line -> line.matches("RESULT cpu peer=echo rate=" + rate +
                " messages=\\d+ jvm\\.us-per-msg=\\d+\\.\\d\\d order-path\\.us-per-msg=- generator\\.us-per-msg=\\d+\\.\\d\\d"
                + " jvm\\.gc\\.count=\\d+ jvm\\.gc\\.ms=\\d+ generator\\.gc\\.count=\\d+ generator\\.gc\\.ms=\\d+"
                + " jvm\\.jit\\.ms=\\d+ generator\\.jit\\.ms=\\d+")),
                String.join("\n", lines));
        }
    }

    /** Priming runs once, before the first rate, at the sweep's highest rate when that is below 10,000/s, and is not reported. */
    @Test
    void primingRunsOnceBeforeTheFirstRateUnrecorded() throws Exception
    {
        final List<String> lines = new ArrayList<>();
        final List<Runner.RateResult> results;
        try (FixBaselines.EchoServer echo = new FixBaselines.EchoServer())
        {
            results = Runner.sweep("echo", FixBaselines.settings(echo.port(), 2), true, List.of(200L, 400L), 0.5, 0.2, 0.5, out, null,
                null, lines::add);
        }
        assertEquals(List.of(200L, 400L), results.stream().map(Runner.RateResult::rate).toList(), String.join("\n", lines));
        assertEquals(List.of("PRIME rate=400 seconds=0.5"), lines.stream().filter(l -> l.startsWith("PRIME")).toList());
        assertTrue(lines.indexOf("PRIME rate=400 seconds=0.5") < lines.indexOf(lines.stream().filter(l -> l.startsWith("RATE")).findFirst()
            .orElseThrow()), String.join("\n", lines));
        for (final Runner.RateResult r : results)
        {
            assertEquals((long)(r.rate() * 0.5), r.count(), "only the measured messages are counted at " + r.rate() + "/s");
        }
    }

    @Test
    void theGeneratorTakesTheCollectorAndSafepointFlagsButNotThePriorities()
    {
        assertTrue(Runner.collectorTuning("-XX:GuaranteedSafepointInterval=0"));
        assertTrue(Runner.collectorTuning("-XX:NewRatio=4"));
        assertTrue(Runner.collectorTuning("-XX:+UseTransparentHugePages"));
        assertTrue(Runner.collectorTuning("-XX:+AlwaysPreTouch"));
        assertFalse(Runner.collectorTuning("-XX:ThreadPriorityPolicy=1"));
        assertFalse(Runner.collectorTuning("-XX:JavaPriority9_To_OSPriority=0"));
        assertFalse(Runner.collectorTuning("-XX:CompilerThreadPriority=0"));
        assertFalse(Runner.collectorTuning("-XX:StartFlightRecording=filename=/tmp/jfr/"));
        assertFalse(Runner.collectorTuning("-Xmx2g"));
        assertFalse(Runner.collectorTuning("-Dbourse.bench.config=x"));
    }
}
