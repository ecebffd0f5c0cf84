package dev.bourse.readmodels;

import dev.bourse.readmodels.HistoryLists.Listing;
import dev.bourse.readmodels.history.ActivityKind;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import static dev.bourse.readmodels.HistoryLists.list;

/**
 * The audit log from the history store (compliance: {@code /api/v1/audit}): every journaled
 * audit record in journal order: logons, logouts, refused logons, lockouts, disconnects, and
 * operators' actions (who, which command, on which account or instrument), with the session and,
 * where the record names it, the CompID (a FIX session's SenderCompID, or {@code query} for the
 * query side's door). The records are the history's activity lines of kind AUDIT, of every
 * account and of none.
 */
final class AuditLog
{
    private AuditLog()
    {
    }

    private record Line(long sequence, long line, long timestamp, long accountId, String username, int instrumentId,
        long detailCode, String detail, long sessionId, String compId)
    {
        long[] key()
        {
            return new long[]{sequence, line};
        }
    }

    static void write(final Connection connection, final Page page, final Json json) throws SQLException
    {
        final Listing<Line> lines = list(connection, "SELECT a.sequence, a.line, a.event_time, a.account_id, a.cl_ord_id, " +
            "a.instrument_id, a.quantity, a.detail, a.order_id, a.comp_id FROM activity a", "a.kind = ?",
            new Object[]{(long)ActivityKind.AUDIT}, new String[]{"a.sequence", "a.line"}, page,
            rs -> new Line(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getInt(6), rs.getLong(7),
                rs.getString(8), rs.getLong(9), rs.getString(10)), Line::key);
        lines.write(json, l ->
        {
            final String detail = l.detail();
            final boolean operator = detail.startsWith("OPERATOR ");
            json.beginObject().name("sequence").value(l.sequence()).name("timestamp").value(l.timestamp())
                .name("time").value(Instant.ofEpochSecond(0, l.timestamp()).toString())
                .name("username").value(l.username())
                .name("type").value(operator ? "OPERATOR" : detail)
                .name("action").value(operator ? detail.substring("OPERATOR ".length()) : null)
                .name("accountId").value(l.accountId()).name("instrumentId").value(l.instrumentId())
                .name("sessionId").value(l.sessionId())
                .name("compId").value(l.compId() == null || l.compId().isEmpty() ? null : l.compId())
                .name("detail").value(l.detailCode()).endObject();
        });
    }
}
