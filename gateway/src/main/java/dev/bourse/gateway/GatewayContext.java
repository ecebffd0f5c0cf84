package dev.bourse.gateway;

import dev.bourse.protocol.auth.CredentialStore;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the FIX gateway with the defaults of docs/CONFIGURATION.md; {@link #conclude()}
 * checks them and fills in what is derived. Setters return this for chaining. Long because it is
 * a setter and a getter per setting (Aeron's Context style): it grows with the settings, not with
 * logic.
 */
public final class GatewayContext
{
    // The defaults, in one place: the server's configuration file falls back to these too.
    public static final int DEFAULT_PORT = 9880;
    public static final int DEFAULT_TLS_PORT = 9881;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_COMP_ID = "BOURSE";
    public static final String DEFAULT_IDLE_STRATEGY = "select";
    /** The longest an idle gateway thread blocks in its selector before it checks its timers. */
    static final long DEFAULT_SELECT_BLOCK_MS = 10;
    public static final int DEFAULT_MAX_SESSIONS = 256;
    public static final long DEFAULT_LOGON_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4096;
    /**
     * The kernel's send buffer of each FIX connection. Left to itself Linux grows it to tcp_wmem's
     * maximum (4 MiB here) for a client that stops reading, and after the gateway closed the socket
     * that data went on being delivered for minutes (an outside tester): the gateway's own queue,
     * bounded by the outbound limit and the 60 s linger, holds the rest. As the query side's.
     */
    public static final int SOCKET_SEND_BUFFER_BYTES = 128 * 1024;
    public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 10_000;
    public static final int DEFAULT_RATE_LIMIT_BURST = 1_000;
    public static final int DEFAULT_MESSAGES_PER_TURN = 16;
    public static final int DEFAULT_LOCKOUT_FAILURES = 5;
    public static final long DEFAULT_LOCKOUT_DURATION_MS = TimeUnit.MINUTES.toMillis(5);
    public static final int DEFAULT_OUTBOUND_BUFFER_LIMIT = 4 << 20;
    public static final boolean DEFAULT_CANCEL_ON_DISCONNECT = true;
    public static final int DEFAULT_CANCEL_ON_DISCONNECT_SLICE = 256;
    public static final String IDLE_STRATEGY_NAMES = "select, backoff, sleeping, yielding, busy-spin";

    /**
     * The idle strategy that blocks in the selector when there is nothing to do: the thread wakes
     * when a socket has bytes (like a plain TCP server) or when another thread asks it to.
     */
    public static final String SELECT = "select";

    private String bindAddress = DEFAULT_BIND_ADDRESS;
    private int port = DEFAULT_PORT;
    private String compId = DEFAULT_COMP_ID;
    private String idleStrategyName = DEFAULT_IDLE_STRATEGY;
    private long selectBlockMs = DEFAULT_SELECT_BLOCK_MS;
    private IdleStrategy idleStrategy;
    private int maxSessions = DEFAULT_MAX_SESSIONS;
    private int maxUnauthenticated = 128;
    private int maxUnauthenticatedPerAddress = 8;
    private long firstBytesTimeoutMs = 5_000;
    private long logonTimeoutMs = DEFAULT_LOGON_TIMEOUT_MS;
    private int acceptBacklog = 1_024;
    private long refusedHoldMs = 1_000;
    private int refusedHoldMax = 4_096;
    private long refusedLogonHoldMs;
    private int logonCheckThreads = 1;
    private int logonCheckCpuPercent = 50;
    private int logonChecksPerAddress;
    private long abuseLogIntervalMs = 10_000;
    private int cancelOnDisconnectSlice = DEFAULT_CANCEL_ON_DISCONNECT_SLICE;
    private int messagesPerTurn = DEFAULT_MESSAGES_PER_TURN;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
    private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
    private OverLimit rateLimitOverLimit = OverLimit.QUEUE;
    private int helperThreadPriority = Thread.NORM_PRIORITY;
    private int userRateLimitPerSecond;
    private int userRateLimitBurst;
    private int lockoutFailures = DEFAULT_LOCKOUT_FAILURES;
    private long lockoutDurationMs = DEFAULT_LOCKOUT_DURATION_MS;
    private long lockoutMaxDurationMs = TimeUnit.HOURS.toMillis(1);
    private int userThrottleFailures = 20;
    private long userThrottleMaxDelayMs = TimeUnit.MINUTES.toMillis(1);
    private dev.bourse.protocol.auth.CredentialGuard credentialGuard;
    private int outboundBufferLimit = DEFAULT_OUTBOUND_BUFFER_LIMIT;
    private boolean cancelOnDisconnect = DEFAULT_CANCEL_ON_DISCONNECT;
    private Path sessionDir;
    private java.time.ZoneId marketZone = java.time.ZoneOffset.UTC;
    private CredentialStore credentials;
    private int maxHeartbeatIntervalSeconds = 300;
    private long sendingTimeToleranceMs = 120_000;
    private int journalPollLimit = 256;
    private int firstSessionId = 1;
    private int gatewayId;
    private boolean sessionHandover;
    private int sequenceReservationBlock = 4096;
    private int maxCompIdsPerUser = 16;
    private java.util.function.Consumer<String> errorLog = System.err::println;
    private org.agrona.concurrent.status.CountersManager countersManager;
    private org.agrona.concurrent.EpochClock epochClock = org.agrona.concurrent.SystemEpochClock.INSTANCE;
    private org.agrona.concurrent.NanoClock nanoClock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
    private java.util.function.LongSupplier journalHead = () -> -1;
    private dev.bourse.engine.EngineState recoveredState;
    // TLS (docs/TLS.md)
    private boolean plainEnabled = true;
    private dev.bourse.protocol.tls.TlsSettings tls;
    private int tlsPort = DEFAULT_TLS_PORT;
    private javax.net.ssl.SSLContext sslContext;
    private java.util.concurrent.Executor tlsHandshakeExecutor;
    private boolean concluded;

    public GatewayContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (sessionDir == null)
        {
            throw new IllegalStateException("gateway session directory not set");
        }
        if (credentials == null)
        {
            throw new IllegalStateException("gateway credentials not set");
        }
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("gateway port out of range: " + port);
        }
        concludeTls();
        if (maxMessageSize < 256)
        {
            throw new IllegalArgumentException("gateway max message size must be at least 256: " + maxMessageSize);
        }
        if (outboundBufferLimit < 4 * maxMessageSize)
        {
            throw new IllegalArgumentException("gateway outbound buffer limit must be at least 4 x max message size");
        }
        if (maxSessions < 1 || maxCompIdsPerUser < 1 || logonTimeoutMs < 1 || lockoutFailures < 1 || lockoutDurationMs < 0 ||
            rateLimitPerSecond < 1 || rateLimitBurst < 1 || maxHeartbeatIntervalSeconds < 1 || journalPollLimit < 1 ||
            maxUnauthenticated < 1 || maxUnauthenticatedPerAddress < 1 || firstBytesTimeoutMs < 1 || acceptBacklog < 1 ||
            refusedHoldMs < 0 || refusedHoldMax < 0 || refusedLogonHoldMs < 0 ||
            logonCheckThreads < 1 || logonCheckCpuPercent < 1 || logonCheckCpuPercent > 100 || logonChecksPerAddress < 0 || userRateLimitPerSecond < 0 || userRateLimitBurst < 0 ||
            abuseLogIntervalMs < 0 || cancelOnDisconnectSlice < 1 || messagesPerTurn < 1)
        {
            throw new IllegalArgumentException("gateway limits must be positive: maxSessions=" + maxSessions +
                " maxCompIdsPerUser=" + maxCompIdsPerUser + " logonTimeoutMs=" + logonTimeoutMs + " lockoutFailures=" +
                lockoutFailures + " rateLimitPerSecond=" + rateLimitPerSecond + " rateLimitBurst=" + rateLimitBurst +
                " maxHeartbeatIntervalSeconds=" + maxHeartbeatIntervalSeconds + " journalPollLimit=" + journalPollLimit +
                " maxUnauthenticated=" + maxUnauthenticated + " maxUnauthenticatedPerAddress=" + maxUnauthenticatedPerAddress +
                " firstBytesTimeoutMs=" + firstBytesTimeoutMs + " acceptBacklog=" + acceptBacklog + " logonCheckThreads=" +
                logonCheckThreads + " logonCheckCpuPercent (1..100)=" + logonCheckCpuPercent + " logonChecksPerAddress=" + logonChecksPerAddress + " userRateLimitPerSecond=" +
                userRateLimitPerSecond + " userRateLimitBurst=" + userRateLimitBurst + " cancelOnDisconnectSlice=" + cancelOnDisconnectSlice +
                " messagesPerTurn=" + messagesPerTurn);
        }
        if (maxUnauthenticatedPerAddress > maxUnauthenticated)
        {
            throw new IllegalArgumentException("gateway unauthenticated connections per address (" + maxUnauthenticatedPerAddress +
                ") must not exceed the unauthenticated budget (" + maxUnauthenticated + ")");
        }
        // the first bytes are part of the Logon: never a later deadline than the whole of it
        firstBytesTimeoutMs = Math.min(firstBytesTimeoutMs, logonTimeoutMs);
        if (logonChecksPerAddress == 0)
        {
            // one per connection an address may hold, and as many again for checks of connections
            // that went away while queued (skipped when their turn comes)
            logonChecksPerAddress = 2 * maxUnauthenticatedPerAddress;
        }
        if (userRateLimitPerSecond == 0)
        {
            userRateLimitPerSecond = (int)Math.min(Integer.MAX_VALUE, 2L * rateLimitPerSecond);
        }
        if (userRateLimitBurst == 0)
        {
            userRateLimitBurst = (int)Math.min(Integer.MAX_VALUE, 2L * rateLimitBurst);
        }
        if (credentialGuard == null)
        {
            credentialGuard = new dev.bourse.protocol.auth.CredentialGuard(credentials, credentialPolicy());
        }
        if (idleStrategy == null && !SELECT.equals(idleStrategyName))
        {
            idleStrategy = newIdleStrategy(idleStrategyName);
        }
        if (countersManager == null)
        {
            // a private set of counters (tests, tools); the server passes the process's own
            countersManager = new org.agrona.concurrent.status.CountersManager(
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(64 * 1024)),
                new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(16 * 1024)));
        }
        concluded = true;
        return this;
    }

    private void concludeTls()
    {
        if (!plainEnabled && tls == null)
        {
            throw new IllegalArgumentException("gateway has no port: the plain port is off and TLS is not configured");
        }
        if (tls == null)
        {
            return;
        }
        if (tlsPort < 0 || tlsPort > 65_535)
        {
            throw new IllegalArgumentException("gateway TLS port out of range: " + tlsPort);
        }
        if (plainEnabled && tlsPort != 0 && tlsPort == port)
        {
            throw new IllegalArgumentException("gateway TLS port is the plain port (" + port + ")");
        }
        if (sslContext == null)
        {
            try
            {
                sslContext = tls.sslContext();
            }
            catch (final dev.bourse.protocol.tls.TlsSettings.InvalidSettings e)
            {
                throw new IllegalArgumentException("gateway TLS " + e.field().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " +
                    e.getMessage());
            }
        }
    }

    /** @throws IllegalArgumentException naming the valid choices. */
    public static IdleStrategy newIdleStrategy(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "backoff":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case "sleeping":
                // parkNanos, not Thread.sleep: whoever needs the thread at once can unpark it
                return new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
            case "yielding":
                return new YieldingIdleStrategy();
            case "busy-spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "', choose one of: " + IDLE_STRATEGY_NAMES);
        }
    }

    public String bindAddress()
    {
        return bindAddress;
    }

    public GatewayContext bindAddress(final String value)
    {
        bindAddress = value;
        return this;
    }

    public int port()
    {
        return port;
    }

    /** 0 picks a free port; {@link Gateway#port()} tells which. */
    public GatewayContext port(final int value)
    {
        port = value;
        return this;
    }

    public String compId()
    {
        return compId;
    }

    public GatewayContext compId(final String value)
    {
        compId = value;
        return this;
    }

    public GatewayContext idleStrategy(final String name)
    {
        idleStrategyName = name;
        idleStrategy = null;
        return this;
    }

    public GatewayContext idleStrategy(final IdleStrategy value)
    {
        idleStrategy = value;
        return this;
    }

    /**
     * The longest an idle thread blocks in the selector with {@link #SELECT} before it looks at its
     * timers. Sockets, writable ones with bytes queued for them included, and wake-ups end a block at once.
     */
    GatewayContext selectBlockMs(final long value)
    {
        selectBlockMs = value;
        return this;
    }

    long selectBlockMs()
    {
        return selectBlockMs;
    }

    /** The idle strategy's name ({@link #SELECT} has no IdleStrategy object: the gateway builds it on its selector). */
    public String idleStrategyName()
    {
        return idleStrategyName;
    }

    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    public int maxSessions()
    {
        return maxSessions;
    }

    /** Logged-on sessions at once (connections that have not logged on are counted apart). */
    public GatewayContext maxSessions(final int value)
    {
        maxSessions = value;
        return this;
    }

    public GatewayContext maxUnauthenticated(final int value)
    {
        maxUnauthenticated = value;
        return this;
    }

    /** Connections that have not logged on yet, all addresses together. */
    public int maxUnauthenticated()
    {
        return maxUnauthenticated;
    }

    public GatewayContext maxUnauthenticatedPerAddress(final int value)
    {
        maxUnauthenticatedPerAddress = value;
        return this;
    }

    /** Connections not logged on yet from one source address. */
    public int maxUnauthenticatedPerAddress()
    {
        return maxUnauthenticatedPerAddress;
    }

    public GatewayContext firstBytesTimeoutMs(final long value)
    {
        firstBytesTimeoutMs = value;
        return this;
    }

    /** A new connection that sends nothing for this long is closed (then the whole Logon has {@link #logonTimeoutMs}). */
    public long firstBytesTimeoutMs()
    {
        return firstBytesTimeoutMs;
    }

    public GatewayContext acceptBacklog(final int value)
    {
        acceptBacklog = value;
        return this;
    }

    /** The listening socket's backlog (the kernel may cap it at net.core.somaxconn). */
    public int acceptBacklog()
    {
        return acceptBacklog;
    }

    public GatewayContext logonCheckThreads(final int value)
    {
        logonCheckThreads = value;
        return this;
    }

    /** Threads that run the (deliberately slow) password checks. */
    public int logonCheckThreads()
    {
        return logonCheckThreads;
    }

    public GatewayContext logonCheckCpuPercent(final int value)
    {
        logonCheckCpuPercent = value;
        return this;
    }

    /**
     * The share of a core (percent) each checking thread may take while checks are waiting: a
     * flood of logons must not take the order path's core on a small machine.
     */
    public int logonCheckCpuPercent()
    {
        return logonCheckCpuPercent;
    }

    public GatewayContext logonChecksPerAddress(final int value)
    {
        logonChecksPerAddress = value;
        return this;
    }

    /** Password checks one address may have waiting; 0 (the default) is twice the per-address connection cap. */
    public int logonChecksPerAddress()
    {
        return logonChecksPerAddress;
    }

    public GatewayContext cancelOnDisconnectSlice(final int value)
    {
        cancelOnDisconnectSlice = value;
        return this;
    }

    /**
     * Orders one cancel-on-disconnect command cancels at most: a session with more resting is
     * canceled in slices, so the engine thread does bounded work per command and other sessions'
     * commands go in between.
     */
    public int cancelOnDisconnectSlice()
    {
        return cancelOnDisconnectSlice;
    }

    public GatewayContext abuseLogIntervalMs(final long value)
    {
        abuseLogIntervalMs = value;
        return this;
    }

    /** A refusal reason is logged at most once per this interval (with a count of the others). */
    public long abuseLogIntervalMs()
    {
        return abuseLogIntervalMs;
    }

    public GatewayContext userRateLimitPerSecond(final int value)
    {
        userRateLimitPerSecond = value;
        return this;
    }

    /** Messages per second of one user, all its CompIDs together; 0 (the default) is twice the per-session rate. */
    public int userRateLimitPerSecond()
    {
        return userRateLimitPerSecond;
    }

    public GatewayContext userRateLimitBurst(final int value)
    {
        userRateLimitBurst = value;
        return this;
    }

    /** The user bucket's size; 0 (the default) is twice the per-session burst. */
    public int userRateLimitBurst()
    {
        return userRateLimitBurst;
    }

    public GatewayContext lockoutMaxDurationMs(final long value)
    {
        lockoutMaxDurationMs = value;
        return this;
    }

    /** The longest a (username, address) pair is locked: each further lockout of the pair doubles, up to this. */
    public long lockoutMaxDurationMs()
    {
        return lockoutMaxDurationMs;
    }

    public GatewayContext userThrottleFailures(final int value)
    {
        userThrottleFailures = value;
        return this;
    }

    /** Failures in a row on one username, from any address, after which new addresses are throttled. */
    public int userThrottleFailures()
    {
        return userThrottleFailures;
    }

    public GatewayContext userThrottleMaxDelayMs(final long value)
    {
        userThrottleMaxDelayMs = value;
        return this;
    }

    /** The longest a throttled username makes a new address wait between checks. */
    public long userThrottleMaxDelayMs()
    {
        return userThrottleMaxDelayMs;
    }

    /** The policy the lockout settings above make (for a guard the gateway builds itself). */
    public dev.bourse.protocol.auth.CredentialGuard.Policy credentialPolicy()
    {
        return new dev.bourse.protocol.auth.CredentialGuard.Policy()
            .failuresBeforeLockout(lockoutFailures)
            .lockoutMs(Math.max(1, lockoutDurationMs))
            .maxLockoutMs(Math.max(Math.max(1, lockoutDurationMs), lockoutMaxDurationMs))
            .userThrottleFailures(userThrottleFailures)
            .userThrottleMaxDelayMs(userThrottleMaxDelayMs);
    }

    /**
     * The process's credential check (shared with the other doors, so a lockout is the same on
     * each); by default the gateway builds one from {@link #credentials} and the lockout settings.
     */
    public GatewayContext credentialGuard(final dev.bourse.protocol.auth.CredentialGuard value)
    {
        credentialGuard = value;
        return this;
    }

    public dev.bourse.protocol.auth.CredentialGuard credentialGuard()
    {
        return credentialGuard;
    }

    public long logonTimeoutMs()
    {
        return logonTimeoutMs;
    }

    public GatewayContext logonTimeoutMs(final long value)
    {
        logonTimeoutMs = value;
        return this;
    }

    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    public GatewayContext maxMessageSize(final int value)
    {
        maxMessageSize = value;
        return this;
    }

    public int rateLimitPerSecond()
    {
        return rateLimitPerSecond;
    }

    public GatewayContext rateLimitPerSecond(final int value)
    {
        rateLimitPerSecond = value;
        return this;
    }

    public int rateLimitBurst()
    {
        return rateLimitBurst;
    }

    public GatewayContext rateLimitBurst(final int value)
    {
        rateLimitBurst = value;
        return this;
    }

    /**
     * The Java priority of the gateway's helper threads, the acceptor and the password checks
     * (the server gives them the background's): floods of connections and of logons are paid
     * for below the order path.
     */
    public int helperThreadPriority()
    {
        return helperThreadPriority;
    }

    public GatewayContext helperThreadPriority(final int value)
    {
        if (value < Thread.MIN_PRIORITY || value > Thread.MAX_PRIORITY)
        {
            throw new IllegalArgumentException("helperThreadPriority must be 1..10: " + value);
        }
        helperThreadPriority = value;
        return this;
    }

    /**
     * How long a connection refused at its address's cap is held open, unread, before it is closed.
     * An attacker that reconnects as soon as it is dropped otherwise makes the kernel and the
     * acceptor open and close connections as fast as they can; held, it churns at most
     * {@link #refusedHoldMax()} connections per hold. 0 closes at once.
     */
    public long refusedHoldMs()
    {
        return refusedHoldMs;
    }

    public GatewayContext refusedHoldMs(final long value)
    {
        refusedHoldMs = value;
        return this;
    }

    /**
     * How long the answer to a refused Logon (wrong password, lockout, throttle, busy, ...) is held
     * back: the Logout and the close come this much later, and the connection is not read and
     * still counts against its address's budget meanwhile. Without it an address that reconnects
     * when it is answered has the gateway refuse as fast as it can: 23k locked-out Logons a second
     * in {@code bench abuse}'s lockout scenario, on the order path's thread. 0 (the default here;
     * the exchange's configuration makes it 1 s) answers at once.
     */
    public long refusedLogonHoldMs()
    {
        return refusedLogonHoldMs;
    }

    public GatewayContext refusedLogonHoldMs(final long value)
    {
        refusedLogonHoldMs = value;
        return this;
    }

    /**
     * At most this many refused connections are held at once (and never more than a quarter of
     * the process's file-descriptor limit); beyond, the oldest is closed early.
     */
    public int refusedHoldMax()
    {
        return refusedHoldMax;
    }

    public GatewayContext refusedHoldMax(final int value)
    {
        refusedHoldMax = value;
        return this;
    }

    /**
     * Messages one session's turn handles before the gateway serves the other sessions; the rest
     * of its buffer waits for its next turn, in the next duty cycle. A session sending a burst
     * (a reconnect with a full bucket, a basket of orders) then delays another session's order by
     * one turn, not by the whole burst; a small turn costs a busy session more cycles.
     */
    public int messagesPerTurn()
    {
        return messagesPerTurn;
    }

    public GatewayContext messagesPerTurn(final int value)
    {
        messagesPerTurn = value;
        return this;
    }

    /** What happens to a logged-on session's messages beyond its (or its user's) rate. */
    public enum OverLimit
    {
        /**
         * The session's messages wait, unread, until the bucket refills: first in its inbound
         * buffer, then in the kernel's socket buffer, so a flooding client is held back by TCP
         * flow control and the gateway spends nothing on what it has not yet read (the way Eurex
         * T7 queues transactions over a session's limit). Nothing is rejected or lost.
         */
        QUEUE,
        /** Each message beyond the rate gets its own reject (Text "throttled: ..."). */
        REJECT
    }

    public OverLimit rateLimitOverLimit()
    {
        return rateLimitOverLimit;
    }

    public GatewayContext rateLimitOverLimit(final OverLimit value)
    {
        rateLimitOverLimit = java.util.Objects.requireNonNull(value, "rateLimitOverLimit");
        return this;
    }

    public int lockoutFailures()
    {
        return lockoutFailures;
    }

    public GatewayContext lockoutFailures(final int value)
    {
        lockoutFailures = value;
        return this;
    }

    public long lockoutDurationMs()
    {
        return lockoutDurationMs;
    }

    public GatewayContext lockoutDurationMs(final long value)
    {
        lockoutDurationMs = value;
        return this;
    }

    public int outboundBufferLimit()
    {
        return outboundBufferLimit;
    }

    public GatewayContext outboundBufferLimit(final int value)
    {
        outboundBufferLimit = value;
        return this;
    }

    public boolean cancelOnDisconnect()
    {
        return cancelOnDisconnect;
    }

    public GatewayContext cancelOnDisconnect(final boolean value)
    {
        cancelOnDisconnect = value;
        return this;
    }

    /** The zone of the market's dates (ExpireDate): the schedule's time zone. */
    public java.time.ZoneId marketZone()
    {
        return marketZone;
    }

    public GatewayContext marketZone(final java.time.ZoneId value)
    {
        marketZone = java.util.Objects.requireNonNull(value, "market zone");
        return this;
    }

    public Path sessionDir()
    {
        return sessionDir;
    }

    public GatewayContext sessionDir(final Path value)
    {
        sessionDir = value;
        return this;
    }

    public CredentialStore credentials()
    {
        return credentials;
    }

    public GatewayContext credentials(final CredentialStore value)
    {
        credentials = value;
        return this;
    }

    public int maxHeartbeatIntervalSeconds()
    {
        return maxHeartbeatIntervalSeconds;
    }

    public GatewayContext maxHeartbeatIntervalSeconds(final int value)
    {
        maxHeartbeatIntervalSeconds = value;
        return this;
    }

    public long sendingTimeToleranceMs()
    {
        return sendingTimeToleranceMs;
    }

    public GatewayContext sendingTimeToleranceMs(final long value)
    {
        sendingTimeToleranceMs = value;
        return this;
    }

    public int maxCompIdsPerUser()
    {
        return maxCompIdsPerUser;
    }

    /**
     * How many CompIDs one username may create (each has a session directory and mapped files),
     * so a client with valid credentials cannot fill the disk by inventing CompIDs.
     */
    public GatewayContext maxCompIdsPerUser(final int value)
    {
        maxCompIdsPerUser = value;
        return this;
    }

    /** Where the gateway writes the few lines it logs (failures it survives); default standard error. */
    public java.util.function.Consumer<String> errorLog()
    {
        return errorLog;
    }

    public GatewayContext errorLog(final java.util.function.Consumer<String> value)
    {
        errorLog = value;
        return this;
    }

    /** The process's counters (the gateway allocates its own from them and writes them on its thread). */
    public org.agrona.concurrent.status.CountersManager countersManager()
    {
        return countersManager;
    }

    public GatewayContext countersManager(final org.agrona.concurrent.status.CountersManager value)
    {
        countersManager = value;
        return this;
    }

    public org.agrona.concurrent.EpochClock epochClock()
    {
        return epochClock;
    }

    public GatewayContext epochClock(final org.agrona.concurrent.EpochClock value)
    {
        epochClock = value;
        return this;
    }

    public org.agrona.concurrent.NanoClock nanoClock()
    {
        return nanoClock;
    }

    public GatewayContext nanoClock(final org.agrona.concurrent.NanoClock value)
    {
        nanoClock = value;
        return this;
    }

    /** The engine sequence of the journal's newest entry, for the lag counter; -1 if unknown. */
    public java.util.function.LongSupplier journalHead()
    {
        return journalHead;
    }

    public GatewayContext journalHead(final java.util.function.LongSupplier value)
    {
        journalHead = value;
        return this;
    }

    /** The engine state recovered at start (read before the engine runs), or null. */
    public dev.bourse.engine.EngineState recoveredState()
    {
        return recoveredState;
    }

    /**
     * The engine state recovered at start, read once while the gateway is built (before the engine
     * thread runs): its instruments are known from it even when journal retention has removed the
     * cycle that listed them, since the gateway otherwise learns symbols from the journal's events.
     */
    public GatewayContext recoveredState(final dev.bourse.engine.EngineState value)
    {
        recoveredState = value;
        return this;
    }

    public int journalPollLimit()
    {
        return journalPollLimit;
    }

    public GatewayContext journalPollLimit(final int value)
    {
        journalPollLimit = value;
        return this;
    }

    public int firstSessionId()
    {
        return firstSessionId;
    }

    /**
     * The lowest engine session id this gateway hands out (default 1). Several gateways on one
     * engine (a cluster) each get their own range, so their sessions never share an id.
     */
    public GatewayContext firstSessionId(final int value)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException("firstSessionId must be positive: " + value);
        }
        firstSessionId = value;
        return this;
    }

    /** Engine session ids a gateway's range holds (cluster.gateway-id N starts at N times this, plus 1). */
    public static final int SESSION_IDS_PER_GATEWAY = 1 << 24;

    /** Whether {@code sessionId} is in this gateway's own range (not one taken over from another gateway). */
    public boolean ownsSessionId(final int sessionId)
    {
        return sessionId >= firstSessionId && sessionId - firstSessionId < SESSION_IDS_PER_GATEWAY;
    }

    public int gatewayId()
    {
        return gatewayId;
    }

    /** This gateway's id among the gateways of one engine (cluster.gateway-id), named in its sessions' audits. */
    public GatewayContext gatewayId(final int value)
    {
        gatewayId = value;
        return this;
    }

    public boolean sessionHandover()
    {
        return sessionHandover;
    }

    /**
     * Whether FIX sessions can move between gateways (several gateways on a cluster): each session's
     * outbound MsgSeqNums are reserved in the journal ahead of use, and a client whose session the
     * journal shows at another gateway takes it over here, its sequence numbers carrying on.
     */
    public GatewayContext sessionHandover(final boolean value)
    {
        sessionHandover = value;
        return this;
    }

    public int sequenceReservationBlock()
    {
        return sequenceReservationBlock;
    }

    /** Outbound MsgSeqNums reserved at a time (one journaled audit each); the next is asked for half a block ahead. */
    public GatewayContext sequenceReservationBlock(final int value)
    {
        if (value < 64)
        {
            throw new IllegalArgumentException("sequenceReservationBlock must be at least 64: " + value);
        }
        sequenceReservationBlock = value;
        return this;
    }

    public boolean plainEnabled()
    {
        return plainEnabled;
    }

    /** Whether the plain-TCP port listens (default true); off, only the TLS port takes connections. */
    public GatewayContext plainEnabled(final boolean value)
    {
        plainEnabled = value;
        return this;
    }

    public dev.bourse.protocol.tls.TlsSettings tls()
    {
        return tls;
    }

    /** FIX over TLS on {@link #tlsPort} with this key store and these protocols; null (the default): no TLS port. */
    public GatewayContext tls(final dev.bourse.protocol.tls.TlsSettings value)
    {
        tls = value;
        return this;
    }

    public int tlsPort()
    {
        return tlsPort;
    }

    /** The TLS port (default 9881); 0 picks a free one ({@link Gateway#tlsPort()} tells which). */
    public GatewayContext tlsPort(final int value)
    {
        tlsPort = value;
        return this;
    }

    /** The SSL context made from {@link #tls} by {@link #conclude()} (null without TLS). */
    public javax.net.ssl.SSLContext sslContext()
    {
        return sslContext;
    }

    public java.util.concurrent.Executor tlsHandshakeExecutor()
    {
        return tlsHandshakeExecutor;
    }

    /**
     * Runs the TLS handshakes' delegated tasks instead of the gateway's own {@code bourse-gateway-tls}
     * thread (null, the default: its own). For tests that hold a handshake back; it must never run
     * a task on the calling thread.
     */
    public GatewayContext tlsHandshakeExecutor(final java.util.concurrent.Executor value)
    {
        tlsHandshakeExecutor = value;
        return this;
    }
}
