package dev.bourse.protocol;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Every counter the exchange keeps, in one place (the way Aeron lists its system counters): its
 * metric name, whether it is a monotonic counter or a gauge, the label it is split by (if any),
 * and what it means. Each counter is allocated from the one {@link CountersManager} of the
 * process and written only by the agent that owns it (named below); anyone may read it, in
 * process or from the counters file ({@code ./exchange stat}, {@code /metrics}).
 */
public enum CounterDescriptor
{
    // engine thread
    ENGINE_COMMANDS("bourse_engine_commands_total", Kind.COUNTER, "type", "commands processed, by command type (engine)"),
    ENGINE_REJECTS("bourse_engine_rejects_total", Kind.COUNTER, "reason", "commands rejected, by reason (engine)"),
    JOURNAL_EVENTS("bourse_journal_events_total", Kind.COUNTER, null, "events journaled (engine)"),
    ENGINE_HALTED_REJECTS("bourse_engine_halted_rejects_total", Kind.COUNTER, null, "commands refused after a journal failure (engine)"),
    ENGINE_HALTED("bourse_engine_halted", Kind.GAUGE, null, "1 once the engine stopped taking commands (engine)"),
    JOURNAL_APPEND_FAILURES("bourse_journal_append_failures_total", Kind.COUNTER, null, "failed journal appends (engine)"),
    JOURNAL_DOCUMENTS("bourse_journal_documents_total", Kind.COUNTER, null, "journal documents written, one per batch (engine)"),
    RING_OCCUPANCY("bourse_ring_occupancy", Kind.GAUGE, null, "commands waiting in the sequencer ring after a batch (engine)"),
    RING_CAPACITY("bourse_ring_capacity", Kind.GAUGE, null, "sequencer ring slots (engine)"),
    ENGINE_BATCHES("bourse_engine_batches_total", Kind.COUNTER, null, "batches drained from the ring (engine)"),

    // gateway thread
    GATEWAY_CONNECTIONS("bourse_gateway_connections", Kind.GAUGE, null, "open FIX connections, logged on or not (gateway)"),
    GATEWAY_SESSIONS("bourse_gateway_sessions", Kind.GAUGE, null, "logged-on FIX sessions (gateway)"),
    GATEWAY_MESSAGES_IN("bourse_gateway_messages_in_total", Kind.COUNTER, null, "FIX messages received (gateway)"),
    GATEWAY_MESSAGES_OUT("bourse_gateway_messages_out_total", Kind.COUNTER, null, "FIX messages sent or stored for resend (gateway)"),
    GATEWAY_THROTTLED("bourse_gateway_throttled_total", Kind.COUNTER, null, "messages refused by the rate limit (gateway)"),
    GATEWAY_BUSY_REJECTS("bourse_gateway_busy_rejects_total", Kind.COUNTER, null, "orders refused because the ring was full (gateway)"),
    GATEWAY_GARBLED("bourse_gateway_garbled_total", Kind.COUNTER, null, "garbled or bad-checksum messages dropped (gateway)"),
    GATEWAY_SESSION_REJECTS("bourse_gateway_session_rejects_total", Kind.COUNTER, null, "session-level Rejects (35=3) sent (gateway)"),
    GATEWAY_SLOW_READERS("bourse_gateway_slow_reader_disconnects_total", Kind.COUNTER, null,
        "connections cut because their client stopped reading (gateway)"),
    GATEWAY_LOGON_FAILURES("bourse_gateway_logon_failures_total", Kind.COUNTER, null, "logons refused (gateway)"),
    GATEWAY_MESSAGE_ERRORS("bourse_gateway_message_errors_total", Kind.COUNTER, null,
        "messages whose processing failed unexpectedly; their session was disconnected (gateway)"),
    GATEWAY_REPORTED_SEQUENCE("bourse_gateway_reported_sequence", Kind.GAUGE, null,
        "journal sequence up to which execution reports were made (gateway)"),
    GATEWAY_LAG("bourse_gateway_lag_entries", Kind.GAUGE, null, "journal entries not yet turned into reports (gateway)"),
    GATEWAY_DROPPED_COMMANDS("bourse_gateway_dropped_commands_total", Kind.COUNTER, null,
        "audits or cancel-on-disconnects that found both the ring and the gateway's queue full (gateway)"),
    GATEWAY_UNAUTHENTICATED("bourse_gateway_unauthenticated_connections", Kind.GAUGE, null,
        "open FIX connections that have not logged on yet (gateway)"),
    GATEWAY_CONNECTIONS_REFUSED("bourse_gateway_connections_refused_total", Kind.COUNTER, "reason",
        "connections refused or cut before logon, by reason: address_cap, unauthenticated_cap, evicted, logon_answer_due, stopping, garbled, accept_failed (gateway)"),
    GATEWAY_CONNECTIONS_TIMED_OUT("bourse_gateway_connections_timed_out_total", Kind.COUNTER, "reason",
        "connections closed by a deadline, by reason: first_bytes, logon, heartbeat (gateway)"),
    GATEWAY_LOGONS_REFUSED("bourse_gateway_logons_refused_total", Kind.COUNTER, "reason",
        "Logons refused, by reason: bad_credentials, locked_out, throttled, busy, session_limit, comp_id, already_logged_on, "
            + "sequence, malformed, role, session_store (gateway)"),
    GATEWAY_LOGON_CHECKS_PENDING("bourse_gateway_logon_checks_pending", Kind.GAUGE, null,
        "password checks waiting for the checking thread (gateway)"),
    GATEWAY_CLUSTER_LEADER("bourse_gateway_cluster_leader", Kind.GAUGE, null,
        "member id of the cluster leader a gateway on a cluster sends to, -1 while it has none (gateway)"),
    GATEWAY_CLUSTER_LEADER_CHANGES("bourse_gateway_cluster_leader_changes_total", Kind.COUNTER, null,
        "new cluster leaders a gateway on a cluster followed (gateway)"),
    GATEWAY_CLUSTER_MEMBERS_MISMATCH("bourse_gateway_cluster_members_mismatch", Kind.GAUGE, null,
        "1 while the cluster's leader gives a node another ingress address than this gateway's cluster.members (its log has an "
            + "ERROR line saying which), else 0 (gateway)"),
    GATEWAY_SESSIONS_TAKEN_OVER("bourse_gateway_sessions_taken_over_total", Kind.COUNTER, null,
        "FIX sessions this gateway took over from another gateway, their sequence numbers carried on (gateway)"),
    GATEWAY_SESSIONS_GIVEN_UP("bourse_gateway_sessions_given_up_total", Kind.COUNTER, null,
        "FIX sessions another gateway took over from this one (gateway)"),
    GATEWAY_UNRESERVED_SENDS("bourse_gateway_unreserved_sends_total", Kind.COUNTER, null,
        "FIX messages numbered above the session's journaled reservation when sent (gateway; cluster)"),
    GATEWAY_REPORTS_REPLAYED("bourse_gateway_reports_replayed_total", Kind.COUNTER, null,
        "reports sent again (PossResend) to a session taken over from another gateway (gateway)"),
    GATEWAY_FOREIGN_LOGONS("bourse_gateway_foreign_logons_total", Kind.COUNTER, null,
        "sessions another gateway logged on under this gateway's cluster.gateway-id: two gateways share an id (gateway; cluster)"),

    // housekeeping thread
    JOURNAL_SEQUENCE("bourse_journal_sequence", Kind.GAUGE, null, "engine sequence of the newest journal entry (housekeeping)"),
    SNAPSHOT_AGE("bourse_snapshot_age_seconds", Kind.GAUGE, null, "seconds since the last snapshot (housekeeping)"),
    SNAPSHOT_SEQUENCE("bourse_snapshot_sequence", Kind.GAUGE, null, "engine sequence the last snapshot includes (housekeeping)"),
    SNAPSHOTS("bourse_snapshots_total", Kind.COUNTER, null, "snapshots written (housekeeping)"),
    SNAPSHOT_FAILURES("bourse_snapshot_failures_total", Kind.COUNTER, null, "snapshots that failed (housekeeping)"),
    SNAPSHOT_IDLE_CLASS("bourse_snapshot_idle_class", Kind.GAUGE, null,
        "1 while the snapshotter's thread yields every core to the others (snapshot.idle-class-max-lag; housekeeping)"),

    // cluster node: sampled from the node's Aeron counters (housekeeping)
    CLUSTER_ROLE("bourse_cluster_role", Kind.GAUGE, null, "this node's role: 0 follower, 1 candidate, 2 leader (housekeeping)"),
    CLUSTER_ELECTIONS("bourse_cluster_elections_total", Kind.COUNTER, null, "elections this node took part in (housekeeping)"),
    CLUSTER_LEADERSHIP_TERM("bourse_cluster_leadership_term", Kind.GAUGE, null, "the current leadership term (housekeeping)"),
    CLUSTER_COMMIT_POSITION("bourse_cluster_commit_position", Kind.GAUGE, null,
        "log position a majority has recorded, as this node knows it (housekeeping)"),
    CLUSTER_LAG("bourse_cluster_lag_bytes", Kind.GAUGE, null,
        "committed log bytes this node's engine has not applied yet (housekeeping)"),
    CLUSTER_SECONDS_WITHOUT_LEADER("bourse_cluster_seconds_without_leader", Kind.GAUGE, null,
        "seconds this node has been in an election without a leader, 0 while it knows one: its state is frozen meanwhile (housekeeping)"),
    CLUSTER_SNAPSHOTS("bourse_cluster_snapshots_total", Kind.COUNTER, null, "cluster snapshots this node took (housekeeping)"),
    CLUSTER_DUPLICATES("bourse_cluster_duplicates_total", Kind.COUNTER, null,
        "commands resent after a leader change and dropped as already applied (housekeeping)"),
    CLUSTER_MEMBERS_MISMATCH("bourse_cluster_members_mismatch", Kind.GAUGE, null,
        "1 while this node's cluster.members differs from its leader's (its log has an ERROR line saying how), else 0 (housekeeping)"),

    // market-data thread
    MD_LAG("bourse_md_lag_entries", Kind.GAUGE, null, "journal entries not yet published as market data (market data)"),
    MD_MESSAGES("bourse_md_messages_total", Kind.COUNTER, null, "incremental market-data messages published (market data)"),
    MD_REPLAYS("bourse_md_replays_total", Kind.COUNTER, null,
        "times this cluster node started publishing and first sent its recent market data again (housekeeping)"),
    MD_PUBLISHING("bourse_md_publishing", Kind.GAUGE, null,
        "1 while this process publishes market data (a cluster node: while it leads), else 0 (housekeeping)"),

    // query side (its own thread or process)
    READ_MODELS_LAG("bourse_read_models_lag_entries", Kind.GAUGE, null, "journal entries not yet applied to the read models (query)"),
    QUERIES("bourse_queries_total", Kind.COUNTER, null, "queries answered (query)"),

    // gateway thread: TLS (docs/TLS.md)
    GATEWAY_TLS_HANDSHAKE_FAILURES("bourse_gateway_tls_handshake_failures_total", Kind.COUNTER, "reason",
        "TLS connections closed because TLS failed, by reason: handshake_failed, failed_after_handshake, busy, renegotiation (gateway)"),
    GATEWAY_TLS_CONNECTIONS("bourse_gateway_tls_connections_total", Kind.COUNTER, null,
        "connections accepted on the TLS port (gateway)");

    /** Whether a counter only goes up (a rate can be taken) or goes up and down. */
    public enum Kind
    {
        COUNTER(1), GAUGE(2);

        /** Stored as the counter's type id, which is how readers of the counters file tell them apart. */
        public final int typeId;

        Kind(final int typeId)
        {
            this.typeId = typeId;
        }
    }

    private final String metricName;
    private final Kind kind;
    private final String labelName;
    private final String description;

    CounterDescriptor(final String metricName, final Kind kind, final String labelName, final String description)
    {
        this.metricName = metricName;
        this.kind = kind;
        this.labelName = labelName;
        this.description = description;
    }

    public String metricName()
    {
        return metricName;
    }

    public Kind kind()
    {
        return kind;
    }

    public String description()
    {
        return description;
    }

    /** Allocates this counter (one without a label). */
    public AtomicCounter newCounter(final CountersManager counters)
    {
        if (labelName != null)
        {
            throw new IllegalStateException(metricName + " is split by " + labelName + ": give its value");
        }
        return counters.newCounter(metricName, kind.typeId);
    }

    /** Allocates this counter for one value of its label, e.g. {@code type="new_order"}. */
    public AtomicCounter newCounter(final CountersManager counters, final String labelValue)
    {
        if (labelName == null)
        {
            throw new IllegalStateException(metricName + " has no label");
        }
        return counters.newCounter(metricName + "{" + labelName + "=\"" + labelValue + "\"}", kind.typeId);
    }
}
