package dev.bourse.protocol.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class FairCheckQueueTest
{
    @Test
    void aFloodFromOneKeyWaitsBehindItselfNotInFrontOfOthers() throws InterruptedException
    {
        final List<String> order = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(6);
        try (FairCheckQueue queue = new FairCheckQueue("test-check", 1, 8, 100, Throwable::printStackTrace))
        {
            // the checking thread is busy with a first check while the others arrive
            assertTrue(queue.submit("flood", () ->
            {
                await(release);
                order.add("flood-0");
                done.countDown();
            }));
            awaitPending(queue, 0);
            for (int i = 1; i <= 4; i++)
            {
                final String name = "flood-" + i;
                assertTrue(queue.submit("flood", () ->
                {
                    order.add(name);
                    done.countDown();
                }));
            }
            assertTrue(queue.submit("honest", () ->
            {
                order.add("honest");
                done.countDown();
            }));
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("flood-0", "flood-1", "honest", "flood-2", "flood-3", "flood-4"), order,
            "the honest check waits for one flood check, not four");
    }

    @Test
    void onlyTheKeyWhoseQueueIsFullIsRefused() throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        try (FairCheckQueue queue = new FairCheckQueue("test-check", 1, 2, 100, Throwable::printStackTrace))
        {
            assertTrue(queue.submit("flood", () -> await(release)));
            awaitPending(queue, 0);
            assertTrue(queue.submit("flood", () -> { }));
            assertTrue(queue.submit("flood", () -> { }));
            assertFalse(queue.submit("flood", () -> { }), "the flooding key is refused");
            assertTrue(queue.submit("honest", () -> { }), "everyone else is not");
            release.countDown();
            awaitPending(queue, 0);
            assertEquals(0, queue.keys(), "a key with nothing waiting is forgotten");
        }
    }

    @Test
    void aCheckThatThrowsDoesNotStopTheThread() throws InterruptedException
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch after = new CountDownLatch(1);
        try (FairCheckQueue queue = new FairCheckQueue("test-check", 1, 2, 100, errors::add))
        {
            queue.submit("a", () ->
            {
                throw new IllegalStateException("boom");
            });
            queue.submit("a", after::countDown);
            assertTrue(after.await(10, TimeUnit.SECONDS));
        }
        assertEquals(1, errors.size());
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitPending(final FairCheckQueue queue, final int pending) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.pending() != pending)
        {
            assertTrue(System.nanoTime() < deadline, "pending " + queue.pending());
            Thread.sleep(1);
        }
    }
}
