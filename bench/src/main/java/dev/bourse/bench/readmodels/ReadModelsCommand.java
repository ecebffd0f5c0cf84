package dev.bourse.bench.readmodels;

import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.OrderRecord;
import dev.bourse.readmodels.Query;
import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.Response;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./exchange bench read-models}: projection throughput and query latency of the read side.
 * <ol>
 * <li>projections: the engine writes a journal of the bench workload (GTC, IOC, cancel, move over
 *     several instruments) to memory; fresh read models then apply all of it, several times after
 *     warm-up; prints the median events/s for all projections together.</li>
 * <li>queries: the read-models server (projection thread + HTTP API) follows a journal that an
 *     engine thread keeps growing at {@code --journal-rate} events/s, while open-loop clients look
 *     orders up by id ({@code GET /api/v1/accounts/{a}/orders/{id}}, bearer token) at
 *     {@code --query-rate}/s. Latency is from each request's planned send time. The same lookups
 *     are then also run in process, straight to the projection thread, to separate the query
 *     path's own cost from HTTP's.</li>
 * </ol>
 */
@Command(
    name = "read-models",
    mixinStandardHelpOptions = true,
    description = "Read-model projection throughput (events/s) and query latency over HTTP while the journal grows.")
public final class ReadModelsCommand implements Callable<Integer>
{
    @Option(names = "--commands", defaultValue = "500000", description = "Timed commands in the projection journal (default ${DEFAULT-VALUE}).")
    long commands;

    @Option(names = "--runs", defaultValue = "5", description = "Measured projection runs; the median is reported (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmups", defaultValue = "2", description = "Projection runs first, not counted (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--instruments", defaultValue = "10", description = "Instruments in the workload (default ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--accounts", defaultValue = "200", description = "Accounts in the workload (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--journal-rate", defaultValue = "100000", description = "Events/s appended during the query phase (default ${DEFAULT-VALUE}).")
    long journalRate;

    @Option(names = "--preload", defaultValue = "200000", description = "Commands journaled before the query phase starts (default ${DEFAULT-VALUE}).")
    long preload;

    @Option(names = "--query-rate", defaultValue = "500", description = "Point lookups/s over HTTP (default ${DEFAULT-VALUE}).")
    int queryRate;

    @Option(names = "--clients", defaultValue = "2", description = "HTTP client threads (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Query warm-up, sent but not recorded (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--query-seconds", defaultValue = "10", description = "Measured HTTP query seconds (default ${DEFAULT-VALUE}).")
    double querySeconds;

    @Option(names = "--inprocess-seconds", defaultValue = "5",
        description = "Seconds of the same lookups sent in process to the projection thread, no HTTP; 0 for none (default ${DEFAULT-VALUE}).")
    double inprocessSeconds;

    @Option(names = "--journal", defaultValue = "chronicle",
        description = "Journal the engine writes and the read models tail: chronicle (a Chronicle Queue in a temporary "
            + "directory, as in production) or memory (default ${DEFAULT-VALUE}).")
    String journalKind;

    @Option(names = "--dir", description = "Where the temporary Chronicle journal goes (default: java.io.tmpdir).")
    Path dir;

    @Option(names = "--skip-projections", description = "Run only the query phase.")
    boolean skipProjections;

    @Option(names = "--skip-queries", description = "Run only the projection phase.")
    boolean skipQueries;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ReadModelsCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (commands < 1 || runs < 1 || warmups < 0 || instruments < 1 || accounts < 1 || journalRate < 1 || queryRate < 1 ||
            clients < 1 || querySeconds <= 0 || warmupSeconds < 0 || inprocessSeconds < 0 || preload < 0)
        {
            throw new IllegalArgumentException("counts, rates and --query-seconds must be positive");
        }
        line("bench read-models: %d cpus, load average %s; workload: %d instruments, %d accounts",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), instruments, accounts);
        if (!skipProjections)
        {
            projections();
        }
        if (!skipQueries)
        {
            queries();
        }
        return 0;
    }

    private WorkloadSpec spec(final long timed, final long seed)
    {
        return new WorkloadSpec("read-models", instruments, accounts, 500, timed, seed);
    }

    // ------------------------------------------------------------------ projections

    private void projections() throws IOException
    {
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            projections(journal);
        }
    }

    private void projections(final BenchJournal journal)
    {
        final JournalLoad load = new JournalLoad(spec(commands, 11), journal.sink());
        load.run(Long.MAX_VALUE);
        line("projections: %s journal of %,d entries, %,d events (%.2f events/entry)", journalKind, load.entries(), load.events(),
            (double)load.events() / load.entries());

        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final double[] rates = new double[runs];
        double bytesPerEvent = 0;
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
            bytesPerEvent = (double)allocated / models.eventsApplied();
            // CPU time of this thread too: on a shared machine the wall clock also counts time other processes had the core.
            line("  %s %d: %,d events in %.1f ms = %,.0f events/s (%,.0f per CPU second of this thread), %.0f bytes allocated/event",
                run < 0 ? "warm-up" : "run", run < 0 ? run + warmups + 1 : run + 1, models.eventsApplied(), elapsed / 1e6, rate,
                models.eventsApplied() * 1e9 / cpu, bytesPerEvent);
            if (run >= 0)
            {
                rates[run] = rate;
            }
        }
        Arrays.sort(rates);
        line("RESULT projections events/s=%.0f", rates[runs / 2]);
    }

    // ------------------------------------------------------------------ queries

    private void queries() throws Exception
    {
        try (BenchJournal journal = BenchJournal.create(journalKind, dir))
        {
            queries(journal);
        }
    }

    private void queries(final BenchJournal journal) throws Exception
    {
        final double totalSeconds = warmupSeconds + querySeconds + inprocessSeconds + 3;
        // A command journals at least one event, so this many commands outlast the paced phase.
        final long timed = preload + (long)(journalRate * totalSeconds);
        final JournalLoad load = new JournalLoad(spec(timed, 12), journal.sink());
        load.run(preload);
        final CommandStream stream = load.stream();

        final CredentialStore credentials = new CredentialStore();
        for (int account = 1; account <= accounts; account++)
        {
            credentials.addPlain("u" + account, "pw" + account, account, true);
        }
        final ReadModelsContext ctx = new ReadModelsContext().journal(journal.source()).port(0).bindAddress("127.0.0.1")
            .credentials(credentials);
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
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (server.counters().entriesApplied() < load.entries())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the read models did not catch up with the preloaded journal");
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
            line("queries: %,d orders to look up; journal grows at %,d events/s; %d clients at %,d lookups/s over HTTP",
                lookupCount, journalRate, clients, queryRate);

            final Thread writer = new Thread(() -> load.paced(journalRate), "journal-writer");
            final LagSampler lag = new LagSampler(server);
            final long eventsBefore = load.events();
            final long phaseStart = System.nanoTime();
            writer.start();
            lag.start();

            final Histogram overHttp = http.run(new QueryClients.Lookups()
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
            }, clients, queryRate, warmupSeconds, querySeconds);
            final Histogram inProcess = inprocessSeconds > 0 ? inProcess(server, orderIds, owners, lookupCount) : null;

            load.stop();
            writer.join();
            lag.stop = true;
            lag.join();
            final double grew = (load.events() - eventsBefore) * 1e9 / (System.nanoTime() - phaseStart);
            if (load.exhausted())
            {
                line("WARNING: the command stream ran out during the query phase; the journal stopped growing");
            }
            line("  journal grew at %,.0f events/s (target %,d); projection lag: max %,d entries, %,d at the end",
                grew, journalRate, lag.max, server.counters().lag());
            if (inProcess != null)
            {
                line("  in process (no HTTP): %s", percentiles(inProcess));
            }
            line("  over HTTP: %s", percentiles(overHttp));
            if (inProcess != null)
            {
                result("query-inprocess", inProcess, inprocessSeconds);
            }
            result("query", overHttp, querySeconds);
        }
    }

    /** The lookups as queries submitted straight to the projection thread, one at a time, on a schedule. */
    private Histogram inProcess(final ReadModelsServer server, final long[] orderIds, final int[] owners, final int count)
        throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final SplittableRandom random = new SplittableRandom(7);
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) / queryRate;
        final long start = System.nanoTime();
        final long end = start + (long)(inprocessSeconds * 1e9);
        for (long planned = start; planned < end; planned += intervalNanos)
        {
            long now = System.nanoTime();
            while (now < planned)
            {
                LockSupport.parkNanos(planned - now);
                now = System.nanoTime();
            }
            final int i = random.nextInt(count);
            final long orderId = orderIds[i];
            final long owner = owners[i];
            final Query query = Query.now(models ->
            {
                final OrderRecord order = models.order(orderId);
                return new Response(order != null && order.accountId() == owner ? 200 : 404, Response.JSON, "", models.position());
            });
            if (!server.submit(query))
            {
                throw new IllegalStateException("the projection thread refused a query");
            }
            if (query.result().get(30, TimeUnit.SECONDS).status() != 200)
            {
                throw new IllegalStateException("order " + orderId + " of account " + owner + " not found in process");
            }
            histogram.recordValue(Math.max(1, (System.nanoTime() - planned) / 1_000));
        }
        return histogram;
    }

    /** Samples the projection lag every 10 ms. */
    private static final class LagSampler extends Thread
    {
        private final ReadModelsServer server;
        volatile boolean stop;
        volatile long max;

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
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private static String percentiles(final Histogram h)
    {
        return String.format(Locale.ROOT, "%,d requests, p50=%d p90=%d p99=%d p99.9=%d max=%d us", h.getTotalCount(),
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
            h.getMaxValue());
    }

    private static void result(final String name, final Histogram h, final double seconds)
    {
        line("RESULT %s rate=%.0f p50=%d p99=%d", name, h.getTotalCount() / seconds, h.getValueAtPercentile(50),
            h.getValueAtPercentile(99));
    }

    private static void line(final String format, final Object... args)
    {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
