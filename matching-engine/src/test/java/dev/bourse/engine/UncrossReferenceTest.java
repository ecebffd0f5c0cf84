package dev.bourse.engine;

import dev.bourse.engine.reference.ReferenceUncross;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TradingPhase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's auction against {@link ReferenceUncross} (which tries every candidate price) on
 * random call books: thin and deep books, crowded and sparse prices, icebergs, with and without a
 * last trade price. For each book the indication published during the call and the auction that
 * ends it must give the reference's price, quantity and imbalance; the trades must add up to that
 * quantity at that one price, and the book left behind must not cross.
 */
class UncrossReferenceTest
{
    private static final int BOOKS = Integer.getInteger("bourse.uncross.books", 150);
    private static final int ACME = 1;

    @Test
    void engineAuctionsAgreeWithTheReferenceOnRandomCallBooks()
    {
        final Random random = new Random(16);
        int crossed = 0;
        for (int book = 0; book < BOOKS; book++)
        {
            crossed += checkOneBook(book, random) ? 1 : 0;
        }
        assertTrue(crossed > BOOKS / 2, "most books cross: " + crossed);
    }

    private static boolean checkOneBook(final int book, final Random random)
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(ACME, "ACME");
        final int accounts = 1 + random.nextInt(4);
        for (int a = 1; a <= accounts; a++)
        {
            h.fundedAccount(a, ACME);
        }
        if (random.nextBoolean())
        {
            // a last trade price to be the reference for rule 4
            final long last = px(95) + 100L * random.nextInt(1_000);
            h.sell(1, ACME, last, 1, "x1");
            h.buy(1, ACME, last, 1, "x2");
        }
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        final int orders = 1 + random.nextInt(random.nextBoolean() ? 12 : 300);
        final int spread = 1 + random.nextInt(random.nextBoolean() ? 5 : 200);
        for (int i = 0; i < orders; i++)
        {
            final long account = 1 + random.nextInt(accounts);
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long price = px(100) + 100L * (random.nextInt(2 * spread + 1) - spread);
            final long quantity = 1 + random.nextInt(random.nextBoolean() ? 10 : 1_000);
            if (random.nextInt(8) == 0)
            {
                h.iceberg(account, ACME, side, price, quantity, 1 + random.nextInt((int)quantity), "o" + i);
            }
            else
            {
                h.limit(account, ACME, side, dev.bourse.protocol.sbe.TimeInForce.DAY, price, quantity, "o" + i);
            }
        }
        final Instrument instrument = h.state.instrument(ACME);
        final ReferenceUncross.Result expected = ReferenceUncross.compute(callBook(instrument), instrument.auctionReference());
        final String what = "book " + book + " (" + orders + " orders, spread " + spread + ")";
        assertEquals(expected.price(), instrument.indicativePrice(), what + ": indicative price");
        assertEquals(expected.volume(), instrument.indicativeQty(), what + ": indicative quantity");
        assertEquals(expected.imbalance(), instrument.imbalanceQty(), what + ": imbalance");
        assertEquals(expected.imbalanceSide(), instrument.imbalanceSide(), what + ": imbalance side");

        final List<String> events = h.setTradingPhase(ACME, TradingPhase.CONTINUOUS);
        assertEquals("AuctionUncrossed: instrumentId=1|callPhase=OPENING_CALL|price=" + expected.price() + "|matchedQty=" +
            expected.volume() + "|imbalanceQty=" + expected.imbalance() + "|imbalanceSide=" + expected.imbalanceSide(), events.get(0), what);
        long traded = 0;
        for (final String event : events)
        {
            if (event.startsWith("Trade:"))
            {
                assertEquals(String.valueOf(expected.price()), EventAssert.field(event, "price"), what);
                traded += Long.parseLong(EventAssert.field(event, "quantity"));
            }
        }
        assertEquals(expected.volume(), traded, what + ": traded quantity");
        final PriceLevel bid = instrument.bids().best();
        final PriceLevel ask = instrument.asks().best();
        assertTrue(bid == null || ask == null || bid.price() < ask.price(), what + ": the book still crosses");
        return expected.crosses();
    }

    private static List<ReferenceUncross.CallOrder> callBook(final Instrument instrument)
    {
        final List<ReferenceUncross.CallOrder> orders = new ArrayList<>();
        for (final BookSide side : new BookSide[]{instrument.bids(), instrument.asks()})
        {
            for (int rank = 0; rank < side.size(); rank++)
            {
                for (Order o = side.level(rank).head(); o != null; o = o.next)
                {
                    orders.add(new ReferenceUncross.CallOrder(o.side(), o.price(), o.leavesQty()));
                }
            }
        }
        return orders;
    }
}
