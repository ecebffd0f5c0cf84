package dev.bourse.cluster.client;

import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.ClientAckDecoder;
import dev.bourse.cluster.sbe.ClientErrorDecoder;
import dev.bourse.cluster.sbe.CommandBatchEncoder;
import dev.bourse.cluster.sbe.EntryDecoder;
import dev.bourse.cluster.sbe.HeartbeatDecoder;
import dev.bourse.cluster.sbe.HelloEncoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import dev.bourse.cluster.sbe.ResendEndDecoder;
import dev.bourse.cluster.sbe.ResendRequestEncoder;
import dev.bourse.cluster.node.IdleStrategies;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.CommandWriter;
import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.ControlledEgressListener;
import io.aeron.cluster.codecs.AdminRequestType;
import io.aeron.cluster.codecs.AdminResponseCode;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A cluster client for a gateway (or a tool, or the benchmark): the {@link CommandPublisher} a
 * gateway hands commands to, and the stream of committed journal entries it reports from
 * ({@link #results()}, a {@code JournalTailer}), over one Aeron Cluster session.
 * <p>
 * It follows the leader on its own. Every committed command stays in a {@link CommandWindow}
 * until the cluster acknowledges it; after a new leader is elected, or when acks stop coming, the
 * unacknowledged ones are sent again, and the service drops those it had already applied (each
 * command carries this client's id and a command id), so a command in flight during an election
 * is applied exactly once, after it. Only when the window is full does {@link #tryClaim()} refuse,
 * which a gateway turns into an "exchange busy, retry" reject. If the session is lost (the cluster
 * was unreachable for longer than its session timeout) the client connects again with the same
 * client id and carries on.
 * <p>
 * Results arrive in sequence order; a gap (an entry the old leader never sent, or one dropped
 * under back pressure) is repaired by asking the cluster to resend from the next sequence, which
 * any node answers from its own journal.
 * <p>
 * One thread: everything, {@link #doWork()} and the publisher and tailer calls, runs on the
 * thread that owns the client (the gateway's). Allocates nothing per command in steady state.
 */
public final class ClusterClient implements CommandPublisher, ControlledEgressListener, AutoCloseable
{
    /** No results: acknowledgements only. */
    public static final long NO_RESULTS = 0;
    /** Results from the next entry committed after connecting. */
    public static final long RESULTS_FROM_NOW = -1;

    /** Observes the client (benchmarks, metrics); called on the client's thread. */
    public interface Listener
    {
        default void onConnected(final long clusterSessionId, final int leaderMemberId)
        {
        }

        default void onNewLeader(final int leaderMemberId, final long leadershipTermId)
        {
        }

        default void onDisconnected(final String reason)
        {
        }
    }

    /** Client configuration. */
    public static final class Context
    {
        private String ingressEndpoints;
        private String ingressChannel = "aeron:udp?term-length=256k";
        private String egressChannel = "aeron:udp?endpoint=localhost:0|term-length=2m|rcv-wnd=1m|so-rcvbuf=1m";
        private String aeronDir;
        private long clientId;
        private long resultsFrom = NO_RESULTS;
        private int windowCapacity = 8_192;
        private int slotCapacity = CommandWriter.MAX_COMMAND_LENGTH;
        private int maxBatchBytes = 16 * 1024;
        private boolean flushOnCommit = true;
        private long resendTimeoutNs = TimeUnit.MILLISECONDS.toNanos(250);
        private long ackTimeoutNs = TimeUnit.SECONDS.toNanos(2);
        private long keepAliveIntervalNs = TimeUnit.SECONDS.toNanos(1);
        private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(3);
        private long newLeaderTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        private long reconnectDelayNs = TimeUnit.MILLISECONDS.toNanos(100);
        private String idleStrategy = "backoff";
        private Listener listener = new Listener()
        {
        };
        private Consumer<String> log = System.out::println;

        /** {@code id=host:port,...}: every member's ingress (see ClusterMembers#ingressEndpoints). */
        public Context ingressEndpoints(final String ingressEndpoints)
        {
            this.ingressEndpoints = ingressEndpoints;
            return this;
        }

        public Context ingressChannel(final String ingressChannel)
        {
            this.ingressChannel = ingressChannel;
            return this;
        }

        /** Where the leader sends to; its endpoint must be this host's address as the nodes reach it. */
        public Context egressChannel(final String egressChannel)
        {
            this.egressChannel = egressChannel;
            return this;
        }

        /** An existing media driver's directory; null: the client starts its own embedded driver. */
        public Context aeronDir(final String aeronDir)
        {
            this.aeronDir = aeronDir;
            return this;
        }

        /** This client's id, unique among clients (0: a random one). Keep it across restarts to see it in the cluster's books. */
        public Context clientId(final long clientId)
        {
            this.clientId = clientId;
            return this;
        }

        public long clientId()
        {
            return clientId;
        }

        /** First sequence wanted on {@link #results()}: 1 for everything, {@link #RESULTS_FROM_NOW}, or {@link #NO_RESULTS}. */
        public Context resultsFrom(final long resultsFrom)
        {
            this.resultsFrom = resultsFrom;
            return this;
        }

        /** Commands kept until acknowledged; a full window makes tryClaim refuse. Power of two. */
        public Context windowCapacity(final int windowCapacity)
        {
            this.windowCapacity = windowCapacity;
            return this;
        }

        /** Send each command as it is committed (true), or on {@link #flush()} / {@link #doWork()} in batches. */
        public Context flushOnCommit(final boolean flushOnCommit)
        {
            this.flushOnCommit = flushOnCommit;
            return this;
        }

        /** With no progress on a results repair for this long, ask again. */
        public Context resendTimeoutNs(final long resendTimeoutNs)
        {
            this.resendTimeoutNs = resendTimeoutNs;
            return this;
        }

        /**
         * With commands out and no ack at all for this long, send them again (duplicates are dropped).
         * A safety net only: a new leader or a lost session trigger the resend as they happen.
         */
        public Context ackTimeoutNs(final long ackTimeoutNs)
        {
            this.ackTimeoutNs = ackTimeoutNs;
            return this;
        }

        public Context keepAliveIntervalNs(final long keepAliveIntervalNs)
        {
            this.keepAliveIntervalNs = keepAliveIntervalNs;
            return this;
        }

        public Context connectTimeoutNs(final long connectTimeoutNs)
        {
            this.connectTimeoutNs = connectTimeoutNs;
            return this;
        }

        public Context newLeaderTimeoutNs(final long newLeaderTimeoutNs)
        {
            this.newLeaderTimeoutNs = newLeaderTimeoutNs;
            return this;
        }

        /** Idle strategy of the embedded driver (when the client starts one). */
        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        public Context listener(final Listener listener)
        {
            this.listener = listener;
            return this;
        }

        public Context log(final Consumer<String> log)
        {
            this.log = log;
            return this;
        }

        Context conclude()
        {
            if (ingressEndpoints == null || ingressEndpoints.isBlank())
            {
                throw new IllegalArgumentException("the cluster client needs the members' ingress endpoints (id=host:port,...)");
            }
            if (clientId == 0)
            {
                final SecureRandom random = new SecureRandom();
                while (clientId == 0)
                {
                    clientId = random.nextLong() & Long.MAX_VALUE;
                }
            }
            if (maxBatchBytes < slotCapacity + 64)
            {
                throw new IllegalArgumentException("maxBatchBytes too small for one command");
            }
            return this;
        }
    }

    private enum State
    {
        DISCONNECTED, CONNECTING, SEND_HELLO, AWAIT_WELCOME, CONNECTED, CLOSED
    }

    private final Context ctx;
    private final CommandWindow window;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ClusterResults results;

    private final UnsafeBuffer send = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final CommandBatchEncoder batchEncoder = new CommandBatchEncoder();
    private final ResendRequestEncoder resendEncoder = new ResendRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ClientAckDecoder ackDecoder = new ClientAckDecoder();
    private final EntryDecoder entryDecoder = new EntryDecoder();
    private final ResendEndDecoder resendEndDecoder = new ResendEndDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final ClientErrorDecoder errorDecoder = new ClientErrorDecoder();
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer entryView = new UnsafeBuffer(0, 0);

    private State state = State.DISCONNECTED;
    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long reconnectAt;
    private long connectStartedAt;
    private long helloSentNs;
    private boolean connectFailureLogged;

    /** Commands up to here were offered to the current leader. */
    private long sent;
    private long lastAckProgressNs;
    private long lastSendNs;
    private long claimed = -1;
    private boolean rewound;

    // results
    private long expected;
    private boolean resendNeeded;
    private boolean resendOutstanding;
    private long resendSentNs;
    private long resendFromSent;
    private long headSequence;
    private long expectedAtHeartbeat;
    private JournalHandler handler;
    private int deliverLimit;
    private int delivered;

    // statistics
    private long leaderChanges;
    private long resendsRequested;
    private long commandsResent;
    private long connects;
    private int leaderMemberId = -1;

    public ClusterClient(final Context context)
    {
        this.ctx = context.conclude();
        this.window = new CommandWindow(ctx.windowCapacity, ctx.slotCapacity);
        this.expected = ctx.resultsFrom < 0 ? 0 : ctx.resultsFrom;
        if (ctx.aeronDir == null)
        {
            final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(System.getProperty("java.io.tmpdir") + "/bourse-client-" + Long.toHexString(ctx.clientId)
                    + "-" + ProcessHandle.current().pid());
            driverContext
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(IdleStrategies.named(ctx.idleStrategy).get())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024);
            driver = MediaDriver.launchEmbedded(driverContext);
        }
        else
        {
            driver = null;
        }
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver != null ? driver.aeronDirectoryName() : ctx.aeronDir));
        results = new ClusterResults(this);
    }

    // ------------------------------------------------------------------ CommandPublisher

    @Override
    public long tryClaim()
    {
        if (claimed >= 0 || state == State.CLOSED)
        {
            return NO_CLAIM;
        }
        final long claim = window.tryClaim();
        claimed = claim;
        return claim < 0 ? NO_CLAIM : claim;
    }

    @Override
    public MutableDirectBuffer buffer(final long claim)
    {
        return window.buffer(claim);
    }

    @Override
    public void commit(final long claim, final int length)
    {
        if (claim != claimed)
        {
            throw new IllegalStateException("commit of claim " + claim + " but " + claimed + " is the open claim");
        }
        claimed = -1;
        if (length <= 0)
        {
            return; // nothing to send: the id is handed out again
        }
        window.commit(claim, length);
        if (ctx.flushOnCommit)
        {
            flush();
        }
    }

    @Override
    public int slotCapacity()
    {
        return window.slotCapacity();
    }

    // ------------------------------------------------------------------ duty cycle

    /** The journal entries this client asked for, in sequence order, as a {@code JournalTailer}. */
    public ClusterResults results()
    {
        return results;
    }

    /** One duty cycle without a results handler (a publish-only client). */
    public int doWork()
    {
        return poll(null, Integer.MAX_VALUE);
    }

    /** One duty cycle: connection, egress (entries go to {@code handler}, up to {@code limit}), sends, timers. */
    int poll(final JournalHandler entryHandler, final int limit)
    {
        final long now = System.nanoTime();
        int work = 0;
        switch (state)
        {
            case DISCONNECTED:
                if (now - reconnectAt >= 0)
                {
                    startConnect(now);
                    work++;
                }
                return work;
            case CONNECTING:
                return pollConnect(now);
            case CLOSED:
                return 0;
            default:
                break;
        }
        handler = entryHandler;
        deliverLimit = limit;
        delivered = 0;
        try
        {
            int fragments;
            do
            {
                fragments = cluster.controlledPollEgress();
                work += fragments;
            }
            while (fragments > 0 && delivered < deliverLimit && !cluster.isClosed());
        }
        finally
        {
            handler = null;
        }
        if (cluster.isClosed())
        {
            lost("the cluster session closed", now);
            return work + 1;
        }
        if (state == State.CONNECTED)
        {
            work += flush();
            work += timers(now);
        }
        else if (state == State.SEND_HELLO || (state == State.AWAIT_WELCOME && now - helloSentNs > ctx.connectTimeoutNs))
        {
            // No welcome yet: the Hello may have died with a leader. It is idempotent: say it again.
            connectStartedAt = state == State.SEND_HELLO ? connectStartedAt : now;
            work += sendHello(now);
        }
        return work + delivered;
    }

    /** Sends what is committed and not yet sent, in batches; returns the number of commands sent. */
    public int flush()
    {
        if (state != State.CONNECTED)
        {
            return 0;
        }
        int count = 0;
        if (resendNeeded && ctx.resultsFrom != NO_RESULTS)
        {
            sendResendRequest(System.nanoTime());
        }
        while (sent < window.last())
        {
            final long first = sent + 1;
            batchEncoder.wrapAndApplyHeader(send, 0, headerEncoder).firstCommandId(first);
            final int maxCommands = (int)Math.min(window.last() - sent, 65_535);
            int bytes = MessageHeaderEncoder.ENCODED_LENGTH + CommandBatchEncoder.BLOCK_LENGTH + 4;
            int n = 0;
            while (n < maxCommands && bytes + 2 + window.length(first + n) <= ctx.maxBatchBytes)
            {
                bytes += 2 + window.length(first + n);
                n++;
            }
            final CommandBatchEncoder.CommandsEncoder commands = batchEncoder.commandsCount(n);
            for (int i = 0; i < n; i++)
            {
                final long id = first + i;
                commands.next().putCommand(window.slots(), window.dataOffset(id), window.length(id));
            }
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + batchEncoder.encodedLength();
            if (cluster.offer(send, 0, length) < 0)
            {
                break;
            }
            sent = first + n - 1;
            lastSendNs = System.nanoTime();
            count += n;
        }
        return count;
    }

    private int timers(final long now)
    {
        int work = 0;
        if (window.acked() < sent && now - lastAckProgressNs > ctx.ackTimeoutNs)
        {
            // A safety net: no ack at all for this long although commands are out. Leader changes
            // and lost sessions are handled as they happen; this covers what nothing announced.
            rewind();
            lastAckProgressNs = now;
            work += flush();
        }
        if (resendOutstanding && now - resendSentNs > ctx.resendTimeoutNs)
        {
            resendOutstanding = false;
            resendNeeded = true;
        }
        if (resendNeeded && ctx.resultsFrom != NO_RESULTS)
        {
            work += sendResendRequest(now);
        }
        if (now - lastSendNs > ctx.keepAliveIntervalNs && cluster.sendKeepAlive())
        {
            lastSendNs = now;
            work++;
        }
        return work;
    }

    private int sendResendRequest(final long now)
    {
        resendEncoder.wrapAndApplyHeader(send, 0, headerEncoder).fromSequence(expected);
        if (cluster.offer(send, 0, MessageHeaderEncoder.ENCODED_LENGTH + ResendRequestEncoder.BLOCK_LENGTH) < 0)
        {
            return 0;
        }
        resendNeeded = false;
        resendOutstanding = true;
        resendSentNs = now;
        resendFromSent = expected;
        resendsRequested++;
        lastSendNs = now;
        return 1;
    }

    // ------------------------------------------------------------------ connection

    private void startConnect(final long now)
    {
        final AeronCluster.Context clusterContext = new AeronCluster.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .ingressChannel(ctx.ingressChannel)
            .ingressEndpoints(ctx.ingressEndpoints)
            .egressChannel(ctx.egressChannel)
            .messageTimeoutNs(ctx.connectTimeoutNs)
            .newLeaderTimeoutNs(ctx.newLeaderTimeoutNs)
            .controlledEgressListener(this)
            .egressListener(new io.aeron.cluster.client.EgressListener()
            {
                @Override
                public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
                    final int offset, final int length, final Header header)
                {
                    // controlledPollEgress is used
                }
            });
        try
        {
            connecting = AeronCluster.asyncConnect(clusterContext);
            connectStartedAt = now;
            state = State.CONNECTING;
        }
        catch (final RuntimeException e)
        {
            connectFailed(e, now);
        }
    }

    private int pollConnect(final long now)
    {
        try
        {
            final AeronCluster connected = connecting.poll();
            if (connected == null)
            {
                return 0;
            }
            connecting = null;
            cluster = connected;
            connects++;
            leaderMemberId = cluster.leaderMemberId();
            connectFailureLogged = false;
            connectStartedAt = now;
            state = State.SEND_HELLO;
            return 1 + sendHello(now);
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(connecting);
            connecting = null;
            connectFailed(e, now);
            return 1;
        }
    }

    private void connectFailed(final RuntimeException e, final long now)
    {
        if (!connectFailureLogged)
        {
            ctx.log.accept("cluster client: cannot connect to " + ctx.ingressEndpoints + " (" + e.getMessage() + "); retrying");
            connectFailureLogged = true;
        }
        state = State.DISCONNECTED;
        reconnectAt = now + ctx.reconnectDelayNs;
    }

    /** Sends everything not acknowledged again, from the first one. */
    private void rewind()
    {
        commandsResent += sent - window.acked();
        sent = window.acked();
        rewound = true;
    }

    /** Says who this client is: after connecting, after a new leader before the welcome, when refused. */
    private int sendHello(final long now)
    {
        final long from = ctx.resultsFrom == NO_RESULTS ? NO_RESULTS
            : expected == 0 ? RESULTS_FROM_NOW : expected;
        helloEncoder.wrapAndApplyHeader(send, 0, headerEncoder).clientId(ctx.clientId).resultsFrom(from);
        if (cluster.offer(send, 0, MessageHeaderEncoder.ENCODED_LENGTH + HelloEncoder.BLOCK_LENGTH) < 0)
        {
            if (now - connectStartedAt > ctx.connectTimeoutNs)
            {
                lost("could not send Hello", now);
            }
            return 0; // not connected yet (or back pressure): the next duty cycle tries again
        }
        lastSendNs = now;
        helloSentNs = now;
        state = State.AWAIT_WELCOME;
        if (from > 0)
        {
            resendOutstanding = true;
            resendSentNs = now;
            resendFromSent = from;
        }
        return 1;
    }

    private void lost(final String reason, final long now)
    {
        CloseHelper.quietClose(cluster);
        cluster = null;
        state = State.DISCONNECTED;
        reconnectAt = now + ctx.reconnectDelayNs;
        sent = window.acked();
        resendOutstanding = false;
        resendNeeded = false;
        ctx.listener.onDisconnected(reason);
    }

    // ------------------------------------------------------------------ egress

    @Override
    public Action onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length, final Header header)
    {
        if (delivered >= deliverLimit)
        {
            return Action.ABORT;
        }
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return Action.CONTINUE;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return Action.CONTINUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case EntryDecoder.TEMPLATE_ID:
                entryDecoder.wrap(buffer, body, blockLength, version);
                onEntry(entryDecoder);
                break;
            case ClientAckDecoder.TEMPLATE_ID:
                ackDecoder.wrap(buffer, body, blockLength, version);
                onAck(ackDecoder.lastCommandId(), ackDecoder.headSequence(), ackDecoder.status());
                break;
            case ResendEndDecoder.TEMPLATE_ID:
                resendEndDecoder.wrap(buffer, body, blockLength, version);
                onResendEnd(resendEndDecoder.nextSequence(), resendEndDecoder.headSequence());
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                heartbeatDecoder.wrap(buffer, body, blockLength, version);
                onHeartbeat(heartbeatDecoder.headSequence());
                break;
            case ClientErrorDecoder.TEMPLATE_ID:
                errorDecoder.wrap(buffer, body, blockLength, version);
                ctx.log.accept("cluster client: the cluster refused a message: " + errorDecoder.code() + " " + errorDecoder.detail());
                if (errorDecoder.code() == dev.bourse.cluster.sbe.ErrorCode.NOT_REGISTERED)
                {
                    state = State.SEND_HELLO;
                    connectStartedAt = System.nanoTime();
                }
                break;
            default:
                break;
        }
        return Action.CONTINUE;
    }

    private void onEntry(final EntryDecoder entry)
    {
        final long sequence = entry.sequence();
        final int entryLength = entry.entryLength();
        final int fragmentOffset = entry.fragmentOffset();
        final int bytesLength = entry.bytesLength();
        final DirectBuffer deliver;
        final int deliverOffset;
        if (fragmentOffset == 0 && bytesLength == entryLength)
        {
            entryView.wrap(entry.buffer(), entry.limit() + EntryDecoder.bytesHeaderLength(), bytesLength);
            deliver = entryView;
            deliverOffset = 0;
        }
        else
        {
            entry.getBytes(assembly, fragmentOffset, bytesLength);
            if (fragmentOffset + bytesLength < entryLength)
            {
                return;
            }
            deliver = assembly;
            deliverOffset = 0;
        }
        if (expected == 0)
        {
            expected = sequence; // results from now: the first entry sets the start
        }
        if (sequence == expected)
        {
            expected++;
            resendSentNs = System.nanoTime(); // progress: a repair in flight is not stuck
            if (handler != null)
            {
                handler.onEntry(sequence, deliver, deliverOffset, entryLength);
            }
            delivered++;
            results.delivered(sequence);
        }
        else if (sequence > expected && !resendOutstanding)
        {
            resendNeeded = true; // a gap: ask for what is missing
        }
    }

    private void onAck(final long lastCommandId, final long head, final AckStatus status)
    {
        headSequence = Math.max(headSequence, head);
        if (status == AckStatus.WELCOME)
        {
            window.resumeAfter(lastCommandId);
            window.ack(lastCommandId);
            sent = window.acked();
            lastAckProgressNs = System.nanoTime();
            state = State.CONNECTED;
            if (expected == 0 && ctx.resultsFrom == RESULTS_FROM_NOW)
            {
                expected = head + 1;
            }
            ctx.listener.onConnected(cluster.clusterSessionId(), cluster.leaderMemberId());
            return;
        }
        if (lastCommandId > window.acked())
        {
            window.ack(lastCommandId);
            lastAckProgressNs = System.nanoTime();
        }
        if (status == AckStatus.GAP)
        {
            // Go back once: the batches already on their way will all answer GAP too, until the
            // first one sent again arrives.
            if (!rewound)
            {
                rewind();
            }
        }
        else
        {
            rewound = false;
        }
    }

    private void onResendEnd(final long next, final long head)
    {
        headSequence = Math.max(headSequence, head);
        resendOutstanding = false;
        if (expected <= head)
        {
            resendNeeded = true; // more to fetch
        }
    }

    private void onHeartbeat(final long head)
    {
        headSequence = Math.max(headSequence, head);
        // Behind the leader and no entry since the last heartbeat: entries were lost on the way (the
        // leader pushes a client that fell behind on its own, so progress means it is catching up).
        if (expected != 0 && expected <= head && expected == expectedAtHeartbeat && !resendOutstanding)
        {
            resendNeeded = true;
        }
        expectedAtHeartbeat = expected;
    }

    @Override
    public void onSessionEvent(final long correlationId, final long clusterSessionId, final long leadershipTermId,
        final int leaderMemberId, final EventCode code, final String detail)
    {
        if (code == EventCode.ERROR || code == EventCode.AUTHENTICATION_REJECTED)
        {
            ctx.log.accept("cluster client: session event " + code + ": " + detail);
        }
    }

    @Override
    public void onNewLeader(final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
        final String ingressEndpoints)
    {
        this.leaderMemberId = leaderMemberId;
        leaderChanges++;
        if (state == State.AWAIT_WELCOME)
        {
            state = State.SEND_HELLO; // the Hello may not have reached the log before the old leader died
            connectStartedAt = System.nanoTime();
        }
        // What the old leader had not acknowledged may be lost: send it again (duplicates are dropped).
        rewind();
        lastAckProgressNs = System.nanoTime();
        if (ctx.resultsFrom != NO_RESULTS)
        {
            resendOutstanding = false;
            resendNeeded = true;
        }
        ctx.listener.onNewLeader(leaderMemberId, leadershipTermId);
    }

    @Override
    public void onAdminResponse(final long clusterSessionId, final long correlationId, final AdminRequestType requestType,
        final AdminResponseCode responseCode, final String message, final DirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
    }

    // ------------------------------------------------------------------ state

    public boolean isConnected()
    {
        return state == State.CONNECTED;
    }

    public long clientId()
    {
        return ctx.clientId;
    }

    /** The member id of the leader this client talks to (-1 before the first connection). */
    public int leaderMemberId()
    {
        return leaderMemberId;
    }

    public long leaderChanges()
    {
        return leaderChanges;
    }

    /** Commands sent again (after a leader change or an ack timeout). */
    public long commandsResent()
    {
        return commandsResent;
    }

    public long resendsRequested()
    {
        return resendsRequested;
    }

    public long connects()
    {
        return connects;
    }

    /** Commands committed and not yet acknowledged. */
    public int inFlight()
    {
        return window.inFlight();
    }

    /** Id of the last command acknowledged. */
    public long lastAcked()
    {
        return window.acked();
    }

    /** Id of the last command committed. */
    public long lastCommitted()
    {
        return window.last();
    }

    /** The newest journal sequence the cluster reported. */
    public long headSequence()
    {
        return headSequence;
    }

    /** The next sequence expected on the results stream (0: not known yet). */
    public long expectedSequence()
    {
        return expected;
    }

    @Override
    public void close()
    {
        state = State.CLOSED;
        CloseHelper.quietCloseAll(connecting, cluster, aeron, driver);
    }
}
