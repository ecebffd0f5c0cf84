package dev.bourse.journal;

import org.agrona.DirectBuffer;

/** Receives journal entries in journal order. */
@FunctionalInterface
public interface JournalHandler
{
    /**
     * @param position the entry's position in the journal (its Chronicle Queue index): pass it
     *                 back to open a tailer after this entry.
     * @param buffer   the entry (an EntryHeader followed by its events; read it with
     *                 {@code JournalEntryReader}), valid only during the call.
     */
    void onEntry(long position, DirectBuffer buffer, int offset, int length);
}
