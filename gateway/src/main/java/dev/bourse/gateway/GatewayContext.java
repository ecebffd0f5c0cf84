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
    public static final int DEFAULT_PORT = 9880;
    public static final String IDLE_STRATEGY_NAMES = "backoff, sleeping, yielding, busy-spin";

    private String bindAddress = "0.0.0.0";
    private int port = DEFAULT_PORT;
    private String compId = "BOURSE";
    private String idleStrategyName = "backoff";
    private IdleStrategy idleStrategy;
    private int maxSessions = 256;
    private long logonTimeoutMs = 10_000;
    private int maxMessageSize = 4096;
    private int rateLimitPerSecond = 10_000;
    private int rateLimitBurst = 1_000;
    private int lockoutFailures = 5;
    private long lockoutDurationMs = TimeUnit.MINUTES.toMillis(5);
    private int outboundBufferLimit = 4 << 20;
    private boolean cancelOnDisconnect = true;
    private Path sessionDir;
    private CredentialStore credentials;
    private int maxHeartbeatIntervalSeconds = 300;
    private long sendingTimeToleranceMs = 120_000;
    private int journalPollLimit = 256;
    private int maxCompIdsPerUser = 16;
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
        if (idleStrategy == null)
        {
            idleStrategy = newIdleStrategy(idleStrategyName);
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

    public int journalPollLimit()
    {
        return journalPollLimit;
    }

    public GatewayContext journalPollLimit(final int value)
    {
        journalPollLimit = value;
        return this;
    }
}
