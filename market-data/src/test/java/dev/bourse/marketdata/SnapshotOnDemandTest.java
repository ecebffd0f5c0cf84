package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.HeartbeatEncoder;
import dev.bourse.protocol.md.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A subscriber holds the snapshot stream only while it recovers, and the publisher builds snapshot
 * cycles only while someone is on that stream: a subscriber in sync costs the publisher no cycle of
 * every order of every book, and one that loses its place joins again and recovers as before.
 */
class SnapshotOnDemandTest
{
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void aSubscriberInSyncLeavesTheSnapshotStreamAndRejoinsItToRecover()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, INTERVAL_NS))
        {
            final RandomWorkload workload = new RandomWorkload(feed.engine, 4, 20, 3);
            workload.setup();
            for (int i = 0; i < 2_000; i++)
            {
                workload.step();
            }
            feed.pump(feed::published, 10_000, "publisher catches up");
            // joining late, it needs a snapshot: it joins the snapshot stream and recovers from a cycle
            final MarketDataSubscriber late = feed.subscriber(null);
            feed.pollers.add(() -> late.poll(64));
            feed.pump(() -> feed.current(late), 10_000, () -> "the late subscriber recovers: " + late);
            assertEquals(1, late.snapshotsApplied());
            BookAssert.assertSameAsEngine("after joining", late.books(), feed.state);

            // in sync it leaves the stream; once nobody is on it the publisher builds no more cycles
            final long[] seen = {feed.publisher.snapshotCycles(), System.nanoTime()};
            feed.pump(() ->
            {
                workload.step();
                final long cycles = feed.publisher.snapshotCycles();
                if (cycles != seen[0])
                {
                    seen[0] = cycles;
                    seen[1] = System.nanoTime();
                }
                return System.nanoTime() - seen[1] > 10 * INTERVAL_NS;
            }, 10_000, () -> "the publisher stops its cycles: " + late);
            final long cyclesWhileInSync = feed.publisher.snapshotCycles();
            final long quietUntil = System.nanoTime() + 10 * INTERVAL_NS;
            feed.pump(() ->
            {
                workload.step();
                return System.nanoTime() - quietUntil > 0;
            }, 10_000, "orders flow while the subscriber is in sync");
            feed.pump(() -> feed.current(late), 10_000, () -> "the subscriber follows the incrementals: " + late);
            assertEquals(cyclesWhileInSync, feed.publisher.snapshotCycles(), "no cycle while nobody needs one");
            assertEquals(0, late.recoveries());

            // told that messages it never saw exist, it has lost its place: it joins the stream again and recovers
            final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH]);
            new HeartbeatEncoder().wrapAndApplyHeader(heartbeat, 0, new MessageHeaderEncoder())
                .sequence(late.lastSequence() + 5)
                .timestamp(0);
            late.onIncrementalFragment(heartbeat, 0, heartbeat.capacity(), null);
            assertFalse(late.isSynced(), "a gap: recovering");
            feed.pump(() ->
            {
                workload.step();
                return late.isSynced() && feed.publisher.snapshotCycles() > cyclesWhileInSync;
            }, 10_000, () -> "the subscriber recovers from a new cycle: " + late);
            feed.pump(() -> feed.current(late), 10_000, () -> "the recovered subscriber is current: " + late);
            assertEquals(1, late.recoveries());
            assertEquals(2, late.snapshotsApplied());
            BookAssert.assertSameAsEngine("after recovering", late.books(), feed.state);
        }
    }
}
