package dev.bourse.readmodels;

import dev.bourse.readmodels.history.SinkProgress;
import dev.bourse.readmodels.stream.StreamCounters;

/** The query side's own counters in the Prometheus text format, appended to the exchange's on {@code /metrics}. */
final class QueryMetrics
{
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private QueryMetrics()
    {
    }

    static void append(final StringBuilder text, final ReadModelCounters projection, final SinkProgress sink,
        final StreamCounters streams, final dev.bourse.readmodels.history.HistoryStore store)
    {
        gauge(text, "bourse_query_projection_position", "journal position the hot projections reflect", projection.position());
        gauge(text, "bourse_query_projection_lag_entries", "journal entries not yet applied by the hot projections", projection.lag());
        counter(text, "bourse_query_projection_events_total", "events applied by the hot projections", projection.eventsApplied());
        counter(text, "bourse_query_queries_total", "queries answered by the projection thread", projection.queriesServed());
        gauge(text, "bourse_query_history_position", "journal position of the history store's checkpoint", sink.position());
        gauge(text, "bourse_query_history_lag_entries", "journal entries not yet committed to the history store", sink.lag());
        counter(text, "bourse_query_history_rows_total", "rows written to the history store", sink.rowsWritten());
        counter(text, "bourse_query_history_batches_total", "transactions committed to the history store", sink.batchesWritten());
        gauge(text, "bourse_query_history_idle_class", "1 while the history sink's thread yields every core to the others",
            sink.yieldingCores() ? 1 : 0);
        counter(text, "bourse_query_history_scheduling_switches_total",
            "times the history sink's thread moved into or out of the idle scheduling class", sink.schedulingSwitches());
        counter(text, "bourse_query_history_turn_pauses_total",
            "times the history sink paused between two short turns of work to let woken threads have its core", sink.turnPauses());
        counter(text, "bourse_query_history_write_failures_total", "history store writes that failed (and were retried)",
            sink.writeFailures());
        counter(text, "bourse_query_history_queries_refused_total",
            "history queries answered 503 at once, without waiting, while the history store was unreachable", store.queriesRefused());
        gauge(text, "bourse_query_ws_sessions", "WebSocket stream sessions open", streams.sessions());
        gauge(text, "bourse_query_ws_subscriptions", "WebSocket channel subscriptions", streams.subscriptions());
        counter(text, "bourse_query_ws_messages_total", "stream messages sent", streams.messagesSent());
        counter(text, "bourse_query_ws_snapshots_total", "stream snapshots sent", streams.snapshotsSent());
        counter(text, "bourse_query_ws_slow_skips_total", "times a client fell too far behind and was skipped to snapshots",
            streams.slowSkips());
        counter(text, "bourse_query_ws_slow_disconnects_total", "clients closed for staying too far behind",
            streams.slowDisconnects());
        counter(text, "bourse_query_ws_idle_disconnects_total", "clients closed for sending nothing, not even a pong, for the idle time",
            streams.idleDisconnects());
        counter(text, "bourse_query_ws_refused_total", "stream sessions refused at the limit", streams.refusedSessions());
        counter(text, "bourse_query_ws_evicted_total", "stream sessions closed for a client from an address holding fewer",
            streams.evictedSessions());
        counter(text, "bourse_query_ws_rate_limited_total", "runs of stream requests a session sent past its rate (dropped)",
            streams.rateLimited());
        counter(text, "bourse_query_ws_rate_limit_disconnects_total", "stream sessions closed for going on past their request rate",
            streams.rateLimitDisconnects());
        counter(text, "bourse_query_ws_logins_ended_total",
            "stream sessions whose login's token expired or was retired (their private channels ended)", streams.loginsEnded());
    }

    /** The HTTP listener's admission: open connections and each reason a connection was refused or cut off. */
    static void appendHttp(final StringBuilder text, final dev.bourse.readmodels.http.WebServer web)
    {
        gauge(text, "bourse_query_http_connections", "HTTP and WebSocket connections open", web.connections());
        text.append("# HELP bourse_query_http_refused_total HTTP connections refused or closed by the admission, by reason\n")
            .append("# TYPE bourse_query_http_refused_total counter\n")
            .append("bourse_query_http_refused_total{reason=\"address_cap\"} ").append(web.refusedPerAddress()).append('\n')
            .append("bourse_query_http_refused_total{reason=\"header_timeout\"} ").append(web.headerTimeouts()).append('\n')
            .append("bourse_query_http_refused_total{reason=\"slow_reader\"} ").append(web.writeTimeouts()).append('\n');
        if (web.tlsPort() >= 0)
        {
            text.append("# HELP bourse_query_tls_handshake_failures_total HTTPS connections closed because the TLS handshake failed, by reason\n")
                .append("# TYPE bourse_query_tls_handshake_failures_total counter\n")
                .append("bourse_query_tls_handshake_failures_total{reason=\"client_certificate\"} ").append(web.tlsClientCertificateRefusals())
                .append('\n')
                .append("bourse_query_tls_handshake_failures_total{reason=\"handshake_failed\"} ").append(web.tlsHandshakeFailures())
                .append('\n');
        }
        counter(text, "bourse_query_http_budget_delayed_total", "HTTP requests that waited for their address's budget, then were served",
            web.budgetDelayed());
        counter(text, "bourse_query_http_budget_refused_total", "HTTP requests answered 429: their address had spent its budget",
            web.budgetRefused());
    }

    static void gauge(final StringBuilder text, final String name, final String help, final long value)
    {
        metric(text, name, help, "gauge", value);
    }

    static void counter(final StringBuilder text, final String name, final String help, final long value)
    {
        metric(text, name, help, "counter", value);
    }

    private static void metric(final StringBuilder text, final String name, final String help, final String type, final long value)
    {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(' ').append(type).append('\n')
            .append(name).append(' ').append(value).append('\n');
    }
}
