package dev.bourse.marketdata;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The publisher's steady state allocates nothing: over more than a million market-data messages
 * (adds, executions, reductions, deletes, replaces, trades) the bytes allocated inside
 * {@link MarketDataPublisher#doWork} on this thread, measured with the JVM's per-thread
 * allocation counter after a warm-up, stay under a small bound (Aeron's and Chronicle's own
 * rare housekeeping, not a per-message cost). The subscriber's apply path is measured the same way.
 */
class PublisherAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void publishingAndApplyingAMillionMessagesAllocatesNothingPerMessage()
    {
        publishAndApplyAMillionMessages(null);
    }

    /** A cluster leader's publisher also keeps a copy of each fragment it sends, to send again if it leads later. */
    @Test
    void aClusterLeadersPublisherKeepingItsRecentFragmentsAllocatesNothingPerMessage()
    {
        publishAndApplyAMillionMessages(() -> true);
    }

    private static void publishAndApplyAMillionMessages(final java.util.function.BooleanSupplier publishing)
    {
        try (FeedFixture feed = new FeedFixture(8 << 20, 3_600_000_000_000L, publishing))
        {
            final MarketDataSubscriber subscriber = feed.subscriber(null);
            final RandomWorkload workload = new RandomWorkload(feed.engine, 20, 40, 5);
            workload.setup();
            feed.pump(() -> subscriber.isConnected(), 10_000, "subscriber connected");
            run(feed, subscriber, workload, 50_000, new long[2]); // warm-up: JIT, maps at their working size

            final long[] allocated = new long[2];
            final long messagesBefore = feed.publisher.lastIncrementalSequence();
            while (feed.publisher.lastIncrementalSequence() - messagesBefore < 1_000_000)
            {
                run(feed, subscriber, workload, 50_000, allocated);
            }
            final long messages = feed.publisher.lastIncrementalSequence() - messagesBefore;
            System.out.printf("publisher %d bytes, subscriber %d bytes over %,d messages%n", allocated[0], allocated[1], messages);
            assertTrue(subscriber.isSynced(), "subscriber stayed in sync");
            assertTrue(allocated[0] < 64 * 1024,
                "publisher allocated " + allocated[0] + " bytes over " + messages + " messages");
            assertTrue(allocated[1] < 64 * 1024,
                "subscriber allocated " + allocated[1] + " bytes over " + messages + " messages");
        }
    }

    /** Appends {@code commands} entries to the journal, then publishes and applies them, counting bytes. */
    private static void run(final FeedFixture feed, final MarketDataSubscriber subscriber, final RandomWorkload workload,
        final int commands, final long[] allocated)
    {
        for (int i = 0; i < commands; i++)
        {
            workload.step();
        }
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!(feed.published() && subscriber.lastSequence() == feed.publisher.lastIncrementalSequence()))
        {
            assertTrue(System.nanoTime() < deadline, "publisher and subscriber catch up");
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            feed.publisher.doWork();
            final long middle = THREADS.getCurrentThreadAllocatedBytes();
            subscriber.poll(256);
            final long after = THREADS.getCurrentThreadAllocatedBytes();
            allocated[0] += middle - before;
            allocated[1] += after - middle;
        }
    }
}
