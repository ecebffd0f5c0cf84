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
}
