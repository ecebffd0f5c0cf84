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

    /**
     * A journal of {@code kept} commands and, in {@code snapshotDir}, a snapshot of the same history
     * {@code more} commands further on: what a journal that lost its tail leaves beside its snapshots.
     */
    public static void journalBehindItsSnapshot(
        final java.nio.file.Path journalDir, final java.nio.file.Path snapshotDir, final long seed, final int kept, final int more)
        throws java.io.IOException
    {
        try (ChronicleJournal scratch = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir.resolveSibling("longer"))))
        {
            final JournalFixture longer = new JournalFixture(seed, scratch);
            longer.run(kept + more);
            new SnapshotStore(snapshotDir, 2).write(longer.engine.state(), scratch.lastPosition());
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            new JournalFixture(seed, journal).run(kept);
        }
    }

    /** As {@link #run}, in {@code runs} runs of the one fixture: a journal of several documents at least. */
    public static void runInParts(final ChronicleJournal journal, final long seed, final int commands, final int runs)
    {
        final JournalFixture fixture = new JournalFixture(seed, journal);
        for (int i = 0; i < runs; i++)
        {
            fixture.run(commands / runs);
        }
    }

    /** The file offset of the length word of the journal's middle document (of its first cycle file). */
    public static long middleDocumentHeader(final java.nio.file.Path dir)
    {
        try (ChronicleJournal journal = ChronicleJournal.openForReading(dir);
            net.openhft.chronicle.queue.ExcerptTailer tailer = journal.queue().createTailer())
        {
            int documents = 0;
            while (true)
            {
                try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    documents++;
                }
            }
            if (documents < 3)
            {
                throw new IllegalStateException(documents + " documents: no middle one");
            }
            tailer.toStart();
            for (int i = 0; i < documents / 2; i++)
            {
                try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
                {
                    dc.isPresent();
                }
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
            {
                return dc.wire().bytes().readPosition() - 4;
            }
        }
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

    /** Every entry of the journal, in order. */
    public static java.util.List<byte[]> entries(final ChronicleJournal journal)
    {
        try (JournalTailer tailer = journal.tailerFromStart())
        {
            return new JournalFixture.Collector().drain(tailer).entries;
        }
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

    /**
     * A journal retention trimmed, as a running exchange leaves it: minutely cycles of 200 commands,
     * a snapshot (in {@code snapshotDir}, if given) after the 4th, then one older cycle kept beside
     * the one that snapshot needs. Its first entry is sequence 401, the snapshot's 800, the last 1,200.
     */
    public static void trimmedJournal(final java.nio.file.Path journalDir, final java.nio.file.Path snapshotDir, final long seed)
        throws java.io.IOException
    {
        final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely").timeProvider(now::get)))
        {
            final JournalFixture fixture = new JournalFixture(seed, journal);
            long needed = -1;
            for (int minute = 0; minute < 6; minute++)
            {
                fixture.run(200);
                if (minute == 3)
                {
                    needed = journal.lastPosition();
                    if (snapshotDir != null)
                    {
                        new SnapshotStore(snapshotDir, 2).write(fixture.engine.state(), needed);
                    }
                }
                now.addAndGet(60_000);
            }
            if (Retention.apply(journal, needed, 1).size() != 2)
            {
                throw new AssertionError("retention should have removed the first two cycles");
            }
        }
    }
}
