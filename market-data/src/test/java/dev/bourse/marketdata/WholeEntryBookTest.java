package dev.bourse.marketdata;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal entry too large for one fragment (an order sweeping 160 levels) reaches a listener as
 * one book change showing the whole sweep, never a book half-way through it: every fragment but
 * the entry's last ends with EntryContinues, and the subscriber shows books only at an entry's end.
 */
class WholeEntryBookTest
{
    private static final int LEVELS = 160;

    @Test
    void aSweepAcrossSeveralFragmentsIsShownOnceAndWhole()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, 60_000_000_000L))
        {
            final RandomWorkload setup = new RandomWorkload(feed.engine, 1, 2, 1);
            setup.setup();
            final CommandWriter writer = new CommandWriter();
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            long clock = 10_000_000;
            for (int level = 1; level <= LEVELS; level++)
            {
                feed.engine.onCommand(command, 0, writer.newOrder(command, 0, ++clock, 1, 1, 1, Side.SELL, OrdType.LIMIT,
                    TimeInForce.GTC, false, StpMode.NONE, RandomWorkload.MID + level * RandomWorkload.TICK, 10, "s" + level));
            }
            final List<Long> bestAsks = new ArrayList<>();
            final List<Integer> orderCounts = new ArrayList<>();
            final MarketDataSubscriber subscriber = feed.subscriber(new MarketDataListener()
            {
                @Override
                public void onBookChanged(final OrderBook book)
                {
                    bestAsks.add(book.bestAsk());
                    orderCounts.add(book.orderCount());
                }
            });
            feed.pollers.add(() -> subscriber.poll(64));
            feed.pump(() -> feed.current(subscriber) && subscriber.book(1) != null && subscriber.book(1).orderCount() == LEVELS,
                10_000, "the subscriber has the resting asks");
            bestAsks.clear();
            orderCounts.clear();
            final long fragmentsBefore = subscriber.incrementalFragments();

            feed.engine.onCommand(command, 0, writer.newOrder(command, 0, ++clock, 1, 2, 1, Side.BUY, OrdType.LIMIT,
                TimeInForce.GTC, false, StpMode.NONE, RandomWorkload.MID + (LEVELS - 1) * RandomWorkload.TICK,
                10L * (LEVELS - 1), "sweep"));
            feed.pump(() -> feed.current(subscriber), 10_000, "the subscriber has the sweep");

            assertTrue(subscriber.incrementalFragments() - fragmentsBefore > 1,
                "the sweep must span several fragments for this test to mean anything");
            assertEquals(List.of(RandomWorkload.MID + LEVELS * RandomWorkload.TICK), bestAsks,
                "one change, showing the book after the whole sweep");
            assertEquals(List.of(1), orderCounts);
            assertEquals(0, subscriber.gaps());
            assertEquals(0, subscriber.malformedFragments());
        }
    }
}
