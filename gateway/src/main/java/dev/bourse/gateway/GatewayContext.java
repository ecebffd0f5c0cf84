package dev.bourse.gateway;

import dev.bourse.protocol.auth.CredentialStore;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the FIX gateway with the defaults of docs/CONFIGURATION.md; {@link #conclude()}
 * checks them and fills in what is derived. Setters return this for chaining.
 */
public final class GatewayContext
{
    // The defaults, in one place: the server's configuration file falls back to these too.
    public static final int DEFAULT_PORT = 9880;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_COMP_ID = "BOURSE";
    public static final String DEFAULT_IDLE_STRATEGY = "select";
    public static final int DEFAULT_MAX_SESSIONS = 256;
    public static final long DEFAULT_LOGON_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4096;
    public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 10_000;
    public static final int DEFAULT_RATE_LIMIT_BURST = 1_000;
    public static final int DEFAULT_LOCKOUT_FAILURES = 5;
    public static final long DEFAULT_LOCKOUT_DURATION_MS = TimeUnit.MINUTES.toMillis(5);
    public static final int DEFAULT_OUTBOUND_BUFFER_LIMIT = 4 << 20;
    public static final boolean DEFAULT_CANCEL_ON_DISCONNECT = true;
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
    private IdleStrategy idleStrategy;
    private int maxSessions = DEFAULT_MAX_SESSIONS;
    private long logonTimeoutMs = DEFAULT_LOGON_TIMEOUT_MS;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
    private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
    private int lockoutFailures = DEFAULT_LOCKOUT_FAILURES;
    private long lockoutDurationMs = DEFAULT_LOCKOUT_DURATION_MS;
    private int outboundBufferLimit = DEFAULT_OUTBOUND_BUFFER_LIMIT;
    private boolean cancelOnDisconnect = DEFAULT_CANCEL_ON_DISCONNECT;
    private Path sessionDir;
    private CredentialStore credentials;
    private int maxHeartbeatIntervalSeconds = 300;
    private long sendingTimeToleranceMs = 120_000;
    private int journalPollLimit = 256;
    private int firstSessionId = 1;
    private int maxCompIdsPerUser = 16;
    private java.util.function.Consumer<String> errorLog = System.err::println;
    private org.agrona.concurrent.status.CountersManager countersManager;
    private org.agrona.concurrent.EpochClock epochClock = org.agrona.concurrent.SystemEpochClock.INSTANCE;
    private org.agrona.concurrent.NanoClock nanoClock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
    private java.util.function.LongSupplier journalHead = () -> -1;
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
        if (maxMessageSize < 256)
        {
            throw new IllegalArgumentException("gateway max message size must be at least 256: " + maxMessageSize);
        }
        if (outboundBufferLimit < 4 * maxMessageSize)
        {
            throw new IllegalArgumentException("gateway outbound buffer limit must be at least 4 x max message size");
        }
        if (maxSessions < 1 || maxCompIdsPerUser < 1 || logonTimeoutMs < 1 || lockoutFailures < 1 || lockoutDurationMs < 0 ||
            rateLimitPerSecond < 1 || rateLimitBurst < 1 || maxHeartbeatIntervalSeconds < 1 || journalPollLimit < 1)
        {
            throw new IllegalArgumentException("gateway limits must be positive: maxSessions=" + maxSessions +
                " maxCompIdsPerUser=" + maxCompIdsPerUser + " logonTimeoutMs=" + logonTimeoutMs + " lockoutFailures=" +
                lockoutFailures + " rateLimitPerSecond=" + rateLimitPerSecond + " rateLimitBurst=" + rateLimitBurst +
                " maxHeartbeatIntervalSeconds=" + maxHeartbeatIntervalSeconds + " journalPollLimit=" + journalPollLimit);
        }
        if (idleStrategy == null && !SELECT.equals(idleStrategyName))
        {
            idleStrategy = newIdleStrategy(idleStrategyName);
        }
        if (countersManager == null)
        {
            // a private set of counters (tests, tools); the server passes the process's own
            countersManager = new org.agrona.concurrent.status.CountersManager(
                new org.agrona.concurrent.UnsafeBuffer(new byte[64 * 1024]), new org.agrona.concurrent.UnsafeBuffer(new byte[16 * 1024]));
        }
        concluded = true;
        return this;
    }

    /** @throws IllegalArgumentException naming the valid choices. */
    public static IdleStrategy newIdleStrategy(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "backoff":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
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

    public GatewayContext maxSessions(final int value)
    {
        maxSessions = value;
        return this;
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
}
