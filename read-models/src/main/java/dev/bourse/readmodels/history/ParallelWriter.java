package dev.bourse.readmodels.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a batch's parallel half ({@link HistoryBatch#parallelInserts}: the orders with odd ids
 * and their events) on a second PostgreSQL connection, from a thread of its own, while the sink's
 * connection writes the rest. PostgreSQL runs one server process per connection and the server's
 * inserts are the sink's cost, so two connections put them on both cores. Used for full batches
 * (the sink is behind); a sink that keeps up writes everything on one connection.
 * <p>
 * Its half commits before the sink's transaction, which holds the checkpoint, and records the
 * sequence it reached in {@code sink_parallel}. When the sink's transaction then fails, or the
 * process dies between the two commits, rows above the checkpoint are left behind. Queries read
 * only up to the checkpoint's sequence, and until the sink has passed them again this writer
 * inserts idempotently (ON CONFLICT) instead of by COPY: the rows it writes again are the same rows,
 * except that an order's {@code closed_sequence} follows the batch it is in, so it is updated.
 */
final class ParallelWriter implements AutoCloseable
{
    private static final String PROGRESS = "UPDATE sink_parallel SET sequence = GREATEST(sequence, ?) WHERE id = 1";

    private final HistoryStore store;
    private final ExecutorService thread;
    private final HistoryWriter.CopyBinary binary = new HistoryWriter.CopyBinary();
    /** On the writer's thread only. */
    private Connection connection;
    /** The highest sequence this writer may have committed (a failed commit may still have). */
    private long mayHaveWrittenUpTo;
    /** The checkpoint's sequence: the store holds every row up to it. */
    private long checkpointSequence;

    ParallelWriter(final HistoryStore store)
    {
        this.store = store;
        this.thread = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread t = new Thread(runnable, "history-sink-parallel");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads how far an earlier run got; {@code checkpointSequence} is the checkpoint's. */
    void restore(final Connection sinkConnection, final long checkpointSequence) throws SQLException
    {
        try (PreparedStatement s = sinkConnection.prepareStatement("SELECT sequence FROM sink_parallel WHERE id = 1");
            ResultSet rs = s.executeQuery())
        {
            if (!rs.next())
            {
                throw new SQLException("sink_parallel has no row");
            }
            mayHaveWrittenUpTo = Math.max(checkpointSequence, rs.getLong(1));
        }
        finally
        {
            sinkConnection.rollback();
        }
        this.checkpointSequence = checkpointSequence;
    }

    /** Starts writing the batch's parallel half; the batch must not change until {@link Half#await} returns. */
    Half start(final HistoryBatch batch)
    {
        final boolean again = mayHaveRowsAboveCheckpoint();
        final long upTo = batch.sequence;
        mayHaveWrittenUpTo = Math.max(mayHaveWrittenUpTo, upTo);
        return new Half(thread.submit(() ->
        {
            write(batch, again, upTo);
            return null;
        }));
    }

    /**
     * Whether rows this writer committed may be above the checkpoint: the next batch's half must then
     * go through it (idempotently), not by COPY on the sink's connection.
     */
    boolean mayHaveRowsAboveCheckpoint()
    {
        return mayHaveWrittenUpTo > checkpointSequence;
    }

    /** The sink's transaction committed the checkpoint at this sequence. */
    void checkpointCommitted(final long sequence)
    {
        checkpointSequence = sequence;
    }

    private void write(final HistoryBatch batch, final boolean again, final long upTo) throws SQLException
    {
        if (connection == null)
        {
            connection = store.writerConnection();
        }
        try
        {
            for (final RowBuffer rows : batch.parallelInserts)
            {
                if (rows.size() > 0)
                {
                    if (again)
                    {
                        HistoryWriter.batchInsert(connection, rows.sql + onConflict(rows), rows);
                    }
                    else
                    {
                        HistoryWriter.copyIn(connection, rows, binary);
                    }
                }
            }
            try (PreparedStatement s = connection.prepareStatement(PROGRESS))
            {
                s.setLong(1, upTo);
                if (s.executeUpdate() != 1)
                {
                    throw new SQLException("sink_parallel has no row");
                }
            }
            connection.commit();
        }
        catch (final SQLException | RuntimeException e)
        {
            closeConnection();
            throw e;
        }
    }

    private static String onConflict(final RowBuffer rows)
    {
        return switch (rows.table)
        {
            case "orders" -> " ON CONFLICT (order_id) DO UPDATE SET closed_sequence = excluded.closed_sequence";
            case "order_events" -> " ON CONFLICT (order_id, sequence, line) DO NOTHING";
            default -> throw new IllegalStateException("no idempotent insert for " + rows.table);
        };
    }

    private void closeConnection()
    {
        if (connection != null)
        {
            try
            {
                connection.rollback();
                connection.close();
            }
            catch (final SQLException e)
            {
                // broken: the next batch takes a new one
            }
            connection = null;
        }
    }

    @Override
    public void close()
    {
        thread.submit(this::closeConnection);
        thread.shutdown();
        try
        {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** One batch's half, being written. */
    static final class Half
    {
        private final Future<Void> future;

        private Half(final Future<Void> future)
        {
            this.future = future;
        }

        /** Waits until the half is committed; its failure is thrown here. */
        void await() throws SQLException
        {
            try
            {
                future.get();
            }
            catch (final ExecutionException e)
            {
                final Throwable cause = e.getCause();
                if (cause instanceof SQLException sql)
                {
                    throw sql;
                }
                if (cause instanceof RuntimeException runtime)
                {
                    throw runtime;
                }
                throw new SQLException("history sink: parallel writer failed: " + cause, cause);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new SQLException("history sink: interrupted waiting for the parallel writer");
            }
        }

        /** Waits until the half is done either way; its failure is added to {@code failure}. */
        void awaitQuietly(final Throwable failure)
        {
            try
            {
                await();
            }
            catch (final SQLException | RuntimeException e)
            {
                failure.addSuppressed(e);
            }
        }
    }
}
