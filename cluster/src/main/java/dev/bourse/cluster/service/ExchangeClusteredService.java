package dev.bourse.cluster.service;

import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.CommandBatchDecoder;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.cluster.sbe.HelloDecoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.ResendRequestDecoder;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineListener;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalException;
import dev.bourse.protocol.sbe.NewOrderDecoder;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The matching engine as an Aeron Cluster service: the committed Raft log is the sequencer. Every
 * node runs this on the same log, so every node's engine takes the same commands in the same
 * order and writes the same entries to its own Chronicle journal.
 * <p>
 * Determinism: a command's timestamp is overwritten with the log's timestamp for its message (kept
 * non-decreasing), never a node's clock; the end of an ingress message is the engine's end of
 * batch; duplicate detection uses the (client id, command id) the client put on each command, held
 * in replicated state. What is not deterministic (which node sends, egress back pressure, journal
 * reads for resends) never changes state.
 * <p>
 * A node that cannot keep its journal (disk failure, or a journal that disagrees with the log)
 * stops: a replicated state machine must fail-stop rather than answer from a history the others do
 * not share. The others carry on; the operator mends the disk or wipes the node, which then
 * rebuilds from its peers.
 * <p>
 * Past 500 lines with its Context; the parts with one job each are {@link NodeJournal} (the journal
 * and its reconciliation), {@link ResultsPublisher} (egress), {@link ClientRegistry} (duplicate
 * detection) and {@link ServiceSnapshot}.
 */
public final class ExchangeClusteredService implements ClusteredService
{
    /** Configuration of the service, with defaults. */
    public static final class Context
    {
        private EngineConfig engineConfig = new EngineConfig();
        private ChronicleJournal.Context journal;
        private int maxClients = 10_000;
        private int resendChunk = 256;
        private int recentEntriesBytes = 16 * 1024 * 1024;
        private long heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(250);
        private EngineListener engineListener = EngineListener.NO_OP;
        private Consumer<String> log = System.out::println;
        private String members;

        public Context engineConfig(final EngineConfig engineConfig)
        {
            this.engineConfig = engineConfig;
            return this;
        }

        public EngineConfig engineConfig()
        {
            return engineConfig;
        }

        /** This node's journal (its own directory). */
        public Context journal(final ChronicleJournal.Context journal)
        {
            this.journal = journal;
            return this;
        }

        public ChronicleJournal.Context journal()
        {
            return journal;
        }

        /** Most clients remembered for duplicate detection (idle ones without a session make room). */
        public Context maxClients(final int maxClients)
        {
            this.maxClients = maxClients;
            return this;
        }

        public int maxClients()
        {
            return maxClients;
        }

        /** Entries sent per resend request before the client asks again. */
        public Context resendChunk(final int resendChunk)
        {
            this.resendChunk = resendChunk;
            return this;
        }

        public int resendChunk()
        {
            return resendChunk;
        }

        /** Memory for the newest entries, from which the usual resends are served (the rest: the journal). */
        public Context recentEntriesBytes(final int recentEntriesBytes)
        {
            this.recentEntriesBytes = recentEntriesBytes;
            return this;
        }

        public int recentEntriesBytes()
        {
            return recentEntriesBytes;
        }

        /** How often the leader tells results subscribers the newest sequence (a timer in the log). */
        public Context heartbeatIntervalNs(final long heartbeatIntervalNs)
        {
            this.heartbeatIntervalNs = heartbeatIntervalNs;
            return this;
        }

        public long heartbeatIntervalNs()
        {
            return heartbeatIntervalNs;
        }

        /** Metrics of the engine; called on the service thread. */
        public Context engineListener(final EngineListener engineListener)
        {
            this.engineListener = engineListener;
            return this;
        }

        public EngineListener engineListener()
        {
            return engineListener;
        }

        public Context log(final Consumer<String> log)
        {
            this.log = log;
            return this;
        }

        /** This node's cluster.members as ClusterMembers prints it, compared with the leader's (see {@link MembersCheck}). */
        public Context members(final String members)
        {
            this.members = members;
            return this;
        }

        public String members()
        {
            return members;
        }

        public Consumer<String> log()
        {
            return log;
        }

        public Context conclude()
        {
            if (journal == null)
            {
                throw new IllegalStateException("the service needs a journal directory");
            }
            journal.conclude();
            engineConfig.conclude();
            if (maxClients < 1 || resendChunk < 1 || heartbeatIntervalNs <= 0)
            {
                throw new IllegalStateException("maxClients, resendChunk and heartbeatInterval must be positive");
            }
            return this;
        }
    }

    static final long HEARTBEAT_TIMER = 1;
    private static final int TIMESTAMP_OFFSET = dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH;

    private final Context ctx;
    private final ClientRegistry registry;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HelloDecoder hello = new HelloDecoder();
    private final ResendRequestDecoder resendRequest = new ResendRequestDecoder();
    private MembersCheck membersCheck;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[1 << 16]);

    private Cluster cluster;
    private ServiceCounters counters;
    private ChronicleJournal journal;
    private JournalIndex index;
    private NodeJournal sink;
    private ResultsPublisher results;
    private EngineState state;
    private MatchingEngine engine;
    private boolean heartbeatScheduled;
    private volatile String fatalReason;

    public ExchangeClusteredService(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.registry = new ClientRegistry(ctx.maxClients());
    }

    /** Why the service stopped the node, or null. */
    public String fatalReason()
    {
        return fatalReason;
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        membersCheck = new MembersCheck(ctx.members(), ctx.log(), mismatch ->
        {
            if (counters != null) // made once the journal is open, before the log's first message
            {
                counters.membersMismatch.setRelease(mismatch);
            }
        });
        try
        {
            journal = ChronicleJournal.open(ctx.journal());
            index = new JournalIndex(journal);
            index.catchUpFully();
        }
        catch (final JournalException e)
        {
            throw fatal("cannot use the journal: " + e.getMessage());
        }
        // after the journal is open: readers in the node's process wait for these counters to open it too
        counters = cluster.aeron() != null ? ServiceCounters.in(cluster.aeron()) : ServiceCounters.local();
        if (snapshotImage != null)
        {
            final ServiceSnapshot.Loaded loaded;
            try
            {
                loaded = ServiceSnapshot.read(new SnapshotInput(snapshotImage, cluster.idleStrategy()), registry, ctx.engineConfig());
            }
            catch (final IllegalStateException e)
            {
                throw fatal("cannot load this node's cluster snapshot (" + e.getMessage() + "); wipe this node to rebuild it "
                    + "from its peers");
            }
            state = loaded.state();
            heartbeatScheduled = loaded.heartbeatScheduled();
        }
        else
        {
            state = new EngineState(ctx.engineConfig());
        }
        final long snapshotSequence = state.lastSequence();
        if (index.lastSequence() < snapshotSequence)
        {
            throw fatal("the journal " + ctx.journal().dir() + " ends at sequence " + index.lastSequence()
                + " but this node's cluster snapshot is at " + snapshotSequence + ": the entries between cannot be rebuilt"
                + " here; restore the journal, or wipe this node (its whole data.dir: archive, cluster, journal and read-models)"
                + " to rebuild it from its peers");
        }
        sink = new NodeJournal(journal, index, snapshotSequence);
        engine = new MatchingEngine(state, sink, ctx.engineListener());
        results = new ResultsPublisher(index, new RecentEntries(ctx.recentEntriesBytes(), 1 << 16), ctx.resendChunk(), counters);
        results.leader(cluster.role() == Cluster.Role.LEADER);
        counters.engineSequence.setRelease(snapshotSequence);
        counters.journalSequence.setRelease(index.lastSequence());
        counters.clients.setRelease(registry.size());
        counters.memberId.setRelease(cluster.memberId());
        ctx.log().accept("service: started at sequence " + snapshotSequence
            + (snapshotImage != null ? " (snapshot)" : "") + ", journal " + ctx.journal().dir() + " at sequence "
            + index.lastSequence() + (index.lastSequence() > snapshotSequence
            ? " (the log replay will verify " + (index.lastSequence() - snapshotSequence) + " entries against it)" : ""));
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        // A session says who it is in its first message (Hello).
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        registry.sessionClosed(session.id());
        results.remove(session.id());
    }

    @Override
    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header aeronHeader)
    {
        if (aeronHeader != null)
        {
            counters.appliedPosition.setRelease(aeronHeader.position());
        }
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            results.sendError(session, ErrorCode.MALFORMED, length);
            return;
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int end = offset + length;
        if (session == null && header.schemaId() == MessageHeaderDecoder.SCHEMA_ID && body + blockLength <= end
            && MembersCheck.isOneOf(header))
        {
            final TimeUnit unit = cluster.timeUnit();
            membersCheck.onMessage(buffer, body, blockLength, header.version(), cluster.memberId(), // the leader's service message
                MembersCheck.isHistory(timestamp, unit.convert(System.currentTimeMillis(), TimeUnit.MILLISECONDS),
                    unit.convert(MembersCheck.INTERVAL_NS, TimeUnit.NANOSECONDS)));
            return;
        }
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || body + blockLength > end || session == null)
        {
            results.sendError(session, ErrorCode.MALFORMED, header.templateId());
            return;
        }
        switch (header.templateId())
        {
            case CommandBatchDecoder.TEMPLATE_ID:
                onCommandBatch(session, timestamp, buffer, body, blockLength, end);
                break;
            case HelloDecoder.TEMPLATE_ID:
                if (blockLength < HelloDecoder.BLOCK_LENGTH)
                {
                    results.sendError(session, ErrorCode.MALFORMED, header.templateId());
                    return;
                }
                hello.wrap(buffer, body, blockLength, header.version());
                onHello(session, timestamp, hello.clientId(), hello.resultsFrom());
                break;
            case ResendRequestDecoder.TEMPLATE_ID:
                if (blockLength < ResendRequestDecoder.BLOCK_LENGTH)
                {
                    results.sendError(session, ErrorCode.MALFORMED, header.templateId());
                    return;
                }
                resendRequest.wrap(buffer, body, blockLength, header.version());
                if (registry.forSession(session.id()) == null)
                {
                    results.sendError(session, ErrorCode.NOT_REGISTERED, 0);
                    return;
                }
                results.request(session, resendRequest.fromSequence(), state.lastSequence());
                break;
            default:
                results.sendError(session, ErrorCode.MALFORMED, header.templateId());
                break;
        }
    }

    private void onHello(final ClientSession session, final long timestamp, final long clientId, final long resultsFrom)
    {
        if (clientId == 0)
        {
            results.sendError(session, ErrorCode.MALFORMED, 0);
            return;
        }
        final ClientRegistry.Client client = registry.hello(session.id(), clientId, timestamp);
        if (client == null)
        {
            results.sendError(session, ErrorCode.TOO_MANY_CLIENTS, registry.size());
            return;
        }
        counters.clients.setRelease(registry.size());
        results.sendAck(session, clientId, client.lastCommandId, state.lastSequence(), AckStatus.WELCOME);
        results.sendMembers(session, cluster.memberId(), ctx.members()); // a gateway with another list is told at once
        if (resultsFrom != 0)
        {
            results.request(session, resultsFrom, state.lastSequence());
            if (!heartbeatScheduled)
            {
                scheduleHeartbeat(timestamp);
                heartbeatScheduled = true;
            }
        }
    }

    /**
     * CommandBatch: [block: firstCommandId] [group header: blockLength u16, count u16] then per command
     * [group block (blockLength bytes, none today)] [u16 length] [command bytes]. Parsed by hand so every
     * length is checked against the message's end before anything is applied.
     */
    private void onCommandBatch(
        final ClientSession session, final long timestamp, final DirectBuffer buffer, final int body, final int blockLength, final int end)
    {
        final ClientRegistry.Client client = registry.forSession(session.id());
        if (client == null)
        {
            results.sendError(session, ErrorCode.NOT_REGISTERED, 0);
            return;
        }
        if (blockLength < CommandBatchDecoder.BLOCK_LENGTH || body + blockLength + 4 > end)
        {
            results.sendError(session, ErrorCode.MALFORMED, CommandBatchDecoder.TEMPLATE_ID);
            return;
        }
        final long firstCommandId = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
        int at = body + blockLength;
        final int elementBlock = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(at + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        at += 4;
        // Validate the whole batch first: a malformed one is refused whole, never half applied.
        int check = at;
        for (int i = 0; i < count; i++)
        {
            check += elementBlock;
            if (check + 2 > end)
            {
                results.sendError(session, ErrorCode.MALFORMED, CommandBatchDecoder.TEMPLATE_ID);
                return;
            }
            check += 2 + (buffer.getShort(check, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            if (check > end)
            {
                results.sendError(session, ErrorCode.MALFORMED, CommandBatchDecoder.TEMPLATE_ID);
                return;
            }
        }
        client.lastActive = timestamp;
        final long stamp = Math.max(cluster.timeUnit().toNanos(timestamp), state.lastTimestamp());
        AckStatus status = AckStatus.OK;
        boolean applied = false;
        for (int i = 0; i < count; i++)
        {
            at += elementBlock;
            final int commandLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            at += 2;
            final int commandOffset = at;
            at += commandLength;
            final long commandId = firstCommandId + i;
            if (commandId <= client.lastCommandId)
            {
                counters.duplicates.incrementRelease();
                continue;
            }
            if (commandId != client.lastCommandId + 1)
            {
                // Something before it never reached the log: refuse the rest, the client goes back.
                counters.gaps.incrementRelease();
                status = AckStatus.GAP;
                break;
            }
            apply(buffer, commandOffset, commandLength, stamp);
            client.lastCommandId = commandId;
            applied = true;
        }
        if (applied)
        {
            engine.onEndOfBatch();
            checkHalted();
            results.broadcast(sink.batch(), sink.batchLength(), state.lastSequence());
            sink.clearBatch();
            counters.engineSequence.setRelease(state.lastSequence());
            counters.verified.setRelease(sink.verified());
        }
        else
        {
            results.pumpAll(state.lastSequence());
        }
        results.sendAck(session, client.clientId, client.lastCommandId, state.lastSequence(), status);
    }

    private void apply(final DirectBuffer buffer, final int offset, final int length, final long stamp)
    {
        // Copy out of the log buffer (never write into it) and stamp the log's time on the command.
        command.putBytes(0, buffer, offset, length);
        if (length >= TIMESTAMP_OFFSET + Long.BYTES
            && command.getShort(4, ByteOrder.LITTLE_ENDIAN) == NewOrderDecoder.SCHEMA_ID)
        {
            command.putLong(TIMESTAMP_OFFSET, stamp, ByteOrder.LITTLE_ENDIAN);
        }
        engine.onCommand(command, 0, length);
        checkHalted();
    }

    private void checkHalted()
    {
        if (engine.isHalted())
        {
            final String divergence = sink.divergence();
            throw fatal(divergence != null ? divergence : "the engine halted: " + engine.haltReason());
        }
    }

    private AgentTerminationException fatal(final String reason)
    {
        fatalReason = reason;
        ctx.log().accept("service: FATAL, this node stops: " + reason);
        return new AgentTerminationException(reason);
    }

    private void scheduleHeartbeat(final long now)
    {
        final long deadline = now + cluster.timeUnit().convert(ctx.heartbeatIntervalNs(), TimeUnit.NANOSECONDS);
        cluster.idleStrategy().reset();
        while (!cluster.scheduleTimer(HEARTBEAT_TIMER, deadline))
        {
            cluster.idleStrategy().idle();
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        counters.appliedPosition.setRelease(cluster.logPosition());
        if (correlationId == HEARTBEAT_TIMER)
        {
            results.heartbeat(state.lastSequence(), cluster.memberId());
            scheduleHeartbeat(timestamp);
            membersCheck.maybeAnnounce(cluster, timestamp, cluster.timeUnit().convert(ctx.heartbeatIntervalNs(), TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        final long started = System.nanoTime();
        final SnapshotOutput out = new SnapshotOutput(snapshotPublication, cluster.idleStrategy());
        ServiceSnapshot.write(out, registry, heartbeatScheduled, state);
        out.flush();
        ctx.log().accept("service: snapshot at sequence " + state.lastSequence() + ", " + out.bytes() + " bytes in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        counters.memberId.setRelease(cluster.memberId()); // known from the log join, not yet at onStart
        results.leader(newRole == Cluster.Role.LEADER);
        ctx.log().accept("service: role " + newRole + " at sequence " + state.lastSequence());
    }

    @Override
    public void onNewLeadershipTermEvent(
        final long leadershipTermId, final long logPosition, final long timestamp, final long termBaseLogPosition,
        final int leaderMemberId, final int logSessionId, final TimeUnit timeUnit, final int appVersion)
    {
        counters.leaderMemberId.setRelease(leaderMemberId); // lets `cluster status` on a follower name the leader
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        if (results != null)
        {
            results.close();
        }
        if (sink != null)
        {
            sink.close();
        }
        if (index != null)
        {
            index.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        if (counters != null)
        {
            counters.close();
        }
    }

    @Override
    public int doBackgroundWork(final long nowNs)
    {
        if (index == null)
        {
            return 0;
        }
        final int read = index.catchUp(1_024);
        if (read > 0)
        {
            counters.journalSequence.setRelease(index.lastSequence());
        }
        return read;
    }
}
