package dev.bourse.gateway.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The ring of MsgSeqNums: what is between its bounds reads back, through growth and dropped numbers; nothing else does. */
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
}
