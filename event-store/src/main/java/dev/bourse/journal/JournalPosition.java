package dev.bourse.journal;

import net.openhft.chronicle.queue.RollCycle;

/**
 * Positions in the journal. The journal writes a batch of engine entries (one sequencer batch, up
 * to {@link #MAX_ENTRIES_PER_DOCUMENT}) as one Chronicle document, so the per-document cost is
 * paid once per batch rather than once per command. An entry's position packs its document's
 * roll cycle, the document's number within the cycle and the entry's ordinal in the document:
 * <pre>
 *   cycle | document number in the cycle (the roll cycle's sequence bits) | ordinal (11 bits)
 * </pre>
 * Positions are opaque to readers: strictly increasing in journal order, not dense, not engine
 * sequences. {@link JournalTailer#START} (-1) is before every entry.
 */
final class JournalPosition
{
    /** Bits for an entry's ordinal inside its document. */
    static final int ORDINAL_BITS = 11;

    /** Most entries one document holds. */
    static final int MAX_ENTRIES_PER_DOCUMENT = 1 << ORDINAL_BITS;

    private static final long ORDINAL_MASK = MAX_ENTRIES_PER_DOCUMENT - 1;

    private final RollCycle rollCycle;
    private final int sequenceBits;
    private final long sequenceMask;

    JournalPosition(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        this.sequenceBits = 64 - Long.numberOfLeadingZeros(rollCycle.maxMessagesPerCycle() - 1);
        this.sequenceMask = (1L << sequenceBits) - 1;
    }

    long of(final long documentIndex, final int ordinal)
    {
        final long document = ((long)rollCycle.toCycle(documentIndex) << sequenceBits) | rollCycle.toSequenceNumber(documentIndex);
        return (document << ORDINAL_BITS) | ordinal;
    }

    long documentIndex(final long position)
    {
        final long document = position >>> ORDINAL_BITS;
        return rollCycle.toIndex((int)(document >>> sequenceBits), document & sequenceMask);
    }

    static int ordinal(final long position)
    {
        return (int)(position & ORDINAL_MASK);
    }

    /** True if positions of the next twenty years of cycles fit in a positive long. */
    boolean fitsFrom(final int currentCycle)
    {
        final long cyclesIn20Years = 20L * 366 * 24 * 3600 * 1000 / rollCycle.lengthInMillis();
        final long farCycle = Math.max(0, currentCycle) + cyclesIn20Years;
        return Long.numberOfLeadingZeros(farCycle) > sequenceBits + ORDINAL_BITS;
    }
}
