package dev.bourse.engine;

import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TradingPhase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The uncross, rule by rule, with the worked examples of docs/ENGINE-RULES.md ("The uncross"):
 * each call book is built in an opening call (where nothing matches), and the opening auction
 * (SetTradingPhase CONTINUOUS) must pick the stated price and fill in price-time priority.
 * Prices are in currency units; the instrument's reference price is 100.
 */
class UncrossTest
{
    private static final int ACME = 1;
    private static final long BUYER = 10;
    private static final long SELLER = 20;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(BUYER, ACME);
        h.fundedAccount(SELLER, ACME);
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
    }

    private void bid(final long price, final long quantity)
    {
        h.buy(BUYER, ACME, px(price), quantity, "b" + h.state.lastOrderId());
    }

    private void ask(final long price, final long quantity)
    {
        h.sell(SELLER, ACME, px(price), quantity, "s" + h.state.lastOrderId());
    }

    private List<String> open()
    {
        return h.setTradingPhase(ACME, TradingPhase.CONTINUOUS);
    }

    @Test
    void rule1TheMostExecutableQuantityWins()
    {
        // 99: buy 20 sell 10 -> 10 | 100: buy 20 sell 20 -> 20 | 101: buy 10 sell 20 -> 10
        bid(101, 10);
        bid(100, 10);
        ask(99, 10);
        ask(100, 10);
        final List<String> events = open();
        assertEquals("AuctionUncrossed: instrumentId=1|callPhase=OPENING_CALL|price=1000000|matchedQty=20|imbalanceQty=0|imbalanceSide=0",
            events.get(0));
        assertEquals(2, events.stream().filter(e -> e.startsWith("Trade:")).count());
        assertTrue(events.get(events.size() - 1).startsWith("TradingPhaseChanged: instrumentId=1|phase=CONTINUOUS|previousPhase=OPENING_CALL"));
    }

    @Test
    void rule2ThenTheLeastSurplus()
    {
        // 100: buy 22 sell 10 -> 10, surplus +12 | 101: buy 10 sell 14 -> 10, -4 | 102: buy 10 sell 16 -> 10, -6
        bid(102, 10);
        bid(100, 12);
        ask(100, 10);
        ask(101, 4);
        ask(102, 2);
        assertEvents(open().subList(0, 1), "AuctionUncrossed price=1010000 matchedQty=10 imbalanceQty=4 imbalanceSide=2");
    }

    @Test
    void rule3ABuySurplusEverywherePicksTheHighestPrice()
    {
        // 100: buy 20 sell 10 -> 10, +10 | 101: buy 20 sell 10 -> 10, +10
        bid(101, 20);
        ask(99, 5);
        ask(100, 5);
        assertEvents(open().subList(0, 1), "AuctionUncrossed price=1010000 matchedQty=10 imbalanceQty=10 imbalanceSide=1");
    }

    @Test
    void rule3ASellSurplusEverywherePicksTheLowestPrice()
    {
        // 99: buy 10 sell 20 -> 10, -10 | 100: buy 10 sell 20 -> 10, -10
        ask(99, 20);
        bid(101, 5);
        bid(100, 5);
        assertEvents(open().subList(0, 1), "AuctionUncrossed price=990000 matchedQty=10 imbalanceQty=10 imbalanceSide=2");
    }

    @Test
    void rule4OtherwiseTheClosestToTheReferencePriceAndTheHigherOfTwoEquallyClose()
    {
        // 99 and 101 both: buy 10 sell 10 -> 10, surplus 0; the reference (100) is as close to each
        bid(101, 10);
        ask(99, 10);
        assertEvents(open().subList(0, 1), "AuctionUncrossed price=1010000 matchedQty=10 imbalanceQty=0 imbalanceSide=0");
    }

    @Test
    void rule4TheReferenceIsTheLastTradePriceOnceThereIsOne()
    {
        open();
        h.sell(SELLER, ACME, px(98), 1, "t1");
        h.buy(BUYER, ACME, px(98), 1, "t2"); // last trade 98
        h.setTradingPhase(ACME, TradingPhase.HALTED);
        h.setTradingPhase(ACME, TradingPhase.REOPENING_CALL);
        bid(101, 10);
        ask(99, 10);
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS).subList(0, 1),
            "AuctionUncrossed callPhase=REOPENING_CALL price=990000 matchedQty=10");
    }

    @Test
    void fillsGoInPriceThenTimePriorityAllAtTheOnePrice()
    {
        bid(101, 10); // order 1
        bid(100, 10); // order 2
        bid(100, 10); // order 3
        ask(99, 25);  // order 4: 99 and 100 both execute 25 with a buy surplus of 5: the higher, 100
        assertEvents(open(),
            "AuctionUncrossed price=1000000 matchedQty=25 imbalanceQty=5 imbalanceSide=1",
            "Trade price=1000000 quantity=10 makerOrderId=4 takerOrderId=1 takerSide=BUY makerLeavesQty=15 auction=TRUE",
            "Trade price=1000000 quantity=10 makerOrderId=4 takerOrderId=2 makerLeavesQty=5 auction=TRUE",
            "Trade price=1000000 quantity=5 makerOrderId=4 takerOrderId=3 makerLeavesQty=0 takerLeavesQty=5 auction=TRUE",
            "TradingPhaseChanged phase=CONTINUOUS previousPhase=OPENING_CALL status=OPEN reason=COMMAND");
        // the buyer paid the auction price, not the limit: the hold of 101 on order 1 released
        assertEquals(px(100) * 5, h.state.account(BUYER).cashHeld());
        assertEquals(1_000_000 + 25, h.state.account(BUYER).positionQuantity(ACME));
        assertEquals(px(100), h.state.instrument(ACME).bids().best().price());
        assertNull(h.state.instrument(ACME).asks().best());
    }

    @Test
    void anIcebergTakesPartWithItsHiddenQuantityAndShowsANewPeakAfterwards()
    {
        h.iceberg(BUYER, ACME, Side.BUY, px(100), 30, 10, "ice"); // order 1: peak 10 of 30
        bid(100, 5); // order 2, behind it
        ask(100, 25);
        assertEvents(open(),
            "AuctionUncrossed price=1000000 matchedQty=25 imbalanceQty=10 imbalanceSide=1",
            "Trade quantity=25 takerOrderId=1 takerLeavesQty=5 auction=TRUE",
            "OrderRested orderId=1 leavesQty=5 displayQty=5",
            "TradingPhaseChanged phase=CONTINUOUS");
        // the refill went to the back: order 2 is first at 100 now
        assertEquals(2, h.state.instrument(ACME).bids().best().head().orderId());
    }

    @Test
    void aBookThatDoesNotCrossEndsTheCallWithAnEmptyAuction()
    {
        bid(99, 10);
        ask(101, 10);
        assertEvents(open(),
            "AuctionUncrossed price=0 matchedQty=0 imbalanceQty=0 imbalanceSide=0",
            "TradingPhaseChanged phase=CONTINUOUS");
    }

    @Test
    void theIndicationIsPublishedWheneverItChanges()
    {
        assertEvents(h.buy(BUYER, ACME, px(101), 10, "b1"), "OrderAccepted", "OrderRested");
        assertEvents(h.sell(SELLER, ACME, px(99), 4, "s1"),
            "OrderAccepted", "OrderRested",
            "AuctionIndication price=1010000 matchedQty=4 imbalanceQty=6 imbalanceSide=1");
        // a change that leaves the result as it was publishes nothing
        assertEvents(h.buy(BUYER, ACME, px(90), 10, "b2"), "OrderAccepted", "OrderRested");
        assertEvents(h.cancel(SELLER, 0, "s2", "s1"),
            "OrderCanceled",
            "AuctionIndication price=0 matchedQty=0 imbalanceQty=0 imbalanceSide=0");
        assertEquals(0, h.state.instrument(ACME).indicativePrice());
    }
}
