package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine core is a pure state machine: no clock, no randomness, no I/O, no threads, and the
 * Disruptor only behind the sequencer seam. Checked on the sources so a regression fails the build.
 */
class EngineIsolationTest
{
    private static final Pattern FORBIDDEN = Pattern.compile(
        "System\\.(currentTimeMillis|nanoTime)|Instant\\.now|LocalDate(Time)?\\.now|Clock\\.|java\\.util\\.Random|" +
        "ThreadLocalRandom|SecureRandom|Math\\.random|java\\.io\\.File|java\\.nio\\.file|java\\.net\\.|new Thread|" +
        "double |float |Double\\.|Float\\.|com\\.lmax");

    @Test
    void coreSourcesUseNoClockRandomnessIoThreadsFloatingPointOrDisruptor() throws IOException
    {
        final Path core = Path.of("src/main/java/dev/bourse/engine");
        final List<Path> sources;
        try (Stream<Path> files = Files.list(core))
        {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 10, "found the engine sources in " + core.toAbsolutePath());
        final StringBuilder violations = new StringBuilder();
        for (final Path source : sources)
        {
            final List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++)
            {
                final String line = lines.get(i).trim();
                if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*"))
                {
                    continue;
                }
                if (FORBIDDEN.matcher(line).find())
                {
                    violations.append(source.getFileName()).append(':').append(i + 1).append(": ").append(line).append('\n');
                }
            }
        }
        assertEquals("", violations.toString());
    }
}
