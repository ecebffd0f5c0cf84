package dev.bourse.marketdata;

import dev.bourse.engine.EventText;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The publisher's displayed books against the engine's after every single command of a random
 * trading day (calls and auctions, volatility interruptions, stop elections, iceberg refills,
 * replaces, expiries): the feed shows exactly the engine's visible book at each step, and never
 * meets an event that does not fit its book. A failure names the step and prints its entry.
 */
class FeedTranslatorTest
{
    private static final int COMMANDS = 12_000;

    @Test
    void theFeedShowsTheEnginesVisibleBookAfterEveryCommand()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, 20_000_000L))
        {
            final RandomWorkload workload = new RandomWorkload(feed.engine, 12, 40, 11);
            workload.setup();
            for (int i = 0; i < COMMANDS; i++)
            {
                workload.step();
                feed.pump(feed::published, 10_000, "publisher catches up");
                final int step = i;
                try
                {
                    assertEquals(0, feed.publisher.inconsistencies(), () -> "an event did not fit the book (" +
                        feed.publisher.lastInconsistency() + ")");
                    BookAssert.assertSameAsEngine("publisher", feed.publisher.books(), feed.state);
                }
                catch (final AssertionError e)
                {
                    throw new AssertionError("step " + step + ": " + e.getMessage() + "\nlast entry: " + lastEntry(feed), e);
                }
            }
            final Coverage coverage = new Coverage();
            try (JournalTailer tailer = feed.journal.tailer())
            {
                final JournalEntryReader reader = new JournalEntryReader();
                while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, coverage), 1_000) > 0)
                {
                    // reads the whole journal
                }
            }
            assertTrue(coverage.auctionTrades > 0 && coverage.elections > 0 && coverage.icebergRefills > 0 &&
                coverage.indications > 0 && coverage.interruptions > 0, "the day exercised the feed: " + coverage);
        }
    }

    private static String lastEntry(final FeedFixture feed)
    {
        final StringBuilder text = new StringBuilder();
        try (JournalTailer tailer = feed.journal.tailerAfter(feed.journal.size() - 2))
        {
            tailer.poll((position, buffer, offset, length) -> text.append(new EventText().events(buffer, offset, length)), 1);
        }
        return text.toString();
    }

    private static final class Coverage implements JournalEventListener
    {
        int auctionTrades;
        int elections;
        int icebergRefills;
        int indications;
        int interruptions;

        @Override
        public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e)
        {
            auctionTrades += e.auction() == BooleanType.TRUE ? 1 : 0;
        }

        @Override
        public void onOrderElected(final EntryHeaderDecoder h, final OrderElectedDecoder e)
        {
            elections++;
        }

        @Override
        public void onOrderRested(final EntryHeaderDecoder h, final OrderRestedDecoder e)
        {
            icebergRefills += e.displayQty() < e.leavesQty() && h.commandType() != CommandType.NEW_ORDER ? 1 : 0;
        }

        @Override
        public void onAuctionIndication(final EntryHeaderDecoder h, final AuctionIndicationDecoder e)
        {
            indications++;
        }

        @Override
        public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
        {
            interruptions += e.reason() == PhaseChangeReason.VOLATILITY_INTERRUPTION ? 1 : 0;
        }

        @Override
        public String toString()
        {
            return "auction trades " + auctionTrades + ", elections " + elections + ", iceberg refills " + icebergRefills +
                ", indications " + indications + ", volatility interruptions " + interruptions;
        }
    }
}
