package dev.bourse.marketdata;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Looking a book up by symbol only reads: a subscriber asked for a book before the feed's first
 * message still follows the stream from sequence 1, with no snapshot and no recovery.
 */
class SymbolLookupTest
{
    @Test
    void lookingUpABookBySymbolBeforeTheFirstMessageChangesNothing()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, 60_000_000_000L))
        {
            final MarketDataSubscriber subscriber = feed.subscriber(null);
            feed.pollers.add(() -> subscriber.poll(64));
            feed.pump(subscriber::isConnected, 10_000, "subscriber connected");
            assertNull(subscriber.book("NONE"), "no book yet");

            final RandomWorkload workload = new RandomWorkload(feed.engine, 2, 10, 5);
            workload.setup();
            for (int i = 0; i < 200; i++)
            {
                workload.step();
            }
            feed.pump(() -> feed.current(subscriber), 10_000, "the subscriber follows the feed");
            assertEquals(0, subscriber.snapshotsApplied(), () -> "followed from sequence 1: " + subscriber);
            assertEquals(0, subscriber.recoveries() + subscriber.gaps(), () -> "no recovery: " + subscriber);
            assertNotNull(subscriber.book(subscriber.book(1).symbol()), "found by its symbol");
            BookAssert.assertConsistent("after lookups", subscriber, feed);
        }
    }
}
