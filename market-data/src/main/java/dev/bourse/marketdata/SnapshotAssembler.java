package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.BookSnapshotDecoder;
import dev.bourse.protocol.md.sbe.SnapshotStartDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts one snapshot cycle back together from the snapshot stream: its start (how many
 * instruments, from which incremental sequence) and each instrument's book in parts. Any hole in
 * the snapshot stream's own sequence, a part out of order or another cycle's part abandons the
 * cycle; the subscriber waits for the next one. What a complete cycle means for the books is the
 * subscriber's to decide.
 */
final class SnapshotAssembler
{
    private final List<StagedBook> staged = new ArrayList<>();
    private final List<StagedBook> pool = new ArrayList<>();
    private long expectedSequence;
    private long cycle = -1;
    private int instrumentCount;
    private long startSequence;
    private StagedBook current;
    private int completeBooks;

    /** Every snapshot-stream message's sequence passes here first: a hole abandons the cycle. */
    void onSequence(final long sequence)
    {
        if (expectedSequence != 0 && sequence != expectedSequence)
        {
            abandon();
        }
        expectedSequence = sequence + 1;
    }

    boolean isAssembling()
    {
        return cycle >= 0;
    }

    /**
     * Starts assembling the cycle this message opens.
     *
     * @return true if the cycle is already complete (it has no instruments).
     */
    boolean begin(final SnapshotStartDecoder start)
    {
        abandon();
        cycle = start.cycle();
        instrumentCount = start.instrumentCount();
        startSequence = start.incrementalSequence();
        return instrumentCount == 0;
    }

    /** @return true if this part completed the cycle. */
    boolean onBookSnapshot(final BookSnapshotDecoder s)
    {
        if (s.cycle() != cycle)
        {
            abandon();
            return false;
        }
        final int part = s.part();
        if (part == 0)
        {
            current = pool.isEmpty() ? new StagedBook() : pool.remove(pool.size() - 1);
            current.reset(s);
            staged.add(current);
        }
        else if (current == null || current.instrumentId != s.instrumentId() || current.nextPart != part)
        {
            abandon();
            return false;
        }
        for (final BookSnapshotDecoder.OrdersDecoder order : s.orders())
        {
            current.add(order.orderId(), (byte)order.sideRaw(), order.price(), order.quantity());
        }
        current.nextPart++;
        if (current.nextPart == current.partCount)
        {
            current = null;
            return ++completeBooks == instrumentCount;
        }
        if (current.nextPart > current.partCount)
        {
            abandon();
        }
        return false;
    }

    /** The incremental sequence the cycle's books were taken at. */
    long startSequence()
    {
        return startSequence;
    }

    int bookCount()
    {
        return staged.size();
    }

    StagedBook book(final int index)
    {
        return staged.get(index);
    }

    void abandon()
    {
        cycle = -1;
        completeBooks = 0;
        current = null;
        pool.addAll(staged);
        staged.clear();
    }

    @Override
    public String toString()
    {
        return "cycle=" + cycle + ", completeBooks=" + completeBooks + "/" + instrumentCount;
    }
}
