package dev.bourse.server.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.server.Bootstrap;
import dev.bourse.server.config.ExchangeConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Cluster mode's bootstrap: the configured instruments and accounts become journaled commands, as
 * in single-node mode, but sent through the cluster log by whichever node leads, once it leads.
 * <p>
 * Exactly once, even if two nodes do it at once (a leader that changes during the first start):
 * every node sends as the same cluster client ({@link #CLIENT_ID}), so the service numbers their
 * commands in one sequence and drops a command id it has applied already; the commands are computed
 * from the engine state at the point where this client's Hello was applied (its journal replayed up
 * to the head sequence the welcome names), and they go in one ingress message, which the service
 * applies whole. So two nodes either compute the same list from the same state and send it under
 * the same command ids (the second copy is dropped), or the second finds everything already there.
 * <p>
 * Runs on a thread of its own (a replay of the node's journal can take a while); gives up with a
 * log line if the bootstrap does not fit one log message (raise {@code cluster.log-term-length}).
 */
final class ClusterBootstrap implements Runnable
{
    /** The one client id every node bootstraps as ("BOOTSTRP"). */
    static final long CLIENT_ID = 0x424F4F5453545250L;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ExchangeConfig config;
    private final String aeronDir;
    private final String host;
    private final Path journalDir;
    private final EngineConfig engineConfig;
    private final BooleanSupplier leading;
    private final LongSupplier journalSequence;
    private final Consumer<String> log;
    private volatile boolean stopped;
    private volatile boolean finished;

    ClusterBootstrap(final ExchangeConfig config, final String aeronDir, final String host, final Path journalDir,
        final BooleanSupplier leading, final LongSupplier journalSequence, final Consumer<String> log)
    {
        this.config = config;
        this.aeronDir = aeronDir;
        this.host = host;
        this.journalDir = journalDir;
        this.engineConfig = config.engine().toEngineConfig();
        this.leading = leading;
        this.journalSequence = journalSequence;
        this.log = log;
    }

    void stop()
    {
        stopped = true;
    }

    /**
     * True once this node has led and found the configuration's instruments and accounts in the
     * cluster (sent them, or seen them there), or given up with a log line: what runs on the leader
     * after the bootstrap (the scheduler) waits for it, so its first commands name known instruments.
     */
    boolean finished()
    {
        return finished;
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopped)
            {
                if (leading.getAsBoolean())
                {
                    if (bootstrap())
                    {
                        finished = true;
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException e)
        {
            log.accept("bootstrap: failed: " + e.getMessage());
            finished = true;
        }
    }

    /**
     * What the leader sends: the configuration's instruments and accounts (and their deposits) into a
     * cluster that has none yet, its first start; afterwards nothing, and a note naming what this
     * node's configuration has that the cluster lacks. Applied at every leader change, a node started
     * with an extra instrument or account added it, cash included, whenever a failover made it leader
     * (an outside probe). Later reference data goes through the admin API, which every node shares.
     */
    static List<byte[]> commands(final ExchangeConfig config, final EngineState state, final LongSupplier clock, final List<String> notes)
    {
        final List<byte[]> commands = Bootstrap.commands(config, state, clock, notes);
        if (commands.isEmpty() || (state.instrumentCount() == 0 && state.accountCount() == 0))
        {
            return commands;
        }
        notes.add("warning: this node's configuration has " + String.join(", ", Bootstrap.notApplied(config, state))
            + ", which the cluster does not: not added. A cluster journals its configuration once, at its first start, so that"
            + " a leader change never adds reference data or cash: add them with ./exchange admin (instrument add, account"
            + " create, account deposit), or give this node the same configuration as the others");
        return List.of();
    }

    /** One attempt; false to try again (not connected in time, or no longer leading). */
    private boolean bootstrap() throws InterruptedException
    {
        final int logTermLength = config.cluster().logTermLength();
        // A batch is applied whole only if it is one log message: at most an eighth of a term, less the session header.
        final int maxBatchBytes = logTermLength / 8 - 1024;
        try (ClusterClient client = new ClusterClient(new ClusterClient.Context()
            .ingressEndpoints(config.cluster().ingressEndpoints())
            .ingressChannel("aeron:udp?term-length=" + logTermLength)
            .egressChannel("aeron:udp?endpoint=" + host + ":0|term-length=64k")
            .aeronDir(aeronDir)
            .clientId(CLIENT_ID)
            .resultsFrom(ClusterClient.NO_RESULTS)
            .maxBatchBytes(maxBatchBytes)
            .windowCapacity(1 << 16)
            .flushOnCommit(false)
            .log(line -> log.accept("bootstrap: " + line))))
        {
            if (!pollUntil(client, client::isConnected))
            {
                return false;
            }
            final long head = client.headSequence();
            if (!pollUntil(client, () -> journalSequence.getAsLong() >= head))
            {
                return false;
            }
            final EngineState state = replayUpTo(head);
            final List<String> notes = new ArrayList<>();
            final List<byte[]> commands = commands(config, state, () -> System.currentTimeMillis() * 1_000_000L, notes);
            notes.forEach(note -> log.accept("bootstrap: " + note));
            if (commands.isEmpty())
            {
                if (Bootstrap.notApplied(config, state).isEmpty())
                {
                    log.accept("bootstrap: the cluster has every configured instrument and account");
                }
                return true;
            }
            int bytes = 64;
            for (final byte[] command : commands)
            {
                bytes += command.length + 2;
            }
            if (bytes > maxBatchBytes || commands.size() > 65_535)
            {
                log.accept("bootstrap: " + commands.size() + " commands (" + bytes + " bytes) do not fit one log message of "
                    + maxBatchBytes + " bytes: raise cluster.log-term-length (the largest message is an eighth of a term)");
                return true;
            }
            for (final byte[] command : commands)
            {
                final long claim = client.tryClaim();
                if (claim == CommandPublisher.NO_CLAIM)
                {
                    throw new IllegalStateException("the bootstrap client's window is full");
                }
                client.buffer(claim).putBytes(0, command);
                client.commit(claim, command.length);
            }
            final long last = client.lastCommitted();
            if (!pollUntil(client, () -> client.lastAcked() >= last))
            {
                return false;
            }
            log.accept("bootstrap: " + commands.size() + " commands from the configuration (instruments, accounts, deposits) "
                + "are in the cluster log");
            return true;
        }
    }

    private boolean pollUntil(final ClusterClient client, final BooleanSupplier done) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!done.getAsBoolean())
        {
            if (stopped || System.nanoTime() > deadline)
            {
                return false;
            }
            if (client.doWork() == 0)
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
        return true;
    }

    /** The engine state at {@code sequence}, from this node's journal (read only). */
    private EngineState replayUpTo(final long sequence)
    {
        final EngineState state = new EngineState(engineConfig);
        if (sequence <= 0)
        {
            return state;
        }
        final EngineReplayer replayer = new EngineReplayer(state);
        final JournalEntryReader header = new JournalEntryReader();
        final boolean[] done = {false};
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); ChronicleTailer tailer = journal.tailerFromStart())
        {
            while (!done[0] && tailer.poll((position, buffer, offset, length) ->
            {
                if (done[0] || header.readHeader(buffer, offset, length) != JournalEntryReader.OK)
                {
                    return;
                }
                if (header.header().sequence() > sequence)
                {
                    done[0] = true;
                    return;
                }
                replayer.apply(buffer, offset, length);
                if (header.header().sequence() == sequence)
                {
                    done[0] = true;
                }
            }, 65_536) > 0)
            {
                // replaying
            }
        }
        return state;
    }
}
