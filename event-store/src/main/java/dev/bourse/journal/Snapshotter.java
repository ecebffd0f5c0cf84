package dev.bourse.journal;

import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Takes engine snapshots off the engine thread. It keeps a shadow {@link EngineState} fed by
 * tailing the journal (so it never touches the engine's own state) and writes it to the
 * {@link SnapshotStore} every N entries or T nanoseconds, whichever comes first, stamped with the
 * journal index it includes. Writing a large snapshot blocks only this agent's thread, and with
 * {@link #scheduling} that thread waits for a core nothing else wants while it is close behind
 * ({@link IdleClassGovernor}): serializing a million-order state on a core the engine needs put
 * the engine's p99 at 3.9-7.8 ms against 0.5-0.9 ms in {@code bench journal}'s snapshot-impact runs.
 */
public final class Snapshotter implements Agent, JournalHandler
{
    private static final int POLL_LIMIT = 4096;

    private final JournalTailer tailer;
    private final EngineReplayer replayer;
    private final SnapshotStore store;
    private final long everyEntries;
    private final long everyNanos;
    private final EpochNanoClock clock;
    private final Consumer<String> log;

    private long entriesSinceSnapshot;
    private long lastSnapshotNanos;
    private long lastAppliedPosition = -1;
    /** {@link #lastAppliedPosition} for other threads, once per poll. */
    private volatile long publishedPosition = -1;
    private long snapshotPosition = -1;
    private volatile long lastSnapshotSequence = -1;
    private volatile long lastSnapshotEpochNanos;
    private volatile long snapshotsTaken;
    private volatile long snapshotFailures;
    /** Null: the thread keeps the scheduling it was started with. */
    private IdleClassGovernor governor;
    private LongSupplier headSequence;

    /**
     * @param tailer       positioned just after the entry the shadow state already includes.
     * @param shadow       a state of its own (a copy of the recovered state), never the engine's.
     * @param everyEntries snapshot after this many new entries (0: never by count).
     * @param everyNanos   ... or after this long with at least one new entry (0: never by time).
     */
    public Snapshotter(
        final JournalTailer tailer,
        final EngineState shadow,
        final SnapshotStore store,
        final long everyEntries,
        final long everyNanos,
        final EpochNanoClock clock,
        final Consumer<String> log)
    {
        this.tailer = tailer;
        this.replayer = new EngineReplayer(shadow);
        this.store = store;
        this.everyEntries = everyEntries;
        this.everyNanos = everyNanos;
        this.clock = clock;
        this.log = log;
        this.lastSnapshotNanos = clock.nanoTime();
        this.lastSnapshotEpochNanos = lastSnapshotNanos;
        this.lastAppliedPosition = tailer.position();
    }

    /**
     * The shadow state was recovered with {@code entries} journal entries past the newest snapshot
     * (a full replay: all of them): they count toward the next snapshot, so an exchange that is
     * killed before each snapshot falls due still takes one, and its recovery stays bounded (a
     * probe's crash loop replayed 1.47 million entries at every start, its snapshot directory empty).
     */
    public Snapshotter entriesSinceNewestSnapshot(final long entries)
    {
        entriesSinceSnapshot = Math.max(0, entries);
        return this;
    }

    /**
     * Lets this agent's thread yield the cores while it is at most {@code maxLag} entries behind
     * {@code headSequence} (the journal's newest sequence); call before the agent starts.
     */
    public Snapshotter scheduling(final FollowerScheduling scheduling, final long maxLag, final LongSupplier headSequence)
    {
        this.governor = scheduling == FollowerScheduling.ORDINARY ? null : new IdleClassGovernor("snapshotter", scheduling, maxLag, log);
        this.headSequence = headSequence;
        return this;
    }

    /** Whether this agent's thread is in the idle scheduling class now. */
    public boolean yieldingCores()
    {
        return governor != null && governor.yielding();
    }

    @Override
    public void onStart()
    {
        if (governor != null)
        {
            governor.start();
        }
    }

    @Override
    public int doWork()
    {
        // Never read past the count that is due, so snapshots fall on exact multiples of everyEntries.
        final int limit = everyEntries > 0 ? (int)Math.min(POLL_LIMIT, everyEntries - entriesSinceSnapshot) : POLL_LIMIT;
        final int entries = tailer.poll(this, Math.max(1, limit));
        if (entries > 0)
        {
            publishedPosition = lastAppliedPosition;
        }
        if (governor != null)
        {
            governor.onLag(headSequence.getAsLong() - replayer.state().lastSequence());
        }
        final long now = clock.nanoTime();
        if (entriesSinceSnapshot > 0
            && ((everyEntries > 0 && entriesSinceSnapshot >= everyEntries)
            || (everyNanos > 0 && now - lastSnapshotNanos >= everyNanos)))
        {
            snapshot(now);
            return entries + 1;
        }
        return entries;
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        replayer.apply(buffer, offset, length);
        lastAppliedPosition = position;
        entriesSinceSnapshot++;
    }

    /** Writes a snapshot of what has been applied now (also used on shutdown). */
    public void snapshotNow()
    {
        if (lastAppliedPosition >= 0 && lastAppliedPosition != snapshotPosition)
        {
            snapshot(clock.nanoTime());
        }
    }

    private void snapshot(final long now)
    {
        try
        {
            final SnapshotStore.Info info = store.write(replayer.state(), lastAppliedPosition);
            snapshotPosition = lastAppliedPosition;
            lastSnapshotSequence = info.sequence();
            lastSnapshotEpochNanos = now;
            snapshotsTaken++;
        }
        catch (final IOException | RuntimeException e)
        {
            // Not fatal: the journal is the record; recovery falls back to an older snapshot.
            snapshotFailures++;
            log.accept("snapshot: cannot write to " + store.dir() + ": " + why(e));
        }
        entriesSinceSnapshot = 0;
        lastSnapshotNanos = now;
    }

    /**
     * What went wrong, said plainly: the directory gone (removed while running, its volume
     * unmounted), or the exception's kind with its text. A removed directory was logged as a bare
     * path, the whole text of a NoSuchFileException (an outside tester). It is not made again: an
     * unmounted volume's mount point would then fill the disk under it.
     */
    private String why(final Exception e)
    {
        if (!java.nio.file.Files.isDirectory(store.dir()))
        {
            return "the directory is gone: no snapshot is written until it is back (recovery replays the journal from the"
                + " newest snapshot there is)";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Engine sequence of the newest snapshot this agent wrote, or -1. */
    public long lastSnapshotSequence()
    {
        return lastSnapshotSequence;
    }

    /** Nanoseconds since the last snapshot (or since start): the snapshot-age counter. */
    public long snapshotAgeNanos()
    {
        return clock.nanoTime() - lastSnapshotEpochNanos;
    }

    public long snapshotsTaken()
    {
        return snapshotsTaken;
    }

    public long snapshotFailures()
    {
        return snapshotFailures;
    }

    /** Journal index of the last entry the shadow state includes (any thread). */
    public long appliedPosition()
    {
        return publishedPosition;
    }

    @Override
    public void onClose()
    {
        tailer.close();
    }

    @Override
    public String roleName()
    {
        return "snapshotter";
    }
}
