package dev.bourse.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the exchange-core peer (module peer-exchange-core) in its own JVM on a stream file and
 * collects its {@code PEER} result lines. Its classpath is the one that module's build wrote to
 * {@code target/classpath.txt}; its JVM flags are ours (a superset of the add-opens it needs).
 */
public final class PeerProcess
{
    private final Path home;
    private final List<String> jvmFlags;

    /**
     * The project's JVM flags without its GC and safepoint tuning (root pom, {@code bourse.jvm.gc},
     * {@code bourse.jvm.young}, {@code bourse.jvm.safepoint}): the peer runs with the JVM's defaults, as it ships. Measured side by
     * side, the refinement tuning doubled our engine's throughput with 1,000 instruments but slowed
     * exchange-core's single-instrument run by half, so giving it to the peer would flatter the ratio.
     */
    public static List<String> withoutOurGcTuning(final List<String> flags)
    {
        final List<String> peer = new ArrayList<>();
        for (final String flag : flags)
        {
            if (!flag.contains("G1ConcRefinement") && !flag.contains("G1UseAdaptiveConcRefinement") && !flag.contains("NewRatio")
                && !flag.contains("GuaranteedSafepointInterval"))
            {
                peer.add(flag);
            }
        }
        return peer;
    }

    public PeerProcess(final Path home, final List<String> jvmFlags)
    {
        this.home = home;
        this.jvmFlags = jvmFlags;
    }

    /** Null if the peer module is built, else why it cannot run. */
    public String unavailableReason()
    {
        if (!Files.isRegularFile(classpathFile()))
        {
            return "exchange-core peer not built (" + classpathFile() + " missing): run mvn -B -q -DskipTests package";
        }
        if (!Files.isDirectory(classesDir()))
        {
            return "exchange-core peer classes missing: " + classesDir();
        }
        return null;
    }

    private Path classpathFile()
    {
        return home.resolve("peer-exchange-core/target/classpath.txt");
    }

    private Path classesDir()
    {
        return home.resolve("peer-exchange-core/target/classes");
    }

    /** The peer's results: {@code lines} are its PEER lines, parsed into key=value maps by kind. */
    public static final class Results
    {
        public final List<String> lines = new ArrayList<>();

        /**
         * The sum of {@code key} over every line of a kind (e.g. the rejects of all "throughput"
         * iterations: the peer's closing "rejects" line holds only the last one's); 0 when none.
         */
        public long sum(final String kind, final String key)
        {
            long sum = 0;
            for (final String line : lines)
            {
                final String[] words = line.trim().split("\\s+");
                if (words.length < 2 || !words[0].equals("PEER") || !words[1].equals(kind))
                {
                    continue;
                }
                for (int i = 2; i < words.length; i++)
                {
                    if (words[i].startsWith(key + "="))
                    {
                        sum += Long.parseLong(words[i].substring(key.length() + 1));
                    }
                }
            }
            return sum;
        }

        /** The last line of a kind (e.g. "throughput-median", "latency" with rate) as key=value pairs. */
        public Map<String, String> find(final String kind, final String key, final String value)
        {
            Map<String, String> found = null;
            for (final String line : lines)
            {
                final String[] words = line.trim().split("\\s+");
                if (words.length < 2 || !words[0].equals("PEER") || !words[1].equals(kind))
                {
                    continue;
                }
                final Map<String, String> pairs = new HashMap<>();
                for (int i = 2; i < words.length; i++)
                {
                    final int eq = words[i].indexOf('=');
                    if (eq > 0)
                    {
                        pairs.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                    }
                }
                if (key == null || value.equals(pairs.get(key)))
                {
                    found = pairs;
                }
            }
            return found;
        }
    }

    /** Runs the peer to completion, echoing its output with a prefix. */
    public Results run(final List<String> peerArgs, final String heap, final PrintStream echo, final long timeoutMinutes)
        throws IOException, InterruptedException
    {
        final String unavailable = unavailableReason();
        if (unavailable != null)
        {
            throw new IllegalStateException(unavailable);
        }
        final String classpath = classesDir() + java.io.File.pathSeparator +
            Files.readString(classpathFile(), StandardCharsets.UTF_8).trim();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Xms" + heap);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath);
        command.add("dev.bourse.peer.ExchangeCorePeer");
        command.addAll(peerArgs);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Results results = new Results();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith("PEER "))
                {
                    results.lines.add(line);
                }
                if (echo != null)
                {
                    echo.println("  [exchange-core] " + line);
                }
            }
        }
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new IllegalStateException("exchange-core peer timed out");
        }
        if (process.exitValue() != 0)
        {
            throw new IllegalStateException("exchange-core peer failed with exit code " + process.exitValue());
        }
        return results;
    }
}
