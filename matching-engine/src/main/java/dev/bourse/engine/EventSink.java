package dev.bourse.engine;

import org.agrona.DirectBuffer;

/**
 * Where the engine hands each finished journal entry (one per command). The journal is the
 * production sink; tests use an in-memory one. The entry bytes are valid only during the call.
 */
public interface EventSink
{
    /**
     * @return true once the entry is stored; false (or an exception) means it could not be, and
     *         the engine halts: it takes no further commands and never acknowledges this one.
     */
    boolean onEntry(DirectBuffer buffer, int offset, int length);

    /**
     * The sequencer delivered the last command of a batch: where a sink that collects entries
     * writes them (and syncs). Throws if it could not: the engine then halts.
     */
    default void onEndOfBatch()
    {
    }

    /** Receives entries in order. */
    @FunctionalInterface
    interface EntryConsumer
    {
        void accept(DirectBuffer buffer, int offset, int length);
    }

    /**
     * After a failure, hands over the entries the sink had accepted ({@link #onEntry} returned
     * true) but could not store, oldest first, and forgets them: their commands were never carried
     * out as far as anyone will know, and their senders are told so.
     */
    default void drainUnstored(final EntryConsumer consumer)
    {
    }
}
