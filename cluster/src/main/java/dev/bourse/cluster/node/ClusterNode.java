package dev.bourse.cluster.node;

import dev.bourse.cluster.service.ExchangeClusteredService;
import dev.bourse.engine.EngineConfig;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.Durability;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusterCounters;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.AeronCounters;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One member of a bourse cluster in one process: an embedded media driver, archive and consensus
 * module plus the {@link ExchangeClusteredService} in its container, and the node's own journal.
 * <p>
 * Directories under {@code cluster.dir}: {@code archive/} (the recorded Raft log and snapshots),
 * {@code cluster/} (recording log, node state, mark files), {@code journal/} (this node's Chronicle
 * journal, unless set elsewhere) and {@code node.properties} (what {@link dev.bourse.cluster.ops.ClusterStatus}
 * reads to find the node's counters).
 * <p>
 * Threads: the archive (which also runs the media driver's duty cycle when there is no fsync; with
 * fsync the driver has its own), the consensus module and the service, each with the configured idle
 * strategy (backoff by default: three nodes on two cores must not spin).
 * <p>
 * Past 500 lines because of its Context: every setting with its default, its check and why. The
 * rest is the node's life: start, the node.properties it leaves for status, its once-a-second timer
 * (the {@link ElectionWatch}, snapshots) and how it stops (Aeron's errors, {@link JoinRace}).
 */
public final class ClusterNode implements AutoCloseable
{
    /** How much the archive and consensus module fsync. */
    public enum FileSync
    {
        /** No fsync: a committed entry is in the page cache of a majority of nodes (Aeron's default). */
        NONE(0),
        /** fsync the recorded log (and snapshots) before the node reports the position appended. */
        DATA(1),
        /** DATA plus file metadata. */
        ALL(2);

        final int level;

        FileSync(final int level)
        {
            this.level = level;
        }

        public static FileSync named(final String name)
        {
            try
            {
                return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("cluster.fsync '" + name + "': none, data or all");
            }
        }
    }

    /** Node configuration; defaults are the exchange's choices (docs/CLUSTER.md says why). */
    public static final class Context
    {
        /** Sessions the leader takes at once (Aeron's default is 10): about a hundred gateways beside the nodes' own clients. */
        public static final int DEFAULT_MAX_SESSIONS = 128;
        private int nodeId = -1;
        private String members;
        private Path dir;
        private Path journalDir;
        private String aeronDir;
        private Durability journalDurability = Durability.MAPPED;
        private EngineConfig engineConfig = new EngineConfig();
        private long leaderHeartbeatTimeoutNs = TimeUnit.MILLISECONDS.toNanos(300);
        private long leaderHeartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(30);
        private long electionTimeoutNs = TimeUnit.MILLISECONDS.toNanos(150);
        private long electionStatusIntervalNs = TimeUnit.MILLISECONDS.toNanos(20);
        private long sessionTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        private long startupCanvassTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private long resultsHeartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(250);
        private long snapshotIntervalNs;
        private FileSync fileSync = FileSync.NONE;
        private int logTermLength = 4 * 1024 * 1024;
        private String idleStrategy = "backoff";
        private int maxClients = 10_000;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private Consumer<String> log = System.out::println;
        private Consumer<MediaDriver.Context> driverCustomizer = driver -> { };
        private dev.bourse.engine.EngineListener engineListener = dev.bourse.engine.EngineListener.NO_OP;
        private ClusterMembers parsedMembers;

        public Context nodeId(final int nodeId)
        {
            this.nodeId = nodeId;
            return this;
        }

        public int nodeId()
        {
            return nodeId;
        }

        /** {@code id=host:port,...}, see {@link ClusterMembers}. */
        public Context members(final String members)
        {
            this.members = members;
            return this;
        }

        public String members()
        {
            return members;
        }

        public ClusterMembers clusterMembers()
        {
            return parsedMembers;
        }

        /** The node's own directory (archive, cluster state, journal). */
        public Context dir(final Path dir)
        {
            this.dir = dir;
            return this;
        }

        public Path dir()
        {
            return dir;
        }

        /** The node's journal; default {@code dir/journal}. */
        public Context journalDir(final Path journalDir)
        {
            this.journalDir = journalDir;
            return this;
        }

        public Path journalDir()
        {
            return journalDir;
        }

        /** The media driver's directory; default under /dev/shm, unique per node directory. */
        public Context aeronDir(final String aeronDir)
        {
            this.aeronDir = aeronDir;
            return this;
        }

        public String aeronDir()
        {
            return aeronDir;
        }

        public Context journalDurability(final Durability durability)
        {
            this.journalDurability = durability;
            return this;
        }

        public Context engineConfig(final EngineConfig engineConfig)
        {
            this.engineConfig = engineConfig;
            return this;
        }

        public EngineConfig engineConfig()
        {
            return engineConfig;
        }

        /** Followers start an election when the leader has been silent this long (Aeron's default: 10 s). */
        public Context leaderHeartbeatTimeoutNs(final long ns)
        {
            this.leaderHeartbeatTimeoutNs = ns;
            return this;
        }

        public long leaderHeartbeatTimeoutNs()
        {
            return leaderHeartbeatTimeoutNs;
        }

        public Context leaderHeartbeatIntervalNs(final long ns)
        {
            this.leaderHeartbeatIntervalNs = ns;
            return this;
        }

        public long leaderHeartbeatIntervalNs()
        {
            return leaderHeartbeatIntervalNs;
        }

        public Context electionTimeoutNs(final long ns)
        {
            this.electionTimeoutNs = ns;
            return this;
        }

        public long electionTimeoutNs()
        {
            return electionTimeoutNs;
        }

        public Context electionStatusIntervalNs(final long ns)
        {
            this.electionStatusIntervalNs = ns;
            return this;
        }

        /** A client session with no message (its keep-alives included) for this long is closed. */
        public Context sessionTimeoutNs(final long ns)
        {
            this.sessionTimeoutNs = ns;
            return this;
        }

        public long sessionTimeoutNs()
        {
            return sessionTimeoutNs;
        }

        /** At a cold start, how long to wait for every member before electing with a majority. */
        public Context startupCanvassTimeoutNs(final long ns)
        {
            this.startupCanvassTimeoutNs = ns;
            return this;
        }

        public Context resultsHeartbeatIntervalNs(final long ns)
        {
            this.resultsHeartbeatIntervalNs = ns;
            return this;
        }

        /** The leader takes a cluster snapshot this often; 0: only on request. */
        public Context snapshotIntervalNs(final long ns)
        {
            this.snapshotIntervalNs = ns;
            return this;
        }

        public Context fileSync(final FileSync fileSync)
        {
            this.fileSync = fileSync;
            return this;
        }

        public FileSync fileSync()
        {
            return fileSync;
        }

        /** Term length of the replicated log (power of two, 64 KiB to 1 GiB); a node maps 3 terms per log. */
        public Context logTermLength(final int logTermLength)
        {
            this.logTermLength = logTermLength;
            return this;
        }

        public int logTermLength()
        {
            return logTermLength;
        }

        /** See {@link IdleStrategies}. */
        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        public String idleStrategy()
        {
            return idleStrategy;
        }

        public Context maxClients(final int maxClients)
        {
            this.maxClients = maxClients;
            return this;
        }

        /**
         * Cluster sessions the leader accepts at once: each gateway, each node's admin client, the
         * leader's scheduler and bootstrap clients, and for a session timeout those of clients gone.
         */
        public Context maxSessions(final int maxSessions)
        {
            this.maxSessions = maxSessions;
            return this;
        }

        public Context log(final Consumer<String> log)
        {
            this.log = log;
            return this;
        }

        public Consumer<String> log()
        {
            return log;
        }

        /** The engine's metrics listener (the server's counters), called on the service thread. */
        public Context engineListener(final dev.bourse.engine.EngineListener engineListener)
        {
            this.engineListener = engineListener;
            return this;
        }

        /** Last word on the media driver's settings (e.g. socket buffers, or loss generators in tests). */
        public Context driverCustomizer(final Consumer<MediaDriver.Context> driverCustomizer)
        {
            this.driverCustomizer = driverCustomizer;
            return this;
        }

        /** Checks everything, fills in defaults; throws IllegalArgumentException with one clear message. */
        public Context conclude()
        {
            parsedMembers = ClusterMembers.parse(members);
            if (nodeId < 0)
            {
                throw new IllegalArgumentException("cluster.node-id is not set");
            }
            parsedMembers.member(nodeId);
            if (dir == null)
            {
                throw new IllegalArgumentException("cluster.dir is not set");
            }
            dir = dir.toAbsolutePath().normalize();
            if (journalDir == null)
            {
                journalDir = dir.resolve("journal");
            }
            if (aeronDir == null)
            {
                final String base = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir");
                aeronDir = base + "/bourse-node-" + nodeId + "-" + Integer.toHexString(dir.toString().hashCode());
            }
            if (Integer.bitCount(logTermLength) != 1 || logTermLength < 64 * 1024 || logTermLength > 1 << 30)
            {
                throw new IllegalArgumentException("cluster.log-term-length " + logTermLength + " is not a power of two from 64k to 1g");
            }
            if (leaderHeartbeatIntervalNs <= 0 || leaderHeartbeatTimeoutNs < 2 * leaderHeartbeatIntervalNs)
            {
                throw new IllegalArgumentException("cluster.leader-heartbeat-timeout must be at least twice cluster.leader-heartbeat-interval");
            }
            if (electionTimeoutNs <= 0 || sessionTimeoutNs <= 0 || startupCanvassTimeoutNs <= 0 || electionStatusIntervalNs <= 0)
            {
                throw new IllegalArgumentException("cluster timeouts must be positive");
            }
            IdleStrategies.named(idleStrategy);
            return this;
        }
    }

    private final Context ctx;
    private final ExchangeClusteredService service;
    private final MediaDriver mediaDriver;
    private final Archive archive;
    private final AgentRunner archiveRunner;
    private final ConsensusModule consensusModule;
    private final ClusteredServiceContainer container;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CountersReader counters;
    private final Thread timer;
    private final ElectionWatch electionWatch;
    private volatile boolean closed;
    /** How long before this node's start the cluster took its last snapshot (0: none known, or no interval set). */
    private final long snapshotAgeAtStartNs;
    /** This node's claim on its cluster.dir, released at close. */
    private final NodeDirectory directory;
    /** Why the node stopped itself out of {@link JoinRace}, or null. */
    private volatile String joinRaceEnded;
    /** The Aeron error that ended the node while it was not being closed, or null. */
    private volatile String aeronEnded;
    /** Aeron's errors, each repeat (an election step retried every few ms) counted rather than printed. */
    private final RepeatedLines errorLines;
    /** Errors Aeron has reported, for the {@link ElectionWatch}: an election step that times out reports one. */
    private final AtomicLong errorsSeen = new AtomicLong();

    private ClusterNode(final Context ctx, final NodeDirectory directory)
    {
        this.ctx = ctx;
        this.directory = directory;
        final ClusterMembers.Member me = ctx.parsedMembers.member(ctx.nodeId);
        final Supplier<IdleStrategy> idle = IdleStrategies.named(ctx.idleStrategy);
        final Path archiveDir = ctx.dir.resolve("archive");
        final Path clusterDir = ctx.dir.resolve("cluster");
        final Consumer<String> log = ctx.log;
        snapshotAgeAtStartNs = ctx.snapshotIntervalNs > 0 ? LastSnapshot.ageNs(clusterDir, epochNanos()) : 0;
        errorLines = new RepeatedLines(log, System::nanoTime, TimeUnit.SECONDS.toNanos(10));
        final org.agrona.ErrorHandler errors = t ->
        {
            errorsSeen.incrementAndGet();
            errorLines.accept("node " + ctx.nodeId + ": " + t);
            if (!closed && aeronEnded == null && PauseTolerance.endsTheNode(t))
            {
                aeronEnded = t.toString();
            }
        };

        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(ctx.aeronDir);
        // Without fsync the archive's thread also runs the driver (one wake-up less per hop of the
        // log, one thread less per node); with fsync the driver keeps its own thread, so a slow
        // force() never stops the node's network traffic.
        final boolean driverInArchiveThread = ctx.fileSync == FileSync.NONE;
        driver
            .threadingMode(driverInArchiveThread ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
            .sharedIdleStrategy(idle.get())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(1024 * 1024)
            .ipcTermBufferLength(1024 * 1024)
            // Aeron's default, 8 MiB of counter values (40 MiB with their metadata), is for thousands
            // of streams; a node has a few hundred counters (1 MiB is the minimum).
            .counterValuesBufferLength(1024 * 1024)
            // Aeron's 10 s for a silent client ended a node stopped or starved for longer (a probe's 12 s
            // SIGSTOP): its clients all live in this process, so a silent one is a paused process, not a dead one
            .clientLivenessTimeoutNs(PauseTolerance.CLIENT_LIVENESS_TIMEOUT_NS)
            // Aeron wants a blocked publication unblocked only after a dead client is given up
            .publicationUnblockTimeoutNs(2 * PauseTolerance.CLIENT_LIVENESS_TIMEOUT_NS)
            .errorHandler(errors);
        ctx.driverCustomizer.accept(driver);

        final Archive.Context archiveContext = new Archive.Context()
            .archiveId(ctx.nodeId)
            .archiveDir(archiveDir.toFile())
            .controlChannel("aeron:udp?endpoint=" + me.archiveControl() + "|term-length=64k")
            .localControlChannel("aeron:ipc?term-length=64k")
            .localControlStreamId(AeronArchive.Configuration.controlStreamId())
            .replicationChannel("aeron:udp?endpoint=" + me.host() + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idle)
            .segmentFileLength(Math.max(ctx.logTermLength * 4, 16 * 1024 * 1024))
            .fileSyncLevel(ctx.fileSync.level)
            .catalogFileSyncLevel(ctx.fileSync.level)
            .deleteArchiveOnStart(false)
            // A node SIGKILLed while its last log fragment straddled a page boundary could not start again
            // ("potentially incomplete last fragment ... run ArchiveTool verify": a test's restart): without a
            // checksum Aeron takes a page of the fragment that holds only zeros, which our commands' trailing zero
            // fields make common, for a page never written. With one it checks the fragment instead.
            .recordChecksum(PauseTolerance.recordChecksum(log))
            .errorHandler(errors);
        archiveContext.aeronDirectoryName(ctx.aeronDir);

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .controlRequestChannel("aeron:ipc?term-length=64k")
            .controlRequestStreamId(AeronArchive.Configuration.controlStreamId())
            .controlResponseChannel("aeron:ipc?term-length=64k")
            .aeronDirectoryName(ctx.aeronDir);

        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(ctx.nodeId)
            .clusterMembers(ctx.parsedMembers.aeronClusterMembers())
            .clusterDir(clusterDir.toFile())
            .ingressChannel("aeron:udp?term-length=64k")
            .logChannel("aeron:udp?term-length=" + ctx.logTermLength)
            .consensusChannel("aeron:udp?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + me.host() + ":0")
            .archiveContext(localArchive.clone())
            .leaderHeartbeatTimeoutNs(ctx.leaderHeartbeatTimeoutNs)
            .leaderHeartbeatIntervalNs(ctx.leaderHeartbeatIntervalNs)
            .electionTimeoutNs(ctx.electionTimeoutNs)
            .electionStatusIntervalNs(ctx.electionStatusIntervalNs)
            .sessionTimeoutNs(ctx.sessionTimeoutNs)
            // Aeron's default of 10 let six gateways in beside three admin clients and the scheduler (an outside probe)
            .maxConcurrentSessions(ctx.maxSessions)
            .startupCanvassTimeoutNs(ctx.startupCanvassTimeoutNs)
            .clusterClock(new NanosecondClusterClock())
            .fileSyncLevel(ctx.fileSync.level)
            .idleStrategySupplier(idle)
            .errorHandler(errors)
            .terminationHook(terminated::countDown)
            .deleteDirOnStart(false);
        consensus.aeronDirectoryName(ctx.aeronDir);

        service = new ExchangeClusteredService(new ExchangeClusteredService.Context()
            .engineConfig(ctx.engineConfig)
            .journal(new ChronicleJournal.Context().dir(ctx.journalDir).durability(ctx.journalDurability).log(log))
            .maxClients(ctx.maxClients)
            .engineListener(ctx.engineListener)
            .heartbeatIntervalNs(ctx.resultsHeartbeatIntervalNs)
            .members(ctx.parsedMembers.toString())
            .log(line -> log.accept("node " + ctx.nodeId + ": " + line)));

        final ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
            .clusterDir(clusterDir.toFile())
            .archiveContext(localArchive.clone())
            .clusteredService(service)
            .idleStrategySupplier(idle)
            .errorHandler(errors)
            .terminationHook(terminated::countDown);
        serviceContext.aeronDirectoryName(ctx.aeronDir);

        final byte[] previousInfo = readNodeInfo();
        writeNodeInfo();
        MediaDriver startedDriver = null;
        Archive startedArchive = null;
        AgentRunner startedRunner = null;
        ConsensusModule startedConsensus = null;
        ClusteredServiceContainer startedContainer = null;
        try
        {
            startedDriver = MediaDriver.launch(driver);
            archiveContext.errorCounter(new AtomicCounter(driver.countersValuesBuffer(), SystemCounterDescriptor.ERRORS.id()));
            if (driverInArchiveThread)
            {
                archiveContext.threadingMode(ArchiveThreadingMode.INVOKER).mediaDriverAgentInvoker(startedDriver.sharedAgentInvoker());
            }
            startedArchive = Archive.launch(archiveContext);
            if (driverInArchiveThread)
            {
                final AgentInvoker invoker = startedArchive.invoker();
                startedRunner = new AgentRunner(idle.get(), errors, null, new Agent()
                {
                    @Override
                    public int doWork()
                    {
                        return invoker.invoke();
                    }

                    @Override
                    public String roleName()
                    {
                        return "archive-and-driver-" + ctx.nodeId;
                    }
                });
                AgentRunner.startOnThread(startedRunner);
            }
            startedConsensus = ConsensusModule.launch(consensus);
            startedContainer = ClusteredServiceContainer.launch(serviceContext);
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietCloseAll(startedContainer, startedConsensus, startedRunner, startedArchive, startedDriver);
            // a node that never ran here (a port in use, say) must not be listed by cluster status as a member that is down
            restoreNodeInfo(previousInfo);
            throw e;
        }
        mediaDriver = startedDriver;
        archive = startedArchive;
        archiveRunner = startedRunner;
        consensusModule = startedConsensus;
        container = startedContainer;
        final MediaDriver.Context driverContext = mediaDriver.context();
        counters = new CountersReader(driverContext.countersMetaDataBuffer(), driverContext.countersValuesBuffer());
        electionWatch = new ElectionWatch(ctx.nodeId, ctx.parsedMembers.toString(),
            counterReader(AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID), log, errorsSeen::get,
            () -> ElectionWatch.aeronThreadStacks(Thread.getAllStackTraces()), this::onElectionBlocked);
        timer = new Thread(this::timerLoop, "bourse-node-" + ctx.nodeId + "-timer");
        timer.setDaemon(true);
        timer.start();
        log.accept("node " + ctx.nodeId + ": up, members " + ctx.parsedMembers + ", dir " + ctx.dir + ", aeron " + ctx.aeronDir);
        final int[] ephemeral = LoopbackPorts.ephemeralRange();
        if (LoopbackPorts.overlaps(me.basePort(), ClusterMembers.PORTS_PER_MEMBER, ephemeral))
        {
            log.accept("node " + ctx.nodeId + ": warning: its ports " + me.basePort() + "-" + (me.basePort() + ClusterMembers.PORTS_PER_MEMBER - 1)
                + " lie in the kernel's ephemeral range " + ephemeral[0] + "-" + ephemeral[1]
                + " (net.ipv4.ip_local_port_range): any process's outgoing socket can take one while the node is down;"
                + " choose cluster.members ports outside it");
        }
    }

    /** Starts the node; throws with a clear message if it cannot. */
    public static ClusterNode launch(final Context ctx)
    {
        PauseTolerance.allowPausesOfThirtySeconds();
        ctx.conclude();
        try
        {
            Files.createDirectories(ctx.dir);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("cannot create cluster.dir " + ctx.dir + ": " + e.getMessage());
        }
        final NodeDirectory directory = NodeDirectory.claim(ctx.dir, ctx.nodeId);
        try
        {
            clearMarkFilesOfDeadProcess(ctx);
            MemberPortsCheck.refuseIfTaken(ctx.parsedMembers.member(ctx.nodeId));
            return new ClusterNode(ctx, directory);
        }
        catch (final RuntimeException e)
        {
            directory.close();
            throw e;
        }
    }

    /**
     * Aeron's components refuse to start for 10 s after a crash, taking their mark files (updated
     * every second) for a live instance's. A node restarted at once after a SIGKILL would wait for
     * nothing: the directory claimed ({@link NodeDirectory}), the process that last ran here is gone,
     * and its mark files are moved aside (kept, with their error logs, as {@code *.crashed}).
     */
    private static void clearMarkFilesOfDeadProcess(final Context ctx)
    {
        for (final Path sub : new Path[]{ctx.dir.resolve("archive"), ctx.dir.resolve("cluster")})
        {
            if (!Files.isDirectory(sub))
            {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.list(sub))
            {
                for (final Path f : files.filter(f -> f.getFileName().toString().matches(".*-mark.*\\.dat")).toList())
                {
                    Files.move(f, f.resolveSibling(f.getFileName() + ".crashed"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            catch (final IOException e)
            {
                throw new IllegalArgumentException("cannot clear the mark files of the crashed node in " + sub + ": " + e.getMessage());
            }
        }
    }

    /** This directory's node.properties as the last start left it; null if there is none. */
    private byte[] readNodeInfo()
    {
        try
        {
            return Files.readAllBytes(ctx.dir.resolve("node.properties"));
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    /** Puts back what {@link #readNodeInfo} read (none: removes the file) after a start that failed. */
    private void restoreNodeInfo(final byte[] previous)
    {
        final Path info = ctx.dir.resolve("node.properties");
        try
        {
            if (previous == null)
            {
                Files.deleteIfExists(info);
            }
            else
            {
                Files.write(info, previous);
            }
        }
        catch (final IOException e)
        {
            ctx.log.accept("node " + ctx.nodeId + ": cannot restore " + info + " after the failed start: " + e.getMessage());
        }
    }

    private void writeNodeInfo()
    {
        final Properties p = new Properties();
        p.setProperty("node-id", Integer.toString(ctx.nodeId));
        p.setProperty("members", ctx.parsedMembers.toString());
        p.setProperty("aeron-dir", ctx.aeronDir);
        p.setProperty("journal-dir", ctx.journalDir.toString());
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        try (OutputStream out = Files.newOutputStream(ctx.dir.resolve("node.properties")))
        {
            p.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), "bourse cluster node (written at start, read by cluster status)");
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("cannot write " + ctx.dir.resolve("node.properties") + ": " + e.getMessage());
        }
    }

    /** The node's timer, once a second: the {@link ElectionWatch}, and the {@link SnapshotSchedule} when an interval is set. */
    private void timerLoop()
    {
        final long intervalNs = ctx.snapshotIntervalNs;
        final SnapshotSchedule schedule = intervalNs <= 0 ? null
            : new SnapshotSchedule(intervalNs, System.nanoTime(), snapshotAgeAtStartNs, snapshots());
        final java.util.function.BooleanSupplier leading = () -> !closed && role() == Cluster.Role.LEADER;
        while (!closed)
        {
            try
            {
                Thread.sleep(intervalNs <= 0 ? 1_000 : Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(intervalNs))));
            }
            catch (final InterruptedException e)
            {
                return;
            }
            final long now = System.nanoTime();
            electionWatch.check(now);
            if (schedule != null && schedule.due(now, snapshots(), leading))
            {
                takeSnapshot();
            }
        }
    }

    /**
     * The {@link ElectionWatch} found the election held in one step: when the stacks show {@link JoinRace}, this node
     * stops (exit 1, like a node Aeron ended), since no wait of Aeron's there ends by itself.
     */
    private void onElectionBlocked(final String step)
    {
        onElectionBlocked(step, Thread.getAllStackTraces());
    }

    /** As above, on the stacks given (tests: the race cannot be started at will). */
    void onElectionBlocked(final String step, final Map<Thread, StackTraceElement[]> stacks)
    {
        final List<Thread> held = JoinRace.heldThreads(stacks);
        if (held.isEmpty() || closed)
        {
            return;
        }
        joinRaceEnded = "its election was held in " + step + " by a race in Aeron Cluster (the consensus module waiting for"
            + " the service to join the log of a leader that had stepped down, and the service for that log); started again"
            + " it rejoins from its log";
        ctx.log.accept("node " + ctx.nodeId + ": stopping: " + joinRaceEnded);
        // Interrupted, each wait throws and ends its agent; the node's close (what awaitTermination's caller does next)
        // ends any agent the interrupt missed, so the node stops even if the race resolved itself just now.
        held.forEach(Thread::interrupt);
        terminated.countDown();
    }

    /** The cluster clock's time, as {@code NanosecondClusterClock} gives it. */
    private static long epochNanos()
    {
        return new NanosecondClusterClock().timeNanos();
    }

    /** Asks the cluster to snapshot (only the leader can); true if the request was accepted. */
    public boolean takeSnapshot()
    {
        final AtomicCounter toggle = ClusterControl.findControlToggle(counters, 0);
        return toggle != null && ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
    }

    /** This node's role now. */
    public Cluster.Role role()
    {
        final int id = ClusterCounters.find(counters, AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID, 0);
        return id < 0 ? Cluster.Role.FOLLOWER : Cluster.Role.get(counters.getCounterValue(id));
    }

    /** Snapshots completed by this node. */
    public long snapshots()
    {
        final int id = ClusterCounters.find(counters, AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID, 0);
        return id < 0 ? 0 : counters.getCounterValue(id);
    }

    public CountersReader counters()
    {
        return counters;
    }

    /**
     * A reader of this node's counter of {@code typeId} (Aeron's or bourse's) for one thread: it
     * finds the counter on first use (-1 until it exists; the service's exist once it has started,
     * see {@link #awaitServiceStarted}) and then reads it without a lookup or an allocation.
     */
    public java.util.function.LongSupplier counterReader(final int typeId)
    {
        return new java.util.function.LongSupplier()
        {
            private int id = -1;

            @Override
            public long getAsLong()
            {
                if (id < 0)
                {
                    final int found = ClusterCounters.find(counters, typeId, 0);
                    id = found >= 0 ? found : findAny(typeId);
                    if (id < 0)
                    {
                        return -1;
                    }
                }
                return counters.getCounterValue(id);
            }
        };
    }

    /**
     * Waits until the service has started (its journal is open and its counters exist); false if it
     * did not within the timeout, or the node terminated first.
     */
    public boolean awaitServiceStarted(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final java.util.function.LongSupplier journalSequence = counterReader(dev.bourse.cluster.ClusterCounterTypes.JOURNAL_SEQUENCE);
        while (journalSequence.getAsLong() < 0) // -1 while the counter does not exist
        {
            if (System.nanoTime() > deadline || terminated.getCount() == 0)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** A counter of the type whatever its key (bourse's counters carry no cluster id in their key). */
    private int findAny(final int typeId)
    {
        for (int id = 0, max = counters.maxCounterId(); id < max; id++)
        {
            final int state = counters.getCounterState(id);
            if (state == CountersReader.RECORD_UNUSED)
            {
                break;
            }
            if (state == CountersReader.RECORD_ALLOCATED && counters.getCounterTypeId(id) == typeId)
            {
                return id;
            }
        }
        return -1;
    }

    public Context context()
    {
        return ctx;
    }

    /** Seconds this node has been without a leader, 0 while it knows one ({@link ElectionWatch}); any thread. */
    public long secondsWithoutLeader()
    {
        return electionWatch.secondsWithoutLeader(System.nanoTime());
    }

    /** Whether this node knows a leader (its election is closed); any thread. */
    public boolean leaderKnown()
    {
        return electionWatch.leaderKnown();
    }

    /** Why the service (journal failure or divergence), Aeron (a client timed out) or {@link JoinRace} stopped this node, or null. */
    public String fatalReason()
    {
        final String reason = service.fatalReason();
        if (reason != null)
        {
            return reason;
        }
        if (joinRaceEnded != null)
        {
            return joinRaceEnded;
        }
        return aeronEnded == null ? null : "Aeron ended it: " + aeronEnded;
    }

    /** Blocks until the cluster or the service terminates this node. */
    public void awaitTermination() throws InterruptedException
    {
        terminated.await();
    }

    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return terminated.await(timeout, unit);
    }

    @Override
    public void close()
    {
        closed = true;
        timer.interrupt();
        try
        {
            CloseHelper.closeAll(container, consensusModule, archiveRunner, archive, mediaDriver);
        }
        finally
        {
            errorLines.flush();
            directory.close();
        }
    }
}
