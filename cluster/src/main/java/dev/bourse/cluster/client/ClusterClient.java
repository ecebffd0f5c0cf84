package dev.bourse.cluster.client;

import dev.bourse.cluster.node.IdleStrategies;
import dev.bourse.cluster.node.RepeatedLines;
import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.CommandWriter;
import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Path;
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
 * <p>
 * This class is the conductor (connection, window, acks, timers); {@link ClientIngress} encodes
 * what goes to the cluster, {@link ClientEgress} decodes what comes back and {@link ResultsStream}
 * keeps the results in order. Past 500 lines because of its Context: every setting documented.
 */
public final class ClusterClient implements CommandPublisher, ClientEgress.Handler, AutoCloseable
{
    /** No results: acknowledgements only. */
    public static final long NO_RESULTS = 0;
    /** Results from the next entry committed after connecting. */
    public static final long RESULTS_FROM_NOW = -1;
    /** See {@link Context#silenceTimeoutNs(long)}: twelve of the leader's heartbeats, several failovers' length at the defaults. */
    public static final long DEFAULT_SILENCE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

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

        /**
         * After each welcome: whether the leader's cluster.members gives the nodes the ingress
         * addresses this client reaches them by ({@code leadersIngress}, as id=host:port,...). A
         * client with a node's address wrong connects and trades, and cannot follow a failover to it.
         */
        default void onMembersChecked(final int leaderMemberId, final String leadersIngress, final boolean agrees)
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
        private long silenceTimeoutNs = DEFAULT_SILENCE_TIMEOUT_NS;
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

        /**
         * The largest ingress message (a batch of commands) in bytes; commands flushed together go in
         * as few batches as fit, and a batch is applied whole, in one log message. It must fit the
         * ingress channel's and the cluster log's largest message (an eighth of their term length).
         */
        public Context maxBatchBytes(final int maxBatchBytes)
        {
            this.maxBatchBytes = maxBatchBytes;
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

        /**
         * A client that takes results hears from the leader at least at every heartbeat (250 ms). With
         * nothing at all for this long it takes its session for lost and connects again (0: never).
         * Aeron closes, without a word to their clients, the sessions a node finds when it wins the
         * election it started in (a node restarted moments before the leader died): such a client
         * waited for Aeron's own timeouts, about 10 s (an outside probe). Keep it above a failover's
         * length (leader heartbeat timeout plus an election), or clients reconnect in every failover:
         * harmless (nothing is lost or doubled), but a reconnect can take a second longer than
         * following the new leader's announcement.
         */
        public Context silenceTimeoutNs(final long silenceTimeoutNs)
        {
            this.silenceTimeoutNs = silenceTimeoutNs;
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
    private final ClientIngress ingress;
    private final ClientEgress egress = new ClientEgress(this);
    private final ResultsStream stream;

    private State state = State.DISCONNECTED;
    private AeronCluster cluster;
    private AeronCluster.AsyncConnect connecting;
    private long reconnectAt;
    private long connectStartedAt;
    private long helloSentNs;
    private boolean connectFailureLogged;
    private long lastRefusalLogNs;
    private static final long REFUSAL_LOG_INTERVAL_NS = 30_000_000_000L;
    private long nowNs;

    /** Commands up to here were offered to the current leader. */
    private long sent;
    private long lastAckProgressNs;
    private long lastSendNs;
    /** When egress last brought anything (an entry, an ack, a heartbeat, a session event). */
    private long lastHeardNs;
    private long claimed = -1;
    private boolean rewound;

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
        this.ingress = new ClientIngress(ctx.maxBatchBytes);
        this.stream = new ResultsStream(ctx.resultsFrom, ctx.resendTimeoutNs);
        if (ctx.aeronDir == null)
        {
            StaleDriverDirs.delete(Path.of(System.getProperty("java.io.tmpdir")));
            final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(System.getProperty("java.io.tmpdir") + "/" + StaleDriverDirs.PREFIX + Long.toHexString(ctx.clientId)
                    + "-" + ProcessHandle.current().pid());
            driverContext
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(IdleStrategies.named(ctx.idleStrategy).get())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(256 * 1024)
                .ipcTermBufferLength(256 * 1024)
                .counterValuesBufferLength(1024 * 1024);
            driver = MediaDriver.launchEmbedded(driverContext);
        }
        else
        {
            driver = null;
        }
        // Aeron's default prints each error's stack trace on stderr: one line in the log instead, each repeat counted
        final RepeatedLines errors = new RepeatedLines(ctx.log, System::nanoTime, java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver != null ? driver.aeronDirectoryName() : ctx.aeronDir)
            .errorHandler(t -> errors.accept("cluster client: Aeron: " + t)));
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

    /** One duty cycle without a results handler: for a client without results (entries would be skipped). */
    public int doWork()
    {
        return poll(null, Integer.MAX_VALUE);
    }

    /** One duty cycle: connection, egress (entries to {@code handler}, up to {@code limit}), sends, timers. */
    int poll(final JournalHandler handler, final int limit)
    {
        final long now = System.nanoTime();
        nowNs = now;
        switch (state)
        {
            case DISCONNECTED:
                if (now - reconnectAt >= 0)
                {
                    startConnect(now);
                    return 1;
                }
                return 0;
            case CONNECTING:
                return pollConnect(now);
            case CLOSED:
                return 0;
            default:
                break;
        }
        int work = 0;
        stream.beginPoll(handler, limit);
        try
        {
            int fragments;
            do
            {
                fragments = cluster.controlledPollEgress();
                work += fragments;
                if (fragments > 0)
                {
                    lastHeardNs = now;
                }
            }
            while (fragments > 0 && stream.acceptsEntries() && !cluster.isClosed());
        }
        finally
        {
            work += stream.endPoll();
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
            if (state == State.AWAIT_WELCOME)
            {
                connectStartedAt = now;
            }
            work += sendHello(now);
        }
        return work;
    }

    /** Sends what is committed and not yet sent, in batches; returns the number of commands sent. */
    public int flush()
    {
        if (state != State.CONNECTED)
        {
            return 0;
        }
        int count = 0;
        while (sent < window.last())
        {
            final int n = ingress.batch(cluster, window, sent + 1, window.last());
            if (n == 0)
            {
                break; // back pressure or no leader: the commands wait in the window
            }
            sent += n;
            count += n;
            lastSendNs = System.nanoTime();
        }
        return count;
    }

    private int timers(final long now)
    {
        int work = 0;
        if (ctx.silenceTimeoutNs > 0 && ctx.resultsFrom != NO_RESULTS && now - lastHeardNs > ctx.silenceTimeoutNs)
        {
            // no guess at the cause: a leader that closed this session unannounced, or an election still going on
            lost(String.format("nothing from the cluster for %.1f s, though a leader sends heartbeats four times a second; "
                + "connecting to whichever node leads", (now - lastHeardNs) / 1e9), now);
            return 1;
        }
        if (window.acked() < sent && now - lastAckProgressNs > ctx.ackTimeoutNs)
        {
            // A safety net: no ack at all for this long although commands are out. Leader changes
            // and lost sessions are handled as they happen; this covers what nothing announced.
            rewind();
            lastAckProgressNs = now;
            work += flush();
        }
        if (stream.resendDue(now) && ingress.resendRequest(cluster, stream.expected()))
        {
            stream.resendSent(now);
            resendsRequested++;
            lastSendNs = now;
            work++;
        }
        if (now - lastSendNs > ctx.keepAliveIntervalNs && cluster.sendKeepAlive())
        {
            lastSendNs = now;
            work++;
        }
        return work;
    }

    /** Sends everything not acknowledged again, from the first one. */
    private void rewind()
    {
        commandsResent += sent - window.acked();
        sent = window.acked();
        rewound = true;
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
            .controlledEgressListener(egress)
            .egressListener(new io.aeron.cluster.client.EgressListener()
            {
                @Override
                public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
                    final int offset, final int length, final Header header)
                {
                    // never called: the client polls with controlledPollEgress
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
        // Aeron's message starts with its category ("ERROR - cluster connect timeout"): while a cluster starts or
        // elects that is expected and retried, and an ERROR on every node at every cold start read as a fault
        final String message = String.valueOf(e.getMessage());
        final String reason = connectFailureReason(message);
        if (message.contains("concurrent session limit"))
        {
            // the leader answered, and refused: said as what it is, and again every half minute while it lasts (a 7th
            // gateway logged "no leader reached yet" once and sat silent: an outside probe)
            if (!connectFailureLogged || now - lastRefusalLogNs >= REFUSAL_LOG_INTERVAL_NS)
            {
                ctx.log.accept("cluster client: the leader refused this client: it has as many sessions as cluster.max-sessions"
                    + " allows (each gateway, each node's admin client and the leader's scheduler take one, and a client gone takes"
                    + " one until cluster.session-timeout): raise cluster.max-sessions on every node; retrying");
                lastRefusalLogNs = now;
                connectFailureLogged = true;
            }
        }
        else if (!connectFailureLogged)
        {
            ctx.log.accept("cluster client: no leader reached yet at " + ctx.ingressEndpoints + " (" + reason + "); retrying");
            connectFailureLogged = true;
        }
        state = State.DISCONNECTED;
        reconnectAt = now + ctx.reconnectDelayNs;
    }

    /**
     * Aeron's reason without its category ("ERROR - cluster connect timeout") and without the state
     * dump that follows a colon (its channels and publications: "cluster connect timeout: state=...
     * ingressPublication=Publication{...}"), which at every cold start of a node read as a fault to
     * an outside tester. A reason without such a dump is kept whole.
     */
    static String connectFailureReason(final String message)
    {
        final String reason = String.valueOf(message).replaceFirst("^(ERROR|WARN|FATAL) - ", "");
        final int colon = reason.indexOf(": ");
        return colon > 0 && reason.indexOf('=', colon) > 0 ? reason.substring(0, colon) : reason;
    }

    /** Says who this client is: after connecting, after a new leader before the welcome, when refused. */
    private int sendHello(final long now)
    {
        if (!ingress.hello(cluster, ctx.clientId, stream.helloFrom()))
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
        stream.helloSent(now);
        return 1;
    }

    private void lost(final String reason, final long now)
    {
        CloseHelper.quietClose(cluster);
        cluster = null;
        state = State.DISCONNECTED;
        reconnectAt = now + ctx.reconnectDelayNs;
        sent = window.acked();
        stream.onDisconnected();
        ctx.listener.onDisconnected(reason);
    }

    // ------------------------------------------------------------------ egress (ClientEgress.Handler)

    @Override
    public boolean acceptsEntries()
    {
        return stream.acceptsEntries();
    }

    @Override
    public void onEntry(final long sequence, final int entryLength, final int fragmentOffset, final DirectBuffer buffer,
        final int offset, final int length)
    {
        stream.onEntry(sequence, entryLength, fragmentOffset, buffer, offset, length, nowNs);
    }

    @Override
    public void onAck(final long lastCommandId, final long head, final AckStatus status)
    {
        stream.head(head);
        if (status == AckStatus.WELCOME)
        {
            window.resumeAfter(lastCommandId);
            window.ack(lastCommandId);
            sent = window.acked();
            lastAckProgressNs = System.nanoTime();
            lastHeardNs = lastAckProgressNs;
            state = State.CONNECTED;
            stream.welcomed(head);
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

    @Override
    public void onResendEnd(final long nextSequence, final long head)
    {
        stream.onResendEnd(head);
    }

    @Override
    public void onHeartbeat(final long head)
    {
        stream.onHeartbeat(head);
    }

    @Override
    public void onError(final ErrorCode code, final long detail)
    {
        ctx.log.accept("cluster client: the cluster refused a message: " + code + " " + detail);
        if (code == ErrorCode.NOT_REGISTERED)
        {
            state = State.SEND_HELLO;
            connectStartedAt = System.nanoTime();
        }
    }

    @Override
    public void onNewLeader(final int leaderMemberId, final long leadershipTermId)
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
        stream.onNewLeader();
        ctx.listener.onNewLeader(leaderMemberId, leadershipTermId);
    }

    @Override
    public void onMembers(final int leaderMemberId, final String members)
    {
        final String leadersIngress;
        try
        {
            leadersIngress = dev.bourse.cluster.node.ClusterMembers.parse(members).ingressEndpoints();
        }
        catch (final RuntimeException e)
        {
            return; // a list this client cannot read says nothing about its own
        }
        ctx.listener.onMembersChecked(leaderMemberId, leadersIngress, leadersIngress.equals(ctx.ingressEndpoints));
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

    /** Commands sent again (after a leader change, a GAP or the ack timeout). */
    public long commandsResent()
    {
        return commandsResent;
    }

    /** Resend requests this client made to repair its results stream. */
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
        return stream.headSequence();
    }

    /** The next sequence expected on the results stream (0: not known yet). */
    public long expectedSequence()
    {
        return stream.expected();
    }

    long lastDelivered()
    {
        return stream.lastDelivered();
    }

    /** Entries delivered since the client began, rewinds or not. */
    long totalDelivered()
    {
        return stream.totalDelivered();
    }

    /** The results stream starts again after {@code afterSequence} (see {@link ClusterResults#rewind}). */
    void rewind(final long afterSequence)
    {
        stream.rewind(afterSequence);
    }

    @Override
    public void close()
    {
        state = State.CLOSED;
        CloseHelper.quietCloseAll(connecting, cluster, aeron, driver);
    }
}
