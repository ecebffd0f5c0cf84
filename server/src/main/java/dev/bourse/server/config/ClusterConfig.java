package dev.bourse.server.config;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.cluster.node.IdleStrategies;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code cluster.*} keys (docs/CONFIGURATION.md, Cluster): without {@code cluster.members}
 * the exchange is one process with the Disruptor sequencer (single-node mode, the default). With
 * it, this process is either a cluster node ({@code cluster.node-id} set: the engine as an Aeron
 * Cluster service, its journal and readers) or a gateway on the cluster (no node id: the FIX
 * gateway as a cluster client). The defaults are the exchange's, not Aeron's; docs/CLUSTER.md
 * says why.
 */
public record ClusterConfig(
    Role role,
    String members,
    int nodeId,
    Path dir,
    String aeronDir,
    Duration leaderHeartbeatTimeout,
    Duration leaderHeartbeatInterval,
    Duration electionTimeout,
    Duration sessionTimeout,
    Duration startupCanvassTimeout,
    String fsync,
    int logTermLength,
    String idleStrategy,
    Duration snapshotInterval,
    int maxClients,
    int maxSessions,
    int gatewayId,
    String clientHost,
    int clientWindow,
    Duration clientSilenceTimeout)
{
    /** What this process is. */
    public enum Role
    {
        /** No cluster: engine, sequencer and everything else in this process. */
        SINGLE,
        /** One member of the cluster: consensus, the engine as a service, its journal and readers. */
        NODE,
        /** A FIX gateway whose engine is the cluster (a cluster client). */
        GATEWAY
    }

    /** Gateway ids partition the engine's session ids: gateway g hands out g * 2^24 + 1 onwards. */
    public static final int MAX_GATEWAY_ID = 127;
    public static final int SESSION_IDS_PER_GATEWAY = dev.bourse.gateway.GatewayContext.SESSION_IDS_PER_GATEWAY;

    private static final List<String> NODE_KEYS = List.of("cluster.dir", "cluster.aeron-dir", "cluster.leader-heartbeat-timeout",
        "cluster.leader-heartbeat-interval", "cluster.election-timeout", "cluster.session-timeout", "cluster.startup-canvass-timeout",
        "cluster.fsync", "cluster.log-term-length", "cluster.idle-strategy", "cluster.snapshot-interval", "cluster.max-clients",
        "cluster.max-sessions");
    private static final List<String> GATEWAY_KEYS = List.of("cluster.gateway-id", "cluster.client-host", "cluster.client-window",
        "cluster.client-silence-timeout");

    public boolean enabled()
    {
        return role != Role.SINGLE;
    }

    /** The first engine session id this process's gateway hands out. */
    public int firstSessionId()
    {
        return gatewayId * SESSION_IDS_PER_GATEWAY + 1;
    }

    /** The members as a cluster client needs them (id=host:ingressPort,...). */
    public String ingressEndpoints()
    {
        return ClusterMembers.parse(members).ingressEndpoints();
    }

    /** A node's settings as the cluster module takes them (not yet concluded). */
    public ClusterNode.Context toNodeContext()
    {
        return new ClusterNode.Context()
            .nodeId(nodeId)
            .members(members)
            .dir(dir)
            .aeronDir(aeronDir)
            .leaderHeartbeatTimeoutNs(leaderHeartbeatTimeout.toNanos())
            .leaderHeartbeatIntervalNs(leaderHeartbeatInterval.toNanos())
            .electionTimeoutNs(electionTimeout.toNanos())
            .sessionTimeoutNs(sessionTimeout.toNanos())
            .startupCanvassTimeoutNs(startupCanvassTimeout.toNanos())
            .fileSync(ClusterNode.FileSync.named(fsync))
            .logTermLength(logTermLength)
            .idleStrategy(idleStrategy)
            .snapshotIntervalNs(snapshotInterval.toNanos())
            .maxClients(maxClients)
            .maxSessions(maxSessions);
    }

    /** Reads and checks the cluster keys; problems go to {@code s} with their key. */
    static ClusterConfig read(final Settings s, final Path dataDir)
    {
        final String members = s.string("cluster.members", null);
        final int nodeId = s.intValue("cluster.node-id", -1, 0, 1_000);
        final boolean nodeIdSet = s.has("cluster.node-id");
        final Role role = members == null ? Role.SINGLE : nodeIdSet ? Role.NODE : Role.GATEWAY;
        if (members != null)
        {
            try
            {
                final ClusterMembers parsed = ClusterMembers.parse(members);
                if (nodeIdSet && nodeId >= 0) // -1: the value was not a number, already reported
                {
                    parsed.member(nodeId);
                }
            }
            catch (final IllegalArgumentException e)
            {
                s.error(nodeIdSet && e.getMessage().startsWith("cluster.node-id") ? "cluster.node-id" : "cluster.members",
                    withoutKey(e.getMessage()));
            }
        }
        final Duration leaderHeartbeatTimeout = s.duration("cluster.leader-heartbeat-timeout", Duration.ofMillis(300), Duration.ofMillis(10));
        final Duration electionTimeout = s.duration("cluster.election-timeout", Duration.ofMillis(150), Duration.ofMillis(10));
        // a failover (the leader's silence noticed, then an election) must fit in it twice
        final Duration failover = leaderHeartbeatTimeout.plus(electionTimeout);
        final Duration defaultSilence = java.util.Collections.max(
            List.of(failover.multipliedBy(2), Duration.ofNanos(ClusterClient.DEFAULT_SILENCE_TIMEOUT_NS)));
        final ClusterConfig c = new ClusterConfig(
            role,
            members,
            nodeId,
            s.path("cluster.dir", dataDir.resolve("cluster")),
            s.string("cluster.aeron-dir", null),
            leaderHeartbeatTimeout,
            s.duration("cluster.leader-heartbeat-interval", Duration.ofMillis(30), Duration.ofMillis(1)),
            electionTimeout,
            s.duration("cluster.session-timeout", Duration.ofSeconds(5), Duration.ofMillis(100)),
            s.duration("cluster.startup-canvass-timeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
            s.choice("cluster.fsync", "none", "none", "data", "all"),
            s.powerOfTwo("cluster.log-term-length", 4 << 20, 64 << 10, 1 << 30),
            s.string("cluster.idle-strategy", "backoff"),
            s.duration("cluster.snapshot-interval", Duration.ZERO, Duration.ZERO),
            s.intValue("cluster.max-clients", 10_000, 1, 1_000_000),
            s.intValue("cluster.max-sessions", ClusterNode.Context.DEFAULT_MAX_SESSIONS, 4, 100_000),
            s.intValue("cluster.gateway-id", 0, 0, MAX_GATEWAY_ID),
            s.string("cluster.client-host", "localhost"),
            s.powerOfTwo("cluster.client-window", 8_192, 64, 1 << 20),
            s.duration("cluster.client-silence-timeout", defaultSilence, Duration.ofSeconds(1)));
        if (c.clientSilenceTimeout.compareTo(failover) <= 0)
        {
            s.error("cluster.client-silence-timeout", "must be longer than a failover, cluster.leader-heartbeat-timeout plus "
                + "cluster.election-timeout (" + failover.toMillis() + "ms), or a gateway reconnects in every failover");
        }
        try
        {
            IdleStrategies.named(c.idleStrategy);
        }
        catch (final IllegalArgumentException e)
        {
            s.error("cluster.idle-strategy", e.getMessage());
        }
        if (c.leaderHeartbeatTimeout.compareTo(c.leaderHeartbeatInterval.multipliedBy(2)) < 0)
        {
            s.error("cluster.leader-heartbeat-timeout", "must be at least twice cluster.leader-heartbeat-interval ("
                + c.leaderHeartbeatInterval.toMillis() + "ms)");
        }
        if (c.startupCanvassTimeout.compareTo(c.leaderHeartbeatTimeout.multipliedBy(2)) < 0)
        {
            // Aeron Cluster's own rule; its refusal ("startupCanvassTimeoutNs=... must be a multiple of
            // leaderHeartbeatTimeoutNs=...") named neither key (an outside tester's 30s heartbeat timeout)
            if (s.has("cluster.startup-canvass-timeout"))
            {
                s.error("cluster.startup-canvass-timeout", "must be at least twice cluster.leader-heartbeat-timeout ("
                    + c.leaderHeartbeatTimeout.toMillis() + "ms)");
            }
            else
            {
                s.error("cluster.leader-heartbeat-timeout", "must be at most half cluster.startup-canvass-timeout ("
                    + c.startupCanvassTimeout.toMillis() + "ms, its default; raise it too for a longer timeout)");
            }
        }
        switch (role)
        {
            case SINGLE ->
            {
                for (final String key : concat(List.of("cluster.node-id"), NODE_KEYS, GATEWAY_KEYS))
                {
                    if (s.has(key))
                    {
                        s.error(key, "set without cluster.members (single-node mode has no cluster)");
                    }
                }
            }
            case GATEWAY ->
            {
                if (!s.has("cluster.gateway-id"))
                {
                    s.error("cluster.gateway-id", "is required for a gateway on a cluster (0-" + MAX_GATEWAY_ID
                        + ", different for every gateway: it keeps their engine session ids apart)");
                }
            }
            default ->
            {
                // a node ignores the gateway keys and a gateway the node keys: one file can serve every
                // process; but one process given both ids is one of them by mistake
                if (s.has("cluster.gateway-id"))
                {
                    s.error("cluster.gateway-id", "set together with cluster.node-id: a process is a cluster node (cluster.node-id) "
                        + "or a gateway (cluster.gateway-id), not both");
                }
            }
        }
        return c;
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... lists)
    {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    /** "cluster.members: x" → "x" (the key is printed in front of the problem anyway). */
    private static String withoutKey(final String message)
    {
        for (final String key : new String[]{"cluster.members: ", "cluster.members ", "cluster.node-id "})
        {
            if (message.startsWith(key))
            {
                return key.startsWith("cluster.node-id") ? message.substring("cluster.node-id ".length()) : message.substring(key.length());
            }
        }
        return message;
    }
}
