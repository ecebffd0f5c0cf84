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

    /** The sequencer delivered the last command of a batch: a natural point to flush or sync. */
    default void onEndOfBatch()
    {
    }
}
