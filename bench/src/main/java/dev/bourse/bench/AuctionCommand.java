package dev.bourse.bench;

import dev.bourse.bench.auction.AuctionBenchmark;
import dev.bourse.protocol.Prices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code bench auction}: the uncross of a large call book, against the reference that tries every price. */
@Command(name = "auction", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "The opening auction's uncross time on a call book of --orders orders, checked against the reference.",
    description = {
        "Builds a call book of --orders random limit orders (overlapping buy and sell prices around the reference, a tenth",
        "of them icebergs) in an opening call, then times the opening auction in the engine: the price search and every",
        "fill, each encoded into the journal entry and applied to the state. A fresh book each iteration; the result must",
        "agree with the test-scope reference that tries every candidate price. Warm-up auctions first (the JIT), then",
        "timed ones; prints RESULT auction ... with the median. Goal: 100,000 orders uncrossed in 50 ms or less."})
public final class AuctionCommand implements Callable<Integer>
{
    @Option(names = "--orders", defaultValue = "100000", description = "Orders in the call book (default ${DEFAULT-VALUE}).")
    int orders;

    @Option(names = "--iterations", defaultValue = "7", description = "Auctions timed, each on a new book (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmups", defaultValue = "3", description = "Auctions run first and not counted, so the JIT has compiled the uncross (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--seed", defaultValue = "16", description = "Seed of the first book (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "A smoke run: 2 warm-up auctions, 3 timed.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            iterations = 3;
            warmups = 2;
        }
        if (orders < 2 || iterations < 1 || warmups < 0)
        {
            throw new IllegalArgumentException("--orders must be at least 2, --iterations at least 1, --warmups not negative");
        }
        System.out.printf("bench auction: %d cpus, load average %s, %,d orders per call book, %d auctions%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), orders, iterations);
        final long[] nanos = new long[iterations];
        AuctionBenchmark.Result last = null;
        boolean agree = true;
        for (int i = 0; i < warmups; i++)
        {
            final AuctionBenchmark.Result r = AuctionBenchmark.run(orders, seed - 1 - i);
            System.out.printf("  warm-up %d: %.3f ms%s%n", i + 1, r.uncrossNanos() / 1e6, r.agrees() ? "" : "  DISAGREES");
            agree &= r.agrees();
        }
        for (int i = 0; i < iterations; i++)
        {
            final AuctionBenchmark.Result r = AuctionBenchmark.run(orders, seed + i);
            nanos[i] = r.uncrossNanos();
            System.out.printf("  auction %d: %.3f ms, %,d traded at %s in %,d trades (entry %,d bytes), imbalance %,d; reference %,d at %s%s%n",
                i + 1, r.uncrossNanos() / 1e6, r.volume(), Prices.toString(r.price()), r.trades(), r.entryBytes(), r.imbalance(),
                r.referenceVolume(), Prices.toString(r.referencePrice()), r.agrees() ? "" : "  DISAGREES");
            agree &= r.agrees();
            last = r;
        }
        final long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        final double median = Median.of(nanos) / 1e6;
        System.out.printf("  median %.3f ms, best %.3f ms (goal: 50 ms)%n", median, sorted[0] / 1e6);
        System.out.printf("RESULT auction orders=%d uncross.ms=%.3f price=%s volume=%d reference.price=%s reference.volume=%d%n",
            orders, median, Prices.toString(last.price()), last.volume(), Prices.toString(last.referencePrice()), last.referenceVolume());
        if (!agree)
        {
            System.out.println("bench: FAILED: the engine's auction and the reference disagree (see above)");
            return 1;
        }
        return 0;
    }
}
