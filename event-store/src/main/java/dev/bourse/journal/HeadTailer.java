package dev.bourse.journal;

import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * A reader of the journal that is moved to its newest entry ({@link #toHead}) before it waits for
 * something to be written, as the admin service does before each action. A tailer opened once at
 * start and read only when an operator acts lay,
 * between actions, in a cycle file that journal retention then deleted (Chronicle logged an ERROR
 * at the next action, an outside soak saw it), and the first action after a quiet hour read
 * everything journaled in that hour on the HTTP thread that carried it. An action's entries come
 * after its own command, which is published after the move, so nothing it waits for is skipped.
 * One thread at a time.
 */
public final class HeadTailer implements JournalTailer
{
    private static final JournalHandler SKIP = (position, buffer, offset, length) -> { };

    private final LongSupplier lastPosition;
    private final LongFunction<JournalTailer> tailerAt;
    private JournalTailer tailer;

    /**
     * @param lastPosition the journal's newest entry's position, -1 when it has none
     * @param tailerAt     a tailer whose first entry is the one at a position ({@link #START}: the
     *                     journal's first), for external effects (waiting for the durable watermark)
     */
    public HeadTailer(final LongSupplier lastPosition, final LongFunction<JournalTailer> tailerAt)
    {
        this.lastPosition = lastPosition;
        this.tailerAt = tailerAt;
        toHead();
    }

    /**
     * Reopens at the journal's newest entry and reads it, so that {@link #position()} and
     * {@link #lastSequence()} are the journal's now and the next entry delivered is the first
     * written after this call.
     */
    public void toHead()
    {
        final long head = lastPosition.getAsLong();
        if (tailer != null && head == tailer.position())
        {
            return; // already there (as after an action with nothing journaled since): no new reader needed
        }
        final JournalTailer old = tailer;
        tailer = tailerAt.apply(head < 0 ? START : head);
        if (old != null)
        {
            old.close();
        }
        if (head >= 0)
        {
            tailer.poll(SKIP, 1); // in sync mode an entry not yet durable comes with the next poll instead
        }
    }

    @Override
    public int poll(final JournalHandler handler, final int limit)
    {
        return tailer.poll(handler, limit);
    }

    @Override
    public long position()
    {
        return tailer.position();
    }

    @Override
    public long lastSequence()
    {
        return tailer.lastSequence();
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
