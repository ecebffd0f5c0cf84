package dev.bourse.server;

import dev.bourse.gateway.GatewayContext;
import dev.bourse.server.config.ExchangeConfig;

/**
 * The gateway's context from the configuration, the same for the single node's gateway and a
 * cluster's gateway processes (each adds where its journal head and session ids come from), so
 * that every {@code gateway.*} key means the same in both.
 */
public final class GatewayWiring
{
    private GatewayWiring()
    {
    }

    /** @param credentials the process's one credential store (every door checks the same users) */
    public static GatewayContext context(final ExchangeConfig config, final dev.bourse.protocol.auth.CredentialStore credentials)
    {
        final ExchangeConfig.Gateway g = config.gateway();
        final ExchangeConfig.Admission a = g.admission();
        final GatewayContext ctx = new GatewayContext()
            .bindAddress(g.bind())
            .port(g.port())
            .compId(g.compId())
            .idleStrategy(g.idleStrategy())
            .maxSessions(g.maxSessions())
            .logonTimeoutMs(g.logonTimeout().toMillis())
            .maxMessageSize(g.maxMessageSize())
            .messagesPerTurn(g.messagesPerTurn())
            .rateLimitPerSecond(g.rateLimitPerSecond())
            .rateLimitBurst(g.rateLimitBurst())
            .rateLimitOverLimit(a.rateLimitOverLimit())
            .lockoutFailures(g.lockoutFailures())
            .lockoutDurationMs(g.lockoutDuration().toMillis())
            .outboundBufferLimit(g.outboundBufferLimit())
            .cancelOnDisconnect(g.cancelOnDisconnect())
            .maxUnauthenticated(a.maxUnauthenticated())
            .maxUnauthenticatedPerAddress(a.maxUnauthenticatedPerAddress())
            .firstBytesTimeoutMs(a.firstBytesTimeout().toMillis())
            .acceptBacklog(a.acceptBacklog())
            .refusedHoldMs(a.refusedHold().toMillis())
            .refusedHoldMax(a.refusedHoldMax())
            .refusedLogonHoldMs(a.refusedLogonHold().toMillis())
            .logonCheckThreads(a.logonCheckThreads())
            .logonCheckCpuPercent(a.logonCheckCpuPercent())
            .logonChecksPerAddress(a.logonChecksPerAddress())
            .lockoutMaxDurationMs(a.lockoutMaxDuration().toMillis())
            .userThrottleFailures(a.userThrottleFailures())
            .userThrottleMaxDelayMs(a.userThrottleMaxDelay().toMillis())
            .userRateLimitPerSecond(a.userRateLimitPerSecond())
            .userRateLimitBurst(a.userRateLimitBurst())
            .abuseLogIntervalMs(a.abuseLogInterval().toMillis())
            .cancelOnDisconnectSlice(a.cancelOnDisconnectSlice())
            // floods of connections and logons are paid for below the order path
            .helperThreadPriority(config.threading().backgroundPriority())
            .sessionDir(g.sessionDir())
            .marketZone(config.schedule().zone())
            .credentials(credentials);
        TlsWiring.gateway(ctx, config.tls());
        return ctx;
    }
}
