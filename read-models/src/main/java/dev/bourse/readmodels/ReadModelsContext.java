package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.history.StoreSettings;
import dev.bourse.readmodels.http.HttpLimits;
import dev.bourse.readmodels.stream.StreamLimits;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Configuration of a {@link ReadModelsServer}; {@link #conclude()} fills defaults and checks values. */
public final class ReadModelsContext
{
    public static final int DEFAULT_PORT = 8080;

    private JournalSource journal;
    private CredentialStore credentials;
    private dev.bourse.protocol.auth.CredentialGuard credentialGuard;
    private RefusedLogonListener refusedLogons;
    private AdminBackend adminBackend;
    private String bindAddress = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private HttpLimits httpLimits = HttpLimits.DEFAULTS;
    // HTTPS and WSS (docs/TLS.md)
    private dev.bourse.protocol.tls.TlsSettings tls;
    private int tlsPort = 8443;
    private boolean plainEnabled = true;
    private boolean journalCatchingUp;
    private IdleStrategy idleStrategy;
    private int threadPriority = Thread.NORM_PRIORITY;
    private IdleStrategy sinkIdleStrategy;
    private java.util.concurrent.ThreadFactory sinkThreadFactory;
    private StoreSettings store;
    private java.time.ZoneId timeZone = java.time.ZoneOffset.UTC;
    private StreamLimits streamLimits = StreamLimits.DEFAULTS;
    private IdleStrategy streamIdleStrategy;
    private int sinkBatchEntries = 10_000;
    private long sinkMaxDelayMs = 20;
    private long sinkIdleClassMaxLag;
    private long sinkMaxTurnNanos;
    private Path checkpointDirectory;
    private long checkpointEveryEntries = 1_000_000;
    private long checkpointEveryMs = 300_000;
    private int batchLimit = 1_000;
    private int queryQueueCapacity = 1_024;
    private long maxWaitMs = 30_000;
    private long tokenTtlSeconds = 3_600;
    private MetricsSource metricsSource;
    private Consumer<String> log = System.err::println;

    public ReadModelsContext conclude()
    {
        if (journal == null)
        {
            throw new IllegalArgumentException("read models: no journal source");
        }
        if (credentials == null)
        {
            credentials = new CredentialStore();
        }
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("read models: port must be 0..65535, not " + port);
        }
        httpLimits.validate();
        if (threadPriority < Thread.MIN_PRIORITY || threadPriority > Thread.MAX_PRIORITY)
        {
            throw new IllegalArgumentException("read models: thread priority must be 1 to 10, not " + threadPriority);
        }
        if (timeZone == null)
        {
            throw new IllegalArgumentException("read models: no time zone");
        }
        if (batchLimit < 1 || queryQueueCapacity < 2 || checkpointEveryEntries < 1 || checkpointEveryMs < 1 || maxWaitMs < 0 ||
            tokenTtlSeconds < 1)
        {
            throw new IllegalArgumentException("read models: batch limit, queue capacity, checkpoint interval and token ttl must be positive");
        }
        if (idleStrategy == null)
        {
            idleStrategy = newIdleStrategy();
        }
        if (sinkIdleStrategy == null)
        {
            sinkIdleStrategy = newIdleStrategy();
        }
        if (streamIdleStrategy == null)
        {
            streamIdleStrategy = newIdleStrategy();
        }
        streamLimits.validate();
        if (store != null)
        {
            store.validate();
        }
        if (sinkMaxTurnNanos < 0)
        {
            throw new IllegalArgumentException("read models: the history sink's turn cannot be negative: " + sinkMaxTurnNanos + " ns");
        }
        if (sinkIdleClassMaxLag < 0)
        {
            throw new IllegalArgumentException("read models: the history sink's idle-class lag limit must not be negative");
        }
        if (sinkBatchEntries < 1 || sinkMaxDelayMs < 1)
        {
            throw new IllegalArgumentException("read models: sink batch size and delay must be positive");
        }
        return this;
    }

    /**
     * Park 1 ms when idle. These threads follow the journal a batch at a time, and what needs one at
     * once wakes it (a queued query the projection thread, new stream data the publisher). A
     * backoff from 1 us woke each of them about 9,000 times a second at the demo's 1,600 orders/s
     * and took a fifth of a core each from the order path.
     */
    private static IdleStrategy newIdleStrategy()
    {
        return new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
    }

    public StoreSettings store()
    {
        return store;
    }

    public java.time.ZoneId timeZone()
    {
        return timeZone;
    }

    /**
     * The exchange's time zone ({@code schedule.time-zone}; default UTC): the trading days (daily
     * statistics and candles, hot and stored) are named by their dates in it. See {@link TradingDay}.
     */
    public ReadModelsContext timeZone(final java.time.ZoneId value)
    {
        timeZone = value;
        return this;
    }

    /**
     * Where the history goes. Null (the default): the embedded store, in {@code history.db} in the
     * checkpoint directory, or in a temporary directory deleted on close when there is none.
     */
    public ReadModelsContext store(final StoreSettings value)
    {
        store = value;
        return this;
    }

    public StreamLimits streamLimits()
    {
        return streamLimits;
    }

    /** Sessions, subscriptions, per-client queue and ring size of the WebSocket streams. */
    public ReadModelsContext streamLimits(final StreamLimits value)
    {
        streamLimits = value;
        return this;
    }

    public IdleStrategy streamIdleStrategy()
    {
        return streamIdleStrategy;
    }

    /** The stream publisher thread's idle strategy (its own instance). */
    public ReadModelsContext streamIdleStrategy(final IdleStrategy value)
    {
        streamIdleStrategy = value;
        return this;
    }

    public int sinkBatchEntries()
    {
        return sinkBatchEntries;
    }

    /** Journal entries per history-store transaction at most (fewer when the sink has caught up). */
    public ReadModelsContext sinkBatchEntries(final int value)
    {
        sinkBatchEntries = value;
        return this;
    }

    public long sinkMaxDelayMs()
    {
        return sinkMaxDelayMs;
    }

    /** Longest time an entry waits in the sink's batch before it is written. */
    public ReadModelsContext sinkMaxDelayMs(final long value)
    {
        sinkMaxDelayMs = value;
        return this;
    }

    /**
     * The lag limit the exchange and the standalone query server run the sink with unless configured
     * otherwise ({@code query.sink.idle-class-max-lag}); this context's own default, for embedding, is 0.
     */
    public static final long SHIPPED_SINK_IDLE_CLASS_MAX_LAG = 1_000_000;

    public long sinkIdleClassMaxLag()
    {
        return sinkIdleClassMaxLag;
    }

    /**
     * While the history sink is at most this many journal entries behind, its thread is in Linux's
     * idle scheduling class (HistorySink, IdleSchedulingClass); 0, the default: never.
     */
    public ReadModelsContext sinkIdleClassMaxLag(final long value)
    {
        sinkIdleClassMaxLag = value;
        return this;
    }

    /**
     * The turn the exchange and the standalone query server give the sink unless configured otherwise
     * ({@code query.sink.max-turn}); this context's own default, for embedding, is 0.
     */
    public static final long SHIPPED_SINK_MAX_TURN_NANOS = 50_000; // 50 us

    public long sinkMaxTurnNanos()
    {
        return sinkMaxTurnNanos;
    }

    /**
     * While the history sink's thread is in the idle class it works in turns of at most this long with
     * a short sleep between them (HistorySink, ShortTurns); 0, the default: no turns.
     */
    public ReadModelsContext sinkMaxTurnNanos(final long value)
    {
        sinkMaxTurnNanos = value;
        return this;
    }

    /** Where the history sink's thread comes from (a pinned one, say); null: like the other query threads. */
    public java.util.concurrent.ThreadFactory sinkThreadFactory()
    {
        return sinkThreadFactory;
    }

    public ReadModelsContext sinkThreadFactory(final java.util.concurrent.ThreadFactory value)
    {
        sinkThreadFactory = value;
        return this;
    }

    public IdleStrategy sinkIdleStrategy()
    {
        return sinkIdleStrategy;
    }

    /** The history sink thread's idle strategy (its own instance: idle strategies keep state). */
    public ReadModelsContext sinkIdleStrategy(final IdleStrategy value)
    {
        sinkIdleStrategy = value;
        return this;
    }

    public JournalSource journal()
    {
        return journal;
    }

    public ReadModelsContext journal(final JournalSource value)
    {
        journal = value;
        return this;
    }

    public CredentialStore credentials()
    {
        return credentials;
    }

    public ReadModelsContext credentials(final CredentialStore value)
    {
        credentials = value;
        return this;
    }

    /** The process's credential check (lockout, throttle), shared with the FIX gateway; null: one of its own. */
    /** Told of each refused password check at the query side's doors; null (a process of its own): nobody. */
    public RefusedLogonListener refusedLogons()
    {
        return refusedLogons;
    }

    public ReadModelsContext refusedLogons(final RefusedLogonListener value)
    {
        refusedLogons = value;
        return this;
    }

    public dev.bourse.protocol.auth.CredentialGuard credentialGuard()
    {
        return credentialGuard;
    }

    public ReadModelsContext credentialGuard(final dev.bourse.protocol.auth.CredentialGuard value)
    {
        credentialGuard = value;
        return this;
    }

    /** The exchange's admin actions, when the query side runs in the exchange's process; null: no admin API. */
    public AdminBackend adminBackend()
    {
        return adminBackend;
    }

    public ReadModelsContext adminBackend(final AdminBackend value)
    {
        adminBackend = value;
        return this;
    }

    public String bindAddress()
    {
        return bindAddress;
    }

    public ReadModelsContext bindAddress(final String value)
    {
        bindAddress = value;
        return this;
    }

    public int port()
    {
        return port;
    }

    /** HTTP port; 0 picks a free one (see {@link ReadModelsServer#port()}). */
    public ReadModelsContext port(final int value)
    {
        port = value;
        return this;
    }

    public int httpThreads()
    {
        return httpLimits.threads();
    }

    /** HTTP request threads (a shorthand for {@link #httpLimits}' threads). */
    public ReadModelsContext httpThreads(final int value)
    {
        httpLimits = httpLimits.withThreads(value);
        return this;
    }

    public HttpLimits httpLimits()
    {
        return httpLimits;
    }

    /** Threads, connections, timeouts and sizes of the HTTP/WebSocket listener. */
    public ReadModelsContext httpLimits(final HttpLimits value)
    {
        httpLimits = value;
        return this;
    }

    /** The Java priority (1 to 10) of every thread the query side starts: projections, sink, streams, HTTP. */
    public int threadPriority()
    {
        return threadPriority;
    }

    /**
     * In the exchange's process the query side runs below the order path (ExchangeConfig's
     * threading.priority.background): on a machine with fewer cores than busy threads the scheduler
     * then lets its history sink wait rather than the order path.
     */
    public ReadModelsContext threadPriority(final int value)
    {
        threadPriority = value;
        return this;
    }

    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    public ReadModelsContext idleStrategy(final IdleStrategy value)
    {
        idleStrategy = value;
        return this;
    }

    public Path checkpointDirectory()
    {
        return checkpointDirectory;
    }

    /** Where checkpoints go; null (the default) keeps none and rebuilds from the start on every start. */
    public ReadModelsContext checkpointDirectory(final Path value)
    {
        checkpointDirectory = value;
        return this;
    }

    public long checkpointEveryEntries()
    {
        return checkpointEveryEntries;
    }

    public ReadModelsContext checkpointEveryEntries(final long value)
    {
        checkpointEveryEntries = value;
        return this;
    }

    /** A checkpoint at least this often while entries come in (default 5 minutes), besides every so many entries. */
    public long checkpointEveryMs()
    {
        return checkpointEveryMs;
    }

    public ReadModelsContext checkpointEveryMs(final long value)
    {
        checkpointEveryMs = value;
        return this;
    }

    public int batchLimit()
    {
        return batchLimit;
    }

    /** Entries applied per duty cycle before queued queries get their turn. */
    public ReadModelsContext batchLimit(final int value)
    {
        batchLimit = value;
        return this;
    }

    public int queryQueueCapacity()
    {
        return queryQueueCapacity;
    }

    public ReadModelsContext queryQueueCapacity(final int value)
    {
        queryQueueCapacity = value;
        return this;
    }

    public long maxWaitMs()
    {
        return maxWaitMs;
    }

    /** Upper bound of {@code timeoutMs} for read-your-writes waits. */
    public ReadModelsContext maxWaitMs(final long value)
    {
        maxWaitMs = value;
        return this;
    }

    public long tokenTtlSeconds()
    {
        return tokenTtlSeconds;
    }

    public ReadModelsContext tokenTtlSeconds(final long value)
    {
        tokenTtlSeconds = value;
        return this;
    }

    public MetricsSource metricsSource()
    {
        return metricsSource;
    }

    /** The exchange's counters for {@code /metrics} (the server plugs them in here); the query side's own follow them. */
    public ReadModelsContext metricsSource(final MetricsSource value)
    {
        metricsSource = value;
        return this;
    }

    public Consumer<String> log()
    {
        return log;
    }

    public ReadModelsContext log(final Consumer<String> value)
    {
        log = value;
        return this;
    }

    public dev.bourse.protocol.tls.TlsSettings tls()
    {
        return tls;
    }

    /** HTTPS and WSS on {@link #tlsPort} with these settings; null (the default): none. */
    public ReadModelsContext tls(final dev.bourse.protocol.tls.TlsSettings value)
    {
        tls = value;
        return this;
    }

    public int tlsPort()
    {
        return tlsPort;
    }

    /** The HTTPS port (default 8443; 0 picks a free one). */
    public ReadModelsContext tlsPort(final int value)
    {
        tlsPort = value;
        return this;
    }

    public boolean plainEnabled()
    {
        return plainEnabled;
    }

    /** Whether plain HTTP listens on {@link #port} (default true). */
    public ReadModelsContext plainEnabled(final boolean value)
    {
        plainEnabled = value;
        return this;
    }

    public boolean journalCatchingUp()
    {
        return journalCatchingUp;
    }

    /**
     * Whether the journal may still be short of what it will hold (a cluster node rebuilding its
     * journal from the cluster's log): the history store's checkpoint may then be ahead of it for a
     * while, and is not refused for that at start (default false: the journal is whole).
     */
    public ReadModelsContext journalCatchingUp(final boolean value)
    {
        journalCatchingUp = value;
        return this;
    }
}
