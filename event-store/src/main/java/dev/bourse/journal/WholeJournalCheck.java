package dev.bourse.journal;

import org.agrona.DirectBuffer;

/**
 * The start's check of the whole journal, from its first entry to its end, before anything is
 * served: every entry decodes ({@link EntryDecoding}, as {@code journal verify} decodes it), the
 * sequences are continuous, and reading in order reaches the last entry the index holds.
 *
 * <p>Recovery replays only what follows the newest snapshot, so damage behind it (a deleted middle
 * cycle file, an overwritten entry, a damaged document header) was accepted, and every reader that
 * later reads from the start (the read models rebuilding, the gateway learning its sessions) skipped
 * it or stalled there in silence (an outside probe). Framing only, no re-execution: 1M entries of
 * the random workload in 1.1 s as the first thing a JVM does (0.33 s once warm) on a shared 2-core
 * machine, so it runs at every start with no setting to turn it down; retention bounds it.
 *
 * <p>The first entry may be above sequence 1: retention removes whole old cycles, and recovery
 * then needs a snapshot from before the first entry (a full replay refuses a journal that does not
 * start at 1).
 */
public final class WholeJournalCheck
{
    static final String ADVICE = "The journal is the system of record: restore it from a copy (./exchange journal verify says where"
        + " it breaks)";

    private WholeJournalCheck()
    {
    }

    /** What the check read: the first and last sequence and their positions; all 0 / -1 for an empty journal. */
    public record Result(long firstSequence, long lastSequence, long firstPosition, long lastPosition, long entries)
    {
    }

    /** @throws JournalException with one line naming the journal, where and what, if any entry fails. */
    public static Result check(final ChronicleJournal journal)
    {
        final long indexed = journal.lastPosition();
        final Walk walk = new Walk(journal);
        try (ChronicleTailer tailer = journal.tailerFromStart())
        {
            while (tailer.poll(walk, 65_536) > 0)
            {
                // checked in the walk
            }
        }
        catch (final JournalException e)
        {
            if (walk.refused)
            {
                throw e; // said already
            }
            throw walk.refusal("cannot be read past position " + walk.lastPosition + ": " + e.getMessage());
        }
        if (indexed > walk.lastPosition)
        {
            // a damaged document header or an emptied file in between hides every entry after it
            throw new JournalException("the journal " + journal.queue().file() + " cannot be read in order past sequence "
                + walk.lastSequence + " (position " + walk.lastPosition + "), though it holds entries after it (a damaged document"
                + " or file in between). " + ADVICE);
        }
        return new Result(walk.firstSequence, walk.lastSequence, walk.firstPosition, walk.lastPosition, walk.entries);
    }

    private static final class Walk implements JournalHandler
    {
        private final ChronicleJournal journal;
        private final EntryDecoding decoding = new EntryDecoding();
        private long entries;
        private long firstSequence;
        private long firstPosition = -1;
        private long lastSequence;
        private long lastPosition = -1;
        private boolean refused;

        Walk(final ChronicleJournal journal)
        {
            this.journal = journal;
        }

        @Override
        public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
        {
            final String problem = decoding.problem(buffer, offset, length);
            if (problem != null)
            {
                throw refusal("holds an entry that does not decode as a bourse journal entry at position " + position + ": " + problem);
            }
            final long sequence = decoding.reader().header().sequence();
            if (entries == 0)
            {
                firstSequence = sequence;
                firstPosition = position;
            }
            else if (sequence != lastSequence + 1)
            {
                refused = true;
                throw new JournalException("the journal " + journal.queue().file() + (sequence <= lastSequence
                    ? " holds sequence " + sequence + " again after sequence " + lastSequence + " at position " + position
                        + ": two exchanges wrote into it"
                    : " has a gap at position " + position + ": sequence " + sequence + " follows " + lastSequence
                        + " (entries are missing: a cycle file deleted or damaged)") + ". " + ADVICE);
            }
            entries++;
            lastSequence = sequence;
            lastPosition = position;
        }

        JournalException refusal(final String what)
        {
            refused = true;
            return new JournalException("the journal " + journal.queue().file() + " " + what
                + (entries == 0 ? " (its first entry)" : " (after sequence " + lastSequence + ")") + ". " + ADVICE);
        }
    }
}
