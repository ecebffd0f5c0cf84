package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queued puts are invisible to no reader: every read sees every put before it, in order, across resizes. */
class ClOrdIdIndexTest
{
    @Test
    void aPutIsSeenByTheNextReadThoughItIsStillQueued()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        index.put(7, 1, 2, 3, 100);

        assertTrue(index.contains(7, 1, 2, 3));
        assertEquals(100, index.orderId(7, 1, 2, 3));
        assertFalse(index.contains(8, 1, 2, 3), "another account's id");
        assertEquals(1, index.size());
    }

    @Test
    void laterPutsOfTheSameIdWinInTheOrderTheyCame()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        index.put(7, 1, 2, 3, 100);
        index.put(7, 1, 2, 3, 0);
        index.put(7, 1, 2, 3, 300);

        assertEquals(300, index.orderId(7, 1, 2, 3));
        assertEquals(1, index.size());
    }

    @Test
    void sizeAndVisitsIncludeQueuedPutsInArrivalOrder()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        for (int i = 1; i <= 5; i++)
        {
            index.put(1, i, 0, 0, i * 10L);
        }
        final List<Long> visited = new ArrayList<>();
        index.forEach((account, w0, w1, w2, orderId) -> visited.add(orderId));

        assertEquals(5, index.size());
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), visited);
    }

    @Test
    void manyPutsWithoutReadsGrowTheTableAndLoseNothing()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        final SplittableRandom random = new SplittableRandom(11);
        final Map<List<Long>, Long> expected = new HashMap<>();
        for (int i = 0; i < 100_000; i++)
        {
            // a few repeats, so that queued updates of queued inserts happen too
            final long account = 1 + random.nextInt(20);
            final long w0 = random.nextInt(60_000);
            final long orderId = random.nextInt(1_000_000);
            index.put(account, w0, account * 3, (int)w0 & 7, orderId);
            expected.put(List.of(account, w0), orderId);
        }

        assertEquals(expected.size(), index.size());
        for (final Map.Entry<List<Long>, Long> e : expected.entrySet())
        {
            final long account = e.getKey().get(0);
            final long w0 = e.getKey().get(1);
            assertEquals(e.getValue(), index.orderId(account, w0, account * 3, (int)w0 & 7), e.getKey().toString());
        }
    }

    @Test
    void writingImmediatelyFirstWritesWhatIsQueued()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        index.put(1, 1, 0, 0, 5);
        index.writeImmediately();
        index.put(1, 1, 0, 0, 6);
        index.put(1, 2, 0, 0, 7);

        assertEquals(6, index.orderId(1, 1, 0, 0));
        assertEquals(7, index.orderId(1, 2, 0, 0));
        assertEquals(2, index.size());
    }

    @Test
    void theDayEndSeesQueuedPuts()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        index.put(1, 1, 0, 0, 5);
        index.put(1, 2, 0, 0, 0);

        index.retainLiveOnly((account, w0, w1, w2, orderId) -> orderId != 0);

        assertEquals(1, index.size());
        assertTrue(index.contains(1, 1, 0, 0));
        assertFalse(index.contains(1, 2, 0, 0));
    }

    @Test
    void theHeapGrowsWithTheEntriesNotAheadOfThem()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(16);
        index.writeImmediately();
        for (int n = 1; n <= 300_000; n++)
        {
            index.put(1 + n % 7, n, 0, 0, n);
            // Each entry's 40 bytes in the log, a page not yet full, and slots at least 3/10 full
            // (a log that doubled, or a table that quadrupled, took up to twice that).
            final long most = 40L * n + 40L * ClOrdIdIndex.PAGE_ENTRIES + 8L * Math.max(32, n * 10L / 3 + 8) + 1024;
            if (index.heapBytes() > most)
            {
                throw new AssertionError(index.heapBytes() + " bytes of heap for " + n + " entries, more than " + most);
            }
        }
        assertTrue(index.heapBytes() <= ClOrdIdIndex.heapBytesAtMost(16, 300_000));
    }

    @Test
    void theDayEndKeepsSurvivorsFromEveryPageAndGivesBackTheRest()
    {
        final int entries = ClOrdIdIndex.PAGE_ENTRIES * 5 + 123;
        final ClOrdIdIndex index = new ClOrdIdIndex(ClOrdIdIndex.PAGE_ENTRIES);
        index.writeImmediately();
        for (int n = 1; n <= entries; n++)
        {
            index.put(2, n, n * 3L, n & 15, n);
        }
        final long before = index.heapBytes();

        // every 97th survives, the last one among them
        index.retainLiveOnly((account, w0, w1, w2, orderId) -> orderId % 97 == 0 || orderId == entries);

        assertEquals(entries / 97 + 1, index.size());
        assertTrue(index.heapBytes() < before, index.heapBytes() + " after, " + before + " before");
        for (int n = 1; n <= entries; n++)
        {
            final boolean survives = n % 97 == 0 || n == entries;
            assertEquals(survives ? n : 0, index.orderId(2, n, n * 3L, n & 15), "entry " + n);
        }
        final List<Long> visited = new ArrayList<>();
        index.forEach((account, w0, w1, w2, orderId) -> visited.add(orderId));
        assertEquals(97L, visited.get(0));
        assertEquals((long)entries, visited.get(visited.size() - 1));

        // the next day fills the pages again from where the survivors end
        for (int n = entries + 1; n <= entries * 2; n++)
        {
            index.put(3, n, 0, 0, n);
        }
        assertEquals(entries / 97 + 1 + entries, index.size());
        assertEquals(entries * 2L, index.orderId(3, entries * 2L, 0, 0));
        assertEquals(97L, index.orderId(2, 97, 97 * 3L, 97 & 15));
    }
}
