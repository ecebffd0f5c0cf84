package dev.bourse.readmodels;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages of a list in the history store, by offset or by keyset (see {@link Page}): the same SQL
 * for both stores, and the paging fields of the answer.
 */
final class HistoryLists
{
    private HistoryLists()
    {
    }


    @FunctionalInterface
    interface RowReader<T>
    {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface KeyOf<T>
    {
        long[] key(T row);
    }

    /**
     * One page of a list, oldest first, with what the answer says about paging: {@code total},
     * {@code offset} and {@code nextOffset} for offset pages (total -1 for keyset pages), and the
     * cursors of the pages after and before it.
     */
    record Listing<T>(List<T> rows, int limit, long total, long from, String nextCursor, String prevCursor)
    {
        void write(final Json json, final java.util.function.Consumer<T> row)
        {
            if (total >= 0)
            {
                final long to = from + rows.size();
                json.name("total").value(total).name("offset").value(from).name("limit").value(limit);
                if (to < total)
                {
                    json.name("nextOffset").value(to);
                }
                else
                {
                    json.name("nextOffset").nullValue();
                }
            }
            else
            {
                json.name("limit").value(limit);
            }
            json.name("data").beginArray();
            rows.forEach(row);
            json.endArray().name("nextCursor").value(nextCursor).name("prevCursor").value(prevCursor);
        }
    }

    /**
     * One page of {@code select} (up to its FROM and JOINs) restricted by {@code filter}, in the
     * order of the key columns.
     */
    static <T> Listing<T> list(
        final Connection connection, final String select, final String filter, final Object[] params, final String[] keys,
        final Page page, final RowReader<T> reader, final KeyOf<T> keyOf) throws SQLException
    {
        final List<T> rows = new ArrayList<>();
        if (page.keyset())
        {
            final boolean forward = page.after() != null;
            final String sql = select + " WHERE " + filter + " AND " + keyCondition(keys, forward) + " ORDER BY " +
                orderBy(keys, forward) + " LIMIT ?";
            try (PreparedStatement s = connection.prepareStatement(sql))
            {
                final int p = bindKey(s, forward ? page.after() : page.before(), bind(s, params, 1));
                s.setInt(p, page.limit() + 1);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        rows.add(reader.read(rs));
                    }
                }
            }
            final boolean more = rows.size() > page.limit();
            if (more)
            {
                rows.remove(rows.size() - 1);
            }
            if (!forward)
            {
                java.util.Collections.reverse(rows);
            }
            final String first = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(0)));
            final String last = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(rows.size() - 1)));
            // a page before a cursor past the newest row is the newest page: no next cursor there either
            final boolean after = forward ? more : !rows.isEmpty() && anyAfter(connection, select, filter, params, keys,
                keyOf.key(rows.get(rows.size() - 1)));
            return new Listing<>(rows, page.limit(), -1, 0, after ? last : null,
                !forward && !more || page.fromStart() ? null : first);
        }
        final long total;
        try (PreparedStatement s = connection.prepareStatement("SELECT COUNT(*)" + select.substring(select.indexOf(" FROM ")) +
            " WHERE " + filter))
        {
            bind(s, params, 1);
            try (ResultSet rs = s.executeQuery())
            {
                rs.next();
                total = rs.getLong(1);
            }
        }
        final long from = page.offset() < 0 ? Math.max(0, total - page.limit()) : Math.min(page.offset(), total);
        final long to = Math.min(total, from + page.limit());
        if (to > from)
        {
            try (PreparedStatement s = connection.prepareStatement(select + " WHERE " + filter + " ORDER BY " +
                orderBy(keys, true) + " LIMIT ? OFFSET ?"))
            {
                final int p = bind(s, params, 1);
                s.setLong(p, to - from);
                s.setLong(p + 1, from);
                try (ResultSet rs = s.executeQuery())
                {
                    while (rs.next())
                    {
                        rows.add(reader.read(rs));
                    }
                }
            }
        }
        final String first = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(0)));
        final String last = rows.isEmpty() ? null : Page.cursor(keyOf.key(rows.get(rows.size() - 1)));
        return new Listing<>(rows, page.limit(), total, from, to < total ? last : null, from > 0 ? first : null);
    }

    /** Whether a row of the list comes after {@code key} (one indexed look-up). */
    private static boolean anyAfter(
        final Connection connection, final String select, final String filter, final Object[] params, final String[] keys, final long[] key)
        throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1" + select.substring(select.indexOf(" FROM ")) + " WHERE "
            + filter + " AND " + keyCondition(keys, true) + " LIMIT 1"))
        {
            bindKey(s, key, bind(s, params, 1));
            try (ResultSet rs = s.executeQuery())
            {
                return rs.next();
            }
        }
    }

    private static String orderBy(final String[] keys, final boolean ascending)
    {
        return ascending ? String.join(", ", keys) : String.join(" DESC, ", keys) + " DESC";
    }

    /** Rows with a 2-part key compare as (k1, k2); the k1 bound lets both stores use the index range. */
    static String keyCondition(final String[] keys, final boolean after)
    {
        final String op = after ? ">" : "<";
        if (keys.length == 1)
        {
            return keys[0] + " " + op + " ?";
        }
        return keys[0] + " " + op + "= ? AND (" + keys[0] + " " + op + " ? OR " + keys[1] + " " + op + " ?)";
    }

    static int bindKey(final PreparedStatement s, final long[] key, final int from) throws SQLException
    {
        int p = from;
        s.setLong(p++, key[0]);
        if (key.length == 2)
        {
            s.setLong(p++, key[0]);
            s.setLong(p++, key[1]);
        }
        return p;
    }

    private static int bind(final PreparedStatement s, final Object[] params, final int from) throws SQLException
    {
        int p = from;
        for (final Object param : params)
        {
            s.setObject(p++, param);
        }
        return p;
    }
}
