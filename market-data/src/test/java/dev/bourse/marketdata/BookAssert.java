package dev.bourse.marketdata;

import dev.bourse.engine.BookSide;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.Instrument;
import dev.bourse.engine.Order;
import dev.bourse.engine.PriceLevel;

import static org.junit.jupiter.api.Assertions.*;

/** A subscriber's books against the engine's (through its public API) and against the publisher's own books. */
final class BookAssert
{
    private BookAssert()
    {
    }

    static void assertSameAsEngine(final String who, final OrderBooks books, final EngineState state)
    {
        int engineOrders = 0;
        for (int id = 1; id < state.config().maxInstruments(); id++)
        {
            final Instrument instrument = state.instrument(id);
            final OrderBook book = books.book(id);
            if (instrument == null)
            {
                assertNull(book, who + ": instrument " + id + " should not exist");
                continue;
            }
            assertNotNull(book, who + ": instrument " + id + " missing");
            assertEquals(instrument.symbol(), book.symbol(), who + ": symbol of " + id);
            assertEquals(instrument.status(), book.status(), who + ": status of " + id);
            assertEquals(instrument.phase(), book.phase(), who + ": phase of " + id);
            assertEquals(instrument.indicativePrice(), book.indicativePrice(), who + ": indicative price of " + id);
            assertEquals(instrument.indicativeQty(), book.indicativeQty(), who + ": indicative quantity of " + id);
            assertEquals(instrument.imbalanceQty(), book.imbalanceQty(), who + ": imbalance of " + id);
            assertEquals(instrument.imbalanceSide(), book.imbalanceSide(), who + ": imbalance side of " + id);
            engineOrders += assertSide(who + " " + id + " bids", state, instrument.bids(), book.bids());
            engineOrders += assertSide(who + " " + id + " asks", state, instrument.asks(), book.asks());
        }
        assertEquals(engineOrders, books.orderCount(), who + ": resting orders");
    }

    private static int assertSide(final String where, final EngineState state, final BookSide engine, final BookSideLevels ours)
    {
        assertEquals(engine.size(), ours.size(), where + ": levels");
        int orders = 0;
        for (int rank = 0; rank < engine.size(); rank++)
        {
            final PriceLevel expected = engine.level(rank);
            final BookLevel actual = ours.level(rank);
            final String at = where + " level " + rank;
            assertEquals(expected.price(), actual.price(), at + " price");
            // the feed shows what is visible: an iceberg's peak, not its hidden quantity
            long visible = 0;
            for (Order o = expected.head(); o != null; o = nextInLevel(o))
            {
                visible += o.visibleQty();
            }
            assertEquals(visible, actual.totalQty(), at + " displayed quantity");
            assertEquals(expected.orderCount(), actual.orderCount(), at + " order count");
            assertEquals(expected.head().orderId(), actual.head().orderId(), at + " first in time priority");
            for (BookOrder order = actual.head(); order != null; order = order.next())
            {
                final Order live = state.order(order.orderId());
                assertTrue(live != null && live.isResting() && live.price() == expected.price(),
                    at + ": order " + order.orderId() + " is not resting at this price in the engine");
                assertEquals(live.visibleQty(), order.quantity(), at + ": order " + order.orderId() + " displayed quantity");
                assertEquals(live.side(), order.side(), at + ": order " + order.orderId() + " side");
            }
            orders += expected.orderCount();
        }
        return orders;
    }

    private static Order nextInLevel(final Order order)
    {
        return order.nextInLevel();
    }

    /** Order by order, in time priority: the subscriber's copy against the publisher's books. */
    static void assertSameBooks(final String who, final OrderBooks expected, final OrderBooks actual)
    {
        assertEquals(expected.bookCount(), actual.bookCount(), who + ": books");
        expected.forEachBook(book ->
            assertEquals(book.describe(), actual.book(book.instrumentId()).describe(), who + ": book " + book.instrumentId()));
    }

    static void assertConsistent(final String who, final MarketDataSubscriber subscriber, final FeedFixture feed)
    {
        assertSameAsEngine(who, subscriber.books(), feed.state);
        assertSameBooks(who, feed.publisher.books(), subscriber.books());
    }
}
