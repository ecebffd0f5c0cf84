package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.readmodels.HistoryLists.Listing;
import dev.bourse.readmodels.HistoryLists.RowReader;
import dev.bourse.readmodels.history.ActivityKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.bourse.readmodels.HistoryLists.list;

/**
 * An account's compliance activity report from the history store: its order events and its other
 * activity, two tables merged in journal order, as CSV lines.
 */
final class ActivityReport
{
    private ActivityReport()
    {
    }


    /** One line of the activity report (fields a kind does not use are 0 or empty; compId only an AUDIT line's). */
    record ActivityLine(
        long sequence, long line, long timestamp, int kind, long orderId, String clOrdId, int instrumentId, byte side,
        long price, long quantity, long leavesQty, long cumQty, String detail, long balance, String compId)
    {
        long[] key()
        {
            return new long[]{sequence, line};
        }
    }

    private static final String ACTIVITY_FROM_EVENTS = "SELECT e.sequence, e.line, e.event_time, e.type, e.order_id, " +
        "e.cl_ord_id, o.instrument_id, o.side, e.price, e.quantity, e.leaves_qty, e.cum_qty, e.reason FROM order_events e " +
        "JOIN orders o ON o.order_id = e.order_id";
    private static final String ACTIVITY_OTHER = "SELECT a.sequence, a.line, a.event_time, a.kind, a.order_id, a.cl_ord_id, " +
        "a.instrument_id, a.side, a.price, a.quantity, a.detail, a.balance, a.comp_id FROM activity a";

    /**
     * The account's report lines: its order events and its other activity, two lists in the store
     * merged here by (sequence, line). An offset page reads both lists up to its end. Order events
     * above {@code upTo} (the checkpoint's sequence) are not read: see ParallelWriter.
     */
    static Listing<ActivityLine> lines(final Connection connection, final long accountId, final long upTo, final Page page)
        throws SQLException
    {
        final Object[] params = {accountId};
        final String[] eventKeys = {"e.sequence", "e.line"};
        final String[] otherKeys = {"a.sequence", "a.line"};
        if (page.keyset())
        {
            final Listing<ActivityLine> events = list(connection, ACTIVITY_FROM_EVENTS, "e.account_id = ? AND e.sequence <= ?",
                new Object[]{accountId, upTo}, eventKeys, page,
                ActivityReport::eventLine, ActivityLine::key);
            final Listing<ActivityLine> other = list(connection, ACTIVITY_OTHER, "a.account_id = ?", params, otherKeys, page,
                ActivityReport::otherLine, ActivityLine::key);
            final List<ActivityLine> merged = merge(events.rows(), other.rows());
            final boolean forward = page.after() != null;
            final boolean more = merged.size() > page.limit() || (forward ? events.nextCursor() != null || other.nextCursor() != null
                : events.prevCursor() != null || other.prevCursor() != null);
            final List<ActivityLine> rows = forward ? merged.subList(0, Math.min(page.limit(), merged.size()))
                : merged.subList(Math.max(0, merged.size() - page.limit()), merged.size());
            final String first = rows.isEmpty() ? null : Page.cursor(rows.get(0).key());
            final String last = rows.isEmpty() ? null : Page.cursor(rows.get(rows.size() - 1).key());
            // before a cursor: rows come after this page only if one of the lists has some after its own page
            final boolean after = forward ? more : events.nextCursor() != null || other.nextCursor() != null;
            return new Listing<>(new ArrayList<>(rows), page.limit(), -1, 0, after ? last : null,
                !forward && !more || page.fromStart() ? null : first);
        }
        final long total = count(connection, "SELECT COUNT(*) FROM order_events e WHERE e.account_id = ? AND e.sequence <= ?",
            accountId, upTo) + count(connection, "SELECT COUNT(*) FROM activity a WHERE a.account_id = ?", accountId);
        final long from = page.offset() < 0 ? Math.max(0, total - page.limit()) : Math.min(page.offset(), total);
        final long to = Math.min(total, from + page.limit());
        // The first `to` lines of each list hold the first `to` lines of the merge.
        final List<ActivityLine> merged = merge(
            firstLines(connection, ACTIVITY_FROM_EVENTS + " WHERE e.account_id = ? AND e.sequence <= ? ORDER BY e.sequence, " +
                "e.line LIMIT ?", ActivityReport::eventLine, accountId, upTo, to),
            firstLines(connection, ACTIVITY_OTHER + " WHERE a.account_id = ? ORDER BY a.sequence, a.line LIMIT ?",
                ActivityReport::otherLine, accountId, to));
        final List<ActivityLine> rows = new ArrayList<>(merged.subList((int)Math.min(from, merged.size()),
            (int)Math.min(to, merged.size())));
        final String first = rows.isEmpty() ? null : Page.cursor(rows.get(0).key());
        final String last = rows.isEmpty() ? null : Page.cursor(rows.get(rows.size() - 1).key());
        return new Listing<>(rows, page.limit(), total, from, to < total ? last : null, from > 0 ? first : null);
    }

    private static long count(final Connection connection, final String sql, final long... params) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement(sql))
        {
            for (int i = 0; i < params.length; i++)
            {
                s.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery())
            {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<ActivityLine> firstLines(
        final Connection connection, final String sql, final RowReader<ActivityLine> reader, final long... params)
        throws SQLException
    {
        final List<ActivityLine> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql))
        {
            for (int i = 0; i < params.length; i++)
            {
                s.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    rows.add(reader.read(rs));
                }
            }
        }
        return rows;
    }

    private static List<ActivityLine> merge(final List<ActivityLine> a, final List<ActivityLine> b)
    {
        final List<ActivityLine> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size())
        {
            if (j >= b.size() || (i < a.size() && compare(a.get(i), b.get(j)) < 0))
            {
                merged.add(a.get(i++));
            }
            else
            {
                merged.add(b.get(j++));
            }
        }
        return merged;
    }

    private static int compare(final ActivityLine a, final ActivityLine b)
    {
        final int bySequence = Long.compare(a.sequence(), b.sequence());
        return bySequence != 0 ? bySequence : Long.compare(a.line(), b.line());
    }

    private static ActivityLine eventLine(final ResultSet rs) throws SQLException
    {
        final int reason = rs.getInt(13);
        final int type = ActivityKind.eventType(rs.getInt(4), reason);
        final String detail = type == ActivityKind.EVENT_FILL ? Liquidity.name(reason)
            : ActivityKind.isCancel(type) ? CancelReason.get((short)reason).name()
            : type == ActivityKind.EVENT_REPLACED ? (reason == 1 ? "KEPT_PRIORITY" : "LOST_PRIORITY")
            : type == ActivityKind.EVENT_ELECTED ? OrdType.get((short)reason).name() : "";
        return new ActivityLine(rs.getLong(1), rs.getLong(2), rs.getLong(3), ActivityKind.ofEvent(type), rs.getLong(5),
            rs.getString(6), rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
            detail, 0, "");
    }

    private static ActivityLine otherLine(final ResultSet rs) throws SQLException
    {
        return new ActivityLine(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getString(6),
            rs.getInt(7), (byte)rs.getInt(8), rs.getLong(9), rs.getLong(10), 0, 0, rs.getString(11), rs.getLong(12),
            rs.getString(13));
    }

    static void csvLine(final StringBuilder csv, final ActivityLine a)
    {
        csv.append(a.sequence()).append(',').append(a.timestamp()).append(',')
            .append(Instant.ofEpochSecond(0, a.timestamp())).append(',').append(ActivityKind.name(a.kind())).append(',')
            .append(a.orderId() == 0 ? "" : Long.toString(a.orderId())).append(',');
        csvField(csv, a.clOrdId());
        csv.append(',').append(a.instrumentId() == 0 ? "" : Integer.toString(a.instrumentId())).append(',')
            .append(QueryApi.side(a.side())).append(',');
        if (a.price() != 0)
        {
            Prices.append(csv, a.price());
        }
        csv.append(',');
        if (isCashTransfer(a))
        {
            Prices.append(csv, a.quantity()); // a cash amount is money, like the balance beside it
        }
        else
        {
            csv.append(a.quantity());
        }
        csv.append(',').append(a.leavesQty()).append(',').append(a.cumQty()).append(',');
        csvField(csv, a.detail());
        csv.append(',');
        if (a.kind() == ActivityKind.DEPOSIT || a.kind() == ActivityKind.WITHDRAW)
        {
            if (a.instrumentId() == 0)
            {
                Prices.append(csv, a.balance());
            }
            else
            {
                csv.append(a.balance());
            }
        }
        csv.append(',');
        csvField(csv, a.compId() == null ? "" : a.compId());
        csv.append('\n');
    }

    private static boolean isCashTransfer(final ActivityLine a)
    {
        return (a.kind() == ActivityKind.DEPOSIT || a.kind() == ActivityKind.WITHDRAW) && a.instrumentId() == 0;
    }

    private static void csvField(final StringBuilder csv, final String value)
    {
        // Quote everything that could split a field, and defuse spreadsheet formulas with a leading '. A value that
        // itself starts with ' gets one too, so removing one leading ' always gives the value back: no two collide.
        final boolean formula = !value.isEmpty() && "=+-@'".indexOf(value.charAt(0)) >= 0;
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || formula)
        {
            csv.append('"');
            if (formula)
            {
                csv.append('\'');
            }
            csv.append(value.replace("\"", "\"\"")).append('"');
        }
        else
        {
            csv.append(value);
        }
    }
}
