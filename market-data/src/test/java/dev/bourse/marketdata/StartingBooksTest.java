package dev.bourse.marketdata;

import dev.bourse.engine.EngineHarness;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TradingPhase;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The books a publisher starts from when retention removed the journal's first cycles: exactly
 * what the feed would show had it read every event (BookAssert compares them with the engine).
 */
class StartingBooksTest
{
    @Test
    void theStartingBooksAreTheEnginesDisplayedBooks()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.addInstrument(2, "BETA");
        h.fundedAccount(10, 1, 2);
        h.fundedAccount(20, 1, 2);
        h.buy(10, 1, px(99), 10, "b1");
        h.buy(10, 1, px(99), 5, "b2");
        h.buy(10, 1, px(98), 7, "b3");
        h.sell(20, 1, px(101), 4, "s1");
        h.iceberg(20, 1, Side.SELL, px(102), 100, 10, "ice");
        h.buy(10, 1, px(102), 15, "take"); // takes the peak and part of the refill
        h.stop(10, 1, Side.BUY, px(110), 3, "stop"); // held: not shown
        h.setTradingPhase(2, TradingPhase.OPENING_CALL);
        h.buy(10, 2, px(101), 5, "call-b");
        h.sell(20, 2, px(100), 3, "call-s"); // crosses in the call: an indication

        final StartingBooks starting = StartingBooks.copyOf(h.state, 1024);
        BookAssert.assertSameAsEngine("starting books", starting.books, h.state);
        assertEquals(2, starting.instrumentIds.size());
        assertEquals(h.state.lastSequence(), starting.lastSequence);
        assertTrue(starting.books.book(2).indicativeQty() > 0, "the call's indication is in the book");
    }

    /**
     * A restarted exchange's feed starts from the recovered books with nothing new in the journal:
     * a subscriber still synchronises from the snapshot and the heartbeats, and shows those books.
     */
    @Test
    void aQuietFeedStartedFromTheRecoveredBooksSynchronises()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.fundedAccount(10, 1);
        h.buy(10, 1, px(99), 10, "b1");
        final StartingBooks starting = StartingBooks.copyOf(h.state, 1024);
        final dev.bourse.journal.InMemoryJournal journal = new dev.bourse.journal.InMemoryJournal();
        try (MarketDataPublisher publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
                .journalTailer(journal.tailer()).journalHead(() -> h.state.lastSequence()).expectedOrders(1024)
                .startingBooks(starting).snapshotIntervalNs(50_000_000L)
                .driverIdleStrategy(new org.agrona.concurrent.YieldingIdleStrategy()));
            MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
                .aeron(publisher.context().aeron()).expectedOrders(1024), new MarketDataListener()
                {
                }))
        {
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (!subscriber.isSynced())
            {
                assertTrue(System.nanoTime() < deadline, "synced from the starting books: " + subscriber.state());
                publisher.doWork();
                subscriber.poll(16);
            }
            assertEquals(px(99), subscriber.book(1).bestBid(), "the recovered bid");
        }
    }
}
