package dev.bourse.marketdata;

import io.aeron.Subscription;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A subscriber that stops polling for seconds: Aeron drops its untethered image, the publisher
 * and the other subscriber carry on, and when it polls again it recovers from a snapshot.
 */
class SlowSubscriberTest
{
    @Test
    void stalledSubscriberHoldsNobodyBackAndRecoversBySnapshot()
    {
        // 64 KiB terms: the stalled subscriber's window fills within a few hundred commands
        try (FeedFixture feed = new FeedFixture(64 * 1024, 50_000_000L))
        {
            final MarketDataSubscriber active = feed.subscriber(null);
            final MarketDataSubscriber stalled = feed.subscriber(null);
            final boolean[] stalledPolls = {true};
            feed.pollers.add(() -> active.poll(64));
            feed.pollers.add(() ->
            {
                if (stalledPolls[0])
                {
                    stalled.poll(64);
                }
            });
            feed.pump(() -> active.isConnected() && stalled.isConnected(), 10_000, "subscribers connected");
            final RandomWorkload workload = new RandomWorkload(feed.engine, 6, 20, 5);
            workload.setup();
            feed.pump(() -> feed.current(active) && feed.current(stalled), 10_000, "both current");

            stalledPolls[0] = false;
            // at least 3 s (Aeron drops the untethered image on time), and until it is far behind: a busy
            // machine runs fewer commands in 3 s (CI once saw it short of 10,000 sequences)
            final long stallAtLeast = System.nanoTime() + 3_000_000_000L;
            final long giveUp = System.nanoTime() + 120_000_000_000L;
            long commandsDuringStall = 0;
            while ((System.nanoTime() < stallAtLeast || feed.publisher.lastIncrementalSequence() - stalled.lastSequence() <= 10_000)
                && System.nanoTime() < giveUp)
            {
                for (int i = 0; i < 50; i++)
                {
                    workload.step();
                    commandsDuringStall++;
                }
                // the engine never waits for market data; the publisher keeps the active subscriber current
                feed.pump(() -> feed.current(active), 5_000, "active subscriber current while the other stalls");
            }
            assertTrue(commandsDuringStall > 1_000, "commands during the stall: " + commandsDuringStall);
            assertTrue(feed.publisher.lastIncrementalSequence() - stalled.lastSequence() > 10_000,
                "the stalled subscriber fell far behind");
            BookAssert.assertConsistent("active", active, feed);

            stalledPolls[0] = true;
            workload.openAll();
            for (int i = 1; i <= 6; i++)
            {
                workload.restingOrder(i);
            }
            feed.pump(() -> feed.current(active) && feed.current(stalled), 20_000,
                () -> "stalled subscriber recovers: " + stalled + " publisher at " + feed.publisher.lastIncrementalSequence() +
                    " snapshot cycles " + feed.publisher.snapshotCycles());
            assertTrue(stalled.recoveries() >= 1 && stalled.snapshotsApplied() >= 1,
                "recovered by snapshot: recoveries " + stalled.recoveries() + ", snapshots " + stalled.snapshotsApplied());
            assertEquals(0, active.recoveries(), "the active subscriber never lost anything");
            BookAssert.assertConsistent("active", active, feed);
            BookAssert.assertConsistent("recovered", stalled, feed);
        }
    }

    @Test
    void aSubscriptionOnTheDocumentedChannelThatNeverPollsHoldsNobodyBack()
    {
        // a vendor's own subscriber: the channel as documented, no tether parameter, on the exchange's driver
        try (FeedFixture feed = new FeedFixture(64 * 1024, 50_000_000L);
            Subscription vendor = feed.aeron.addSubscription(feed.publisher.context().incrementalChannel(),
                feed.publisher.context().incrementalStreamId()))
        {
            final MarketDataSubscriber active = feed.subscriber(null);
            feed.pollers.add(() -> active.poll(64));
            feed.pump(() -> active.isConnected() && vendor.isConnected(), 10_000, "subscribers connected");
            final RandomWorkload workload = new RandomWorkload(feed.engine, 6, 20, 5);
            workload.setup();
            // far more than its 64 KiB window: a tethered subscription that never polls stops the publication here
            final long giveUp = System.nanoTime() + 120_000_000_000L;
            while (feed.publisher.lastIncrementalSequence() < 20_000 && System.nanoTime() < giveUp)
            {
                for (int i = 0; i < 50; i++)
                {
                    workload.step();
                }
                feed.pump(() -> feed.current(active), 10_000, "active subscriber current while another never polls");
            }
            assertTrue(feed.publisher.lastIncrementalSequence() >= 20_000, "published " + feed.publisher.lastIncrementalSequence());
            assertEquals(0, active.recoveries(), "the active subscriber never lost anything");
        }
    }
}
