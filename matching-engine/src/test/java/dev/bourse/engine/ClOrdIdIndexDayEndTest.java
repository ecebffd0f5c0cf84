package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The day's end keeps exactly the ClOrdIDs of live orders, and with room to spare it rebuilds in place. */
class ClOrdIdIndexDayEndTest
{
    @Test
    void dayEndKeepsLiveIdsForgetsTheRestAndNeedsNoNewTable()
    {
        final int n = 50_000;
        final ClOrdIdIndex index = new ClOrdIdIndex(n);
        final SplittableRandom random = new SplittableRandom(3);
        final long[] accounts = new long[n];
        final long[] w0 = new long[n];
        final boolean[] live = new boolean[n];
        for (int day = 0; day < 5; day++)
        {
            for (int i = 0; i < n; i++)
            {
                if (!live[i])
                {
                    accounts[i] = 1 + random.nextInt(50);
                    w0[i] = random.nextLong();
                    live[i] = random.nextInt(3) == 0;
                    index.put(accounts[i], w0[i], i, day, live[i] ? i + 1 : 0);
                }
            }
            index.retainLiveOnly(ALL_LIVE);
            int expectedSize = 0;
            for (int i = 0; i < n; i++)
            {
                if (live[i])
                {
                    expectedSize++;
                    assertEquals(i + 1, index.orderId(accounts[i], w0[i], i, dayOf(index, accounts[i], w0[i], i, day)), "live id " + i);
                }
            }
            assertEquals(expectedSize, index.size(), "day " + day);
            // Some live orders end during the next day; their ids are forgotten at its end.
            for (int i = 0; i < n; i++)
            {
                if (live[i] && random.nextInt(2) == 0)
                {
                    index.put(accounts[i], w0[i], i, dayOf(index, accounts[i], w0[i], i, day), 0);
                    live[i] = false;
                }
            }
        }
    }

    /** The day an id was written in (its third word), found by probing the days so far. */
    private static int dayOf(final ClOrdIdIndex index, final long account, final long w0, final long w1, final int today)
    {
        for (int d = today; d >= 0; d--)
        {
            if (index.contains(account, w0, w1, d))
            {
                return d;
            }
        }
        fail("id missing: account " + account + " w1 " + w1);
        return -1;
    }

    @Test
    void dayEndOfAPresizedIndexAllocatesNothing()
    {
        final ClOrdIdIndex index = new ClOrdIdIndex(1 << 16);
        for (int i = 0; i < 30_000; i++)
        {
            index.put(1 + i % 7, i, 0, 0, i % 4 == 0 ? i + 1 : 0);
        }
        index.retainLiveOnly(ALL_LIVE);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        // Tiered compilation can charge a few stray bytes to the thread while it replaces code (see
        // AllocationTest): of three measurements one must be clean, and none more than that noise.
        final long[] allocated = new long[3];
        for (int attempt = 0; attempt < allocated.length; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 20; round++)
            {
                index.retainLiveOnly(ALL_LIVE);
            }
            allocated[attempt] = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated[attempt] == 0)
            {
                break;
            }
        }
        final String all = java.util.Arrays.toString(allocated);
        assertTrue(java.util.Arrays.stream(allocated).anyMatch(bytes -> bytes == 0), "bytes allocated by 20 day-ends, three times: " + all);
        assertTrue(java.util.Arrays.stream(allocated).allMatch(bytes -> bytes <= 4_096), "bytes allocated by 20 day-ends: " + all);
        assertEquals(7_500, index.size());
    }

    private static final ClOrdIdIndex.LiveCheck ALL_LIVE = ClOrdIdIndexDayEndTest::nonZeroIsLive;

    /** The index alone: every entry that names an order counts as live (the engine asks its orders). */
    private static boolean nonZeroIsLive(final long account, final long w0, final long w1, final int w2, final long orderId)
    {
        return true;
    }
}
