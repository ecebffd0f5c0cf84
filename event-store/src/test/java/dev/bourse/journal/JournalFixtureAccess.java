package dev.bourse.journal;

import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.EntryHeaderEncoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import org.agrona.MutableDirectBuffer;

/** Lets tests in other packages drive {@link JournalFixture} and touch an entry's header. */
public final class JournalFixtureAccess
{
    private JournalFixtureAccess()
    {
    }

    public static void run(final ChronicleJournal journal, final long seed, final int commands)
    {
        new JournalFixture(seed, journal).run(commands);
    }

    public static byte[] lastEntry(final ChronicleJournal journal)
    {
        final JournalFixture.Collector collector = new JournalFixture.Collector();
        try (JournalTailer tailer = journal.tailerFromStart())
        {
            collector.drain(tailer);
        }
        return collector.entries.get(collector.entries.size() - 1);
    }

    public static long sequence(final MutableDirectBuffer entry)
    {
        return entry.getLong(MessageHeaderDecoder.ENCODED_LENGTH + EntryHeaderDecoder.sequenceEncodingOffset(),
            EntryHeaderDecoder.BYTE_ORDER);
    }

    public static void setSequence(final MutableDirectBuffer entry, final long sequence)
    {
        entry.putLong(MessageHeaderDecoder.ENCODED_LENGTH + EntryHeaderEncoder.sequenceEncodingOffset(), sequence,
            EntryHeaderEncoder.BYTE_ORDER);
    }
}
