package dev.bourse.readmodels.history;

import dev.bourse.journal.FollowerScheduling;
import dev.bourse.journal.IdleClassGovernor;
import dev.bourse.journal.JournalTailer;
import dev.bourse.journal.ShortTurns;
import dev.bourse.readmodels.JournalSource;
import org.agrona.concurrent.Agent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The history sink's duty cycle: tail the journal on its own tailer, turn entries into rows, and
 * every {@code batchEntries} entries, or {@code maxDelay} after a batch began, write them with the
 * checkpoint in one transaction. So the store always holds whole entries up to its checkpoint, and a
 * restart resumes after it: nothing missing, nothing twice.
 * <p>
 * A sink that has caught up still lets its batch fill for {@code maxDelay}: a transaction per
 * poll (what writing on catching up did) cost a commit and its WAL pages for every few entries, and
 * took 40% of a core at the demo's 1,600 orders/s on the cores the order path needs.
 * <p>
 * A failed write (the database is down, a disk is full) is rolled back and retried with the same
 * rows after a pause; the journal is not read further meanwhile, so the sink falls behind (its lag
 * grows) but never skips anything. Before the retry it reads the store's checkpoint again: a commit
 * whose answer was lost (the connection reset after the server committed) already holds the batch,
 * which then counts as written; a checkpoint another writer moved makes the sink start again from
 * it, as a restart would. Retrying the same rows regardless failed on their keys for ever.
 * <p>
 * With PostgreSQL the sink's connection holds the store's writer lock ({@link HistoryStore#WRITER_LOCK_KEY}):
 * one sink per database. A connection made again takes it again before anything is written, and
 * while another sink holds it this one writes nothing (each try counts as a failed write).
 * <p>
 * With a {@link FollowerScheduling} the sink's thread leaves the cores to everything else while it is
 * at most {@code idleClassMaxLag} entries behind, and competes again beyond that until it is back
 * within a quarter of it: at 30k orders/s its SQLite inserts took half a core that the order path
 * then queued behind, though nothing waits for history that closely.
 */
public final class HistorySink implements Agent
{
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Journal entries read between two looks at the turn while turns are cut (about 1 us each). */
    private static final int ENTRIES_PER_TURN_CHECK = 32;

    private final HistoryStore store;
    private final JournalSource source;
    private final LongSupplier headPosition;
    private final SinkProgress progress;
    private final int batchEntries;
    private final long maxDelayNanos;
    private final Consumer<String> log;
    private final HistoryBatch batch = new HistoryBatch();
    /** Made again only when the sink starts again from a checkpoint another writer left. */
    private HistoryProjection projection = new HistoryProjection(batch);
    private java.time.ZoneId zone;
    private final ParallelWriter parallel;
    private final HistoryWriter writer;
    private Connection connection;
    private JournalTailer tailer;
    private long retryAtNanos;
    private boolean batchClosed;
    /** A write failed: the store's checkpoint is read again before the batch is written (it may be there). */
    private boolean checkStore;
    /** The store's checkpoint moved under the sink: it starts again from there. */
    private boolean restartFromStore;
    /** Null: the sink's thread keeps the scheduling it was started with. */
    private IdleClassGovernor governor;
    /** None unless {@link #scheduling} gives the sink turns. */
    private ShortTurns turns = ShortTurns.NONE;

    /**
     * @param headPosition the journal's newest position for the lag counter (Long.MIN_VALUE if unknown)
     * @param beforeCommit null, or a hook run before each commit (fault injection in tests)
     */
    public HistorySink(
        final HistoryStore store,
        final JournalSource source,
        final LongSupplier headPosition,
        final SinkProgress progress,
        final int batchEntries,
        final long maxDelayNanos,
        final Consumer<String> log,
        final BeforeCommit beforeCommit)
    {
        this.store = store;
        this.source = source;
        this.headPosition = headPosition;
        this.progress = progress;
        this.batchEntries = batchEntries;
        this.maxDelayNanos = maxDelayNanos;
        this.log = log;
        this.parallel = store.isPostgresql() ? new ParallelWriter(store) : null;
        this.writer = new HistoryWriter(store.isPostgresql(), beforeCommit == null ? null : beforeCommit::beforeCommit, parallel);
    }

    /** Names the trading days by dates in the exchange's time zone (UTC unless set); call before starting the sink. */
    public HistorySink timeZone(final java.time.ZoneId zone)
    {
        this.zone = zone;
        projection.timeZone(zone);
        return this;
    }

    /**
     * Lets the sink's thread yield the cores while it is at most {@code maxLag} entries behind the
     * journal (see the class comment); call before starting the sink.
     */
    public HistorySink scheduling(final FollowerScheduling scheduling, final long maxLag)
    {
        return scheduling(scheduling, maxLag, 0);
    }

    /**
     * As {@link #scheduling(FollowerScheduling, long)}, and while it yields the cores it works in
     * turns of at most {@code maxTurnNanos} with a short sleep between them ({@link ShortTurns}; 0:
     * no turns).
     */
    public HistorySink scheduling(final FollowerScheduling scheduling, final long maxLag, final long maxTurnNanos)
    {
        this.governor = scheduling == FollowerScheduling.ORDINARY ? null : new IdleClassGovernor("history sink", scheduling, maxLag, log);
        progress.governor = governor;
        turns = governor == null ? ShortTurns.NONE : new ShortTurns(maxTurnNanos, governor::yielding);
        progress.turns = turns;
        writer.turns(turns);
        return this;
    }

    /** Called after a batch's rows are written and before it commits. */
    @FunctionalInterface
    public interface BeforeCommit
    {
        void beforeCommit(long batchNumber, int rows);
    }

    /**
     * The journal may be short of the store's checkpoint at start and catch up (a cluster node
     * rebuilding its journal from the cluster's log): the sink then waits for it rather than take
     * the store for another journal's (an outside tester's wiped node, kept database, was refused or
     * not by how far the rebuild had got).
     */
    public HistorySink waitForJournal(final boolean wait)
    {
        this.waitForJournal = wait;
        return this;
    }

    private boolean waitForJournal;
    /** Failed writes since the last that went through, and when the first of them was: the recovery is said. */
    private long failuresSinceWrite;
    private long firstFailureNanos;
    private long awaitedSequence;
    private long nextJournalLookNanos;

    @Override
    public void onStart()
    {
        try
        {
            connection = store.sinkConnection();
            final long stored = waitForJournal ? storedSequence() : 0;
            final long last = waitForJournal ? source.lastSequence() : Long.MIN_VALUE;
            if (last != Long.MIN_VALUE && last < stored)
            {
                awaitedSequence = stored;
                log.accept("history sink: waiting for the journal to reach the store's checkpoint (sequence " + stored
                    + "; the journal is at " + last + ", being rebuilt)");
            }
            else
            {
                resumeOrFail();
            }
            if (governor != null)
            {
                governor.start();
            }
        }
        catch (final SQLException e)
        {
            progress.failed = true;
            throw new IllegalStateException("history sink: cannot read its checkpoint from " + store.settings().describe() + ": " +
                StoreErrors.summary(e), e);
        }
    }

    /** Reads the checkpoint and the sink's state back from the store and tails the journal after it. */
    private void resume() throws SQLException
    {
        final long position = projection.restore(connection);
        if (parallel != null)
        {
            parallel.restore(connection, projection.sequence());
        }
        writer.checkpointIs(position, projection.sequence());
        progress.publish(position, projection.sequence());
        progress.started = true;
        final long other;
        try
        {
            other = dev.bourse.readmodels.CheckpointMatch.otherEntrySequence(source, position, projection.sequence(),
                projection.timestamp());
            tailer = source.tailerAfter(position);
        }
        catch (final dev.bourse.journal.JournalException e)
        {
            throw new IllegalStateException(dev.bourse.readmodels.ReadModelsServer.notInJournal(
                "the history store's checkpoint (" + store.settings().describe() + ")", e), e);
        }
        if (other != Long.MIN_VALUE)
        {
            // a database another exchange wrote (query.store = postgresql names it apart from the checkpoint directory)
            tailer.close();
            tailer = null;
            throw new IllegalStateException(dev.bourse.readmodels.CheckpointMatch.refusal("the history store ("
                + store.settings().describe() + ")", projection.sequence(), other, "Point the query side at this exchange's "
                + "own history store, or empty it to rebuild the history from the journal"));
        }
    }

    /**
     * The journal's newest engine sequence as the projection thread last saw it (Long.MIN_VALUE if
     * unknown): the lag is then counted from sequences, as a Chronicle journal's positions cannot
     * be subtracted.
     */
    public HistorySink headSequence(final LongSupplier headSequence)
    {
        this.headSequence = headSequence;
        return this;
    }

    private LongSupplier headSequence = () -> Long.MIN_VALUE;

    @Override
    public int doWork()
    {
        if (progress.failed)
        {
            return 0; // it could not start (said once, when it failed): it writes nothing
        }
        final long now = System.nanoTime();
        if (awaitedSequence != 0)
        {
            return awaitJournal(now);
        }
        // what is not committed yet, counted also while a failed write waits for its retry: that is when it grows
        updateLag();
        if (retryAtNanos != 0 && now - retryAtNanos < 0)
        {
            return 0;
        }
        if (restartFromStore)
        {
            return restartFromStore();
        }
        turns.begin();
        int work = 0;
        if (!batchClosed && batch.entries < batchEntries)
        {
            work = poll();
        }
        if (batch.entries > 0 && (batchClosed || batch.entries >= batchEntries || now - batch.firstEntryNanos >= maxDelayNanos))
        {
            work += flush();
        }
        return work;
    }

    private int awaitJournal(final long now)
    {
        if (now - nextJournalLookNanos < 0)
        {
            return 0;
        }
        nextJournalLookNanos = now + 100_000_000L;
        final long last = source.lastSequence();
        if (last < awaitedSequence)
        {
            return 0;
        }
        awaitedSequence = 0;
        log.accept("history sink: the journal has reached the store's checkpoint (sequence " + last + "); resuming");
        resumeOrFail();
        return 1;
    }

    private long storedSequence() throws SQLException
    {
        final long[] checkpoint = HistoryStore.checkpointOf(connection);
        return checkpoint == null ? 0 : checkpoint[1];
    }

    /** {@link #resume()}, a sink that cannot marked failed (its status says so; it writes nothing) with the reason in one line. */
    private void resumeOrFail()
    {
        try
        {
            resume();
        }
        catch (final SQLException e)
        {
            progress.failed = true;
            throw new IllegalStateException("history sink: cannot read its checkpoint from " + store.settings().describe() + ": " +
                StoreErrors.summary(e), e);
        }
        catch (final RuntimeException e)
        {
            progress.failed = true; // the sink does not run: its status must not say it does (an outside tester saw "running")
            throw e;
        }
    }

    /** Reads up to a full batch; while turns are cut, in pieces with a look at the turn after each. */
    private int poll()
    {
        if (!turns.cutting())
        {
            return tailer.poll(projection, batchEntries - batch.entries);
        }
        int work = 0;
        while (batch.entries < batchEntries)
        {
            final int wanted = Math.min(ENTRIES_PER_TURN_CHECK, batchEntries - batch.entries);
            final int read = tailer.poll(projection, wanted);
            work += read;
            if (read < wanted)
            {
                break; // caught up
            }
            turns.between();
        }
        return work;
    }

    private void updateLag()
    {
        final long sequence = headSequence.getAsLong();
        // caught up reads as -1 from entriesBetween (the head is the entry it already holds): no lag
        progress.lag = sequence != Long.MIN_VALUE ? Math.max(0, sequence - progress.sequence())
            : Math.max(0, source.entriesBetween(progress.position(), headPosition.getAsLong()));
        if (governor != null)
        {
            governor.onLag(progress.lag);
        }
    }

    private int flush()
    {
        if (!batchClosed)
        {
            projection.closeBatch();
            batchClosed = true; // its rows stay as they are until written, however many retries
        }
        try
        {
            if (connection == null)
            {
                connection = store.sinkConnection(); // PostgreSQL: holding the writer lock, or refused
            }
            final int rows = batch.rows();
            if (checkStore && !storeStillAtCheckpoint(rows))
            {
                return 1;
            }
            // A full batch means the sink is behind: only then is the second connection worth its cost.
            writer.write(connection, batch, batch.entries >= batchEntries);
            return written(rows);
        }
        catch (final SQLException | RuntimeException e)
        {
            failed(e, "writing " + batch.entries + " entries to ");
            return 0;
        }
    }

    private int written(final int rows)
    {
        if (failuresSinceWrite > 0)
        {
            log.accept("history sink: writing to " + store.settings().describe() + " again after " + failuresSinceWrite
                + " failed tries in " + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - firstFailureNanos)
                + " s; catching up from sequence " + batch.sequence);
            failuresSinceWrite = 0;
        }
        projection.batchWritten();
        progress.entriesWritten += batch.entries;
        progress.rowsWritten += rows;
        progress.batchesWritten++;
        progress.liveOrders = projection.liveOrders();
        progress.publish(batch.position, batch.sequence);
        updateLag();
        batch.clear();
        batchClosed = false;
        retryAtNanos = 0;
        return 1;
    }

    private void failed(final Exception e, final String what)
    {
        progress.writeFailures++;
        if (failuresSinceWrite++ == 0)
        {
            firstFailureNanos = System.nanoTime();
        }
        checkStore = true;
        if (failuresSinceWrite < 10 || failuresSinceWrite % 60 == 0)
        {
            // one line: pgjdbc's batch failures render the whole statement with every value
            log.accept((e instanceof HistoryStore.WriterLockHeld ? "history sink: " + e.getMessage() + ": writing nothing until "
                + "this one can take it; trying again in 1 s"
                : "history sink: " + what + store.settings().describe() + " failed (" + StoreErrors.summary(e) + "); retrying in 1 s")
                // an outside tester's log went quiet mid-outage and never said it ended: the throttle is said, and the end
                + (failuresSinceWrite == 9 ? " (from now on one line every 60 failures, until a write goes through)" : ""));
        }
        discardConnection();
        retryAtNanos = System.nanoTime() + RETRY_NANOS;
    }

    /**
     * After a failed write, reads the store's checkpoint again: true if it is still the one this sink
     * wrote last, so the batch is written again. At the batch's end, the failed write's commit had
     * landed (its answer was lost): the batch counts as written. Anywhere else another writer moved
     * it (while this sink had lost its connection and with it the writer lock): the sink starts
     * again from it, as a restart would, never writing a row twice nor skipping one.
     */
    private boolean storeStillAtCheckpoint(final int rows) throws SQLException
    {
        final long position;
        final long sequence;
        try (java.sql.PreparedStatement s = connection.prepareStatement("SELECT position, sequence FROM sink_checkpoint WHERE id = 1");
            java.sql.ResultSet rs = s.executeQuery())
        {
            if (!rs.next())
            {
                throw new SQLException("sink_checkpoint has no row");
            }
            position = rs.getLong(1);
            sequence = rs.getLong(2);
        }
        finally
        {
            connection.rollback();
        }
        checkStore = false;
        if (position == writer.checkpointPosition() && sequence == writer.checkpointSequence())
        {
            return true;
        }
        if (position == batch.position && sequence == batch.sequence)
        {
            log.accept("history sink: " + store.settings().describe() + " already holds the batch of " + batch.entries +
                " entries up to sequence " + sequence + " (its commit was reported failed, but landed); going on");
            writer.checkpointIs(position, sequence);
            written(rows);
            return false;
        }
        log.accept("history sink: the checkpoint of " + store.settings().describe() + " is at sequence " + sequence + ", not at " +
            writer.checkpointSequence() + " where this sink left it: another writer moved it; starting again from there");
        restartFromStore = true;
        return false;
    }

    /** Drops what was read and starts again from the store's checkpoint (see {@link #storeStillAtCheckpoint}). */
    private int restartFromStore()
    {
        try
        {
            if (connection == null)
            {
                connection = store.sinkConnection();
            }
            if (tailer != null)
            {
                tailer.close();
                tailer = null;
            }
            batch.clear();
            batchClosed = false;
            projection = new HistoryProjection(batch);
            if (zone != null)
            {
                projection.timeZone(zone);
            }
            resume();
            restartFromStore = false;
            checkStore = false;
            retryAtNanos = 0;
            progress.liveOrders = projection.liveOrders();
            updateLag();
            return 1;
        }
        catch (final SQLException | RuntimeException e)
        {
            failed(e, "starting again from the checkpoint of ");
            return 0;
        }
    }

    /**
     * A failed write's connection is not given back to the pool: SQLite answers a full disk by
     * rolling back the whole transaction, after which the connection (as the driver and the pool
     * see it, still in a transaction) committed every statement on its own, so the retry left half
     * a batch committed above the checkpoint and then failed on its primary keys for ever (an
     * outside probe). A new connection begins a real transaction.
     */
    private void discardConnection()
    {
        if (connection != null)
        {
            store.discardWriterConnection(connection);
            connection = null;
        }
    }

    private void closeConnection()
    {
        if (connection != null)
        {
            store.releaseSinkConnection(connection); // without the writer lock, which a pooled session would keep
            connection = null;
        }
    }

    @Override
    public void onClose()
    {
        // Commit what was read; whatever is journaled after it is written after the next start.
        if (batch.entries > 0 && !restartFromStore)
        {
            flush();
        }
        if (tailer != null)
        {
            tailer.close();
        }
        if (parallel != null)
        {
            parallel.close();
        }
        closeConnection();
    }

    @Override
    public String roleName()
    {
        return "history-sink";
    }

    public SinkProgress progress()
    {
        return progress;
    }
}
