package dev.bourse.cluster.service;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentEntriesTest
{
    private final UnsafeBuffer entry = new UnsafeBuffer(new byte[4096]);

    private void append(final RecentEntries recent, final long sequence, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            entry.putByte(i, (byte)(sequence + i));
        }
        recent.append(sequence, entry, 0, length);
    }

    private static void assertEntry(final RecentEntries recent, final long sequence, final int length)
    {
        assertTrue(recent.contains(sequence), "has " + sequence);
        assertEquals(length, recent.length(sequence));
        for (int i = 0; i < length; i++)
        {
            assertEquals((byte)(sequence + i), recent.buffer().getByte(recent.offset(sequence) + i), "byte " + i + " of " + sequence);
        }
    }

    @Test
    void keepsTheNewestEntriesIntactAcrossWrapsAndForgetsOverwrittenOnes()
    {
        final RecentEntries recent = new RecentEntries(1_000, 1 << 10);
        for (long s = 1; s <= 500; s++)
        {
            append(recent, s, 37 + (int)(s % 50));
        }
        assertEquals(500, recent.newest());
        assertFalse(recent.contains(501));
        assertFalse(recent.contains(400), "1,000 bytes cannot hold 100 entries of 40 to 90 bytes");
        long oldest = 500;
        while (recent.contains(oldest - 1))
        {
            oldest--;
        }
        assertTrue(500 - oldest >= 8, "several of the newest are kept: " + (500 - oldest + 1));
        for (long s = oldest; s <= 500; s++)
        {
            assertEntry(recent, s, 37 + (int)(s % 50));
        }
    }

    @Test
    void theSequenceWindowAndOversizedEntriesBoundWhatIsKept()
    {
        final RecentEntries recent = new RecentEntries(1 << 20, 16);
        for (long s = 1; s <= 100; s++)
        {
            append(recent, s, 10);
        }
        assertTrue(recent.contains(85) && recent.contains(100));
        assertFalse(recent.contains(84), "only the last 16 sequences");
        final RecentEntries small = new RecentEntries(64, 16);
        append(small, 1, 10);
        append(small, 2, 100);
        assertFalse(small.contains(1) || small.contains(2), "an entry larger than the ring is not kept, nor what came before");
        append(small, 3, 10);
        assertEntry(small, 3, 10);
        append(small, 7, 10);
        assertFalse(small.contains(3), "a gap in sequences starts afresh");
        assertEntry(small, 7, 10);
    }
}
