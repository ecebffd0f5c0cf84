package dev.bourse.server;

import dev.bourse.engine.BufferStateIO;
import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.gateway.Gateway;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.Durability;
import dev.bourse.journal.JournalTailer;
import dev.bourse.journal.Recovery;
import dev.bourse.journal.SnapshotStore;
import dev.bourse.journal.Snapshotter;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.server.cli.CountersFileName;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.metrics.CountersFile;
import dev.bourse.server.metrics.EngineCounters;
import dev.bourse.server.metrics.ServerGauges;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole exchange in one process: recovery, then the engine behind its ring writing the
 * journal, the snapshotter, the FIX gateway, the market-data publisher and the read models with
 * the query API, every one of them reading the journal. Start with {@link #start}; {@link #close}
 * stops it in the order that loses nothing (intake first, then the engine drains, then the
 * readers catch up, a last snapshot, then files close).
 */
public final class ExchangeServer implements AutoCloseable
{
    private final ExchangeConfig config;
    private final Consumer<String> log;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private CountersFile counters;
    private ChronicleJournal journal;
    private CommandSequencer sequencer;
    private MatchingEngine engine;
    private Snapshotter snapshotter;
    private AgentRunner housekeeping;
    private Gateway gateway;
    private MarketDataPublisher.Context marketDataContext;
    private MarketDataPublisher marketData;
    private AgentRunner marketDataRunner;
    private ReadModelsServer readModels;
    private Recovery.Result recovered;
    private boolean closed;

    private ExchangeServer(final ExchangeConfig config, final Consumer<String> log)
    {
        this.config = config;
        this.log = log;
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
            return server;
        }
        catch (final Throwable t)
        {
            server.close();
            throw t;
        }
    }

    private void startAll() throws IOException
    {
        final long started = System.nanoTime();
        createDirectory(config.dataDir(), "data.dir");
        counters = CountersFile.create(config.dataDir().resolve(CountersFileName.NAME), 2_048);
        resources.add(counters);
        final EngineCounters engineCounters = new EngineCounters(counters.manager());
        final AtomicCounter appendFailures = counters.manager().newCounter("bourse_journal_append_failures_total",
            dev.bourse.server.metrics.MetricTypes.COUNTER);

        final ExchangeConfig.Journal journalConfig = config.journal();
        journal = ChronicleJournal.open(new ChronicleJournal.Context()
            .dir(journalConfig.dir())
            .durability(Durability.valueOf(journalConfig.durability().toUpperCase(Locale.ROOT)))
            .rollCycle(journalConfig.rollCycle())
            .appendFailures(appendFailures)
            .log(log));
        resources.add(journal);

        final EngineConfig engineConfig = config.engine().toEngineConfig();
        final SnapshotStore snapshots = new SnapshotStore(config.snapshots().dir(), config.snapshots().keep());
        recovered = Recovery.recover(journal, snapshots, engineConfig, log);
        final EngineState state = recovered.state();
        log.accept(String.format("recovered sequence %d from %s (+%d entries replayed) in %d ms",
            state.lastSequence(), recovered.source(), recovered.entriesReplayed(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));

        // The snapshotter's shadow state starts as a copy of the recovered one; the engine owns the original.
        final byte[] copy = EngineSnapshot.toBytes(state);
        final EngineState shadow = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(copy), 0, copy.length), engineConfig);
        final List<String> notes = new ArrayList<>();
        final List<byte[]> bootstrap = Bootstrap.commands(config, state, ExchangeServer::epochNanos, notes);
        notes.forEach(log);

        engine = new MatchingEngine(state, journal, engineCounters);
        sequencer = new CommandSequencer(config.engine().ringSize(), config.engine().waitStrategy(), new EngineCommandHandler(engine));
        sequencer.start();
        for (final byte[] command : bootstrap)
        {
            final long claim = sequencer.claim();
            sequencer.buffer(claim).putBytes(0, command);
            sequencer.commit(claim, command.length);
        }
        if (!bootstrap.isEmpty())
        {
            log.accept("bootstrap: " + bootstrap.size() + " commands from the configuration (instruments, accounts, deposits)");
        }

        final JournalTailer snapshotTail = recovered.lastIndex() < 0
            ? journal.tailerFromStart() : journal.tailerAfter(recovered.lastIndex(), false);
        snapshotter = new Snapshotter(snapshotTail, shadow, snapshots, config.snapshots().everyEntries(),
            config.snapshots().everyInterval().toNanos(), new SystemEpochNanoClock(), log);

        final CredentialStore credentials = credentials();
        JournalTailer gatewayTailer = null;
        if (config.gateway().enabled())
        {
            final ExchangeConfig.Gateway g = config.gateway();
            final GatewayContext ctx = new GatewayContext()
                .bindAddress(g.bind())
                .port(g.port())
                .compId(g.compId())
                .idleStrategy(g.idleStrategy())
                .maxSessions(g.maxSessions())
                .logonTimeoutMs(g.logonTimeout().toMillis())
                .maxMessageSize(g.maxMessageSize())
                .rateLimitPerSecond(g.rateLimitPerSecond())
                .rateLimitBurst(g.rateLimitBurst())
                .lockoutFailures(g.lockoutFailures())
                .lockoutDurationMs(g.lockoutDuration().toMillis())
                .outboundBufferLimit(g.outboundBufferLimit())
                .cancelOnDisconnect(g.cancelOnDisconnect())
                .sessionDir(g.sessionDir())
                .credentials(credentials);
            createDirectory(g.sessionDir(), "gateway.session-dir");
            // Execution reports are external effects: in sync mode they wait for the durable watermark.
            gatewayTailer = journal.tailerAfter(JournalTailer.START, true);
            gateway = new Gateway(ctx, sequencer, gatewayTailer,
                t -> log.accept("gateway: " + t));
            resources.add(gateway);
            gateway.start();
            log.accept("gateway: FIX 4.4 on " + g.bind() + ":" + gateway.port());
        }

        if (config.marketData().enabled())
        {
            final ExchangeConfig.MarketData m = config.marketData();
            marketDataContext = new MarketDataPublisher.Context()
                .journalTailer(journal.tailerAfter(JournalTailer.START, true))
                .journalHead(journal::lastSequence)
                .embeddedDriver(m.embeddedDriver())
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
            marketDataRunner = new AgentRunner(marketDataContext.idleStrategy(), t -> log.accept("market data: " + t), null, marketData);
            AgentRunner.startOnThread(marketDataRunner);
            resources.add(marketDataRunner);
            log.accept("market data: " + m.channel() + " stream " + m.streamId() + ", snapshots " + m.snapshotChannel()
                + " stream " + m.snapshotStreamId() + ", aeron dir " + marketDataContext.aeronDirectoryName());
        }

        final ServerGauges gauges = new ServerGauges(counters.manager(), journal, sequencer, snapshotter, gateway, gatewayTailer, marketData);
        if (config.query().enabled())
        {
            readModels = QuerySide.start(config, credentials, counters.reader(), journalSource(journal), log);
            resources.add(readModels);
            gauges.readModels(readModels.counters());
        }

        housekeeping = new AgentRunner(new SleepingMillisIdleStrategy(1), t -> log.accept("housekeeping: " + t), null,
            new CompositeAgent(gauges.agent(config.journal().retainCycles(), snapshots, log), snapshotter));
        AgentRunner.startOnThread(housekeeping);
        log.accept(String.format("exchange started in %d ms: %d instruments, %d accounts, journal %s (%s)",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), config.instruments().size(),
            config.accounts().size(), journalConfig.dir(), journalConfig.durability()));
    }

    private CredentialStore credentials()
    {
        final CredentialStore store = new CredentialStore();
        for (final ExchangeConfig.User user : config.users())
        {
            store.add(new Credential(user.username(), user.passwordHash(), user.accountId()));
        }
        return store;
    }

    /**
     * The read models' view of the journal: the Chronicle source's cheap head tracking, but tailers
     * that wait for the durable watermark in sync mode, since query answers are external effects too.
     */
    private static JournalSource journalSource(final ChronicleJournal journal)
    {
        final JournalSource chronicle = JournalSource.of(journal);
        return new JournalSource()
        {
            @Override
            public JournalTailer tailerAfter(final long position)
            {
                return journal.tailerAfter(position, true);
            }

            @Override
            public long headPosition()
            {
                return chronicle.headPosition();
            }

            @Override
            public long entriesBetween(final long position, final long head)
            {
                return chronicle.entriesBetween(position, head);
            }

            @Override
            public void close()
            {
                chronicle.close();
            }
        };
    }

    private static void createDirectory(final Path dir, final String key) throws IOException
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new IOException(key + ": cannot create directory " + dir + " (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir))
        {
            throw new IOException(key + ": directory " + dir + " is not writable");
        }
    }

    static long epochNanos()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public int gatewayPort()
    {
        return gateway == null ? -1 : gateway.port();
    }

    public int queryPort()
    {
        return readModels == null ? -1 : readModels.port();
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
        if (gateway != null)
        {
            gateway.stop("exchange shutting down", 2_000);
        }
        if (sequencer != null)
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
        if (journal != null && snapshotter != null)
        {
            final long target = journal.lastIndex();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (snapshotter.appliedIndex() < target && System.nanoTime() < deadline)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        CloseHelper.close(housekeeping); // its onClose writes a last snapshot
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
        if (sequencer != null)
        {
            CloseHelper.quietClose(sequencer);
        }
        log.accept("exchange stopped");
    }
}
