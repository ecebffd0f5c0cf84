package dev.bourse.bench;

import dev.bourse.bench.fix.FixBaselines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench fix}: FIX order entry latency of our gateway against a TCP echo and a QuickFIX/J acceptor. */
@Command(name = "fix", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "FIX NewOrderSingle load against our gateway, a TCP echo server and a QuickFIX/J acceptor.",
    description = {
        "Open-loop FIX 4.4 NewOrderSingle load (planned send times, coordinated omission corrected, parking between",
        "sends) from several sessions over loopback, against: our gateway with its engine and Chronicle journal (market",
        "data and read models off; periodic snapshots off unless --snapshots default), a raw TCP echo server (the",
        "floor), and a QuickFIX/J 3 acceptor that answers each order with an ExecutionReport. Latency: planned send to",
        "the acknowledgement (rejects are counted, not timed). Prints one RESULT fix line per rate, ending with",
        "answered= and rejects= per peer: the messages of the measured window acknowledged and rejected (answers to",
        "warm-up messages do not count); a rate is answered in full when answered equals the count and rejects is 0.",
        "A peer's load generator that crashes, hangs or reports fewer rates than asked is reported as an ERROR line",
        "naming the peer and rate, its figures print as -, and the command exits with status 1."})
public final class FixCommand implements Callable<Integer>
{
    @Option(names = "--rates", split = ",", defaultValue = "1000,10000,50000",
        description = "Offered rates, orders/s (default ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--sessions", defaultValue = "4", description = "FIX sessions (default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds per rate (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "5", description = "Measured seconds per rate (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--out", defaultValue = "results/fix", description = "Directory for .hgrm files (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--snapshots", defaultValue = "off", paramLabel = "off|default",
        description = "Our exchange's periodic snapshots: off (every hour or 100,000,000 entries, so none in a run: the history's "
            + "figures; snapshot cost is measured by bench read-models) or default (the exchange's 5 minutes or 1,000,000 entries). "
            + "Default ${DEFAULT-VALUE}.")
    String snapshots;

    @Option(names = "--quick", description = "A smoke run: rates 1000,5000, 1 s warm-up, 2 s measured.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            rates = List.of(1_000L, 5_000L);
            warmupSeconds = 1;
            durationSeconds = 2;
        }
        System.out.printf("bench fix: %d cpus, load average %s, %d sessions, rates %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), sessions, rates);
        final boolean snapshotsOff = dev.bourse.bench.e2e.BenchExchange.snapshotsOff(snapshots);
        final dev.bourse.bench.e2e.GeneratorFailures failures = new dev.bourse.bench.e2e.GeneratorFailures(System.out);
        FixBaselines.run(rates, sessions, warmupSeconds, durationSeconds, out, snapshotsOff, System.out, failures);
        return failures.exitStatus();
    }
}
