package dev.bourse.readmodels.history;

import dev.bourse.journal.ShortTurns;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes a {@link HistoryBatch} and the checkpoint it leads to in one transaction. Plain inserts go
 * as PostgreSQL COPY (binary format) into PostgreSQL and as JDBC batches into SQLite; upserts and
 * updates are JDBC batches on both. The statements and the checkpoint are the same for both stores.
 * With a {@link ParallelWriter} (PostgreSQL) the parallel half of a batch written while the sink is
 * behind goes through it, committed before the checkpoint; otherwise it goes in this transaction.
 * A sink that keeps up writes small batches, where a second connection would add a commit and a
 * thread hand-off per batch and take the second core from the queries for no gain.
 */
final class HistoryWriter
{
    /** Called after a batch's rows are written and before its commit (fault injection in tests). */
    @FunctionalInterface
    interface BeforeCommit
    {
        void beforeCommit(long batchNumber, int rows);
    }

    /**
     * Moves the checkpoint on from the one this sink last wrote, only: a sink whose commit landed
     * though its answer was lost, or a store another writer moved meanwhile, wrote the same rows
     * again (or failed on their keys for ever) when it retried unconditionally.
     */
    private static final String CHECKPOINT =
        "UPDATE sink_checkpoint SET position = ?, sequence = ?, entries = ?, events = ?, entry_timestamp = ?, " +
        "oldest_live_order = ?, trading_day = ?, trade_date = ? WHERE id = 1 AND position = ? AND sequence = ?";

    private final boolean copy;
    private final BeforeCommit beforeCommit;
    private final ParallelWriter parallel;
    private final CopyBinary binary = new CopyBinary();
    private long batches;
    /** The checkpoint this sink last wrote or read back: where the store's must still be. */
    private long checkpointPosition = -1;
    private long checkpointSequence;
    /** The sink's turns: SQLite's inserts run on the sink's own thread and are cut into them. */
    private ShortTurns turns = ShortTurns.NONE;

    /** @param parallel null, or the writer of each batch's parallel half (PostgreSQL) */
    HistoryWriter(final boolean copy, final BeforeCommit beforeCommit, final ParallelWriter parallel)
    {
        this.copy = copy;
        this.beforeCommit = beforeCommit;
        this.parallel = parallel;
    }

    /**
     * The sink's turns (see {@link ShortTurns}), for SQLite only: PostgreSQL's inserts run in its
     * server's processes, and cut into 8-row JDBC batches they cost a round trip each (history
     * queries' p99 in {@code bench read-models --store postgresql} went from 2.4 to 5.2 ms).
     */
    HistoryWriter turns(final ShortTurns turns)
    {
        this.turns = copy ? ShortTurns.NONE : turns;
        return this;
    }

    /** The store's checkpoint is at this position and sequence (read back, or committed). */
    void checkpointIs(final long position, final long sequence)
    {
        checkpointPosition = position;
        checkpointSequence = sequence;
        if (parallel != null)
        {
            parallel.checkpointCommitted(sequence);
        }
    }

    long checkpointPosition()
    {
        return checkpointPosition;
    }

    long checkpointSequence()
    {
        return checkpointSequence;
    }

    /**
     * Writes and commits; on failure rolls back and throws (the batch is intact and may be retried,
     * once the store's checkpoint was read again: the commit may have landed).
     *
     * @param behind whether the sink is behind the journal (the parallel writer is used only then,
     *               or while rows it wrote may be above the checkpoint)
     */
    void write(final Connection connection, final HistoryBatch batch, final boolean behind) throws SQLException
    {
        final boolean split = parallel != null && (behind || parallel.mayHaveRowsAboveCheckpoint());
        ParallelWriter.Half half = split ? parallel.start(batch) : null;
        try
        {
            insert(connection, batch.inserts);
            if (!split)
            {
                insert(connection, batch.parallelInserts);
            }
            for (final RowBuffer rows : batch.upserts)
            {
                if (rows.size() > 0)
                {
                    batchInsert(connection, rows.sql, rows, turns);
                }
            }
            if (half != null)
            {
                final ParallelWriter.Half done = half;
                half = null;
                done.await(); // committed before the checkpoint: rows never lag the checkpoint that covers them
            }
            try (PreparedStatement statement = connection.prepareStatement(CHECKPOINT))
            {
                statement.setLong(1, batch.position);
                statement.setLong(2, batch.sequence);
                statement.setLong(3, batch.totalEntries);
                statement.setLong(4, batch.totalEvents);
                statement.setLong(5, batch.entryTimestamp);
                statement.setLong(6, batch.oldestLiveOrder);
                statement.setLong(7, batch.tradingDay);
                statement.setLong(8, batch.tradeDate);
                statement.setLong(9, checkpointPosition);
                statement.setLong(10, checkpointSequence);
                if (statement.executeUpdate() != 1)
                {
                    throw new SQLException("the store's checkpoint is not the one this sink last wrote (sequence " + checkpointSequence +
                        "): written by another writer, or by this one's last commit after all");
                }
            }
            batches++;
            if (beforeCommit != null)
            {
                beforeCommit.beforeCommit(batches, batch.rows());
            }
            connection.commit();
            checkpointIs(batch.position, batch.sequence);
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
            if (half != null)
            {
                half.awaitQuietly(e); // the retry must not start while the other half still writes
            }
            throw e;
        }
    }

    private void insert(final Connection connection, final java.util.List<RowBuffer> buffers) throws SQLException
    {
        for (final RowBuffer rows : buffers)
        {
            if (rows.size() > 0)
            {
                if (copy)
                {
                    copyIn(connection, rows, binary);
                }
                else
                {
                    batchInsert(connection, rows.sql, rows, turns);
                }
            }
        }
    }

    static void batchInsert(final Connection connection, final String sql, final RowBuffer rows) throws SQLException
    {
        batchInsert(connection, sql, rows, ShortTurns.NONE);
    }

    private static void batchInsert(final Connection connection, final String sql, final RowBuffer rows, final ShortTurns turns)
        throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            rows.executeBatch(statement, turns);
        }
    }

    static void copyIn(final Connection connection, final RowBuffer rows, final CopyBinary binary) throws SQLException
    {
        final CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY " + rows.table + " (" + String.join(", ", rows.columns) + ") FROM STDIN (FORMAT binary)");
        try
        {
            binary.header();
            for (int row = 0; row < rows.size(); row++)
            {
                binary.row(rows, row);
                if (binary.length() >= CopyBinary.FLUSH_AT)
                {
                    copyIn.writeToCopy(binary.bytes(), 0, binary.length());
                    binary.reset();
                }
            }
            binary.trailer();
            copyIn.writeToCopy(binary.bytes(), 0, binary.length());
            binary.reset();
            copyIn.endCopy();
        }
        finally
        {
            binary.reset();
            if (copyIn.isActive())
            {
                copyIn.cancelCopy();
            }
        }
    }

    /**
     * Rows in PostgreSQL's binary COPY format, into a reused byte array: numbers as big-endian
     * integers of their column's width (no text to parse on the server), text as UTF-8.
     */
    static final class CopyBinary
    {
        static final int FLUSH_AT = 1 << 16;
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte)0xFF, '\r', '\n', 0};
        private byte[] bytes = new byte[FLUSH_AT + 4_096];
        private int length;

        void header()
        {
            ensure(SIGNATURE.length + 8);
            System.arraycopy(SIGNATURE, 0, bytes, length, SIGNATURE.length);
            length += SIGNATURE.length;
            putInt(0); // flags
            putInt(0); // header extension length
        }

        void trailer()
        {
            ensure(2);
            putShort(-1);
        }

        void row(final RowBuffer rows, final int row)
        {
            final int columns = rows.columns.length;
            ensure(2 + columns * 12);
            putShort(columns);
            for (int c = 0; c < columns; c++)
            {
                if (rows.isText(c))
                {
                    text(rows.string(row, c));
                    continue;
                }
                final long value = rows.number(row, c);
                if (value == RowBuffer.NULL)
                {
                    putInt(-1);
                    continue;
                }
                final int width = rows.width(c);
                putInt(width);
                switch (width)
                {
                    case 2: putShort((int)value); break;
                    case 4: putInt((int)value); break;
                    default: putLong(value); break;
                }
            }
        }

        private void text(final String value)
        {
            if (value == null)
            {
                ensure(4);
                putInt(-1);
                return;
            }
            boolean ascii = true;
            for (int i = 0; i < value.length() && ascii; i++)
            {
                ascii = value.charAt(i) < 0x80;
            }
            if (ascii)
            {
                ensure(4 + value.length());
                putInt(value.length());
                for (int i = 0; i < value.length(); i++)
                {
                    bytes[length++] = (byte)value.charAt(i);
                }
            }
            else
            {
                final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                ensure(4 + utf8.length);
                putInt(utf8.length);
                System.arraycopy(utf8, 0, bytes, length, utf8.length);
                length += utf8.length;
            }
        }

        private void putShort(final int value)
        {
            bytes[length++] = (byte)(value >>> 8);
            bytes[length++] = (byte)value;
        }

        private void putInt(final int value)
        {
            bytes[length++] = (byte)(value >>> 24);
            bytes[length++] = (byte)(value >>> 16);
            bytes[length++] = (byte)(value >>> 8);
            bytes[length++] = (byte)value;
        }

        private void putLong(final long value)
        {
            putInt((int)(value >>> 32));
            putInt((int)value);
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
