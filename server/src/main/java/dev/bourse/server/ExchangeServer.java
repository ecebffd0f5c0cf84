package dev.bourse.server;

import dev.bourse.engine.BufferStateIO;
import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.engine.sequencer.IdleStrategies;
import dev.bourse.protocol.CounterDescriptor;
import dev.bourse.server.threading.FatalErrors;
import dev.bourse.server.threading.OrderPathAgent;
import dev.bourse.server.threading.PinnedThreads;
import dev.bourse.server.threading.WakeAfterBatch;
import dev.bourse.server.threading.WakingPublisher;
import org.agrona.concurrent.Agent;
import dev.bourse.gateway.Gateway;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.DirectoryLocks;
import dev.bourse.journal.Durability;
import dev.bourse.journal.HeadTailer;
import dev.bourse.journal.IdleSchedulingClass;
import dev.bourse.journal.JournalTailer;
import dev.bourse.journal.Recovery;
import dev.bourse.journal.SnapshotStore;
import dev.bourse.journal.JournalException;
import dev.bourse.journal.Snapshotter;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.marketdata.StartingBooks;
import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.server.admin.AdminService;
import dev.bourse.server.cli.CountersFileName;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.metrics.CountersFile;
import dev.bourse.server.metrics.EngineCounters;
import dev.bourse.server.metrics.ServerGauges;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import dev.bourse.server.schedule.ExchangeSchedule;
import dev.bourse.server.schedule.Scheduler;
import dev.bourse.server.schedule.SchedulerAgent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The whole exchange in one process: recovery, then the engine behind its ring writing the
 * journal, the snapshotter, the FIX gateway, the market-data publisher and the read models with
 * the query API, every one of them reading the journal. Start with {@link #start}; {@link #close}
 * stops it in the order that loses nothing (intake first, then the engine drains, then the
 * readers catch up, a last snapshot, then files close).
 * <p>
 * Past 500 lines because it is the one place that wires the components in their start order (and
 * their closing order); nothing in it runs per message.
 */
public final class ExchangeServer implements AutoCloseable
{
    /** How long an admin action waits for its journal entry (or the gateway's answer) before a 504. */
    private static final long ADMIN_TIMEOUT_MS = 5_000;
    private final ExchangeConfig config;
    private final Consumer<String> log;
    /** An Error on the order path stops the process (FatalErrors says why). */
    private final FatalErrors fatal;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private CountersFile counters;
    private ChronicleJournal journal;
    private CommandSequencer sequencer;
    private MatchingEngine engine;
    private Snapshotter snapshotter;
    private AgentRunner housekeeping;
    private volatile Thread supportThread;
    private AgentRunner snapshotRunner;
    private AgentRunner orderPath;
    private boolean shared;
    private Gateway gateway;
    private MarketDataPublisher.Context marketDataContext;
    private MarketDataPublisher marketData;
    private AgentRunner marketDataRunner;
    private ReadModelsServer readModels;
    private dev.bourse.server.admin.AdminService admin;
    private CredentialGuard credentialGuard;
    private Recovery.Result recovered;
    private boolean closed;
    private boolean started; // a start that failed closes what it opened without saying "exchange stopped"

    private ExchangeServer(final ExchangeConfig config, final Consumer<String> log)
    {
        this.config = config;
        this.log = log;
        this.fatal = new FatalErrors(log, FatalErrors.HALT_PROCESS);
    }

    /**
     * Starts everything. Failures a user can fix (a directory that cannot be written, a port in
     * use, a journal that does not replay) are thrown with a one-line message, after whatever had
     * started is closed again.
     */
    public static ExchangeServer start(final ExchangeConfig config, final Consumer<String> log) throws IOException
    {
        final ExchangeServer server = new ExchangeServer(config, log);
        try
        {
            server.startAll();
            server.started = true;
            return server;
        }
        catch (final Throwable t)
        {
            server.close();
            throw t;
        }
    }

    /** One exchange per directory it writes, each locked itself; released last (the first resource). */
    private final DirectoryLocks locks = new DirectoryLocks("another exchange process");

    private void lockDirectory(final java.nio.file.Path dir, final String key) throws IOException
    {
        WritableDirectory.create(dir, key);
        locks.lock(dir, key);
    }

    private static final int MAX_COUNTERS = 2_048;
    /** A new FIX session's store: its first 1 MiB segment and its state page, and the gateway's own state page. */
    static final long SESSION_STORE_BYTES = (1 << 20) + 2 * 4096;

    /** What the directories that get memory-mapped files must have free at start (snapshots are written, not mapped). */
    static FreeSpaceAtStart freeSpaceNeeded(final ExchangeConfig config, final FreeSpaceAtStart needs)
    {
        needs
            .need("data.dir", config.dataDir(), CountersFile.length(MAX_COUNTERS), CountersFileName.NAME)
            .need("journal.dir", config.journal().dir(), config.journal().minFreeMb() << 20, "the reserve journal.min-free-mb");
        if (config.gateway().enabled())
        {
            needs.need("gateway.session-dir", config.gateway().sessionDir(), SESSION_STORE_BYTES, "a new FIX session's store");
        }
        return needs;
    }

    private void startAll() throws IOException
    {
        final long started = System.nanoTime();
        resources.add(locks);
        lockDirectory(config.dataDir(), "data.dir");
        lockDirectory(config.journal().dir(), "journal.dir");
        lockDirectory(config.snapshots().dir(), "snapshot.dir");
        if (config.query().enabled())
        {
            lockDirectory(config.query().checkpointDir(), "query.checkpoint-dir");
        }
        if (config.gateway().enabled())
        {
            lockDirectory(config.gateway().sessionDir(), "gateway.session-dir");
        }
        freeSpaceNeeded(config, new FreeSpaceAtStart()).check(); // before the first mapped file: a full disk is one line, not a SIGBUS
        final String fdWarning = FileDescriptorBudget.warning(config, FileDescriptorBudget.processLimit());
        if (fdWarning != null)
        {
            log.accept(fdWarning);
        }
        PortPreflight.check(config);
        QuerySide.checkStoreReachable(config); // as the ports: a refused start writes nothing first
        if (config.marketData().enabled() && config.marketData().embeddedDriver())
        {
            // as the ports: a start that will be refused for it writes nothing first
            final String aeronDir = config.marketData().aeronDir() != null
                ? config.marketData().aeronDir().toString() : io.aeron.CommonContext.getAeronDirectoryName();
            MarketDataPublisher.refuseAeronDirectoryInUse(aeronDir);
            // and one too small for the driver's files: found after recovery, it was a SIGBUS and a stack trace 25 s in
            MarketDataPublisher.refuseAeronDirectoryTooSmall(aeronDir, config.marketData().termLength(),
                config.marketData().channel(), config.marketData().snapshotChannel());
        }
        counters = CountersFile.createStarting(config.dataDir().resolve(CountersFileName.NAME), MAX_COUNTERS);
        resources.add(counters);
        final EngineCounters engineListener = new EngineCounters(counters.manager());
        final AtomicCounter appendFailures = CounterDescriptor.JOURNAL_APPEND_FAILURES.newCounter(counters.manager());

        final ExchangeConfig.Journal journalConfig = config.journal();
        WritableDirectory.create(journalConfig.dir(), "journal.dir");
        WritableDirectory.create(config.snapshots().dir(), "snapshot.dir");
        journal = ChronicleJournal.open(new ChronicleJournal.Context()
            .dir(journalConfig.dir())
            .durability(Durability.valueOf(journalConfig.durability().toUpperCase(Locale.ROOT)))
            .rollCycle(journalConfig.rollCycle())
            .minFreeBytes(journalConfig.minFreeMb() << 20)
            .pretouchBytes((long)journalConfig.pretouchMb() << 20)
            .appendFailures(appendFailures)
            .log(log));
        resources.add(journal);

        final EngineConfig engineConfig = config.engine().toEngineConfig();
        final SnapshotStore snapshots = new SnapshotStore(config.snapshots().dir(), config.snapshots().keep());
        recovered = Recovery.recover(journal, snapshots, engineConfig, log);
        final EngineState state = recovered.state();
        QuerySide.refuseIfAheadOfJournal(config, state.lastSequence(), journalConfig.dir());
        QuerySide.refuseIfJournalTrimmed(config, journalSource(journal));
        SessionStoreWitness.refuseIfAheadOfJournal(config, journal, state.lastSequence());
        log.accept(String.format("recovered sequence %d from %s (+%d entries replayed) in %d ms",
            state.lastSequence(), recovered.source(), recovered.entriesReplayed(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));

        // The snapshotter's shadow state starts as a copy of the recovered one; the engine owns the original.
        final byte[] copy = EngineSnapshot.toBytes(state);
        final EngineState shadow = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(copy), 0, copy.length), engineConfig);
        final List<String> notes = new ArrayList<>();
        final List<byte[]> bootstrap = Bootstrap.commands(config, state, ExchangeServer::epochNanos, notes);
        notes.forEach(log);

        final ExchangeConfig.Threading threading = config.threading();
        shared = threading.shared();
        engine = new MatchingEngine(state, journal, engineListener);
        final EngineCommandHandler engineHandler = new EngineCommandHandler(engine);
        sequencer = new CommandSequencer(config.engine().ringSize(), IdleStrategies.of(config.engine().idleStrategy()),
            shared ? engineHandler : new WakeAfterBatch(engineHandler, this::wakeGateway),
            PinnedThreads.factory("bourse-engine", threading.engineCpu(), threading.orderPathPriority(), threading.orderPathSliceNanos(),
                log));

        final JournalTailer snapshotTail = recovered.lastPosition() < 0
            ? journal.tailerFromStart() : journal.tailerAfter(recovered.lastPosition(), false);
        snapshotter = new Snapshotter(snapshotTail, shadow, snapshots, config.snapshots().everyEntries(),
            config.snapshots().everyInterval().toNanos(), new SystemEpochNanoClock(), log)
            .entriesSinceNewestSnapshot(recovered.entriesReplayed());
        if (config.snapshots().idleClassMaxLag() > 0)
        {
            snapshotter.scheduling(IdleSchedulingClass.INSTANCE, config.snapshots().idleClassMaxLag(), journal::lastSequence);
        }

        // A restart: the feed's books start from the recovered state, copied now (before the engine thread runs), and
        // the feed reads the journal after it. Reading it from the start republished the day, old trades as if new and
        // past books as current while the replay ran (a probe), and after retention those events are gone anyway.
        long mdStartsAfter = JournalTailer.START;
        StartingBooks mdStartingBooks = null;
        if (config.marketData().enabled() && journal.lastSequence() > 0)
        {
            mdStartsAfter = journal.lastPosition();
            mdStartingBooks = StartingBooks.copyOf(state, (int)Math.min(1 << 20, Math.max(65_536, state.liveOrders() * 2)));
            log.accept("market data: the feed starts from the recovered books at sequence " + state.lastSequence()
                + (journal.firstSequence() > 1 ? " (the journal starts at sequence " + journal.firstSequence() + ", retention)" : ""));
        }
        final CredentialStore credentials = config.credentials();
        if (config.gateway().enabled())
        {
            final ExchangeConfig.Gateway g = config.gateway();
            final GatewayContext ctx = GatewayWiring.context(config, credentials)
                .countersManager(counters.manager())
                .journalHead(journal::lastSequence)
                .recoveredState(state)
                .errorLog(log);
            // One credential check per process (lockout and throttle of failed logons): the query
            // side's logins, when they run in this process, are to take this same guard (SECURITY.md).
            credentialGuard = new CredentialGuard(credentials, ctx.credentialPolicy());
            ctx.credentialGuard(credentialGuard);
            // Execution reports are external effects: in sync mode they wait for the durable watermark.
            // it remembers the last 64k entries it read: a session's reports can be read again (a resetting Logon's, see Sessions)
            gateway = new Gateway(ctx, sequencer, journal.tailerAfter(JournalTailer.START, true).rememberForRewind(1 << 16),
                fatal.handler("gateway"));
            resources.add(gateway);
            engineListener.haltedRejects(gateway::offerHaltedReject, gateway::offerUnjournaled);
        }

        // The order path's threads, then the bootstrap through them, then clients.
        if (shared)
        {
            if (gateway != null)
            {
                gateway.startComposed();
            }
            orderPath = PinnedThreads.start("bourse-order-path", new OrderPathAgent(gateway == null ? null : gateway.agent(),
                sequencer.agent(), this::wakeSupport), gateway != null ? gateway.idleStrategy() : IdleStrategies.of(config.engine().idleStrategy()),
                threading.orderPathCpu(), threading.orderPathPriority(), threading.orderPathSliceNanos(), fatal.handler("bourse-order-path"),
                log);
        }
        else
        {
            sequencer.start(fatal.handler("engine"));
            if (gateway != null)
            {
                gateway.start(PinnedThreads.factory("bourse-gateway", threading.gatewayCpu(), threading.orderPathPriority(),
                    threading.orderPathSliceNanos(), log));
            }
        }
        final CommandPublisher operatorPublisher = new WakingPublisher(sequencer, this::wakeGateway);
        for (final byte[] command : bootstrap)
        {
            long claim;
            while ((claim = operatorPublisher.tryClaim()) == CommandPublisher.NO_CLAIM)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            operatorPublisher.buffer(claim).putBytes(0, command);
            operatorPublisher.commit(claim, command.length);
        }
        if (!bootstrap.isEmpty())
        {
            // An exchange whose journal refuses its first appends must not announce that it is ready.
            if (!awaitEngine(TimeUnit.SECONDS.toNanos(30)) || engine.isHalted())
            {
                throw new JournalException(engine.isHalted()
                    ? "the journal refused the configuration's bootstrap commands and the engine halted (the reason is logged above);"
                        + " the exchange does not start"
                    : "the engine did not take the configuration's bootstrap commands within 30 s; the exchange does not start");
            }
            final List<String> notApplied = Bootstrap.notApplied(config, state);
            if (!notApplied.isEmpty())
            {
                throw new IllegalStateException(Bootstrap.refusedMessage(notApplied, config.journal().dir()));
            }
            log.accept("bootstrap: " + bootstrap.size() + " commands from the configuration (instruments, accounts, deposits)");
        }
        // Read once the engine has taken the bootstrap (or before it took anything): what was recovered
        // and configured, including instruments and accounts added by operators since the first start.
        final int instrumentsAtStart = state.instrumentCount();
        final int accountsAtStart = state.accountCount();
        final List<Agent> support = new ArrayList<>();
        if (config.marketData().enabled())
        {
            final ExchangeConfig.MarketData m = config.marketData();
            marketDataContext = new MarketDataPublisher.Context()
                .log(line -> log.accept(line))
                .journalTailer(mdStartsAfter == JournalTailer.START ? journal.tailerAfter(JournalTailer.START, true)
                    : journal.tailerAfter(mdStartsAfter, true))
                .startingBooks(mdStartingBooks)
                .journalHead(journal::lastSequence)
                .embeddedDriver(m.embeddedDriver())
                .invoked(shared)
                .termLength(m.termLength())
                .incrementalChannel(m.channel())
                .incrementalStreamId(m.streamId())
                .snapshotChannel(m.snapshotChannel())
                .snapshotStreamId(m.snapshotStreamId())
                .snapshotIntervalNs(m.snapshotInterval().toNanos())
                .idleStrategy(GatewayContext.newIdleStrategy(m.idleStrategy()));
            // Aeron's standard directory unless configured: md-listen and other subscribers find it by default.
            marketDataContext.aeronDirectoryName(m.aeronDir() != null
                ? m.aeronDir().toString() : io.aeron.CommonContext.getAeronDirectoryName());
            marketDataContext.conclude();
            resources.add(marketDataContext);
            marketData = new MarketDataPublisher(marketDataContext);
            if (shared)
            {
                support.add(marketData);
            }
            else
            {
                marketDataRunner = PinnedThreads.start("md-publisher", marketData, marketDataContext.idleStrategy(), -1, log);
                resources.add(marketDataRunner);
            }
            log.accept("market data: " + m.channel() + " stream " + m.streamId() + ", snapshots " + m.snapshotChannel()
                + " stream " + m.snapshotStreamId() + ", aeron dir " + marketDataContext.aeronDirectoryName());
        }

        final ServerGauges gauges = new ServerGauges(counters.manager(), journal, sequencer, snapshotter, marketData);
        // always: besides the trading day and GTD expiry, it ends the volatility calls the engine starts whatever the
        // schedule (without it, with schedule.enabled = false and gtd-expiry-interval 0s, a call never ended: a probe)
        final ExchangeSchedule schedule = new ExchangeSchedule(config.schedule());
        final Scheduler scheduler = new Scheduler(
            new Scheduler.Context()
                .clock(new dev.bourse.protocol.EpochClock())
                .random(new java.util.SplittableRandom(new java.security.SecureRandom().nextLong()))
                .publisher(operatorPublisher)
                .zone(schedule.zone())
                .sources(schedule.sources())
                .log(log));
        // Volatility calls the engine started are found in the journal, from its start (they are short).
        support.add(new SchedulerAgent(scheduler, journal.tailerFromStart(), schedule.volatilityCallEnds(),
            schedule.gtdExpiryTimes()));
        log.accept("scheduler: " + schedule.describe());
        // The snapshotter replays every entry into its shadow state and writes it out: background
        // work, on a thread of its own below the order path (ARCHITECTURE.md, Thread priorities).
        // Nothing waits on it, so when caught up it sleeps 10 ms and then takes what came in one go.
        snapshotRunner = PinnedThreads.start("bourse-snapshotter", snapshotter, new SleepingMillisIdleStrategy(10), -1,
            threading.backgroundPriority(), log);
        // closed in this order: a last sample before market data lets go of Aeron
        support.add(0, gauges.agent(config.journal().retainCycles(), snapshots, log));
        // Shared threading: market data (with the media driver's and client's duty cycles) and
        // housekeeping share the second thread; dedicated: each has its own.
        housekeeping = PinnedThreads.start(shared ? "bourse-support" : "housekeeping", new CompositeAgent(support),
            shared && marketDataContext != null ? supportIdleStrategy(config.marketData().idleStrategy(), marketDataContext)
                : new SleepingMillisIdleStrategy(1), threading.supportCpu(), log);
        // The query side starts after the support thread: in shared threading that thread runs the
        // market-data Aeron client's conductor, and a client not serviced for Aeron's 10 s inter-service
        // timeout closes itself; starting Jetty and the history store took 9-10 s on a loaded host.
        if (config.query().enabled())
        {
            // Admin actions go through the operator publisher like the bootstrap's and the scheduler's;
            // their answers are read from the journal, after the durable watermark like every report.
            admin = new AdminService(operatorPublisher, new HeadTailer(journal::lastPosition, p -> journal.tailerAt(p, true)),
                gateway == null ? null : gateway.sessions().control().wakeUpWith(this::wakeGateway), ExchangeServer::epochNanos, ADMIN_TIMEOUT_MS, log).dayPhase(schedule::dayPhase);
            resources.add(admin);
            if (credentialGuard == null)
            {
                credentialGuard = new CredentialGuard(credentials, new GatewayContext().credentialPolicy());
            }
            // a refused login over HTTP or WebSocket is journaled as a refused FIX Logon is (SECURITY.md, Audits)
            readModels = QuerySide.start(config, credentials, credentialGuard, admin,
                new QueryLogonAudits(operatorPublisher, ExchangeServer::epochNanos), counters.reader(), journalSource(journal), log);
            resources.add(readModels);
            gauges.readModels(readModels.counters());
            final ReadModelsServer query = readModels;
            gauges.queryNeeds(query::neededJournalPosition);
        }
        promoteStartupState();
        if (gateway != null)
        {
            gateway.acceptConnections();
            final ExchangeConfig.Gateway g = config.gateway();
            log.accept("gateway: FIX 4.4 on " + TlsWiring.gatewayPorts(g.bind(), gateway) + " (" + (shared ? "shared" : "dedicated")
                + " threading, idle " + g.idleStrategy() + ")");
        }
        counters.publish(); // stat shows this run from here on; a refused start left the last run's
        log.accept(String.format("exchange started in %d ms: %d instruments, %d accounts, journal %s (%s)",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), instrumentsAtStart,
            accountsAtStart, journalConfig.dir(), journalConfig.durability()));
    }

    /**
     * One full collection before clients come in. Startup allocates what lives as long as the
     * process (the engine's and the snapshotter's order pools, the book's, the ring's slots, tens of
     * MB); left in the young generation, every young pause of the first minute copied them again,
     * up to 15 times, while orders were flowing. Collected now they are old from the start, for one
     * pause before anyone waits on it.
     */
    private void promoteStartupState()
    {
        final long started = System.nanoTime();
        System.gc();
        log.accept(String.format("startup state moved out of the young generation in %d ms (one full collection before clients)",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
    }

    /**
     * Shared threading's support thread: the order path wakes it after each cycle that journaled
     * something ({@link #wakeSupport}), so with {@code backoff} it spins briefly and then parks 1 ms
     * at a time (the media driver's own timers need no more) instead of backing off from 1 us, which
     * polled the journal about 9,000 times a second at 1,600 orders/s. It does not yield first: being
     * woken, it has no use for the yields, and each is a system call (about a microsecond on a VM)
     * that hands the core to whatever else is runnable, five per wake-up.
     */
    private static IdleStrategy supportIdleStrategy(final String name, final MarketDataPublisher.Context md)
    {
        return "backoff".equals(name)
            ? new BackoffIdleStrategy(10, 0, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1))
            : md.idleStrategy();
    }

    private void wakeSupport()
    {
        Thread t = supportThread;
        if (t == null && shared && housekeeping != null)
        {
            t = supportThread = housekeeping.thread(); // set once the thread runs
        }
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    private void wakeGateway()
    {
        final Gateway g = gateway;
        if (g != null)
        {
            g.wakeUp();
        }
    }

    /** Waits until the engine has processed everything published so far (bounded). */
    private boolean awaitEngine(final long timeoutNs)
    {
        final long target = sequencer.cursor();
        final long deadline = System.nanoTime() + timeoutNs;
        while (sequencer.processed() < target)
        {
            if (System.nanoTime() > deadline || engine.isHalted())
            {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /**
     * The read models' view of the journal: the Chronicle source's cheap head tracking, but tailers
     * that wait for the durable watermark in sync mode, since query answers are external effects too.
     */
    static JournalSource journalSource(final ChronicleJournal journal)
    {
        return JournalSource.of(journal, true);
    }

    static long epochNanos()
    {
        return org.agrona.concurrent.HighResolutionClock.epochNanos();
    }

    /** The process's credential check, lockout and throttle of failed logons (null when the gateway is off). */
    public CredentialGuard credentialGuard()
    {
        return credentialGuard;
    }

    public int gatewayPort()
    {
        return gateway == null ? -1 : gateway.port();
    }

    /** The gateway's TLS port; -1 without TLS. */
    public int gatewayTlsPort()
    {
        return gateway == null ? -1 : gateway.tlsPort();
    }

    public int queryPort()
    {
        return readModels == null ? -1 : readModels.port();
    }

    /** The query side's HTTPS port; -1 without TLS. */
    public int queryTlsPort()
    {
        return readModels == null ? -1 : readModels.tlsPort();
    }

    public ChronicleJournal journal()
    {
        return journal;
    }

    public CommandSequencer sequencer()
    {
        return sequencer;
    }

    public Recovery.Result recovered()
    {
        return recovered;
    }

    public MarketDataPublisher.Context marketDataContext()
    {
        return marketDataContext;
    }

    /** True if the engine stopped taking commands (a journal failure); the reason is in the log. */
    public boolean isHalted()
    {
        return engine != null && engine.isHalted();
    }

    /**
     * Stops in the order that loses nothing: the gateway logs sessions out and takes no more
     * orders; the ring drains into the engine and the journal; the readers (execution reports,
     * market data, read models, snapshotter) catch up with the journal; a last snapshot; then
     * everything closes.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (gateway != null && (orderPath != null || !shared))
        {
            gateway.stop("exchange shutting down", dev.bourse.gateway.Gateway.STOP_TIMEOUT_MS);
        }
        if (sequencer != null)
        {
            // Everything published is processed and journaled; the gateway reports it to its sessions
            // (or stores it for their resend) and learns it was received.
            if (awaitEngine(TimeUnit.SECONDS.toNanos(5)) && gateway != null)
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (gateway.reportedSequence() < journal.lastSequence() && System.nanoTime() < deadline)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            if (orderPath != null)
            {
                CloseHelper.quietClose(orderPath);
            }
            else
            {
                try
                {
                    sequencer.drainAndStop(5, TimeUnit.SECONDS);
                }
                catch (final RuntimeException e)
                {
                    log.accept("engine: " + e.getMessage());
                }
            }
        }
        if (gateway != null)
        {
            gateway.close();
        }
        if (journal != null && snapshotter != null)
        {
            final long target = journal.lastPosition();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (snapshotter.appliedPosition() < target && System.nanoTime() < deadline)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        CloseHelper.close(snapshotRunner);
        CloseHelper.close(housekeeping);
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            final AutoCloseable resource = resources.get(i);
            try
            {
                resource.close();
            }
            catch (final Exception e)
            {
                log.accept("closing " + resource.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (started)
        {
            log.accept("exchange stopped");
        }
    }
}
