package dev.bourse.readmodels;

import dev.bourse.readmodels.history.HistorySink;
import dev.bourse.readmodels.history.HistoryStore;
import dev.bourse.journal.IdleSchedulingClass;
import dev.bourse.readmodels.history.SinkProgress;
import dev.bourse.readmodels.history.StoreSettings;
import dev.bourse.readmodels.http.WebServer;
import dev.bourse.readmodels.stream.Streams;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The whole query side in one process: the hot projections on their thread (an
 * {@link AgentRunner} around a {@link ProjectionAgent}, resumed from the newest checkpoint), the
 * history sink on its own thread and journal tailer writing the history store, and the HTTP API on
 * Jetty. Everything comes from one {@link ReadModelsContext}.
 */
public final class ReadModelsServer implements AutoCloseable
{
    private final ReadModelsContext ctx;
    private final ProjectionAgent agent;
    private final AgentRunner runner;
    private final Path temporaryStoreDirectory;
    private final HistoryStore store;
    private final SinkProgress sinkProgress = new SinkProgress();
    private final CheckpointStore checkpoints;
    private final AgentRunner sinkRunner;
    private final Streams streams;
    private final StreamSnapshots snapshots = new StreamSnapshots();
    private final WebServer web;
    private final ApiAuth auth;
    private volatile MetricsSource metricsSource;
    private final QueryApi api;
    private static final Response DONE = new Response(200, Response.JSON, "", Long.MIN_VALUE);

    private ReadModelsServer(final ReadModelsContext ctx) throws IOException
    {
        this.ctx = ctx;
        StoreSettings settings = ctx.store();
        if (settings == null)
        {
            temporaryStoreDirectory = ctx.checkpointDirectory() == null ? Files.createTempDirectory("bourse-history") : null;
            final Path directory = temporaryStoreDirectory != null ? temporaryStoreDirectory : ctx.checkpointDirectory();
            settings = StoreSettings.embedded(directory.resolve("history.db"));
        }
        else
        {
            temporaryStoreDirectory = null;
        }
        try
        {
            store = HistoryStore.open(settings);
        }
        catch (final RuntimeException e)
        {
            deleteTemporaryStore();
            throw e;
        }

        try
        {
            checkpoints = ctx.checkpointDirectory() == null ? null :
                new CheckpointStore(ctx.checkpointDirectory(), ctx.timeZone());
            final ReadModels models = checkpoints == null ? new ReadModels(ctx.timeZone()) : checkpoints.load(ctx.log());
            final long[] storedCheckpoint;
            try
            {
                storedCheckpoint = store.checkpoint();
                final long history = storedCheckpoint == null ? 0 : storedCheckpoint[1];
                if (!ctx.journalCatchingUp()) // a cluster node's journal may be rebuilt from the log as this starts (an outside tester)
                {
                    if (ctx.checkpointDirectory() != null)
                    {
                        refuseIfJournalEndsBefore(models.sequence(), hotCheckpoint(ctx.checkpointDirectory()), ctx.journal(),
                            hotCure(ctx.checkpointDirectory()));
                    }
                    refuseIfJournalEndsBefore(history, historyStore(settings), ctx.journal(), storeCure(settings));
                }
                refuseIfJournalStartsAfter(models.sequence(), hotCheckpoint(ctx.checkpointDirectory()), ctx.journal(), "");
                refuseIfJournalStartsAfter(history, historyStore(settings), ctx.journal(), "");
            }
            catch (final java.sql.SQLException | IllegalStateException e)
            {
                throw e instanceof IllegalStateException ? (IllegalStateException)e
                    : new IllegalStateException("read models: cannot read the history store's checkpoint: " + e.getMessage(), e);
            }
            try
            {
                checkWrittenFromThisJournal(models);
                // after the hot checkpoint's: a directory of another exchange's is named whole. Not where the journal is
                // still being rebuilt: the store's entry may not be in it yet (the sink checks once it is)
                if (!ctx.journalCatchingUp())
                {
                    refuseIfNotFromThisJournal(storedCheckpoint, settings, ctx.journal(), "");
                }
                agent = new ProjectionAgent(models, ctx.journal(), new ReadModelCounters(), checkpoints, ctx.checkpointEveryEntries(),
                    ctx.batchLimit(), ctx.queryQueueCapacity(), ctx.log()).checkpointEvery(TimeUnit.MILLISECONDS.toNanos(ctx.checkpointEveryMs()));
            }
            catch (final dev.bourse.journal.JournalException e)
            {
                throw new IllegalStateException(notInJournal("their checkpoint in " + ctx.checkpointDirectory(), e), e);
            }
            streams = new Streams(ctx.streamLimits(), this::requestSnapshot, ctx.streamIdleStrategy(), ctx.log());
            models.streamListener(streams.source());
            runner = new AgentRunner(ctx.idleStrategy(), t -> ctx.log().accept("read models: projection error: " + t), null, agent);
            final HistorySink sink = new HistorySink(store, ctx.journal(), agent.counters()::headPosition, sinkProgress,
                ctx.sinkBatchEntries(), TimeUnit.MILLISECONDS.toNanos(ctx.sinkMaxDelayMs()), ctx.log(), null).timeZone(ctx.timeZone())
                .headSequence(agent.counters()::headSequence).waitForJournal(ctx.journalCatchingUp());
            if (ctx.sinkIdleClassMaxLag() > 0)
            {
                sink.scheduling(IdleSchedulingClass.INSTANCE, ctx.sinkIdleClassMaxLag(), ctx.sinkMaxTurnNanos());
            }
            sinkRunner = new AgentRunner(ctx.sinkIdleStrategy(), t -> ctx.log().accept(String.valueOf(t.getMessage()).startsWith("read models: ")
                ? t.getMessage() : "read models: " + t.getMessage()), null, sink); // said once: "read models: read models: ..."
            metricsSource = ctx.metricsSource();

            web = new WebServer(ctx.bindAddress(), ctx.port(), ctx.httpLimits(), "read-models", ctx.tls(), ctx.tlsPort(), ctx.plainEnabled()).log(ctx.log())
                .threadPriority(ctx.threadPriority());
            auth = new ApiAuth(ctx.credentials(), ctx.credentialGuard(), TimeUnit.SECONDS.toNanos(ctx.tokenTtlSeconds()),
                ctx.refusedLogons());
            api = new QueryApi(agent, new HistoryQueries(store, ctx.timeZone()), sinkProgress, auth, ctx.maxWaitMs(), web.executor());
            if (ctx.adminBackend() != null)
            {
                api.admin(new AdminApi(ctx.adminBackend(), this::resolveInstrument));
            }
            web.handler(streams.handler(web, this::resolveInstrument, this::accountExists, (header, address) ->
            {
                // private channels: a trader its own account, compliance any, the other roles none
                final ApiAuth.Principal principal;
                try
                {
                    principal = auth.authenticate(header, address);
                }
                catch (final ApiAuth.Busy e)
                {
                    return null; // that address's password checks are full: refused like a wrong credential, try again
                }
                if (principal == null)
                {
                    return null;
                }
                final long account = switch (principal.role())
                {
                    case TRADER -> principal.accountId();
                    case COMPLIANCE -> dev.bourse.readmodels.stream.Streams.ANY_ACCOUNT;
                    default -> 0;
                };
                return dev.bourse.readmodels.stream.StreamGrant.of(account, auth.lifetime(header));
            }, new QueryHandler(api, this::metrics, web.executor(), new dev.bourse.readmodels.http.DashboardHandler())));
        }
        catch (final RuntimeException | Error e)
        {
            // a refused start lets go of the store, its writer lock with it: one left open kept a start in this process (a
            // test's, an embedding application's) out of the store after the refusal
            store.close();
            deleteTemporaryStore();
            throw e;
        }
    }

    /**
     * Starts projecting, writing history and serving.
     *
     * @throws IllegalArgumentException with one clear line for bad configuration (the port is in
     *                                  use, the history store cannot be opened).
     */
    public static ReadModelsServer start(final ReadModelsContext ctx) throws IOException
    {
        ctx.conclude();
        final ReadModelsServer server = new ReadModelsServer(ctx);
        final ThreadFactory threads = runnable ->
        {
            final Thread thread = new Thread(runnable);
            thread.setPriority(ctx.threadPriority());
            return thread;
        };
        AgentRunner.startOnThread(server.runner, threads);
        AgentRunner.startOnThread(server.sinkRunner, ctx.sinkThreadFactory() != null ? ctx.sinkThreadFactory() : threads);
        server.streams.start(threads);
        try
        {
            server.web.start();
        }
        catch (final IOException | RuntimeException e)
        {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The read models apply the journal from their checkpoint on, or from its first entry: a journal
     * whose first entry retention removed cannot rebuild them. Rebuilt from it anyway, the query API
     * served blank instruments and balances short by every deposit before, with a lag of 0 (an
     * outside probe deleted the checkpoints of a trimmed journal, as read-models.md says to rebuild).
     */
    static void refuseIfJournalStartsAfter(final long sequence, final String whose, final JournalSource journal, final String otherwise)
    {
        final long first = journal.firstSequence();
        if (first != Long.MIN_VALUE && first > sequence + 1)
        {
            throw new IllegalStateException(whose + (sequence <= 0 ? " is empty" : " is at sequence " + sequence) +
                ", but the journal starts at sequence " + first + " (retention removed the cycles before it): rebuilt from there" +
                " they would lack what those entries made (instruments, accounts, deposits, orders). Restore them from a backup" +
                " taken with the journal" + otherwise);
        }
    }

    /**
     * A checkpoint beyond the journal's last entry was made from another journal (a fresh exchange
     * pointed at a database another one writes) or from this one before it was wiped or replaced.
     * Found by the sink after the start, the exchange had journaled its bootstrap, said ready, and
     * served the other exchange's history while its own orders were "not found" (an outside tester).
     */
    static void refuseIfJournalEndsBefore(final long sequence, final String whose, final JournalSource journal, final String cure)
    {
        final long last = journal.lastSequence();
        if (last != Long.MIN_VALUE && sequence > Math.max(0, last))
        {
            throw new IllegalStateException("read models: " + whose + " is at sequence " + sequence + ", but the journal " + (last <= 0 ? "is empty"
                : "ends at sequence " + last) + ": it was written from another exchange's journal, or from this one before it was "
                + "wiped or replaced. " + cure);
        }
    }

    /**
     * The history store's checkpoint must name this journal's entry ({@link CheckpointMatch}). Found by
     * the sink on its own thread, a store another exchange wrote was only logged: a restarted exchange
     * said ready and served the other's history (an outside tester).
     */
    static void refuseIfNotFromThisJournal(final long[] checkpoint, final StoreSettings store, final JournalSource journal,
        final String otherwise)
    {
        if (checkpoint == null)
        {
            return;
        }
        final long other;
        try
        {
            other = CheckpointMatch.otherEntrySequence(journal, checkpoint[0], checkpoint[1], checkpoint[2]);
        }
        catch (final dev.bourse.journal.JournalException e)
        {
            throw new IllegalStateException("read models: " + historyStore(store) + " is past what the journal holds (" + e.getMessage()
                + "): it was written from another exchange's journal, or from this one before it was wiped or replaced. "
                + storeCure(store) + otherwise, e);
        }
        if (other != Long.MIN_VALUE)
        {
            throw new IllegalStateException(CheckpointMatch.refusal(historyStore(store), checkpoint[1], other, storeCure(store) + otherwise));
        }
    }

    /** How to rebuild a history store from this journal, or give the exchange its own. */
    private static String storeCure(final StoreSettings store)
    {
        return store.kind() == StoreSettings.Kind.POSTGRESQL
            ? "Point the query side at this exchange's own database, or empty that one (drop its tables) to rebuild the history from "
                + "this journal"
            : "Give the query side this exchange's own history file, or delete " + store.embeddedFile() + " to rebuild the history "
                + "from this journal";
    }

    private static String hotCure(final Path checkpointDirectory)
    {
        return "Delete " + checkpointDirectory + " (the embedded history store in it too) to rebuild the read models from this journal";
    }

    /**
     * The same refusals as a start's, read from the files and the store without starting anything:
     * the exchange runs them before its scheduler and snapshotter, so a start refused for them has
     * written nothing (an outside probe found a refused start had journaled a GTD expiry and rotated
     * the snapshots out first).
     *
     * @param otherwise the caller's other way out, appended to the advice (", or ...")
     */
    public static void refuseIfJournalTrimmed(
        final Path checkpointDirectory, final StoreSettings store, final JournalSource journal, final String otherwise)
    {
        final long hot = checkpointDirectory == null ? 0 : Math.max(0, CheckpointStore.newestSequence(checkpointDirectory));
        final long[] checkpoint = HistoryStore.storedCheckpoint(store);
        final long history = checkpoint == null ? 0 : checkpoint[1];
        refuseIfJournalEndsBefore(hot, hotCheckpoint(checkpointDirectory), journal, hotCure(checkpointDirectory) + otherwise);
        refuseIfJournalEndsBefore(history, historyStore(store), journal, storeCure(store) + otherwise);
        refuseIfNotFromThisJournal(checkpoint, store, journal, otherwise);
        refuseIfJournalStartsAfter(hot, hotCheckpoint(checkpointDirectory), journal, otherwise);
        refuseIfJournalStartsAfter(history, historyStore(store), journal, otherwise);
    }

    private static String hotCheckpoint(final Path checkpointDirectory)
    {
        return checkpointDirectory == null ? "the read models' checkpoint (no checkpoint directory was given)"
            : "the read models' checkpoint in " + checkpointDirectory;
    }

    private static String historyStore(final StoreSettings store)
    {
        return "the history store (" + store.describe() + ")";
    }

    /** The hot checkpoint must be this journal's ({@link CheckpointMatch}). */
    private void checkWrittenFromThisJournal(final ReadModels models)
    {
        if (checkpoints == null)
        {
            return;
        }
        final long other = CheckpointMatch.otherEntrySequence(ctx.journal(), models.position(), models.sequence(), models.entryTimestamp());
        if (other != Long.MIN_VALUE)
        {
            deleteTemporaryStore();
            throw new IllegalStateException(CheckpointMatch.refusal("their checkpoint in " + ctx.checkpointDirectory(), models.sequence(),
                other, "Point query.checkpoint-dir at this exchange's own, or delete it (the history store with it) to rebuild "
                + "the read models from the journal"));
        }
    }

    /**
     * Why the read models cannot start when their checkpoint names a position the journal lacks, and
     * the cure: the journal was wiped or replaced (a cluster node rebuilt from its peers, a journal
     * restored from an older backup) while the read models' directory was kept.
     */
    public static String notInJournal(final String whose, final RuntimeException e)
    {
        return "read models: " + whose + " is past what the journal holds (" + e.getMessage() + "): the journal was wiped or "
            + "replaced after the read models last ran. They are rebuilt from the journal: delete the read models' "
            + "directory (data.dir/read-models, the history store with it) and start again";
    }

    /** The port the API listens on (the chosen one when configured with 0). */
    /**
     * The oldest journal position the query side may read again after a restart: its hot state's
     * older kept checkpoint and the history store's checkpoint; START (everything) until both are
     * known. Journal retention deletes nothing this needs, so a restart never finds its events gone.
     */
    public long neededJournalPosition()
    {
        final long hot = checkpoints == null ? dev.bourse.journal.JournalTailer.START : checkpoints.neededFrom();
        final long history = sinkProgress.position();
        return hot < 0 || history < 0 ? dev.bourse.journal.JournalTailer.START : Math.min(hot, history);
    }

    public int port()
    {
        return web.port();
    }

    /** The HTTPS (and WSS) port; -1 without TLS. */
    public int tlsPort()
    {
        return web.tlsPort();
    }

    /** Whether plain HTTP listens on {@link #port()} (else that is the HTTPS port). */
    public boolean plainEnabled()
    {
        return web.plainEnabled();
    }

    public ReadModelCounters counters()
    {
        return agent.counters();
    }

    /** A stream channel's snapshot, built on the projection thread between entries. */
    private boolean requestSnapshot(final long channel)
    {
        return agent.submit(Query.now(models ->
        {
            streams.writeSnapshot(models, snapshots, channel);
            return DONE;
        }));
    }

    /** An instrument's {id, symbol} by id or symbol, looked up on the projection thread; null if none. */
    private java.util.concurrent.CompletableFuture<Object[]> resolveInstrument(final String idOrSymbol)
    {
        return ask(models ->
        {
            final MarketView market = models.findMarketByIdOrSymbol(idOrSymbol);
            return market == null ? null : new Object[]{market.instrumentId, market.symbol};
        });
    }

    private java.util.concurrent.CompletableFuture<Boolean> accountExists(final long accountId)
    {
        return ask(models -> models.findAccount(accountId) != null);
    }

    /** Asks the models on the projection thread; completes with null when that thread cannot take the question now. */
    private <T> java.util.concurrent.CompletableFuture<T> ask(final java.util.function.Function<ReadModels, T> question)
    {
        final java.util.concurrent.atomic.AtomicReference<T> answer = new java.util.concurrent.atomic.AtomicReference<>();
        final Query query = Query.now(models ->
        {
            answer.set(question.apply(models));
            return DONE;
        });
        if (!agent.submit(query))
        {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return query.result().thenApply(done -> answer.get());
    }

    /** The live streams' counters. */
    public dev.bourse.readmodels.stream.StreamCounters streams()
    {
        return streams.counters();
    }

    /** The history sink's checkpoint, lag and counters. */
    public SinkProgress history()
    {
        return sinkProgress;
    }

    /** Runs a query on the projection thread (the HTTP API's path, for in-process callers and benchmarks). */
    public boolean submit(final Query query)
    {
        return agent.submit(query);
    }

    /** Installs what the process adds to {@code /api/v1/status} (a cluster node: its leader and lag). */
    public void statusSource(final StatusSource source)
    {
        api.statusSource(source);
    }

    /** Installs the exchange's counters for {@code /metrics}. */
    public void metricsSource(final MetricsSource source)
    {
        metricsSource = source;
    }

    public ReadModelsContext context()
    {
        return ctx;
    }

    private Response metrics()
    {
        final MetricsSource source = metricsSource;
        final StringBuilder text = new StringBuilder(source == null ? "" : source.render());
        QueryMetrics.append(text, agent.counters(), sinkProgress, streams.counters(), store);
        QueryMetrics.appendHttp(text, web);
        return new Response(200, QueryMetrics.CONTENT_TYPE, text.toString(), Long.MIN_VALUE);
    }

    @Override
    public void close()
    {
        // the streams first: each session is told the query side is stopping (1001) while the server can still send it;
        // stopped by the server instead, a session with nothing in flight was told "Connection Idle Timeout" (an outside probe)
        CloseHelper.close(streams);
        web.close();
        CloseHelper.close(auth);
        CloseHelper.close(runner);
        CloseHelper.close(sinkRunner);
        store.close();
        deleteTemporaryStore();
    }

    private void deleteTemporaryStore()
    {
        if (temporaryStoreDirectory != null)
        {
            IoUtil.delete(temporaryStoreDirectory.toFile(), true);
        }
    }
}
