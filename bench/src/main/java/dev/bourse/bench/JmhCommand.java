package dev.bourse.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(
    name = "jmh", synopsisHeading = "Usage: exchange ",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "JMH microbenchmarks of the engine (place, cancel, replace, aggressive matching) with the gc "
        + "profiler, so each result also shows the bytes allocated per operation (gc.alloc.rate.norm, ~0 expected).")
final class JmhCommand implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", defaultValue = "dev.bourse.bench.jmh.*", paramLabel = "REGEX",
        description = "Which benchmarks (JMH include regex; default: all).")
    String include;

    @Option(names = "--forks", defaultValue = "1", description = "JVM forks per benchmark (default ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--warmup-iterations", defaultValue = "3", description = "Default ${DEFAULT-VALUE}.")
    int warmups;

    @Option(names = "--iterations", defaultValue = "5", description = "Measurement iterations of 1 s (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--no-gc-profiler", description = "Leave out -prof gc.")
    boolean noGc;

    @Override
    public Integer call() throws Exception
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(include)
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend(BenchMain.jvmFlags().toArray(new String[0]));
        if (!noGc)
        {
            options.addProfiler("gc");
        }
        new Runner(options.build()).run();
        return 0;
    }
}
