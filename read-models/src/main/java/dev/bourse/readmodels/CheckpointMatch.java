package dev.bourse.readmodels;

import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;

/**
 * Whether a checkpoint (the hot read models', or the history store's) was written from this
 * journal: the journal's entry at the checkpoint's position must carry its engine sequence and
 * timestamp, unless it is an entry the checkpoint's reader skipped. The sequence alone could match
 * by chance (every journal counts from 1). Another
 * exchange's checkpoint was loaded as this journal's: the read models skipped the journal's first
 * entries and said lag 0, and the history store retried an insert that could never succeed, every
 * second (an outside probe).
 */
public final class CheckpointMatch
{
    private CheckpointMatch()
    {
    }

    /**
     * The engine sequence of the journal's entry at {@code position} if that entry is not the
     * checkpoint's; {@link Long#MIN_VALUE} if it is, or if the source cannot tell.
     */
    public static long otherEntrySequence(final JournalSource source, final long position, final long sequence, final long timestamp)
    {
        if (position == ReadModels.START)
        {
            return Long.MIN_VALUE;
        }
        final JournalTailer tailer = source.tailerAt(position);
        if (tailer == null)
        {
            return Long.MIN_VALUE;
        }
        final JournalEntryReader reader = new JournalEntryReader();
        final long[] found = {Long.MIN_VALUE, Long.MIN_VALUE, 0};
        try (tailer)
        {
            tailer.poll((at, buffer, offset, length) ->
            {
                if (reader.readHeader(buffer, offset, length) == JournalEntryReader.OK)
                {
                    found[0] = reader.header().sequence();
                    found[1] = reader.header().timestamp();
                    found[2] = reader.read(buffer, offset, length, NOTHING) == JournalEntryReader.OK ? 1 : 0;
                }
            }, 1);
            // A checkpoint's position may be that of an entry its reader skipped: a duplicate (a lower sequence) or a
            // malformed one (its header unreadable, or a body it could not read). Only an entry it must have applied tells.
            final boolean otherEntry = found[0] == sequence ? found[1] != timestamp : found[0] > sequence && found[2] == 1;
            if (otherEntry)
            {
                return found[0];
            }
            if (found[0] != Long.MIN_VALUE && found[0] < sequence && laterHoldsAnother(tailer, reader, sequence, timestamp))
            {
                // taken for a skipped duplicate: but the checkpoint's own entry comes after it, where this journal's
                // cannot (it was applied before the position). Another journal's, whose entries lie elsewhere: an
                // outside tester's two exchanges of one day had a history store taken for the other's
                return found[0];
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * Whether the first entry after the tailer's position with a sequence of at least {@code sequence}
     * has exactly that sequence and another time: in this journal the checkpoint's entry was applied
     * before its position, so a later one with its sequence can only be a copy of it (same time).
     * Reads at most a million entries (a contiguous journal counts up by one per entry).
     */
    private static boolean laterHoldsAnother(final JournalTailer tailer, final JournalEntryReader reader, final long sequence,
        final long timestamp)
    {
        final long[] first = {Long.MIN_VALUE, Long.MIN_VALUE};
        final long[] read = {0};
        while (first[0] == Long.MIN_VALUE && read[0] < 1_000_000)
        {
            final int polled = tailer.poll((at, buffer, offset, length) ->
            {
                read[0]++;
                if (first[0] == Long.MIN_VALUE && reader.readHeader(buffer, offset, length) == JournalEntryReader.OK
                    && reader.header().sequence() >= sequence)
                {
                    first[0] = reader.header().sequence();
                    first[1] = reader.header().timestamp();
                }
            }, 1);
            if (polled == 0)
            {
                break; // the journal's end
            }
        }
        return first[0] == sequence && first[1] != timestamp;
    }

    private static final dev.bourse.protocol.JournalEventListener NOTHING = new dev.bourse.protocol.JournalEventListener()
    {
    };

    /** What the start says when a checkpoint is another journal's. */
    public static String refusal(final String whose, final long sequence, final long otherSequence, final String cure)
    {
        final String entry = otherSequence == sequence
            ? "the journal's entry at its position has that sequence but another time"
            : "the journal's entry at its position is another: sequence " + otherSequence;
        return "read models: " + whose + " was not written from this journal (taken at journal sequence " + sequence
            + "; " + entry + "): it belongs to another exchange. " + cure;
    }
}
