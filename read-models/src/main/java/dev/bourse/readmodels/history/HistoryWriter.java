package dev.bourse.readmodels.history;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes a {@link HistoryBatch} and the checkpoint it leads to in one transaction. Plain inserts go
 * as PostgreSQL COPY (text format) into PostgreSQL and as JDBC batches into SQLite; upserts and
 * updates are JDBC batches on both. The statements and the checkpoint are the same for both stores.
 */
final class HistoryWriter
{
    /** Called after a batch's rows are written and before its commit (fault injection in tests). */
    @FunctionalInterface
    interface BeforeCommit
    {
        void beforeCommit(long batchNumber, int rows);
    }

    private static final String CHECKPOINT =
        "UPDATE sink_checkpoint SET position = ?, sequence = ?, entries = ?, events = ?, entry_timestamp = ?, " +
        "oldest_live_order = ? WHERE id = 1";

    private final boolean copy;
    private final BeforeCommit beforeCommit;
    private final CopyText text = new CopyText();
    private long batches;

    HistoryWriter(final boolean copy, final BeforeCommit beforeCommit)
    {
        this.copy = copy;
        this.beforeCommit = beforeCommit;
    }

    /** Writes and commits; on failure rolls back and throws (the batch is intact and may be retried). */
    void write(final Connection connection, final HistoryBatch batch) throws SQLException
    {
        try
        {
            for (final RowBuffer rows : batch.inserts)
            {
                if (rows.size() > 0)
                {
                    if (copy)
                    {
                        copyIn(connection, rows);
                    }
                    else
                    {
                        batchInsert(connection, rows);
                    }
                }
            }
            for (final RowBuffer rows : batch.upserts)
            {
                if (rows.size() > 0)
                {
                    batchInsert(connection, rows);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(CHECKPOINT))
            {
                statement.setLong(1, batch.position);
                statement.setLong(2, batch.sequence);
                statement.setLong(3, batch.totalEntries);
                statement.setLong(4, batch.totalEvents);
                statement.setLong(5, batch.entryTimestamp);
                statement.setLong(6, batch.oldestLiveOrder);
                if (statement.executeUpdate() != 1)
                {
                    throw new SQLException("sink_checkpoint has no row");
                }
            }
            batches++;
            if (beforeCommit != null)
            {
                beforeCommit.beforeCommit(batches, batch.rows());
            }
            connection.commit();
        }
        catch (final SQLException | RuntimeException e)
        {
            try
            {
                connection.rollback();
            }
            catch (final SQLException suppressed)
            {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void batchInsert(final Connection connection, final RowBuffer rows) throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(rows.sql))
        {
            rows.executeBatch(statement);
        }
    }

    private void copyIn(final Connection connection, final RowBuffer rows) throws SQLException
    {
        final CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY " + rows.table + " (" + String.join(", ", rows.columns) + ") FROM STDIN");
        try
        {
            for (int row = 0; row < rows.size(); row++)
            {
                text.row(rows, row);
                if (text.length() >= CopyText.FLUSH_AT)
                {
                    copyIn.writeToCopy(text.bytes(), 0, text.length());
                    text.reset();
                }
            }
            if (text.length() > 0)
            {
                copyIn.writeToCopy(text.bytes(), 0, text.length());
                text.reset();
            }
            copyIn.endCopy();
        }
        finally
        {
            text.reset();
            if (copyIn.isActive())
            {
                copyIn.cancelCopy();
            }
        }
    }

    /** Rows in COPY's text format (tab-separated, \N for NULL, backslash escapes), into a reused byte array. */
    static final class CopyText
    {
        static final int FLUSH_AT = 1 << 16;
        private byte[] bytes = new byte[FLUSH_AT + 4_096];
        private int length;

        void row(final RowBuffer rows, final int row)
        {
            for (int c = 0; c < rows.columns.length; c++)
            {
                if (c > 0)
                {
                    put((byte)'\t');
                }
                if (rows.isText(c))
                {
                    text(rows.string(row, c));
                }
                else
                {
                    final long value = rows.number(row, c);
                    if (value == RowBuffer.NULL)
                    {
                        put((byte)'\\');
                        put((byte)'N');
                    }
                    else
                    {
                        number(value);
                    }
                }
            }
            put((byte)'\n');
        }

        private void number(final long value)
        {
            if (value == 0)
            {
                put((byte)'0');
                return;
            }
            ensure(20);
            long v = value;
            if (v < 0)
            {
                bytes[length++] = '-';
            }
            final int start = length;
            while (v != 0)
            {
                bytes[length++] = (byte)('0' + Math.abs(v % 10));
                v /= 10;
            }
            for (int i = start, j = length - 1; i < j; i++, j--)
            {
                final byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
        }

        private void text(final String value)
        {
            if (value == null)
            {
                put((byte)'\\');
                put((byte)'N');
                return;
            }
            boolean ascii = true;
            for (int i = 0; i < value.length() && ascii; i++)
            {
                ascii = value.charAt(i) < 0x80;
            }
            if (ascii)
            {
                for (int i = 0; i < value.length(); i++)
                {
                    escaped((byte)value.charAt(i));
                }
            }
            else
            {
                // Escapes are ASCII, and no byte of a multi-byte UTF-8 sequence is.
                for (final byte b : value.getBytes(StandardCharsets.UTF_8))
                {
                    escaped(b);
                }
            }
        }

        private void escaped(final byte b)
        {
            switch (b)
            {
                case '\\': put((byte)'\\'); put((byte)'\\'); break;
                case '\t': put((byte)'\\'); put((byte)'t'); break;
                case '\n': put((byte)'\\'); put((byte)'n'); break;
                case '\r': put((byte)'\\'); put((byte)'r'); break;
                default: put(b);
            }
        }

        private void put(final byte b)
        {
            ensure(1);
            bytes[length++] = b;
        }

        private void ensure(final int more)
        {
            if (length + more > bytes.length)
            {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] bytes()
        {
            return bytes;
        }

        int length()
        {
            return length;
        }

        void reset()
        {
            length = 0;
        }
    }
}
