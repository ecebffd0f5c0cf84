package dev.bourse.bench.demo;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.e2e.ProcessCpu;
import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.marketdata.OrderBook;
import dev.bourse.protocol.Prices;
import org.HdrHistogram.Histogram;
import dev.bourse.protocol.EpochClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ./exchange demo}: the whole exchange in this JVM, simulated traders over real FIX/TCP
 * sessions, a market-data subscriber and the read models; a live line every second, then a summary.
 */
@Command(name = "demo", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    description = {
        "Starts the exchange (engine, Chronicle journal, FIX gateway, market data over Aeron, read models and query API)",
        "on free ports with a temporary data directory, connects simulated traders over real FIX 4.4 sessions and a",
        "market-data subscriber, and prints a line per second: orders/s, trades/s, ack latency p50/p99 (order sent to",
        "execution report), market-data lag p99 (gateway receipt to subscriber callback) and the top of book of the",
        "busiest instrument. Ends with a summary and an answer from the query API. Ctrl-C ends early.",
        "With --cluster: three cluster nodes and a FIX gateway as processes of their own (docs/CLUSTER.md), the leader",
        "killed with SIGKILL halfway: the lines carry on with a new leader; the failover time, the killed node's rejoin and",
        "a check of every acknowledged order against every node's journal end it."})
public final class DemoMain implements Callable<Integer>
{
    @Option(names = "--duration", defaultValue = "60s", description = "How long to run, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--traders", defaultValue = "8", description = "Simulated traders, one FIX session each, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int traders;

    @Option(names = "--rate", defaultValue = "200", description = "Messages per second per trader, 1 to 100000 (default ${DEFAULT-VALUE}).")
    int ratePerTrader;

    @Option(names = "--instruments", defaultValue = "20", description = "Instruments traded, 1 to 10000 (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--data-dir", description = "Keep the journal (with --cluster: the nodes' directories and logs) here instead of a temporary directory: a new or empty directory (each demo starts a new exchange).")
    Path dataDir;

    @Option(names = "--cluster", description = "Three cluster nodes and a gateway on this host; the leader is killed halfway.")
    boolean cluster;

    @Option(names = "--stop-leader", defaultValue = "kill", paramLabel = "kill|term",
        description = "With --cluster, how the leader is stopped halfway: kill (SIGKILL, the default: nothing closed) or term "
            + "(SIGTERM: the node's clean stop).")
    String stopLeader;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private volatile boolean stop;
    private final LongAdder trades = new LongAdder();
    private final LongAdder volume = new LongAdder();
    private final Object mdLock = new Object();
    private final Histogram mdInterval = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Histogram mdTotal = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private AtomicLongArray tradesByInstrument;
    private volatile int busiest = -1;
    private volatile String top = "-";

    public static void main(final String[] args)
    {
        System.exit(dev.bourse.journal.tool.OneLineUsageErrors.install(new CommandLine(new DemoMain()), "./exchange ").execute(args));
    }

    /** Counted down once the demo has stopped its exchange: what a shutdown hook waits for. */
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    @Override
    public Integer call() throws Exception
    {
        try
        {
            return runDemo();
        }
        finally
        {
            stopped.countDown();
        }
    }

    private int runDemo() throws Exception
    {
        final long seconds = parseSeconds(duration);
        // one line each, as for --duration: a 0 or negative count reached the exchange's configuration as "accounts: is
        // empty" with a stack trace, and 100,000 instruments as the engine's refusal of every symbol past its limit
        requireRange("--traders", traders, 1, 1_000);
        requireRange("--rate", ratePerTrader, 1, 100_000);
        requireRange("--instruments", instruments, 1, 10_000);
        if (dataDir != null && Files.exists(dataDir) && !Files.isDirectory(dataDir))
        {
            // the server's refusal came as a stack trace after "starting the exchange" (an outside tester)
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir + " is a file: give a new or empty directory");
        }
        if (dataDir != null && Files.isDirectory(dataDir))
        {
            try (java.util.stream.Stream<Path> entries = Files.list(dataDir))
            {
                if (entries.findAny().isPresent())
                {
                    // a second run on a kept journal refused its traders' ClOrdIDs, numbered from 0 again, as duplicates of the
                    // first run's and called them "cancels of orders that had already filled" (an outside tester)
                    throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir + " is not empty: each demo"
                        + " starts a new exchange, whose traders' ClOrdIDs would repeat those of the journal kept there; give a new or"
                        + " empty directory");
                }
            }
        }
        if (!stopLeader.equals("kill") && !stopLeader.equals("term"))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stop-leader: kill or term, not '" + stopLeader + "'");
        }
        if (cluster)
        {
            return new ClusterDemo(seconds, traders, ratePerTrader, instruments, dataDir, stopped, stopLeader.equals("term")).run();
        }
        final long rate = (long)traders * ratePerTrader;
        System.out.printf("demo: starting the exchange with %d instruments and %d FIX traders at %,d messages/s in all "
            + "(%d s; Ctrl-C stops early)%n", instruments, traders, rate, seconds);
        tradesByInstrument = new AtomicLongArray(instruments + 2);
        final EpochClock clock = new EpochClock();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stop = true;
            try
            {
                // the demo's own stop, not the main thread's end: after a normal run main is in
                // System.exit, waiting for this hook, and joining it waited out the whole timeout
                // (every demo hung 15 s after "stopping", an outside probe)
                stopped.await(15, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignored)
            {
                // exiting anyway
            }
        }));
        try (BenchExchange exchange = new BenchExchange(traders, instruments, "mapped", dataDir, line -> { }))
        {
            System.out.printf("demo: FIX gateway on port %d, query API on http://localhost:%d/api/v1/instruments%n",
                exchange.server().gatewayPort(), exchange.server().queryPort());
            System.out.printf("demo: dashboard on http://localhost:%d/ (open it in a browser; log in as trader1 / " + BenchExchange.PASSWORD + ")%n",
                exchange.server().queryPort());
            final MarketDataSubscriber subscriber = exchange.subscribe(new MarketDataListener()
            {
                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    trades.increment();
                    volume.add(quantity);
                    final long lag = Math.max(1, clock.nanoTime() - timestamp);
                    synchronized (mdLock)
                    {
                        mdInterval.recordValue(Math.min(lag, mdInterval.getHighestTrackableValue()));
                        mdTotal.recordValue(Math.min(lag, mdTotal.getHighestTrackableValue()));
                    }
                    if (instrumentId < tradesByInstrument.length())
                    {
                        final long n = tradesByInstrument.incrementAndGet(instrumentId);
                        final int current = busiest;
                        if (current < 0 || (current != instrumentId && n > tradesByInstrument.get(current)))
                        {
                            busiest = instrumentId;
                        }
                    }
                }

                @Override
                public void onBookChanged(final OrderBook book)
                {
                    if (book.instrumentId() == busiest)
                    {
                        top = topOfBook(book);
                    }
                }
            });
            try (FixLoadClient client = new FixLoadClient(exchange.clientSettings(System.nanoTime())))
            {
                client.recording(true);
                final Thread load = new Thread(() ->
                {
                    while (!stop)
                    {
                        client.run(rate, rate / 4, 0); // planned in quarter-second chunks, open loop within each
                    }
                }, "demo-traders");
                load.setDaemon(true);
                load.start();
                System.out.printf("%8s %9s %9s %11s %11s %12s  %s%n", "time", "orders/s", "trades/s", "ack p50 us",
                    "ack p99 us", "md lag p99", "top of book (busiest instrument): bid qty @ price | ask");
                long lastOrders = 0;
                long lastTrades = 0;
                final long cpuStart = ProcessCpu.processNanos();
                final long[] gcStart = ProcessCpu.collections();
                final long jitStart = ProcessCpu.compilationMillis();
                final long start = System.nanoTime();
                for (int second = 1; second <= seconds && !stop; second++)
                {
                    final long wake = start + TimeUnit.SECONDS.toNanos(second);
                    while (System.nanoTime() < wake && !stop)
                    {
                        Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime())));
                    }
                    final Histogram[] interval = client.takeInterval();
                    final Histogram acks = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                    for (final Histogram h : interval)
                    {
                        acks.add(h);
                    }
                    final long md99;
                    synchronized (mdLock)
                    {
                        md99 = mdInterval.getValueAtPercentile(99);
                        mdInterval.reset();
                    }
                    final long orders = client.answered(FixLoadClient.NEW) + client.answered(FixLoadClient.CANCEL)
                        + client.answered(FixLoadClient.REPLACE) + client.rejects();
                    final long tradeCount = trades.sum();
                    System.out.printf("%7ds %,9d %,9d %,11.0f %,11.0f %,9.0f us  %s%n", second, orders - lastOrders,
                        tradeCount - lastTrades, acks.getValueAtPercentile(50) / 1000.0,
                        acks.getValueAtPercentile(99) / 1000.0, md99 / 1000.0, top);
                    lastOrders = orders;
                    lastTrades = tradeCount;
                }
                stop = true;
                load.join(5_000);
                final Histogram[] total = client.takeTotal();
                final Histogram acks = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                for (final Histogram h : total)
                {
                    acks.add(h);
                }
                final double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.println();
                System.out.println("summary");
                System.out.printf("  messages answered  %,d (new %,d, cancel %,d, replace %,d; rejected %,d)%n", acks.getTotalCount(),
                    total[0].getTotalCount(), total[1].getTotalCount(), total[2].getTotalCount(), client.rejects());
                // the reasons as the answers gave them, most frequent first (it said "mostly cancels of orders that had already
                // filled" whatever they were)
                client.rejectReasons().entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                    .limit(3)
                    .forEach(reason -> System.out.printf("                     %,d x %s%n", reason.getValue().sum(), reason.getKey()));
                System.out.printf("  trades             %,d (%,d shares), %,.0f trades/s%n", trades.sum(), volume.sum(),
                    trades.sum() / elapsed);
                System.out.printf("  ack latency        p50 %,.0f us, p99 %,.0f us, p99.9 %,.0f us, max %,.0f us%n",
                    acks.getValueAtPercentile(50) / 1000.0, acks.getValueAtPercentile(99) / 1000.0,
                    acks.getValueAtPercentile(99.9) / 1000.0, acks.getMaxValue() / 1000.0);
                synchronized (mdLock)
                {
                    System.out.printf("  market-data lag    p50 %,.0f us, p99 %,.0f us (gateway receipt to subscriber callback)%n",
                        mdTotal.getValueAtPercentile(50) / 1000.0, mdTotal.getValueAtPercentile(99) / 1000.0);
                }
                System.out.printf("  subscriber         %s, %,d messages, %,d gaps recovered%n", subscriber.state(),
                    subscriber.messages(), subscriber.recoveries());
                System.out.printf("  journal            %,d entries%n", exchange.server().journal().lastSequence());
                // the exchange, the traders and the subscriber share this JVM and the machine's cores with its GC and JIT:
                // a tail in the latencies above with neither is the scheduler's or the machine's
                final long[] gcEnd = ProcessCpu.collections();
                final long jitEnd = ProcessCpu.compilationMillis();
                final long cpuEnd = ProcessCpu.processNanos();
                final java.util.Locale root = java.util.Locale.ROOT;
                System.out.printf(root, "  this JVM           %s, %,d collections (%,d ms), %s%n",
                    cpuStart < 0 || cpuEnd < 0 ? "CPU not measured" : String.format(root, "%.2f of %d cores busy on average",
                        (cpuEnd - cpuStart) / 1e9 / elapsed, Runtime.getRuntime().availableProcessors()),
                    gcEnd[0] - gcStart[0], gcEnd[1] - gcStart[1],
                    jitStart < 0 || jitEnd < 0 ? "JIT time not measured" : String.format(root, "JIT compiling for %,d ms", jitEnd - jitStart));
                final int instrument = busiest;
                if (instrument > 0)
                {
                    final String symbol = exchange.symbols().get(instrument - 1);
                    final String url = "http://localhost:" + exchange.server().queryPort() + "/api/v1/instruments/" + symbol
                        + "/stats?timeoutMs=2000&waitForSequence=" + exchange.server().journal().lastSequence();
                    final HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                    System.out.println("  query API          GET " + url.substring(url.indexOf("/api")));
                    System.out.println("                     " + response.statusCode() + " " + response.body());
                }
            }
            System.out.println("demo: stopping the exchange (sessions logged out, ring drained, last snapshot)");
        }
        return 0;
    }

    private static String topOfBook(final OrderBook book)
    {
        final String bid = book.bids().best() == null ? "-" :
            book.bids().best().totalQty() + " @ " + Prices.toString(book.bids().best().price());
        final String ask = book.asks().best() == null ? "-" :
            book.asks().best().totalQty() + " @ " + Prices.toString(book.asks().best().price());
        return book.symbol() + "  " + bid + " | " + ask;
    }

    /** The configuration file's duration syntax (500ms, 30s, 5m, 1h), in whole seconds. */
    private static void requireRange(final String option, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new CommandLine.ParameterException(new CommandLine(new DemoMain()),
                option + ": " + value + " is out of range [" + min + ", " + max + "]");
        }
    }

    static long parseSeconds(final String text)
    {
        final java.time.Duration parsed = dev.bourse.server.config.Settings.parseDuration(text.trim());
        if (parsed == null)
        {
            throw new CommandLine.ParameterException(new CommandLine(new DemoMain()),
                "--duration: '" + text + "' is not a duration (e.g. 30s, 2m)");
        }
        return Math.max(1, parsed.toSeconds());
    }
}
