package dev.bourse.server;

import dev.bourse.gateway.GatewayContext;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.history.StoreSettings;
import dev.bourse.readmodels.http.HttpLimits;
import dev.bourse.readmodels.stream.StreamLimits;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.metrics.PrometheusText;
import dev.bourse.server.threading.PinnedThreads;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole query side (hot projections, history sink and store, HTTP API, WebSocket streams,
 * dashboard, {@code /metrics}) started from the exchange's configuration. Everything of it runs
 * from one {@link ReadModelsContext}, so it can run in the exchange's process or in a process of
 * its own on the same journal files and counters file.
 */
public final class QuerySide
{
    private QuerySide()
    {
    }

    /**
     * Starts the query side.
     *
     * @param counters the exchange's counters, rendered on {@code /metrics} (from the counters file in another process)
     * @param journal  the journal the query side reads (its tailers; see {@link JournalSource})
     * @throws IOException              when a directory cannot be created
     * @throws IllegalArgumentException with one clear line when the port is in use or the store cannot be opened
     */
    public static ReadModelsServer start(
        final ExchangeConfig config,
        final CredentialStore credentials,
        final CountersReader counters,
        final JournalSource journal,
        final Consumer<String> log) throws IOException
    {
        return start(config, credentials, null, null, null, counters, journal, log);
    }

    static StoreSettings storeSettings(final ExchangeConfig.Query q)
    {
        return "postgresql".equals(q.store())
            ? StoreSettings.postgresql(q.jdbcUrl(), q.jdbcUser(), q.jdbcPassword()).withPoolSize(q.poolSize())
            : StoreSettings.embedded(q.historyFile()).withPoolSize(q.poolSize());
    }

    /**
     * The read models apply journal entries only: a checkpoint of theirs further on than the
     * recovered journal proves the journal lost entries (a crash probe zeroed its tail at an entry
     * boundary and removed the snapshots: the exchange started from the older state while the
     * query side held the orders since). Refused as recovery refuses a snapshot further on.
     */
    static void refuseIfAheadOfJournal(final ExchangeConfig config, final long journalLastSequence, final java.nio.file.Path journalDir)
    {
        if (!config.query().enabled())
        {
            return;
        }
        final java.nio.file.Path checkpoints = config.query().checkpointDir();
        final long checkpoint = dev.bourse.readmodels.CheckpointStore.newestSequence(checkpoints);
        if (checkpoint > journalLastSequence)
        {
            throw new dev.bourse.journal.JournalException("the journal " + journalDir + (journalLastSequence == 0 ? " has no entries"
                : " ends at sequence " + journalLastSequence) + ", but the read models' checkpoint in " + checkpoints
                + " is at sequence " + checkpoint + ": journal entries are missing. The journal is the system of record:"
                + " restore it, or, " + NewExchange.advice(config));
        }
    }

    /**
     * Refuses a start on a journal retention trimmed past the query side's checkpoints before the
     * start writes anything: found by the query side itself, it came after the scheduler had
     * journaled a GTD expiry and the snapshotter had rotated good snapshots out (an outside probe).
     */
    static void refuseIfJournalTrimmed(final ExchangeConfig config, final JournalSource journal)
    {
        if (config.query().enabled())
        {
            dev.bourse.readmodels.ReadModelsServer.refuseIfJournalTrimmed(config.query().checkpointDir(), storeSettings(config.query()),
                journal, ", or run without the query side (query.enabled = false)");
        }
    }

    /** Refuses a start whose history database cannot be reached, before the start writes anything. */
    static void checkStoreReachable(final ExchangeConfig config)
    {
        if (config.query().enabled())
        {
            dev.bourse.readmodels.history.HistoryStore.checkReachable(storeSettings(config.query()));
        }
    }

    /**
     * Starts the query side in the exchange's process: its logins share the process's credential
     * guard (the lockout and throttle FIX logons have), and the admin API is served when a backend is given.
     *
     * @param guard the process's credential guard; null for one of the query side's own
     * @param admin the exchange's admin actions; null for no admin API
     * @param refusedLogons told of every refused login at the query side's doors (to journal it); null for nobody
     */
    public static ReadModelsServer start(
        final ExchangeConfig config,
        final CredentialStore credentials,
        final dev.bourse.protocol.auth.CredentialGuard guard,
        final dev.bourse.readmodels.AdminBackend admin,
        final dev.bourse.readmodels.RefusedLogonListener refusedLogons,
        final CountersReader counters,
        final JournalSource journal,
        final Consumer<String> log) throws IOException
    {
        final ExchangeConfig.Query q = config.query();
        WritableDirectory.create(q.checkpointDir(), "query.checkpoint-dir");
        final StoreSettings store = storeSettings(q);
        final ReadModelsContext ctx = new ReadModelsContext()
            .journal(journal)
            .credentials(credentials)
            .refusedLogons(refusedLogons)
            .credentialGuard(guard)
            .adminBackend(admin)
            .bindAddress(q.bind())
            .port(q.port())
            .httpLimits(new HttpLimits(q.threads(), q.maxConnections(), q.idleTimeout().toMillis(), q.headerTimeout().toMillis(),
                q.bodyTimeout().toMillis(), q.maxHeaderBytes(), q.maxBodyBytes())
                .withAdmission(q.maxConnectionsPerAddress(), q.writeTimeout().toMillis())
                .withThreadsPerAddress(q.maxThreadsPerAddress())
                .withBudget(q.budgetPerAddress(), q.budgetBurst()))
            .checkpointDirectory(q.checkpointDir())
            // a cluster node's journal is rebuilt from the cluster's log while this starts (a wiped node's, from nothing)
            .journalCatchingUp(config.cluster().role() == dev.bourse.server.config.ClusterConfig.Role.NODE)
            .tokenTtlSeconds(q.tokenLifetime().toSeconds())
            .store(store)
            .timeZone(config.schedule().zone())
            .sinkBatchEntries(q.sinkBatchEntries())
            .sinkMaxDelayMs(q.sinkMaxDelay().toMillis())
            .sinkIdleClassMaxLag(q.sinkIdleClassMaxLag())
            .sinkMaxTurnNanos(q.sinkMaxTurn().toNanos())
            .idleStrategy(GatewayContext.newIdleStrategy(q.idleStrategy()))
            .sinkIdleStrategy(sinkIdleStrategy(q.idleStrategy(), q.sinkMaxDelay()))
            .streamLimits(StreamLimits.DEFAULTS.with(q.wsMaxSessions(), q.wsMaxSubscriptions(), q.wsQueueLimit())
                .withRequestRate(q.wsMaxRequestsPerSecond()))
            .streamIdleStrategy(GatewayContext.newIdleStrategy(q.idleStrategy()))
            .threadPriority(config.threading().backgroundPriority())
            .sinkThreadFactory(config.threading().historySinkCpu() < 0 ? null : PinnedThreads.factory("history-sink",
                config.threading().historySinkCpu(), config.threading().backgroundPriority(), log))
            .metricsSource(() -> PrometheusText.render(counters))
            .log(log);
        TlsWiring.query(ctx, config.tls());
        final ReadModelsServer server = ReadModelsServer.start(ctx);
        final String host = displayHost(q.bind());
        log.accept("query: API, streams and dashboard on " + (server.plainEnabled() ? "http://" + host + ":" + server.port() + "/" : "") +
            (server.plainEnabled() && server.tlsPort() >= 0 ? " and " : "") +
            (server.tlsPort() >= 0 ? "https://" + host + ":" + server.tlsPort() + "/" : "") + " (history in " + store.describe() + ")");
        return server;
    }

    private static String displayHost(final String bind)
    {
        return "0.0.0.0".equals(bind) || "::".equals(bind) ? "localhost" : bind;
    }

    /**
     * The history sink lets a batch fill for {@code query.sink.max-delay} anyway, so with the
     * {@code sleeping} strategy it parks a quarter of that (1 to 5 ms) when caught up instead of
     * 1 ms: fewer wake-ups for the same lag, to within a few milliseconds.
     */
    static IdleStrategy sinkIdleStrategy(final String name, final Duration maxDelay)
    {
        if (!"sleeping".equalsIgnoreCase(name))
        {
            return GatewayContext.newIdleStrategy(name);
        }
        final long park = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(5), maxDelay.toNanos() / 4));
        return new SleepingIdleStrategy(park);
    }
}
