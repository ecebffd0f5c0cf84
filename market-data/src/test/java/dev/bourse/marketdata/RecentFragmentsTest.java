package dev.bourse.marketdata;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The last fragments kept in two halves, sent again oldest first, a back-pressured replay resumed where it stopped. */
class RecentFragmentsTest
{
    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void start()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context().threadingMode(ThreadingMode.SHARED)
            .aeronDirectoryName(CommonContext.generateRandomDirName()).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void keepsAtLeastHalfItsCapacityOfTheNewestFragmentsInOrder()
    {
        final RecentFragments recent = new RecentFragments(2 * (4 + 100) * 3, 100); // three 100-byte fragments a half
        for (int i = 1; i <= 10; i++)
        {
            recent.record(fragment(i, 100), 0, 100);
        }
        // halves: [7, 8, 9] then [10]: the oldest half was dropped when the newest filled
        assertEquals(List.of(7, 8, 9, 10), replayAll(recent, 1 << 16));
        assertFalse(recent.isReplaying());
    }

    @Test
    void aReplayHeldUpByBackPressureGoesOnWhereItStopped()
    {
        final RecentFragments recent = new RecentFragments(2 * 64 * 1024, 1024);
        for (int i = 1; i <= 100; i++)
        {
            recent.record(fragment(i, 1000), 0, 1000);
        }
        // a 64 KiB term takes about 60 of them before the subscriber has read any
        assertEquals(rangeClosed(1, 100), replayAll(recent, 64 * 1024));
    }

    @Test
    void nothingHeldMeansNoReplayAndAStoppedReplaySendsNoMore()
    {
        final RecentFragments recent = new RecentFragments(4096, 100);
        recent.startReplay();
        assertFalse(recent.isReplaying());
        recent.record(fragment(1, 100), 0, 100);
        recent.startReplay();
        assertTrue(recent.isReplaying());
        recent.stopReplay();
        assertFalse(recent.isReplaying());
        assertThrows(IllegalArgumentException.class, () -> new RecentFragments(200, 100), "a window smaller than two fragments");
    }

    private List<Integer> replayAll(final RecentFragments recent, final int termLength)
    {
        final String channel = "aeron:ipc?term-length=" + termLength;
        final List<Integer> seen = new ArrayList<>();
        try (ExclusivePublication publication = aeron.addExclusivePublication(channel, 7);
            Subscription subscription = aeron.addSubscription(channel, 7))
        {
            while (!publication.isConnected() || !subscription.isConnected()) // the client learns of the image a moment later
            {
                Thread.yield();
            }
            final FragmentHandler handler = (buffer, offset, length, header) -> seen.add(buffer.getInt(offset));
            recent.startReplay();
            while (recent.isReplaying())
            {
                final int result = recent.replay(publication);
                assertNotEquals(FragmentBatch.DROPPED_NOT_CONNECTED, result);
                subscription.poll(handler, 10);
            }
            while (subscription.poll(handler, 100) > 0)
            {
                // the rest
            }
        }
        return seen;
    }

    private static UnsafeBuffer fragment(final int id, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        buffer.putInt(0, id);
        return buffer;
    }

    private static List<Integer> rangeClosed(final int from, final int to)
    {
        final List<Integer> list = new ArrayList<>();
        for (int i = from; i <= to; i++)
        {
            list.add(i);
        }
        return list;
    }
}
