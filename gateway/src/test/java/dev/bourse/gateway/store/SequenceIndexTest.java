package dev.bourse.gateway.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The paged index of MsgSeqNums: what is between its bounds reads back, through growth and dropped numbers; nothing else does. */
class SequenceIndexTest
{
    @Test
    void numbersReadBackThroughGrowthAndDropsAndOnlyWithinTheirBounds()
    {
        try (SequenceIndex index = new SequenceIndex())
        {
            assertEquals(-1, index.get(1));
            int low = 500;
            for (int seq = 500; seq < 20_000; seq++)
            {
                index.put(seq, seq * 3);
                if (seq % 3_000 == 0)
                {
                    low = seq - 1_500; // as a roll drops the older segment's numbers
                    index.dropBelow(low);
                }
            }
            for (int seq = 1; seq < 20_100; seq++)
            {
                assertEquals(seq >= low && seq < 20_000 ? seq * 3 : -1, index.get(seq), "number " + seq);
            }
        }
    }

    @Test
    void aNumberSkippedReadsAsAbsentAndOneNotAboveTheLastIsIgnored()
    {
        try (SequenceIndex index = new SequenceIndex())
        {
            index.put(10, 1);
            index.put(14, 2);
            index.put(12, 3);
            assertEquals(1, index.get(10));
            assertEquals(-1, index.get(11));
            assertEquals(-1, index.get(12));
            assertEquals(2, index.get(14));
            index.clear();
            assertEquals(-1, index.get(10));
            index.put(1, 7);
            assertEquals(7, index.get(1));
            index.dropBelow(5);
            assertEquals(-1, index.get(1), "everything below a bound past the last number");
        }
    }

    @Test
    void droppedPagesAreReusedSoAStoreThatRollsStopsAllocating()
    {
        try (SequenceIndex index = new SequenceIndex())
        {
            final int perSegment = 10 * SequenceIndex.PAGE_NUMBERS + 123;
            int seq = 1;
            int allocatedAfterFirstRoll = -1;
            for (int roll = 0; roll < 20; roll++)
            {
                final int segmentStart = seq;
                for (int i = 0; i < perSegment; i++, seq++)
                {
                    index.put(seq, seq & 0x7fff_ffff);
                }
                assertEquals(segmentStart, index.get(segmentStart));
                assertEquals(seq - 1, index.get(seq - 1));
                index.dropBelow(segmentStart); // as a roll drops the segment before the one just filled
                assertEquals(-1, index.get(segmentStart - 1));
                if (roll == 1)
                {
                    allocatedAfterFirstRoll = index.pagesAllocated();
                }
            }
            assertEquals(allocatedAfterFirstRoll, index.pagesAllocated(), "pages allocated once two segments were held");
            for (int s = seq - perSegment; s < seq; s++)
            {
                assertEquals(s, index.get(s), "number " + s);
            }
        }
    }

    @Test
    void aJumpInTheNumbersTakesOnlyThePagesItsNumbersNeed()
    {
        try (SequenceIndex index = new SequenceIndex())
        {
            index.put(5, 50);
            index.put(1_000_000_000, 60);
            index.put(1_000_000_001, 61);
            assertEquals(2, index.pagesAllocated());
            assertEquals(50, index.get(5));
            assertEquals(-1, index.get(6));
            assertEquals(-1, index.get(500_000_000));
            assertEquals(-1, index.get(999_999_999));
            assertEquals(60, index.get(1_000_000_000));
            assertEquals(61, index.get(1_000_000_001));
            index.dropBelow(1_000_000_001);
            assertEquals(-1, index.get(1_000_000_000));
            assertEquals(61, index.get(1_000_000_001));
            index.clear();
            index.put(3, 30);
            assertEquals(30, index.get(3));
            assertEquals(2, index.pagesAllocated(), "a page handed back is taken again, its old numbers gone");
            assertEquals(-1, index.get(4));
        }
    }
}
