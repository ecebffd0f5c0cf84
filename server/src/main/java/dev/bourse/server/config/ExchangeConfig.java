package dev.bourse.server.config;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.sequencer.IdleStrategies;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.journal.SchedulerSlice;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.protocol.AccountIds;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.PasswordHash;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.readmodels.http.HttpLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the exchange is configured with, read from one {@code key = value} file. Every key,
 * its default and its meaning is listed in docs/CONFIGURATION.md; {@code config/exchange.properties}
 * is the example. Reading validates every value and fails with all problems at once. Long
 * because it holds every key's record, default and range (it grows with the keys, not with logic);
 * nothing here runs on the order path.
 */
public final class ExchangeConfig
{
    /** threading.slice.order-path's default: the kernel's shortest (docs/ARCHITECTURE.md, Thread priorities). */
    public static final long DEFAULT_ORDER_PATH_SLICE_NANOS = SchedulerSlice.MIN_NANOS;
    public static final String[] IDLE_STRATEGIES = {"backoff", "sleeping", "yielding", "busy-spin"};
    public static final String[] GATEWAY_IDLE_STRATEGIES = {"select", "backoff", "sleeping", "yielding", "busy-spin"};

    /**
     * How the exchange's work is laid on threads (like Aeron's ThreadingMode). {@code shared}: the
     * whole order path (sockets, FIX, ring, engine, journal, reports) on one thread, everything else
     * on a second. {@code dedicated}: a thread per agent. {@code auto}: shared on up to 4 cores.
     * The cpu fields pin a thread to a core with OpenHFT affinity (-1: not pinned).
     */
    public record Threading(String mode, int orderPathCpu, int engineCpu, int gatewayCpu, int supportCpu, int historySinkCpu,
        int orderPathPriority, int backgroundPriority, long orderPathSliceNanos)
    {
        /** The mode for this machine: {@code auto} resolved. */
        public boolean shared()
        {
            return "shared".equals(mode) || ("auto".equals(mode) && Runtime.getRuntime().availableProcessors() <= 4);
        }
    }

    /**
     * The engine's bounds are what keep its heap from running out (an engine out of heap halts):
     * bounds that could take more than three quarters of this process's heap, at the measured
     * sizes, are said at start. The server holds the engine's state twice, the engine's and the
     * snapshotter's copy, so both are counted. Not refused: an operator may knowingly size for a
     * book that will never be full (an outside probe started with a billion live orders on 512 MB
     * unwarned).
     */
    static void engineHeapWarning(final Engine engine, final long maxHeapBytes, final List<String> warnings)
    {
        final EngineConfig bounds = new EngineConfig().maxLiveOrders(engine.maxLiveOrders()).maxClOrdIdsPerDay(engine.maxClOrdIdsPerDay());
        final long clOrdIds = bounds.clOrdIdIndexHeapBytesAtMost();
        final long bytes = 2 * bounds.heapBytesAtMost();
        if (maxHeapBytes != Long.MAX_VALUE && bytes > maxHeapBytes / 4 * 3)
        {
            // the two parts in MB, as computed: the index's grows in steps (its table doubles), so no one figure per id adds up to
            // it; the total is made of the rounded parts, so that what is printed adds up (an outside tester's 1,490 of 2 x (209 + 535))
            final long liveMb = (bytes / 2 - clOrdIds + (1 << 20) - 1) >> 20;
            final long indexMb = (clOrdIds + (1 << 20) - 1) >> 20;
            warnings.add(String.format(java.util.Locale.ROOT, "engine.max-live-orders (%,d) and engine.max-clordids-per-day (%,d) "
                + "may take up to %,d MB of heap (live orders %,d MB at about %d bytes each, the ClOrdID index %,d MB; each twice: "
                + "the engine's state and the snapshotter's copy), more than three quarters of this process's %,d MB (BOURSE_HEAP): "
                + "an engine out of heap halts; lower them or raise the heap (CONFIGURATION.md)",
                engine.maxLiveOrders(), engine.maxClOrdIdsPerDay(), 2 * (liveMb + indexMb), liveMb,
                EngineConfig.HEAP_BYTES_PER_LIVE_ORDER, indexMb, maxHeapBytes >> 20));
        }
    }

    public record Engine(int ringSize, String idleStrategy, int maxInstruments, long maxLiveOrders, int preallocatedOrders,
        int maxClOrdIdsPerDay)
    {
        public EngineConfig toEngineConfig()
        {
            return new EngineConfig()
                .maxInstruments(maxInstruments)
                .maxLiveOrders(maxLiveOrders)
                .preallocatedOrders(preallocatedOrders)
                .maxClOrdIdsPerDay(maxClOrdIdsPerDay)
                .conclude();
        }
    }

    public record Journal(Path dir, String durability, String rollCycle, int retainCycles, long minFreeMb, int pretouchMb)
    {
    }

    /** {@code idleClassMaxLag}: entries behind the journal up to which the snapshotter's thread is in the idle class; 0 never. */
    public record Snapshots(Path dir, long everyEntries, Duration everyInterval, int keep, long idleClassMaxLag)
    {
    }

    public record Gateway(
        boolean enabled,
        String bind,
        int port,
        String compId,
        String idleStrategy,
        int maxSessions,
        Duration logonTimeout,
        int maxMessageSize,
        int rateLimitPerSecond,
        int rateLimitBurst,
        int lockoutFailures,
        Duration lockoutDuration,
        int outboundBufferLimit,
        boolean cancelOnDisconnect,
        Path sessionDir,
        int messagesPerTurn,
        Admission admission)
    {
    }

    /**
     * The gateway's defences against hostile clients (docs/SECURITY.md): the budget of connections
     * not logged on and its cap per address, the pre-logon deadline, the password-check queue, the
     * lockout's escalation and the throttle per username, the rate limit per user, and how often a
     * refusal reason is logged.
     */
    public record Admission(
        int maxUnauthenticated,
        int maxUnauthenticatedPerAddress,
        Duration firstBytesTimeout,
        int acceptBacklog,
        int logonCheckThreads,
        int logonCheckCpuPercent,
        int logonChecksPerAddress,
        Duration lockoutMaxDuration,
        int userThrottleFailures,
        Duration userThrottleMaxDelay,
        int userRateLimitPerSecond,
        int userRateLimitBurst,
        Duration abuseLogInterval,
        int cancelOnDisconnectSlice,
        GatewayContext.OverLimit rateLimitOverLimit,
        Duration refusedHold,
        int refusedHoldMax,
        Duration refusedLogonHold)
    {
    }

    public record MarketData(
        boolean enabled,
        String channel,
        int streamId,
        String snapshotChannel,
        int snapshotStreamId,
        Path aeronDir,
        boolean embeddedDriver,
        int termLength,
        Duration snapshotInterval,
        String idleStrategy)
    {
    }

    /**
     * The query side: hot projections, history store and sink, HTTP API, WebSocket streams,
     * dashboard. {@code store} is {@code embedded} (SQLite in {@code historyFile}) or
     * {@code postgresql} (at {@code jdbcUrl}).
     */
    public record Query(
        boolean enabled,
        String bind,
        int port,
        int threads,
        Path checkpointDir,
        String idleStrategy,
        String store,
        Path historyFile,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        int poolSize,
        int sinkBatchEntries,
        Duration sinkMaxDelay,
        long sinkIdleClassMaxLag,
        Duration sinkMaxTurn,
        int maxConnections,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        int maxHeaderBytes,
        int maxBodyBytes,
        int wsMaxSessions,
        int wsMaxSubscriptions,
        int wsQueueLimit,
        int maxConnectionsPerAddress,
        Duration writeTimeout,
        int wsMaxRequestsPerSecond,
        int maxThreadsPerAddress,
        int budgetPerAddress,
        int budgetBurst,
        Duration tokenLifetime)
    {
        public static final String[] STORES = {"embedded", "postgresql"};

        @Override
        public String toString()
        {
            // Never the database password.
            return "Query[enabled=" + enabled + ", " + bind + ":" + port + ", store=" + store +
                ("postgresql".equals(store) ? " " + jdbcUrl : " " + historyFile) + "]";
        }
    }

    public record Instrument(
        int id,
        String symbol,
        long tickSize,
        long lotSize,
        long minQuantity,
        long maxQuantity,
        long maxNotional,
        long referencePrice,
        int priceBandBps,
        TradingStatus status)
    {
    }

    /**
     * The trading calendar the scheduler turns into commands (docs/CONFIGURATION.md, "Schedule").
     * Times are local times of day in {@code zone}; a null time leaves that step out.
     */
    public record Schedule(
        boolean enabled,
        java.time.ZoneId zone,
        java.util.Set<java.time.DayOfWeek> tradingDays,
        java.util.Set<java.time.LocalDate> holidays,
        java.time.LocalTime endOfDay,
        Duration gtdExpiryInterval,
        List<Segment> segments)
    {
    }

    /**
     * One market segment's day: which instruments (with {@code everyOtherInstrument}, the {@code *}
     * segment, also every instrument added later that no segment lists), and when their calls and
     * auctions are.
     */
    public record Segment(
        String name,
        List<Integer> instrumentIds,
        java.time.LocalTime openingCall,
        java.time.LocalTime open,
        Duration openRandom,
        java.time.LocalTime closingCall,
        java.time.LocalTime close,
        Duration closeRandom,
        int dynamicBandBps,
        int staticBandBps,
        Duration volatilityCall,
        Duration volatilityRandom,
        boolean everyOtherInstrument)
    {
    }

    public record Account(long id, StpMode stpMode, long cash, Map<Integer, Long> positions)
    {
    }

    /** A user: its role, and for a trader its account (0 for the other roles). */
    public record User(String username, long accountId, String passwordHash, dev.bourse.protocol.auth.Role role)
    {
        public User(final String username, final long accountId, final String passwordHash)
        {
            this(username, accountId, passwordHash, dev.bourse.protocol.auth.Role.TRADER);
        }

        /** The credential the gateway and the query side check. */
        public dev.bourse.protocol.auth.Credential credential()
        {
            return new dev.bourse.protocol.auth.Credential(username, passwordHash, accountId, role);
        }

        @Override
        public String toString()
        {
            return "User[" + username + ", " + role.configName() + (accountId > 0 ? ", account " + accountId : "") + "]";
        }
    }

    private final Path dataDir;
    private final Threading threading;
    private final Engine engine;
    private final Journal journal;
    private final Snapshots snapshots;
    private final Gateway gateway;
    private final MarketData marketData;
    private final Query query;
    private final ClusterConfig cluster;
    private final List<Instrument> instruments;
    private final List<Account> accounts;
    private final List<User> users;
    private final Schedule schedule;
    private final List<String> warnings;

    /** The TLS keys (docs/TLS.md), read in a block of their own; set once, by {@link #read}. */
    private TlsConfig tls;

    private ExchangeConfig(
        final Path dataDir,
        final Threading threading,
        final Engine engine,
        final Journal journal,
        final Snapshots snapshots,
        final Gateway gateway,
        final MarketData marketData,
        final Query query,
        final ClusterConfig cluster,
        final List<Instrument> instruments,
        final List<Account> accounts,
        final List<User> users,
        final Schedule schedule,
        final List<String> warnings)
    {
        this.dataDir = dataDir;
        this.threading = threading;
        this.engine = engine;
        this.journal = journal;
        this.snapshots = snapshots;
        this.gateway = gateway;
        this.marketData = marketData;
        this.query = query;
        this.cluster = cluster;
        this.instruments = List.copyOf(instruments);
        this.accounts = List.copyOf(accounts);
        this.users = List.copyOf(users);
        this.schedule = schedule;
        this.warnings = List.copyOf(warnings);
    }

    /** A credential store of the configured users, for every door that checks logins (FIX, the query side, the admin API). */
    public dev.bourse.protocol.auth.CredentialStore credentials()
    {
        final dev.bourse.protocol.auth.CredentialStore store = new dev.bourse.protocol.auth.CredentialStore();
        for (final User user : users)
        {
            store.add(user.credential());
        }
        return store;
    }

    public static ExchangeConfig load(final Path file) throws ConfigException
    {
        return read(Settings.load(file));
    }

    /** The file, with {@code overrides} (key=value, from the command line) taking precedence. */
    public static ExchangeConfig load(final Path file, final Map<String, String> overrides) throws ConfigException
    {
        final Settings settings = Settings.load(file);
        overrides.forEach(settings::override);
        return read(settings);
    }

    public static ExchangeConfig read(final Settings s) throws ConfigException
    {
        final List<String> warnings = new ArrayList<>();
        final Path dataDir = s.path("data.dir", Path.of("data"));
        final ClusterConfig cluster = ClusterConfig.read(s, dataDir);
        final ClusterConfig.Role role = cluster.role();

        final Engine engine = new Engine(
            s.powerOfTwo("engine.ring-size", 65_536, 64, dev.bourse.engine.sequencer.CommandSequencer.MAX_RING_SIZE),
            s.choice("engine.idle-strategy", "backoff", IdleStrategies.NAMES.split(",\\s*")),
            s.intValue("engine.max-instruments", 16_384, 2, 1 << 20),
            s.longValue("engine.max-live-orders", EngineConfig.DEFAULT_MAX_LIVE_ORDERS, 1, 1L << 31),
            s.intValue("engine.preallocated-orders", 65_536, 16, 1 << 26),
            s.intValue("engine.max-clordids-per-day", EngineConfig.DEFAULT_MAX_CLORDIDS_PER_DAY, 1, 1 << 28));
        if (role != ClusterConfig.Role.GATEWAY)
        {
            // a cluster's gateway holds no engine state: the warning invited heap tuning it does not need (an outside tester)
            engineHeapWarning(engine, Runtime.getRuntime().maxMemory(), warnings);
        }

        final Threading threading = new Threading(
            s.choice("threading.mode", "auto", "auto", "shared", "dedicated"),
            s.intValue("threading.cpu.order-path", -1, -1, 4095),
            s.intValue("threading.cpu.engine", -1, -1, 4095),
            s.intValue("threading.cpu.gateway", -1, -1, 4095),
            s.intValue("threading.cpu.support", -1, -1, 4095),
            s.intValue("threading.cpu.history-sink", -1, -1, 4095),
            s.intValue("threading.priority.order-path", Thread.MAX_PRIORITY, Thread.MIN_PRIORITY, Thread.MAX_PRIORITY),
            s.intValue("threading.priority.background", Thread.MIN_PRIORITY, Thread.MIN_PRIORITY, Thread.MAX_PRIORITY),
            orderPathSlice(s));
        CpuPinning.check(s, threading, CpuPinning.allowedCpus(), warnings);

        final Journal journal = new Journal(
            s.path("journal.dir", dataDir.resolve("journal")),
            s.choice("journal.durability", "mapped", "mapped", "sync"),
            s.choice("journal.roll-cycle", "daily", "minutely", "hourly", "daily"),
            s.intValue("journal.retain-cycles", 0, 0, 1_000_000),
            s.longValue("journal.min-free-mb", 64, 4, 1L << 30),
            s.intValue("journal.pretouch-mb", 8, 0, 1_024));

        final Snapshots snapshots = new Snapshots(
            s.path("snapshot.dir", dataDir.resolve("snapshots")),
            s.longValue("snapshot.every-entries", 1_000_000, 1, Long.MAX_VALUE),
            s.duration("snapshot.every", Duration.ofMinutes(5), Duration.ofSeconds(1)),
            s.intValue("snapshot.keep", 3, 1, 1_000),
            s.longValue("snapshot.idle-class-max-lag", 1_000_000, 0, Long.MAX_VALUE));

        // A cluster node runs no gateway (gateways are processes of their own, cluster clients);
        // a gateway on a cluster has no journal, so no market data and no read models.
        final Gateway gateway = new Gateway(
            s.bool("gateway.enabled", role != ClusterConfig.Role.NODE),
            s.bindAddress("gateway.bind", GatewayContext.DEFAULT_BIND_ADDRESS),
            s.port("gateway.port", GatewayContext.DEFAULT_PORT),
            s.string("gateway.comp-id", GatewayContext.DEFAULT_COMP_ID),
            s.choice("gateway.idle-strategy", role == ClusterConfig.Role.GATEWAY ? "backoff" : GatewayContext.DEFAULT_IDLE_STRATEGY,
                GATEWAY_IDLE_STRATEGIES),
            s.intValue("gateway.max-sessions", GatewayContext.DEFAULT_MAX_SESSIONS, 1, 65_536),
            s.duration("gateway.logon-timeout", Duration.ofMillis(GatewayContext.DEFAULT_LOGON_TIMEOUT_MS), Duration.ofMillis(100)),
            s.intValue("gateway.max-message-size", GatewayContext.DEFAULT_MAX_MESSAGE_SIZE, 256, 1 << 20),
            s.intValue("gateway.rate-limit.messages-per-second", GatewayContext.DEFAULT_RATE_LIMIT_PER_SECOND, 1, 10_000_000),
            s.intValue("gateway.rate-limit.burst", GatewayContext.DEFAULT_RATE_LIMIT_BURST, 1, 10_000_000),
            s.intValue("gateway.lockout.failures", GatewayContext.DEFAULT_LOCKOUT_FAILURES, 1, 1_000),
            s.duration("gateway.lockout.duration", Duration.ofMillis(GatewayContext.DEFAULT_LOCKOUT_DURATION_MS), Duration.ofSeconds(1)),
            s.intValue("gateway.outbound-buffer-limit", GatewayContext.DEFAULT_OUTBOUND_BUFFER_LIMIT, 64 << 10, 1 << 30),
            s.bool("gateway.cancel-on-disconnect", GatewayContext.DEFAULT_CANCEL_ON_DISCONNECT),
            s.path("gateway.session-dir", dataDir.resolve("sessions")),
            s.intValue("gateway.messages-per-turn", GatewayContext.DEFAULT_MESSAGES_PER_TURN, 1, 1_000_000),
            new Admission(
                s.intValue("gateway.admission.max-unauthenticated", 128, 1, 65_536),
                s.intValue("gateway.admission.max-unauthenticated-per-address", 8, 1, 65_536),
                s.duration("gateway.admission.first-bytes-timeout", Duration.ofSeconds(5), Duration.ofMillis(10)),
                s.intValue("gateway.admission.accept-backlog", 1_024, 1, 65_535),
                s.intValue("gateway.logon.check-threads", 1, 1, 64),
                s.intValue("gateway.logon.check-cpu-percent", 50, 1, 100),
                s.intValue("gateway.logon.checks-per-address", 0, 0, 65_536),
                s.duration("gateway.lockout.max-duration", Duration.ofHours(1), Duration.ofSeconds(1)),
                s.intValue("gateway.lockout.user-failures", 20, 1, 1_000_000),
                s.duration("gateway.lockout.user-max-delay", Duration.ofMinutes(1), Duration.ofMillis(1)),
                s.intValue("gateway.rate-limit.user-messages-per-second", 0, 0, 20_000_000),
                s.intValue("gateway.rate-limit.user-burst", 0, 0, 20_000_000),
                s.duration("gateway.abuse-log-interval", Duration.ofSeconds(10), Duration.ZERO),
                s.intValue("gateway.cancel-on-disconnect.slice", GatewayContext.DEFAULT_CANCEL_ON_DISCONNECT_SLICE, 1, 1_000_000),
                GatewayContext.OverLimit.valueOf(s.choice("gateway.rate-limit.over-limit", "queue", "queue", "reject")
                    .toUpperCase(java.util.Locale.ROOT)),
                s.duration("gateway.admission.refused-hold", Duration.ofSeconds(1), Duration.ZERO),
                s.intValue("gateway.admission.refused-hold-max", 4_096, 0, 65_536),
                s.duration("gateway.admission.refused-logon-hold", Duration.ofSeconds(1), Duration.ZERO)));
        if (gateway.admission().maxUnauthenticatedPerAddress() > gateway.admission().maxUnauthenticated())
        {
            s.error("gateway.admission.max-unauthenticated-per-address", "must not exceed gateway.admission.max-unauthenticated (" +
                gateway.admission().maxUnauthenticated() + ")");
        }
        if (gateway.admission().lockoutMaxDuration().compareTo(gateway.lockoutDuration()) < 0)
        {
            s.error("gateway.lockout.max-duration", "must not be shorter than gateway.lockout.duration (" + gateway.lockoutDuration() + ")");
        }

        final MarketData marketData = new MarketData(
            s.bool("md.enabled", role != ClusterConfig.Role.GATEWAY),
            s.aeronChannel("md.channel", MarketDataPublisher.Context.DEFAULT_CHANNEL),
            s.intValue("md.stream-id", MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID, 1, Integer.MAX_VALUE),
            s.aeronChannel("md.snapshot-channel", MarketDataPublisher.Context.DEFAULT_CHANNEL),
            s.intValue("md.snapshot-stream-id", MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID, 1, Integer.MAX_VALUE),
            s.path("md.aeron-dir", null),
            s.bool("md.embedded-driver", true),
            s.powerOfTwo("md.term-length", MarketDataPublisher.Context.DEFAULT_TERM_LENGTH, 64 << 10, 1 << 30),
            s.duration("md.snapshot-interval", Duration.ofSeconds(1), Duration.ofMillis(10)),
            s.choice("md.idle-strategy", "backoff", IDLE_STRATEGIES));
        // one medium whatever the channels' other parameters (aeron:ipc?alias=snap is aeron:ipc): as md-listen checks it
        if (marketData.streamId() == marketData.snapshotStreamId()
            && dev.bourse.marketdata.FeedChannels.sameMedium(marketData.channel(), marketData.snapshotChannel()))
        {
            s.error("md.snapshot-stream-id", "must differ from md.stream-id on the same channel");
        }

        final Query query = readQuery(s, dataDir, role);
        if (gateway.enabled() && query.enabled() && gateway.port() != 0 && gateway.port() == query.port())
        {
            s.error("query.port", "is the same as gateway.port (" + gateway.port() + ")");
        }

        checkClusterRole(s, cluster, gateway, marketData, query, journal, warnings);

        final List<Instrument> instruments = readInstruments(s, engine);
        final Map<String, Integer> idsBySymbol = new HashMap<>();
        for (final Instrument instrument : instruments)
        {
            idsBySymbol.put(instrument.symbol(), instrument.id());
        }
        final List<Account> accounts = readAccounts(s, idsBySymbol);
        final List<User> users = readUsers(s, accounts, warnings);
        final Schedule schedule = readSchedule(s, idsBySymbol);
        if (gateway.enabled() && users.isEmpty())
        {
            // an empty or wrong file starts a working exchange nobody can use (an outside probe): say so at once
            warnings.add("no users configured (`users = ...`, docs/CONFIGURATION.md): nobody can log on over FIX, the query API"
                + " or the admin API" + (instruments.isEmpty() ? ", and no instruments either: is this the right configuration file?" : ""));
        }

        // TLS (docs/TLS.md): its own block of keys
        final TlsConfig tls = TlsConfig.read(s, gateway.enabled(), gateway.port(), query.enabled(), query.port(), warnings);

        s.finish();
        return new ExchangeConfig(dataDir, threading, engine, journal, snapshots, gateway, marketData, query, cluster, instruments, accounts,
            users, schedule, warnings).withTls(tls);
    }

    /** threading.slice.order-path: 0 (the kernel's default slice) or within what the kernel takes. */
    private static long orderPathSlice(final Settings s)
    {
        final String key = "threading.slice.order-path";
        final long nanos = s.duration(key, Duration.ofNanos(DEFAULT_ORDER_PATH_SLICE_NANOS), Duration.ZERO).toNanos();
        if (nanos != 0 && (nanos < SchedulerSlice.MIN_NANOS || nanos > SchedulerSlice.MAX_NANOS))
        {
            s.error(key, "must be 0 (the kernel's default) or from 100us to 100ms");
            return DEFAULT_ORDER_PATH_SLICE_NANOS;
        }
        return nanos;
    }

    /** query.sink.max-turn: 0 (no turns) or up to a second. */
    private static Duration sinkMaxTurn(final Settings s)
    {
        final String key = "query.sink.max-turn";
        final Duration shipped = Duration.ofNanos(dev.bourse.readmodels.ReadModelsContext.SHIPPED_SINK_MAX_TURN_NANOS);
        final Duration turn = s.duration(key, shipped, Duration.ZERO);
        if (turn.compareTo(Duration.ofSeconds(1)) > 0)
        {
            s.error(key, "must be at most 1s (0: no turns)");
            return shipped;
        }
        return turn;
    }

    private static Query readQuery(final Settings s, final Path dataDir, final ClusterConfig.Role role)
    {
        final Path checkpointDir = s.path("query.checkpoint-dir", dataDir.resolve("read-models"));
        final String store = s.choice("query.store", "embedded", Query.STORES);
        final String jdbcUrl = s.string("query.jdbc-url", null);
        // a process without the query side needs no database: a gateway on the nodes' shared file was refused (an outside tester)
        if ("postgresql".equals(store) && jdbcUrl == null && s.bool("query.enabled", role != ClusterConfig.Role.GATEWAY))
        {
            s.error("query.jdbc-url", "is required when query.store = postgresql (jdbc:postgresql://host:port/database)");
        }
        else if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:"))
        {
            s.error("query.jdbc-url", "'" + jdbcUrl + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        else if (jdbcUrl != null && !"postgresql".equals(store))
        {
            s.error("query.jdbc-url", "is set but query.store is " + store + " (set query.store = postgresql to use it)");
        }
        final int maxConnections = s.intValue("query.http.max-connections", 1_024, 1, 1_000_000);
        final int threads = s.intValue("query.threads", 4, 1, 256);
        final Query query = new Query(
            s.bool("query.enabled", role != ClusterConfig.Role.GATEWAY),
            s.bindAddress("query.bind", "0.0.0.0"),
            s.port("query.port", 8080),
            threads,
            checkpointDir,
            s.choice("query.idle-strategy", "sleeping", IDLE_STRATEGIES),
            store,
            s.path("query.history-file", checkpointDir.resolve("history.db")),
            jdbcUrl,
            s.string("query.jdbc-user", null),
            s.string("query.jdbc-password", null),
            s.intValue("query.pool-size", 4, 1, 1_000),
            s.intValue("query.sink.batch-entries", 10_000, 1, 10_000_000),
            s.duration("query.sink.max-delay", Duration.ofMillis(20), Duration.ofMillis(1)),
            s.longValue("query.sink.idle-class-max-lag", dev.bourse.readmodels.ReadModelsContext.SHIPPED_SINK_IDLE_CLASS_MAX_LAG, 0,
                Long.MAX_VALUE),
            sinkMaxTurn(s),
            maxConnections,
            s.duration("query.http.idle-timeout", Duration.ofSeconds(30), Duration.ofMillis(100)),
            s.duration("query.http.header-timeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
            s.duration("query.http.body-timeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
            s.intValue("query.http.max-header-bytes", 8 * 1024, 1_024, 1 << 20),
            s.intValue("query.http.max-body-bytes", 64 * 1024, 0, 1 << 30),
            s.intValue("query.ws.max-sessions", 256, 1, 100_000),
            s.intValue("query.ws.max-subscriptions", 64, 1, 10_000),
            s.intValue("query.ws.queue-limit", 1_024, 16, dev.bourse.readmodels.stream.StreamLimits.MAX_QUEUE_LIMIT),
            s.intValue("query.http.max-connections-per-address", Math.min(64, maxConnections), 1, 1_000_000),
            s.duration("query.http.write-timeout", Duration.ofSeconds(30), Duration.ofMillis(100)),
            s.intValue("query.ws.max-requests-per-second", 50, 1, 1_000_000),
            s.intValue("query.http.max-threads-per-address", HttpLimits.defaultThreadsPerAddress(threads), 1, 256),
            s.intValue("query.http.budget-per-address", HttpLimits.DEFAULT_BUDGET_PER_ADDRESS, 0, 1_000_000_000),
            s.intValue("query.http.budget-burst", HttpLimits.DEFAULT_BUDGET_BURST, 1, 1_000_000),
            s.duration("query.token-lifetime", Duration.ofHours(1), Duration.ofSeconds(1)));
        if (query.wsMaxSessions() > query.maxConnections())
        {
            s.error("query.ws.max-sessions", query.wsMaxSessions() + " is more than query.http.max-connections (" +
                query.maxConnections() + "): every WebSocket session is a connection");
        }
        if (query.maxThreadsPerAddress() > query.threads())
        {
            s.error("query.http.max-threads-per-address", query.maxThreadsPerAddress() + " is more than query.threads (" +
                query.threads() + ")");
        }
        if (query.maxConnectionsPerAddress() > query.maxConnections())
        {
            s.error("query.http.max-connections-per-address", query.maxConnectionsPerAddress() + " is more than " +
                "query.http.max-connections (" + query.maxConnections() + ")");
        }
        return query;
    }

    /** What a cluster node and a gateway on a cluster cannot run, said with the key that asks for it. */
    private static void checkClusterRole(final Settings s, final ClusterConfig cluster, final Gateway gateway, final MarketData marketData,
        final Query query, final Journal journal, final List<String> warnings)
    {
        if (cluster.role() == ClusterConfig.Role.NODE)
        {
            if (gateway.enabled())
            {
                s.error("gateway.enabled", "a cluster node runs no FIX gateway: run the gateway as its own process "
                    + "(cluster.members and cluster.gateway-id, no cluster.node-id)");
            }
            if (journal.retainCycles() > 0)
            {
                s.error("journal.retain-cycles", "is not applied on a cluster node (its journal is rebuilt from the cluster log; "
                    + "retention there is left for later)");
            }
            if (marketData.enabled() && (marketData.channel().startsWith("aeron:ipc") || marketData.snapshotChannel().startsWith("aeron:ipc")))
            {
                warnings.add("md.channel: aeron:ipc on a cluster node reaches only subscribers on this node's media driver, "
                    + "and only the leader publishes: use a UDP channel (aeron:udp?endpoint=subscriber:port, or multicast) "
                    + "so subscribers follow the leader");
            }
        }
        else if (cluster.role() == ClusterConfig.Role.GATEWAY)
        {
            if (!gateway.enabled())
            {
                s.error("gateway.enabled", "is false, but without cluster.node-id this process is a gateway on the cluster: "
                    + "set cluster.node-id to run a node");
            }
            if ("select".equals(gateway.idleStrategy()))
            {
                s.error("gateway.idle-strategy", "'select' blocks in the socket selector, and the cluster's answers do not wake it: "
                    + "use backoff (the default on a cluster gateway), sleeping, yielding or busy-spin");
            }
            if (marketData.enabled())
            {
                s.error("md.enabled", "a gateway on a cluster has no journal: market data is published by the cluster's leader");
            }
            if (query.enabled())
            {
                s.error("query.enabled", "a gateway on a cluster has no journal: run the read models on a node");
            }
        }
    }

    private static List<Instrument> readInstruments(final Settings s, final Engine engine)
    {
        final List<Instrument> instruments = new ArrayList<>();
        final Set<Integer> ids = new HashSet<>();
        final Set<String> symbols = new HashSet<>();
        s.family("instrument.", "instruments");
        final List<String> listed = s.list("instruments");
        final int listedCount = listed.size();
        boolean tooManyReported = false;
        for (int i = 0; i < listed.size(); i++)
        {
            final String symbol = listed.get(i);
            final String p = "instrument." + symbol + ".";
            // the query and admin APIs name an instrument by id or symbol: "2" would be instrument 2's
            final String symbolProblem = dev.bourse.readmodels.InstrumentSymbols.problem(symbol);
            if (symbolProblem != null)
            {
                s.error("instruments", "'" + symbol + "' is not a symbol: a symbol " + symbolProblem);
                continue;
            }
            if (!symbols.add(symbol))
            {
                s.error("instruments", "'" + symbol + "' is listed twice");
                continue;
            }
            final int id = s.intValue(p + "id", i + 1, 1, engine.maxInstruments() - 1);
            if (!s.has(p + "id") && id >= engine.maxInstruments() && !tooManyReported)
            {
                // a default id (the position in the list) past the engine's room: the engine refused it at start, after
                // the instruments before it were journaled
                tooManyReported = true;
                s.error("engine.max-instruments", engine.maxInstruments() + " leaves no instrument id for '" + symbol + "' (number "
                    + id + " in instruments): set it above the highest instrument id, at least " + (listedCount + 1));
            }
            if (!ids.add(id))
            {
                s.error(p + "id", id + " is used by another instrument");
            }
            final long tick = s.price(p + "tick", Prices.SCALE / 100, 1);
            final long lot = s.longValue(p + "lot", 1, 1, Long.MAX_VALUE);
            final long minQty = s.longValue(p + "min-qty", lot, 1, Long.MAX_VALUE);
            final long maxQty = s.longValue(p + "max-qty", 1_000_000, 1, Long.MAX_VALUE);
            final long maxNotional = s.price(p + "max-notional", 100_000_000 * Prices.SCALE, 1);
            final long reference = s.price(p + "reference-price", 0, 1);
            if (!s.has(p + "reference-price"))
            {
                s.error(p + "reference-price", "is required");
            }
            final int bandBps = s.intValue(p + "band-bps", 1_000, 1, 100_000);
            if (reference > 0 && Prices.multiplyOrOverflow(reference, bandBps) < 0)
            {
                s.error(p + "band-bps", "the band around reference-price " + Prices.toString(reference) + " does not fit a price");
            }
            final String status = s.choice(p + "status", "open", "open", "halted", "closed");
            if (minQty > maxQty)
            {
                s.error(p + "min-qty", minQty + " is above max-qty " + maxQty);
            }
            if (minQty >= lot && minQty % lot != 0)
            {
                s.error(p + "min-qty", minQty + " is not a whole number of lots (" + lot + "): no order could be that small");
            }
            if (minQty < lot)
            {
                s.error(p + "min-qty", minQty + " is below the lot " + lot + ": no order could be that small");
            }
            if (reference > 0 && tick > 0 && reference % tick != 0)
            {
                s.error(p + "reference-price", Prices.toString(reference) + " is not a multiple of the tick " + Prices.toString(tick));
            }
            instruments.add(new Instrument(id, symbol, tick, lot, minQty, maxQty, maxNotional, reference, bandBps,
                TradingStatus.valueOf(status.toUpperCase(Locale.ROOT))));
        }
        return instruments;
    }

    private static List<Account> readAccounts(final Settings s, final Map<String, Integer> idsBySymbol)
    {
        final List<Account> accounts = new ArrayList<>();
        final Set<Long> seen = new HashSet<>();
        final AccountTotals totals = new AccountTotals();
        s.family("account.", "accounts");
        for (final String listed : s.list("accounts"))
        {
            final long id;
            try
            {
                id = Long.parseLong(listed);
            }
            catch (final NumberFormatException e)
            {
                s.error("accounts", "'" + listed + "' is not an account number");
                continue;
            }
            if (!AccountIds.isValid(id) || !seen.add(id))
            {
                s.error("accounts", id <= 0 ? "account numbers are positive: " + id
                    : id > AccountIds.MAX ? "account numbers are at most 2^56 - 1 (" + AccountIds.MAX
                    + "): " + id : id + " is listed twice");
                continue;
            }
            final String p = "account." + id + ".";
            final String stp = s.choice(p + "stp", "none", "none", "cancel-resting", "cancel-aggressor", "cancel-both");
            final long cash = s.price(p + "cash", 0, 0);
            if (cash > dev.bourse.engine.MatchingEngine.MAX_BALANCE)
            {
                s.error(p + "cash", "is at most " + Prices.toString(dev.bourse.engine.MatchingEngine.MAX_BALANCE));
            }
            totals.add("", p + "cash", cash);
            final Map<Integer, Long> positions = new LinkedHashMap<>();
            for (final Map.Entry<String, Integer> instrument : idsBySymbol.entrySet())
            {
                final String key = p + "position." + instrument.getKey();
                if (s.has(key))
                {
                    final long quantity = s.longValue(key, 0, 0, Long.MAX_VALUE / 4);
                    positions.put(instrument.getValue(), quantity);
                    totals.add(instrument.getKey(), key, quantity);
                }
            }
            accounts.add(new Account(id, StpMode.valueOf(stp.toUpperCase(Locale.ROOT).replace('-', '_')), cash, positions));
        }
        totals.check(s);
        return accounts;
    }

    private static List<User> readUsers(final Settings s, final List<Account> accounts, final List<String> warnings)
    {
        final Set<Long> accountIds = new HashSet<>();
        for (final Account account : accounts)
        {
            accountIds.add(account.id());
        }
        final List<User> users = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        s.family("user.", "users");
        for (final String username : s.list("users"))
        {
            final String p = "user." + username + ".";
            if (username.length() > 24 || !username.chars().allMatch(c -> c > ' ' && c <= '~' && c != '.'))
            {
                s.error("users", "'" + username + "' is not a username (1-24 printable ASCII characters, no '.')");
                continue;
            }
            if (!names.add(username))
            {
                s.error("users", "'" + username + "' is listed twice");
                continue;
            }
            final String roleName = s.string(p + "role", "trader");
            dev.bourse.protocol.auth.Role role = dev.bourse.protocol.auth.Role.fromConfigName(roleName);
            if (role == null)
            {
                s.error(p + "role", "'" + roleName + "' is not a role (trader, operations, market-data, compliance)");
                role = dev.bourse.protocol.auth.Role.TRADER;
            }
            final long account = s.longValue(p + "account", 0, 1, AccountIds.MAX);
            if (!role.needsAccount())
            {
                if (s.has(p + "account"))
                {
                    s.error(p + "account", (role.configName().matches("[aeiou].*") ? "an " : "a ") + role.configName() + " user has no account: only traders do");
                }
            }
            else if (!s.has(p + "account"))
            {
                s.error(p + "account", "is required");
            }
            else if (account > 0 && !accountIds.contains(account))
            {
                s.error(p + "account", account + " is not in 'accounts'");
            }
            String hash = s.string(p + "password-hash", null);
            final String plain = s.string(p + "password", null);
            if (hash != null && plain != null)
            {
                s.error(p + "password", "give either password or password-hash, not both");
            }
            else if (hash != null && !PasswordHash.isWellFormed(hash))
            {
                s.error(p + "password-hash", "is not a " + PasswordHash.PREFIX + " hash (make one with: ./exchange hash-password)");
            }
            else if (hash == null && plain == null)
            {
                s.error(p + "password-hash", "is required (or " + p + "password, in plain text, for a demo)");
            }
            else if (hash == null && PasswordHash.holdsNul(plain.toCharArray()))
            {
                s.error(p + "password", "holds a NUL character, which no password may");
            }
            else if (hash == null)
            {
                warnings.add(p + "password is in plain text: fine for a demo, use password-hash in production");
                hash = PasswordHash.hash(plain.toCharArray(), 10_000);
            }
            users.add(new User(username, role.needsAccount() ? account : 0, hash, role));
        }
        final java.util.TreeSet<Integer> costs = new java.util.TreeSet<>();
        for (final User user : users)
        {
            costs.add(dev.bourse.protocol.auth.PasswordHash.iterations(user.passwordHash()));
        }
        costs.remove(-1);
        if (costs.size() > 1)
        {
            // an unknown username is checked at the highest cost: the time a wrong password takes tells the others apart
            warnings.add("users' password hashes have different costs (" + costs.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) + " iterations): how long a wrong password takes tells a "
                + "username of a lower cost from one that does not exist; give every user the same (./exchange hash-password, "
                + "plain-text passwords are hashed at 10000)");
        }
        return users;
    }

    // ------------------------------------------------------------------ schedule

    private static Schedule readSchedule(final Settings s, final Map<String, Integer> idsBySymbol)
    {
        final boolean enabled = s.bool("schedule.enabled", false);
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        final String zoneText = s.string("schedule.time-zone", null);
        if (zoneText != null)
        {
            try
            {
                zone = java.time.ZoneId.of(zoneText);
            }
            catch (final java.time.DateTimeException e)
            {
                s.error("schedule.time-zone", "'" + zoneText + "' is not a time zone (examples: UTC, Europe/Paris)");
            }
        }
        final java.util.Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        final List<String> dayNames = s.has("schedule.trading-days") ? s.list("schedule.trading-days") :
            List.of("mon", "tue", "wed", "thu", "fri");
        for (final String name : dayNames)
        {
            final java.time.DayOfWeek day = dayOfWeek(name);
            if (day == null)
            {
                s.error("schedule.trading-days", "'" + name + "' is not a day (mon, tue, wed, thu, fri, sat, sun)");
            }
            else
            {
                days.add(day);
            }
        }
        final java.util.Set<java.time.LocalDate> holidays = new java.util.TreeSet<>();
        for (final String date : s.list("schedule.holidays"))
        {
            try
            {
                holidays.add(java.time.LocalDate.parse(date));
            }
            catch (final java.time.format.DateTimeParseException e)
            {
                s.error("schedule.holidays", "'" + date + "' is not a date (yyyy-mm-dd)");
            }
        }
        final java.time.LocalTime endOfDay = timeOfDay(s, "schedule.end-of-day");
        final Duration gtdInterval = s.duration("schedule.gtd-expiry-interval", Duration.ofMinutes(1), Duration.ZERO);

        final List<Segment> segments = new ArrayList<>();
        final Map<Integer, String> segmentOf = new HashMap<>();
        s.family("schedule.segment.", "schedule.segments");
        final List<String> names = s.list("schedule.segments");
        String everythingElse = null;
        for (final String name : names)
        {
            final String p = "schedule.segment." + name + ".";
            final List<Integer> ids = new ArrayList<>();
            for (final String symbol : s.list(p + "instruments"))
            {
                if (symbol.equals("*"))
                {
                    if (everythingElse != null)
                    {
                        s.error(p + "instruments", "'*' is already used by segment " + everythingElse);
                    }
                    everythingElse = name;
                    continue;
                }
                final Integer id = idsBySymbol.get(symbol);
                if (id == null)
                {
                    s.error(p + "instruments", "'" + symbol + "' is not in 'instruments'");
                }
                else if (segmentOf.putIfAbsent(id, name) != null)
                {
                    s.error(p + "instruments", "'" + symbol + "' is already in segment " + segmentOf.get(id));
                }
                else
                {
                    ids.add(id);
                }
            }
            if (!s.has(p + "instruments"))
            {
                s.error(p + "instruments", "is required (symbols, or * for every instrument in no other segment)");
            }
            final java.time.LocalTime openingCall = timeOfDay(s, p + "opening-call");
            final java.time.LocalTime open = timeOfDay(s, p + "open");
            final Duration openRandom = s.duration(p + "open-random", Duration.ZERO, Duration.ZERO);
            final java.time.LocalTime closingCall = timeOfDay(s, p + "closing-call");
            final java.time.LocalTime close = timeOfDay(s, p + "close");
            final Duration closeRandom = s.duration(p + "close-random", Duration.ZERO, Duration.ZERO);
            final int dynamicBps = s.intValue(p + "dynamic-band-bps", 0, 0, 100_000);
            final int staticBps = s.intValue(p + "static-band-bps", 0, 0, 100_000);
            final Duration volatilityCall = s.duration(p + "volatility-call", Duration.ofMinutes(2), Duration.ZERO);
            final Duration volatilityRandom = s.duration(p + "volatility-random", Duration.ZERO, Duration.ZERO);
            if (openingCall != null && open == null)
            {
                s.error(p + "open", "is required when there is an opening call");
            }
            if (closingCall != null && close == null)
            {
                s.error(p + "close", "is required when there is a closing call");
            }
            checkOrder(s, p, "opening-call", openingCall, null, "open", open);
            checkOrder(s, p, "open", open, openRandom, closingCall != null ? "closing-call" : "close", closingCall != null ? closingCall : close);
            checkOrder(s, p, "closing-call", closingCall, null, "close", close);
            if (endOfDay != null)
            {
                checkOrder(s, p, "close", close, closeRandom, "schedule.end-of-day", endOfDay);
            }
            segments.add(new Segment(name, ids, openingCall, open, openRandom, closingCall, close, closeRandom, dynamicBps, staticBps,
                volatilityCall, volatilityRandom, false));
        }
        if (everythingElse != null)
        {
            final String name = everythingElse;
            final List<Integer> rest = new ArrayList<>();
            for (final Integer id : new java.util.TreeSet<>(idsBySymbol.values()))
            {
                if (!segmentOf.containsKey(id))
                {
                    rest.add(id);
                }
            }
            for (int i = 0; i < segments.size(); i++)
            {
                final Segment g = segments.get(i);
                if (g.name().equals(name))
                {
                    final List<Integer> ids = new ArrayList<>(g.instrumentIds());
                    ids.addAll(rest);
                    segments.set(i, new Segment(g.name(), ids, g.openingCall(), g.open(), g.openRandom(), g.closingCall(), g.close(),
                        g.closeRandom(), g.dynamicBandBps(), g.staticBandBps(), g.volatilityCall(), g.volatilityRandom(), true));
                }
            }
        }
        if (enabled && segments.isEmpty() && endOfDay == null && gtdInterval.isZero())
        {
            s.error("schedule.enabled", "the schedule has nothing to do: no segments, no end-of-day, no GTD expiry");
        }
        return new Schedule(enabled, zone, java.util.Collections.unmodifiableSet(days), java.util.Collections.unmodifiableSet(holidays),
            endOfDay, gtdInterval, segments);
    }

    private static java.time.DayOfWeek dayOfWeek(final String name)
    {
        for (final java.time.DayOfWeek day : java.time.DayOfWeek.values())
        {
            if (day.name().substring(0, 3).equalsIgnoreCase(name) || day.name().equalsIgnoreCase(name))
            {
                return day;
            }
        }
        return null;
    }

    /** A time of day such as {@code 09:00} or {@code 17:35:30}; null if absent. */
    private static java.time.LocalTime timeOfDay(final Settings s, final String key)
    {
        final String text = s.string(key, null);
        if (text == null)
        {
            return null;
        }
        try
        {
            return java.time.LocalTime.parse(text);
        }
        catch (final java.time.format.DateTimeParseException e)
        {
            s.error(key, "'" + text + "' is not a time of day (examples: 09:00, 17:35:30)");
            return null;
        }
    }

    /** {@code first} (plus its random window) must come before {@code then}, both on the same day. */
    private static void checkOrder(
        final Settings s, final String prefix, final String firstName, final java.time.LocalTime first, final Duration window,
        final String thenName, final java.time.LocalTime then)
    {
        if (first == null || then == null)
        {
            return;
        }
        final long firstNanos = first.toNanoOfDay() + (window == null ? 0 : window.toNanos());
        if (firstNanos >= then.toNanoOfDay())
        {
            s.error(prefix + firstName, first + (window == null || window.isZero() ? "" : " + " + window) + " is not before " +
                (thenName.startsWith("schedule.") ? thenName : prefix + thenName) + " " + then);
        }
    }

    /** The trading calendar for the scheduler. */
    public Schedule schedule()
    {
        return schedule;
    }

    /** Where the counters file lives, and the default parent of every other directory. */
    public Path dataDir()
    {
        return dataDir;
    }

    public Engine engine()
    {
        return engine;
    }

    public Threading threading()
    {
        return threading;
    }

    public Journal journal()
    {
        return journal;
    }

    public Snapshots snapshots()
    {
        return snapshots;
    }

    public Gateway gateway()
    {
        return gateway;
    }

    /** TLS for the gateway and the query side, and whether their plain ports listen (docs/TLS.md). */
    public TlsConfig tls()
    {
        return tls;
    }

    private ExchangeConfig withTls(final TlsConfig value)
    {
        tls = value;
        return this;
    }

    public MarketData marketData()
    {
        return marketData;
    }

    public Query query()
    {
        return query;
    }

    /** The cluster keys; {@code cluster().role()} says whether this process is a single node, a cluster node or a gateway. */
    public ClusterConfig cluster()
    {
        return cluster;
    }

    public List<Instrument> instruments()
    {
        return instruments;
    }

    public List<Account> accounts()
    {
        return accounts;
    }

    public List<User> users()
    {
        return users;
    }

    /** Things that work but deserve a line in the log (plain-text demo passwords). */
    public List<String> warnings()
    {
        return warnings;
    }
}
