package dev.bourse.marketdata;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random workloads over many instruments: a subscriber from the start, one that joins late and
 * one whose feed loses fragments on purpose all end with exactly the engine's books.
 */
class FeedConsistencyTest
{
    private static final int INSTRUMENTS = 12;
    private static final int COMMANDS = 40_000;

    @Test
    void subscribersFromTheStartLateAndLossyAllEndWithTheEnginesBooks()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, 20_000_000L))
        {
            final MarketDataSubscriber fromStart = feed.subscriber(null);
            feed.pollers.add(() -> fromStart.poll(64));

            final MarketDataSubscriber lossy = new MarketDataSubscriber(
                new MarketDataSubscriber.Context().expectedOrders(4096), null);
            final Subscription lossyIncrementals = feed.aeron.addSubscription(
                MarketDataSubscriber.Context.untethered("aeron:ipc"), MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID);
            final Subscription lossySnapshots = feed.aeron.addSubscription(
                MarketDataSubscriber.Context.untethered("aeron:ipc"), MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID);
            final Random dice = new Random(7);
            final boolean[] dropping = {true};
            final long[] dropped = {0};
            final FragmentHandler droppingHandler = (buffer, offset, length, header) ->
            {
                if (dropping[0] && dice.nextInt(100) < 2)
                {
                    dropped[0]++;
                    return;
                }
                lossy.onIncrementalFragment(buffer, offset, length, header);
            };
            feed.pollers.add(() ->
            {
                lossyIncrementals.poll(droppingHandler, 64);
                lossySnapshots.poll(lossy::onSnapshotFragment, 64);
            });
            feed.pump(() -> fromStart.isConnected() && lossyIncrementals.isConnected(), 10_000, "subscribers connected");

            final RandomWorkload workload = new RandomWorkload(feed.engine, INSTRUMENTS, 40, 11);
            workload.setup();
            MarketDataSubscriber late = null;
            for (int i = 0; i < COMMANDS; i++)
            {
                workload.step();
                if (i % 16 == 0)
                {
                    feed.pump(feed::published, 10_000, "publisher catches up");
                }
                if (i == COMMANDS / 3)
                {
                    final MarketDataSubscriber joining = feed.subscriber(null);
                    feed.pollers.add(() -> joining.poll(64));
                    late = joining;
                }
            }
            dropping[0] = false;
            workload.openAll();
            for (int i = 1; i <= INSTRUMENTS; i++)
            {
                // fresh messages after the last drop, so a loss at the very end is seen as a gap
                workload.restingOrder(i);
            }
            final MarketDataSubscriber joined = late;
            feed.pump(() -> feed.current(fromStart) && feed.current(joined) && feed.current(lossy), 30_000,
                "every subscriber synced and current");

            assertEquals(0, feed.publisher.inconsistencies());
            assertEquals(0, feed.publisher.malformedEntries());
            assertTrue(feed.state.lastTradeId() > 1_000, "the workload trades: " + feed.state.lastTradeId());
            assertTrue(feed.state.liveOrders() > 50, "books are not empty: " + feed.state.liveOrders());

            BookAssert.assertConsistent("from start", fromStart, feed);
            assertEquals(0, fromStart.gaps() + fromStart.inconsistencies(), "nothing lost on a healthy IPC feed: gaps " +
                fromStart.gaps() + ", inconsistencies " + fromStart.inconsistencies() + ", publisher back-pressure " +
                feed.publisher.backPressureEvents() + ", dropped " + feed.publisher.droppedNotConnected());
            assertEquals(0, fromStart.snapshotsApplied(), "started at sequence 1: no snapshot needed");

            BookAssert.assertConsistent("late joiner", joined, feed);
            assertTrue(joined.snapshotsApplied() >= 1, "a late joiner starts from a snapshot");
            assertEquals(0, joined.gaps() + joined.recoveries(), "joining a running feed is no gap, nor a recovery: " + joined);

            BookAssert.assertConsistent("lossy", lossy, feed);
            assertTrue(dropped[0] > 10, "fragments were dropped: " + dropped[0]);
            assertTrue(lossy.gaps() > 0 && lossy.snapshotsApplied() > 0,
                "gaps " + lossy.gaps() + " snapshots " + lossy.snapshotsApplied());
            assertEquals(0, fromStart.malformedFragments() + joined.malformedFragments() + lossy.malformedFragments());
            assertEquals(0, fromStart.errors() + joined.errors() + lossy.errors());

            lossyIncrementals.close();
            lossySnapshots.close();
        }
    }
}
