package dev.bourse.journal;

/**
 * A poll-based journal reader that fits an Agent duty cycle: each {@link #poll} delivers what
 * is available (up to a limit) and returns at once. One thread per tailer.
 * <p>
 * Readers that produce external effects (execution reports, market data) see an entry only once
 * it is stored as the configured durability mode requires; see {@code Journal}.
 */
public interface JournalTailer extends AutoCloseable
{
    /** The position "before the first entry": a tailer after it delivers the whole journal. */
    long START = -1;

    /**
     * Delivers up to {@code limit} entries to the handler.
     *
     * @return the number delivered; 0 when caught up.
     */
    int poll(JournalHandler handler, int limit);

    /** Position of the last entry delivered, or the start position before the first. */
    long position();

    /** Engine sequence of the last entry delivered; 0 before the first. */
    long lastSequence();

    /**
     * Goes back so that the next entry delivered is the one after engine sequence
     * {@code afterSequence} (entries are delivered again from there); false if this tailer cannot.
     */
    default boolean rewind(final long afterSequence)
    {
        return false;
    }

    @Override
    void close();
}
