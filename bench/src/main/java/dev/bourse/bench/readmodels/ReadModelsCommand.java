package dev.bourse.bench.readmodels;

import dev.bourse.bench.ClientSlice;
import dev.bourse.bench.SendPacer;
import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.AccountView;
import dev.bourse.readmodels.Query;
import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.Response;
import dev.bourse.readmodels.history.HistorySink;
import dev.bourse.readmodels.history.HistoryStore;
import dev.bourse.readmodels.history.SinkProgress;
import dev.bourse.readmodels.http.HttpLimits;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./exchange bench read-models}: the query side's throughput, latency and memory.
 * <ol>
 * <li>projections: fresh hot projections apply a journal of the bench workload (GTC, IOC, cancel,
 *     move over several instruments), several times after warm-up: median events/s.</li>
 * <li>checkpoint: the models of such a journal saved as the exchange checkpoints them, and loaded
 *     back: how long the projection thread (which answers the queries) is busy with a save.</li>
 * <li>history sink: a history sink writes the same journal into a fresh store (embedded SQLite, or
 *     PostgreSQL: an embedded server the bench starts, or {@code --jdbc-url}): events/s.</li>
 * <li>queries: the whole query side follows a journal an engine thread grows at
 *     {@code --journal-rate} events/s while open-loop clients look orders up by id over HTTP
 *     (history store) at {@code --query-rate}/s, then balances (hot projections), then balances
 *     in process straight to the projection thread.</li>
 * <li>heap: the query side applies {@code --heap-events} events; heap after GC near the start and
 *     at the end.</li>
 * <li>ws: {@code --ws-subscribers} WebSocket clients follow the trades of one instrument while the
 *     journal grows at {@code --ws-rate} events/s; latency from the journal entry's timestamp to
 *     the client. {@code RESULT ws} ends with the measured window's messages skipped to a snapshot
 *     for slow subscribers and ring overflows: messages its p99 never saw.</li>
 * </ol>
 * {@code --quick} shrinks every phase to a smoke run of about a minute.
 * <p>
 * About 540 lines: the options and the three phases that share a journal helper; the heap and
 * stream phases are classes of their own ({@link CheckpointRun}, {@link HeapRun}, {@link StreamLatency}).
 */
@Command(
    name = "read-models", synopsisHeading = "Usage: exchange ",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Query side: projection and history-sink throughput, the projection thread's checkpoint cost, query "
        + "latency while the journal grows, heap over a long run, WebSocket latency.")
public final class ReadModelsCommand implements Callable<Integer>
{
    @Option(names = "--quick", description = "Small sizes and short phases: a smoke run (about a minute).")
    boolean quick;

    @Option(names = "--phases", split = ",", description = "Phases to run (default: projections,checkpoint,sink,queries,heap,ws).")
    List<String> phases = List.of("projections", "checkpoint", "sink", "queries", "heap", "ws");

    @Option(names = "--store", defaultValue = "embedded",
        description = "History store: embedded (SQLite) or postgresql (default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--jdbc-url", description = "With --store postgresql: a scratch database the bench may wipe "
        + "(default: an embedded PostgreSQL server the bench starts).")
    String jdbcUrl;

    @Option(names = "--pg-settings", split = ",", defaultValue = "none",
        description = "postgresql.conf settings of the embedded PostgreSQL server, comma-separated name=value "
        + "(default ${DEFAULT-VALUE}: PostgreSQL's own defaults), for example shared_buffers=1GB,max_wal_size=4GB. "
        + "Ignored with --jdbc-url.")
    List<String> pgSettings;

    @Option(names = "--jdbc-user", defaultValue = "postgres", description = "PostgreSQL user (default ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "postgres", description = "PostgreSQL password (default ${DEFAULT-VALUE}).")
    String jdbcPassword;

    @Option(names = "--commands", description = "Timed commands in the projection and sink journal (default 500000; quick 100000).")
    Long commands;

    @Option(names = "--checkpoint-orders", description = "Resting orders in the checkpoint phase's models, about "
        + "(default 1000000; quick 100000).")
    Integer checkpointOrders;

    @Option(names = "--runs", description = "Measured projection runs, the median is reported (default 5; quick 2).")
    Integer runs;

    @Option(names = "--warmups", description = "Projection runs first, not counted (default 2; quick 1).")
    Integer warmups;

    @Option(names = "--sink-runs", description = "Measured sink runs into fresh stores, the median is reported (default 3; quick 1).")
    Integer sinkRuns;

    @Option(names = "--instruments", defaultValue = "10", description = "Instruments in the workload (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--accounts", defaultValue = "200", description = "Accounts in the workload (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--journal-rate", defaultValue = "100000", description = "Events/s appended during the query phase (default ${DEFAULT-VALUE}).")
    long journalRate;

    @Option(names = "--preload", description = "Commands journaled before the query phase starts (default 200000; quick 50000).")
    Long preload;

    @Option(names = "--query-rate", defaultValue = "500", description = "Point lookups/s over HTTP (default ${DEFAULT-VALUE}).")
    int queryRate;

    @Option(names = "--sink-idle-class-max-lag", defaultValue = "" + ReadModelsContext.SHIPPED_SINK_IDLE_CLASS_MAX_LAG, description = "During the query phase the history sink "
        + "runs in Linux's idle scheduling class while it trails the journal by fewer entries than this, as the exchange's "
        + "query.sink.idle-class-max-lag does (default ${DEFAULT-VALUE}, the exchange's default; 0: never, an ordinary thread).")
    long sinkIdleClassMaxLag;

    @Option(names = "--sink-max-turn-us", defaultValue = "" + ReadModelsContext.SHIPPED_SINK_MAX_TURN_NANOS / 1_000, description = "During the query phase, while the history sink "
        + "is in the idle class, it works in turns of at most this many microseconds with a short sleep between them, as the "
        + "exchange's query.sink.max-turn does (default ${DEFAULT-VALUE}, the exchange's default; 0: no turns).")
    long sinkMaxTurnMicros;

    @Option(names = "--clients", defaultValue = "2", description = "HTTP client threads (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--warmup-seconds", description = "Query warm-up, sent but not recorded (default 5; quick 2).")
    Double warmupSeconds;

    @Option(names = "--prime", paramLabel = "SECONDS", description = "Before the query phase's first measured kind, this "
        + "long with the journal growing and both HTTP kinds sent, unrecorded, so the figures leave out the JIT's warm-up, "
        + "as bench e2e's --prime does (default 20; quick 10).")
    Double prime;

    @Option(names = "--query-seconds", description = "Measured seconds of each query kind (default 10; quick 3).")
    Double querySeconds;

    @Option(names = "--heap-events", description = "Events the heap phase applies (default 20000000; quick 2000000).")
    Long heapEvents;

    @Option(names = "--ws-subscribers", defaultValue = "100", description = "WebSocket clients (default ${DEFAULT-VALUE}).")
    int wsSubscribers;

    @Option(names = "--ws-rate", defaultValue = "20000", description = "Events/s appended during the WebSocket phase (default ${DEFAULT-VALUE}).")
    long wsRate;

    @Option(names = "--ws-seconds", description = "Measured WebSocket seconds (default 10; quick 3).")
    Double wsSeconds;

    @Option(names = "--journal", defaultValue = "chronicle",
        description = "Journal the engine writes and the read models tail: chronicle (a Chronicle Queue in a temporary "
            + "directory, as in production) or memory (default ${DEFAULT-VALUE}; the heap and ws phases always use chronicle).")
    String journalKind;

    @Option(names = "--dir", description = "Where the temporary journals and stores go (default: java.io.tmpdir).")
    Path dir;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ReadModelsCommand()).execute(args));
    }

    private long commands()
    {
        return commands != null ? commands : quick ? 100_000 : 500_000;
    }

    private long preload()
    {
        return preload != null ? preload : quick ? 50_000 : 200_000;
    }

    private double prime()
    {
        return prime != null ? prime : quick ? 10 : 20;
    }

    private double warmupSeconds()
    {
        return warmupSeconds != null ? warmupSeconds : quick ? 2 : 5;
    }

    private double querySeconds()
    {
        return querySeconds != null ? querySeconds : quick ? 3 : 10;
    }

    @Override
    public Integer call() throws Exception
    {
        final int projectionRuns = runs != null ? runs : quick ? 2 : 5;
        final int projectionWarmups = warmups != null ? warmups : quick ? 1 : 2;
        if (commands() < 1 || projectionRuns < 1 || projectionWarmups < 0 || instruments < 1 || accounts < 1 || journalRate < 1 ||
            queryRate < 1 || clients < 1 || querySeconds() <= 0 || warmupSeconds() < 0 || prime() < 0 || preload() < 0 || wsSubscribers < 1 ||
            wsRate < 1 || sinkIdleClassMaxLag < 0 || sinkMaxTurnMicros < 0)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "counts, rates and durations must be positive");
        }
        for (final String phase : phases)
        {
            if (!List.of("projections", "checkpoint", "sink", "queries", "heap", "ws").contains(phase))
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "unknown phase '" + phase + "' (projections, checkpoint, sink, queries, heap, ws)");
            }
        }
        line("bench read-models: %d cpus, load average %s; workload: %d instruments, %d accounts; history store: %s%s",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), instruments, accounts,
            store, quick ? "; --quick" : "");
        final java.util.Map<String, String> serverSettings = new java.util.LinkedHashMap<>();
        for (final String setting : pgSettings)
        {
            final int equals = setting.indexOf('=');
            if (setting.equals("none"))
            {
                continue;
            }
            if (equals <= 0)
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--pg-settings: '" + setting + "' is not name=value");
            }
            serverSettings.put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
        }
        try (BenchStores stores = new BenchStores(store, jdbcUrl, jdbcUser, jdbcPassword, dir, serverSettings))
        {
            line("history store: %s", stores.describe());
            if (phases.contains("projections"))
            {
                projections(projectionRuns, projectionWarmups);
            }
            if (phases.contains("checkpoint"))
            {
                // ~1,000 resting orders per instrument, as the engine bench's multi-instrument workload
                final int orders = checkpointOrders != null ? checkpointOrders : quick ? 100_000 : 1_000_000;
                new CheckpointRun(new WorkloadSpec("checkpoint", Math.max(1, orders / 1_000), accounts, Math.min(orders, 1_000),
                    commands(), 15), journalKind, dir, quick ? 2 : 5, quick ? 1 : 2).run();
            }
            if (phases.contains("sink"))
            {
                sink(stores, sinkRuns != null ? sinkRuns : quick ? 1 : 3);
            }
            if (phases.contains("queries"))
            {
                queries(stores);
            }
            if (phases.contains("heap"))
            {
                new HeapRun(spec(0, 13), stores, dir, heapEvents != null ? heapEvents : quick ? 2_000_000 : 20_000_000).run();
            }
            if (phases.contains("ws"))
            {
                new StreamLatency(spec(0, 14), stores, dir, wsSubscribers, wsRate, quick ? 1 : 3,
                    wsSeconds != null ? wsSeconds : quick ? 3 : 10).run();
            }
        }
        return 0;
    }

    WorkloadSpec spec(final long timed, final long seed)
    {
        return new WorkloadSpec("read-models", instruments, accounts, 500, timed, seed);
    }

    // ------------------------------------------------------------------ projections

    private void projections(final int runs, final int warmups) throws Exception
    {
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            final JournalLoad load = new JournalLoad(spec(commands(), 11), journal.sink());
            load.run(Long.MAX_VALUE);
            line("projections: %s journal of %,d entries, %,d events (%.2f events/entry)", journalKind, load.entries(), load.events(),
                (double)load.events() / load.entries());

            final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final double[] rates = new double[runs];
            for (int run = -warmups; run < runs; run++)
            {
                final ReadModels models = new ReadModels();
                final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                final long cpuBefore = threads.getCurrentThreadCpuTime();
                final long start = System.nanoTime();
                try (JournalTailer tailer = journal.source().tailerAfter(ReadModels.START))
                {
                    while (tailer.poll(models, 1_000) > 0)
                    {
                        // apply everything
                    }
                }
                final long elapsed = System.nanoTime() - start;
                final long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                if (models.eventsApplied() != load.events())
                {
                    throw new IllegalStateException("applied " + models.eventsApplied() + " events of " + load.events());
                }
                final double rate = models.eventsApplied() * 1e9 / elapsed;
                // CPU time of this thread too: on a shared machine the wall clock also counts time other processes had the core.
                line("  %s %d: %,d events in %.1f ms = %,.0f events/s (%,.0f per CPU second of this thread), %.0f bytes allocated/event, %,d live orders",
                    run < 0 ? "warm-up" : "run", run < 0 ? run + warmups + 1 : run + 1, models.eventsApplied(), elapsed / 1e6, rate,
                    models.eventsApplied() * 1e9 / cpu, (double)allocated / models.eventsApplied(), models.liveOrders());
                if (run >= 0)
                {
                    rates[run] = rate;
                }
            }
            line("RESULT projections events/s=%.0f", dev.bourse.bench.Median.of(rates));
        }
    }

    // ------------------------------------------------------------------ history sink

    private void sink(final BenchStores stores, final int runs) throws Exception
    {
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            final JournalLoad load = new JournalLoad(spec(commands(), 11), journal.sink());
            load.run(Long.MAX_VALUE);
            line("history sink: %s journal of %,d entries, %,d events; into %s", journalKind, load.entries(), load.events(),
                stores.describe());
            final double[] rates = new double[runs];
            for (int run = 0; run < runs; run++)
            {
                try (HistoryStore history = HistoryStore.open(stores.fresh()))
                {
                    final SinkProgress progress = new SinkProgress();
                    final long lastPosition = lastPosition(journal);
                    final HistorySink sink = new HistorySink(history, journal.source(), () -> lastPosition, progress, 10_000,
                        TimeUnit.MILLISECONDS.toNanos(20), ReadModelsCommand::line, null);
                    sink.onStart();
                    final com.sun.management.ThreadMXBean threads =
                        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
                    final long cpuBefore = threads.getCurrentThreadCpuTime();
                    final long postgresBefore = PostgresCpu.nanos();
                    final long start = System.nanoTime();
                    while (progress.entriesWritten() < load.entries())
                    {
                        sink.doWork();
                    }
                    final long elapsed = System.nanoTime() - start;
                    final long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                    final long postgresCpu = PostgresCpu.nanos() - postgresBefore;
                    sink.onClose();
                    rates[run] = load.events() * 1e9 / elapsed;
                    // CPU time too (the sink's thread, and the PostgreSQL server processes on this host): what
                    // the writes cost, without the time other processes had the cores.
                    line("  run %d: %,d events (%,d rows in %,d transactions) in %.1f s = %,.0f events/s, %,.0f rows/s; " +
                        "CPU: sink thread %.1f s%s", run + 1, load.events(), progress.rowsWritten(), progress.batchesWritten(),
                        elapsed / 1e9, rates[run], progress.rowsWritten() * 1e9 / elapsed, cpu / 1e9,
                        postgresCpu > 0 ? String.format(Locale.ROOT, ", PostgreSQL %.1f s (%,.0f events per CPU second of both)",
                            postgresCpu / 1e9, load.events() * 1e9 / (cpu + postgresCpu))
                            : String.format(Locale.ROOT, " (%,.0f events per CPU second)", load.events() * 1e9 / cpu));
                }
            }
            line("RESULT history-sink store=%s events/s=%.0f", stores.kind(), dev.bourse.bench.Median.of(rates));
        }
    }

    private static long lastPosition(final BenchJournal journal)
    {
        final long[] last = {Long.MIN_VALUE};
        try (JournalTailer tailer = journal.source().tailerAfter(ReadModels.START))
        {
            while (tailer.poll((position, buffer, offset, length) -> last[0] = position, 10_000) > 0)
            {
                // to the end
            }
        }
        return last[0];
    }

    // ------------------------------------------------------------------ queries

    private void queries(final BenchStores stores) throws Exception
    {
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            queries(journal, stores);
        }
    }

    private void queries(final BenchJournal journal, final BenchStores stores) throws Exception
    {
        final double inprocessSeconds = querySeconds() / 2;
        final double totalSeconds = prime() + 3 * warmupSeconds() + 2 * querySeconds() + inprocessSeconds + 30;
        // A command journals at least one event, so this many commands outlast the paced phase.
        final long timed = preload() + (long)(journalRate * totalSeconds);
        final JournalLoad load = new JournalLoad(spec(timed, 12), journal.sink());
        load.run(preload());
        final CommandStream stream = load.stream();

        final CredentialStore credentials = new CredentialStore();
        for (int account = 1; account <= accounts; account++)
        {
            credentials.addPlain("u" + account, "pw" + account, account, true);
        }
        // each client thread is one address asking queryRate/clients a second, more than one firm's
        // budget by default (query.http.budget-per-address): the budget stays in the path, sized to let them all through
        final HttpLimits limits = HttpLimits.DEFAULTS.withBudget(Math.max(HttpLimits.DEFAULT_BUDGET_PER_ADDRESS,
            4 * Math.max(1, queryRate / clients)), HttpLimits.DEFAULT_BUDGET_BURST);
        final ReadModelsContext ctx = new ReadModelsContext().journal(journal.source()).port(0).bindAddress("127.0.0.1")
            .httpLimits(limits).credentials(credentials).store(stores.fresh()).sinkIdleClassMaxLag(sinkIdleClassMaxLag)
            .sinkMaxTurnNanos(TimeUnit.MICROSECONDS.toNanos(sinkMaxTurnMicros));
        try (ReadModelsServer server = ReadModelsServer.start(ctx))
        {
            final QueryClients http = new QueryClients(server.port());
            final String[] tokens = new String[accounts + 1];
            for (int account = 1; account <= accounts; account++)
            {
                final String basic = "Basic " + Base64.getEncoder().encodeToString(("u" + account + ":pw" + account)
                    .getBytes(StandardCharsets.UTF_8));
                final String body = http.post("/api/v1/auth/token", basic).body();
                final int at = body.indexOf("\"token\":\"") + 9;
                tokens[account] = "Bearer " + body.substring(at, body.indexOf('"', at));
            }
            // The lookups read the history store: wait until the sink holds the preloaded journal.
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (server.counters().entriesApplied() < load.entries() || server.history().entriesWritten() < load.entries())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the query side did not catch up with the preloaded journal");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }

            // Orders known to exist: every new order (GTC or IOC) of the preloaded part of the stream.
            final long[] orderIds = new long[(int)load.sent()];
            final int[] owners = new int[orderIds.length];
            int count = 0;
            for (long i = 0; i < load.sent(); i++)
            {
                final byte type = stream.type(i);
                if (type == CommandStream.GTC || type == CommandStream.IOC)
                {
                    orderIds[count] = stream.orderId(i);
                    owners[count++] = stream.account(i);
                }
            }
            final int lookupCount = count;
            line("queries: %,d orders to look up; journal grows at %,d events/s; %d clients at %,d requests/s over HTTP",
                lookupCount, journalRate, clients, queryRate);

            final Thread writer = new Thread(() -> load.paced(journalRate), "journal-writer");
            final LagSampler lag = new LagSampler(server);
            final long eventsBefore = load.events();
            final long phaseStart = System.nanoTime();
            writer.start();
            lag.start();

            final QueryClients.Lookups orderLookups = new QueryClients.Lookups()
            {
                @Override
                public int size()
                {
                    return lookupCount;
                }

                @Override
                public String path(final int i)
                {
                    return "/api/v1/accounts/" + owners[i] + "/orders/" + orderIds[i];
                }

                @Override
                public String authorization(final int i)
                {
                    return tokens[owners[i]];
                }
            };
            final QueryClients.Lookups balanceLookups = new QueryClients.Lookups()
            {
                @Override
                public int size()
                {
                    return accounts;
                }

                @Override
                public String path(final int i)
                {
                    return "/api/v1/accounts/" + (i + 1) + "/balances";
                }

                @Override
                public String authorization(final int i)
                {
                    return tokens[i + 1];
                }
            };
            if (prime() > 0)
            {
                // Unrecorded: the JIT compiles the sink's, Jetty's and the queries' code for tens of seconds, and a
                // C2 compile holds a core for milliseconds at a time (C2 took 40% of a core 22-30 s into a run).
                http.run(orderLookups, clients, queryRate, prime() / 2, 0);
                http.run(balanceLookups, clients, queryRate, prime() / 2, 0);
            }
            final Histogram orders = http.run(orderLookups, clients, queryRate, warmupSeconds(), querySeconds());
            final Histogram balances = http.run(balanceLookups, clients, queryRate, warmupSeconds(), querySeconds());
            final Histogram inProcess = inProcess(server, inprocessSeconds);

            load.stop();
            writer.join();
            lag.stop = true;
            lag.join();
            final double grew = (load.events() - eventsBefore) * 1e9 / (System.nanoTime() - phaseStart);
            if (load.exhausted())
            {
                line("WARNING: the command stream ran out during the query phase; the journal stopped growing");
            }
            line("  journal grew at %,.0f events/s (target %,d); lag: projections max %,d entries, history max %,d entries",
                grew, journalRate, lag.max, lag.maxHistory);
            line("  history sink in the idle scheduling class in %d%% of the lag samples (%d switches; --sink-idle-class-max-lag %,d)",
                lag.samples == 0 ? 0 : lag.idleClassSamples * 100 / lag.samples, server.history().schedulingSwitches(),
                sinkIdleClassMaxLag);
            line("  orders by id over HTTP (history store): %s", percentiles(orders));
            line("  balances over HTTP (hot projections):  %s", percentiles(balances));
            line("  balances in process (no HTTP):          %s", percentiles(inProcess));
            result("query", orders, querySeconds());
            result("query-hot", balances, querySeconds());
            result("query-inprocess", inProcess, inprocessSeconds);
        }
    }

    /** Balances lookups submitted straight to the projection thread, one at a time, on a schedule. */
    private Histogram inProcess(final ReadModelsServer server, final double seconds) throws Exception
    {
        ClientSlice.applyToCurrentThread(); // this thread measures, as the HTTP clients' threads do
        final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final SplittableRandom random = new SplittableRandom(7);
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) / queryRate;
        final SendPacer pacer = new SendPacer(intervalNanos);
        final long start = System.nanoTime();
        final long end = start + (long)(seconds * 1e9);
        for (long planned = start; planned < end; planned += intervalNanos)
        {
            long now = System.nanoTime();
            while (now < planned)
            {
                pacer.waitFor(planned - now);
                now = System.nanoTime();
            }
            final long account = 1 + random.nextInt(accounts);
            final Query query = Query.now(models ->
            {
                final AccountView view = models.findAccount(account);
                return new Response(view != null ? 200 : 404, Response.JSON, "", models.position());
            });
            if (!server.submit(query))
            {
                throw new IllegalStateException("the projection thread refused a query");
            }
            if (query.result().get(30, TimeUnit.SECONDS).status() != 200)
            {
                throw new IllegalStateException("account " + account + " not found in process");
            }
            histogram.recordValue(Math.max(1, (System.nanoTime() - planned) / 1_000));
        }
        return histogram;
    }

    /** Samples the projection's and the history sink's lag every 10 ms. */
    private static final class LagSampler extends Thread
    {
        private final ReadModelsServer server;
        volatile boolean stop;
        volatile long max;
        volatile long maxHistory;
        volatile long samples;
        volatile long idleClassSamples;

        LagSampler(final ReadModelsServer server)
        {
            super("lag-sampler");
            this.server = server;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            while (!stop)
            {
                max = Math.max(max, server.counters().lag());
                maxHistory = Math.max(maxHistory, server.history().lag());
                idleClassSamples += server.history().yieldingCores() ? 1 : 0;
                samples++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    static String percentiles(final Histogram h)
    {
        return String.format(Locale.ROOT, "%,d, p50=%d p90=%d p99=%d p99.9=%d max=%d us", h.getTotalCount(),
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
            h.getMaxValue());
    }

    private static void result(final String name, final Histogram h, final double seconds)
    {
        line("RESULT %s rate=%.0f p50=%d p99=%d", name, h.getTotalCount() / seconds, h.getValueAtPercentile(50),
            h.getValueAtPercentile(99));
    }

    static void line(final String format, final Object... args)
    {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
