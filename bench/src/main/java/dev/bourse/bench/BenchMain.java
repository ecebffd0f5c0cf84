package dev.bourse.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code ./exchange bench ...}: the benchmark programs. */
@Command(
    name = "bench", synopsisHeading = "Usage: exchange ",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Benchmarks: the ring + engine against exchange-core, the auction, the journal, FIX, market data, read models,"
        + " the whole exchange end to end, the cluster, the exchange under attack (abuse), and JMH microbenchmarks.",
    subcommands = {EngineCommand.class, AuctionCommand.class, JmhCommand.class, dev.bourse.bench.readmodels.ReadModelsCommand.class,
        FixCommand.class, E2eCommand.class, MdCommand.class, JournalCommand.class,
        dev.bourse.bench.cluster.ClusterBenchCommand.class, dev.bourse.bench.abuse.AbuseCommand.class})
public final class BenchMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    public static void main(final String[] args)
    {
        final CommandLine commandLine = dev.bourse.journal.tool.OneLineUsageErrors.install(new CommandLine(new BenchMain()), "./exchange ");
        commandLine.setExecutionExceptionHandler((e, line, parseResult) ->
        {
            // One clear message, no stack trace: these are operator-facing failures (bad option, missing build).
            line.getErr().println("bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    /** The repository root: -Dbourse.home (the launcher sets it), else the working directory. */
    static Path home()
    {
        return Path.of(System.getProperty("bourse.home", ".")).toAbsolutePath().normalize();
    }

    /**
     * The project's JVM flags (root pom property bourse.jvm.flags): from the file the build writes
     * next to the launcher's classpath, else the system property tests receive.
     */
    static List<String> jvmFlags()
    {
        String flags = System.getProperty("bourse.jvm.flags", "");
        final Path file = home().resolve("bench/target/launcher/jvm.flags");
        if (Files.isRegularFile(file))
        {
            try
            {
                flags = Files.readString(file, StandardCharsets.UTF_8);
            }
            catch (final java.io.IOException e)
            {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
            }
        }
        final List<String> list = new ArrayList<>();
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                list.add(flag);
            }
        }
        return list;
    }

    static String[] concat(final String[] a, final String... b)
    {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
