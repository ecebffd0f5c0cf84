package dev.bourse.readmodels;

import dev.bourse.journal.JournalTailer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The projection thread's duty cycle: poll the journal into the {@link ReadModels}, then run the
 * queries HTTP threads queued, then checkpoint when due.
 * <p>
 * Queries run here, between batches, rather than on the HTTP threads: the models have exactly
 * one thread, so they need no locks, no copies and no volatile fields, and every answer reflects
 * one journal position exactly. A query that asks to wait for a position it has not reached is
 * parked in a list checked every cycle until it is reached or its deadline passes.
 * <p>
 * A checkpoint is written a slice per cycle ({@link #CHECKPOINT_SLICE}), with queries answered
 * between slices, and no journal entry applied until it is written: the models stay as the
 * checkpoint describes them, and a query waits about a millisecond for a slice instead of the
 * whole checkpoint (half a second for a million live orders). Its fsync and renames go on in the
 * checkpoint store's own thread.
 */
public final class ProjectionAgent implements Agent
{
    /**
     * Orders (or accounts) a duty cycle writes of a checkpoint before it answers queries again:
     * about a millisecond here.
     */
    static final int CHECKPOINT_SLICE = 2_048;

    private final ReadModels models;
    private final JournalSource source;
    private final JournalTailer tailer;
    private final ManyToOneConcurrentArrayQueue<Query> queries;
    private final ArrayList<Query> waiting = new ArrayList<>();
    private final ReadModelCounters counters;
    private final CheckpointStore checkpoints;
    private final long checkpointEveryEntries;
    private final int batchLimit;
    private final Consumer<String> log;
    /** Says once what the models could not read: an entry skipped, or a journal they get no further in. */
    private dev.bourse.journal.ReaderTrouble trouble;
    private final Consumer<Query> runQuery = this::accept;
    private long entriesAtLastCheckpoint;
    /** Also checkpoint this often when entries came in: a quiet venue's retention waits for a checkpoint. */
    private long checkpointEveryNanos = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    private long lastCheckpointNanos = System.nanoTime();
    private long busyCycles;
    /** The checkpoint being written, a slice per duty cycle; null if none. */
    private CheckpointStore.Writing writing;
    private long checkpointStartNanos;
    private int checkpointSlice = CHECKPOINT_SLICE;
    private volatile Thread thread;
    private volatile boolean closed;

    public ProjectionAgent(
        final ReadModels models,
        final JournalSource source,
        final ReadModelCounters counters,
        final CheckpointStore checkpoints,
        final long checkpointEveryEntries,
        final int batchLimit,
        final int queryQueueCapacity,
        final Consumer<String> log)
    {
        this.models = models;
        this.source = source;
        this.tailer = source.tailerAfter(models.position());
        this.counters = counters;
        this.checkpoints = checkpoints;
        this.checkpointEveryEntries = checkpointEveryEntries;
        this.batchLimit = batchLimit;
        this.queries = new ManyToOneConcurrentArrayQueue<>(queryQueueCapacity);
        this.log = log;
        this.trouble = new dev.bourse.journal.ReaderTrouble("read models", log);
        this.entriesAtLastCheckpoint = models.entriesApplied();
        publish();
        updateHead();
    }

    /**
     * The journal's head and this projection's lag behind it. Also done once at construction: the
     * history sink counts its own lag from the head sequence published here, and until the first duty
     * cycle it read "unknown" and reported a lag of 0 while far behind (an outside probe: 1.5 s on a
     * rebuild, 12,000 entries behind after a crash).
     */
    private void updateHead()
    {
        final long head = source.headPosition();
        counters.headPosition = head;
        final long headSequence = source.headSequence();
        counters.headSequence = headSequence;
        counters.lag = headSequence != Long.MIN_VALUE
            ? Math.max(0, headSequence - models.sequence()) : source.entriesBetween(models.position(), head);
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork()
    {
        int work;
        if (writing != null)
        {
            // The models apply no entry until the checkpoint is written, and answer queries between its slices.
            work = continueCheckpoint();
        }
        else
        {
            final long malformedBefore = models.malformedSkipped();
            work = tailer.poll(models, batchLimit);
            if (work > 0)
            {
                publish();
            }
            if (models.malformedSkipped() > malformedBefore)
            {
                trouble.undecodable(models.firstMalformedPosition(), "the read models' malformedSkipped counts it");
            }
        }
        updateHead();
        if (writing == null)
        {
            trouble.polled(work > 0, counters.lag > 0, models.position(), models.sequence());
        }
        work += queries.drain(runQuery, 256);
        if (!waiting.isEmpty())
        {
            work += serveWaiting();
        }
        if (checkpoints == null)
        {
            return work;
        }
        final long sinceCheckpoint = models.entriesApplied() - entriesAtLastCheckpoint;
        // the clock is read when idle or every 1,024 busy cycles, not on every cycle of a busy stream
        if (writing == null && (sinceCheckpoint >= checkpointEveryEntries
            || sinceCheckpoint > 0 && (work == 0 || (++busyCycles & 1023) == 0) && System.nanoTime() - lastCheckpointNanos >= checkpointEveryNanos))
        {
            work += beginCheckpoint();
        }
        final IOException failed = checkpoints.takeFailure();
        if (failed != null)
        {
            logCheckpointFailure(failed);
        }
        return work;
    }

    /** Starts a checkpoint; 0 if the one before is still being made durable (tried again on a later cycle). */
    private int beginCheckpoint()
    {
        try
        {
            final CheckpointStore.Writing started = checkpoints.begin(models);
            if (started == null)
            {
                return 0;
            }
            writing = started;
            checkpointStartNanos = System.nanoTime();
        }
        catch (final IOException | RuntimeException e)
        {
            checkpointFailed(e);
        }
        return 1;
    }

    private int continueCheckpoint()
    {
        try
        {
            if (writing.writeSome(checkpointSlice))
            {
                writing = null;
                checkpointWritten(checkpointStartNanos);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            writing = null; // abandoned by the store: its temporary file is gone, the older checkpoints stay
            checkpointFailed(e);
        }
        return 1;
    }

    private void checkpointWritten(final long startNanos)
    {
        counters.checkpointsWritten++;
        entriesAtLastCheckpoint = models.entriesApplied();
        lastCheckpointNanos = System.nanoTime();
        counters.lastCheckpointNanos = lastCheckpointNanos - startNanos;
    }

    /** Logged; the next is tried when the next is due, as if this one had been written. */
    private void checkpointFailed(final Exception e)
    {
        logCheckpointFailure(e);
        entriesAtLastCheckpoint = models.entriesApplied();
        lastCheckpointNanos = System.nanoTime();
    }

    private void logCheckpointFailure(final Exception e)
    {
        // the kind says why (AccessDeniedException, NoSuchFileException): their messages are only the path
        log.accept("read models: checkpoint to " + checkpoints.directory() + " failed: " + e.getClass().getSimpleName() + ": "
            + e.getMessage());
    }

    /**
     * Queues a query from any thread and wakes the projection thread if it is parked.
     *
     * @return false if the queue is full or the agent closed (answer 503).
     */
    public boolean submit(final Query query)
    {
        if (closed || !queries.offer(query))
        {
            return false;
        }
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
        return true;
    }

    public ReadModelCounters counters()
    {
        return counters;
    }

    private void accept(final Query query)
    {
        if (query.isReady(models))
        {
            run(query);
        }
        else
        {
            waiting.add(query);
        }
    }

    private int serveWaiting()
    {
        int served = 0;
        final long now = System.nanoTime();
        for (int i = waiting.size() - 1; i >= 0; i--)
        {
            final Query query = waiting.get(i);
            if (query.isReady(models))
            {
                run(query);
            }
            else if (now - query.deadlineNanos >= 0)
            {
                counters.queriesTimedOut++;
                query.result.complete(Response.error(504, "position_not_reached",
                    "the read models have not reached the requested position within the timeout", models.position()));
            }
            else
            {
                continue;
            }
            waiting.remove(i);
            served++;
        }
        return served;
    }

    private void run(final Query query)
    {
        Response response;
        try
        {
            response = query.body.run(models);
        }
        catch (final RuntimeException e)
        {
            log.accept("read models: query failed: " + e);
            response = Response.error(500, "internal_error", "the query failed", models.position());
        }
        counters.queriesServed++;
        query.result.complete(response);
    }

    private void publish()
    {
        counters.position = models.position();
        counters.sequence = models.sequence();
        counters.entriesApplied = models.entriesApplied();
        counters.eventsApplied = models.eventsApplied();
        counters.duplicatesSkipped = models.duplicatesSkipped();
        counters.malformedSkipped = models.malformedSkipped();
    }

    /** How long behind the head with nothing read before the log says the journal cannot be read further (tests: 0). */
    ProjectionAgent stallLoggedAfter(final long nanos)
    {
        trouble = new dev.bourse.journal.ReaderTrouble("read models", log, nanos);
        return this;
    }

    /** Orders' worth of a checkpoint written per duty cycle (tests make it small). */
    ProjectionAgent checkpointSlice(final int items)
    {
        checkpointSlice = items;
        return this;
    }

    /** Whether a checkpoint is being written (the models apply no entry until it is). */
    boolean checkpointInProgress()
    {
        return writing != null;
    }

    ReadModels models()
    {
        return models;
    }

    /** Checkpoints at least this often while entries come in (besides every so many entries). */
    public ProjectionAgent checkpointEvery(final long nanos)
    {
        checkpointEveryNanos = nanos;
        return this;
    }

    /** Writes a checkpoint now and waits until it is durable (projection thread, or after the agent has stopped). */
    public void checkpoint()
    {
        final long start = System.nanoTime();
        try
        {
            checkpoints.save(models);
            checkpointWritten(start);
        }
        catch (final IOException e)
        {
            checkpointFailed(e);
        }
    }

    @Override
    public void onClose()
    {
        closed = true;
        final Response closing = Response.error(503, "shutting_down", "the read models are shutting down", models.position());
        queries.drain(q -> q.result.complete(closing));
        waiting.forEach(q -> q.result.complete(closing));
        waiting.clear();
        if (writing != null)
        {
            writing.abandon(); // written again whole below, from the same (held) models
            writing = null;
        }
        if (checkpoints != null && models.entriesApplied() != entriesAtLastCheckpoint)
        {
            checkpoint();
        }
        else if (checkpoints != null)
        {
            try
            {
                checkpoints.awaitDurable(); // the last one in place before the process ends
            }
            catch (final IOException e)
            {
                logCheckpointFailure(e);
            }
        }
        tailer.close();
        source.close();
    }

    @Override
    public String roleName()
    {
        return "read-models";
    }
}
