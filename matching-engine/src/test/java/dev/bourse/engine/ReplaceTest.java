package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.BooleanType;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/** Replace: quantity down keeps time priority; price change or quantity up loses it; never below filled. */
class ReplaceTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 20;
    private static final long CAROL = 30;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
        h.fundedAccount(BOB, ACME);
        h.fundedAccount(CAROL, ACME);
        h.buy(ALICE, ACME, px(99), 10, "a1");   // order 1, first in the queue at 99
        h.buy(BOB, ACME, px(99), 10, "b1");     // order 2, second
    }

    @Test
    void quantityDownKeepsTimePriority()
    {
        assertEvents(h.replace(ALICE, 1, px(99), 6, "a2", "a1"),
            "OrderReplaced orderId=1 keptPriority=TRUE oldPrice=990000 oldLeavesQty=10 price=990000 quantity=6 leavesQty=6 clOrdId=a2 origClOrdId=a1");
        assertEvents(h.sell(CAROL, ACME, px(99), 6, "c1"),
            "OrderAccepted",
            "Trade makerOrderId=1 quantity=6");
    }

    @Test
    void quantityUpLosesTimePriority()
    {
        assertEvents(h.replace(ALICE, 1, px(99), 12, "a2", "a1"), "OrderReplaced orderId=1 keptPriority=FALSE leavesQty=12",
            "OrderRested orderId=1 leavesQty=12");
        assertEvents(h.sell(CAROL, ACME, px(99), 10, "c1"),
            "OrderAccepted",
            "Trade makerOrderId=2 quantity=10");
    }

    @Test
    void priceChangeLosesPriorityAndMayTrade()
    {
        h.sell(CAROL, ACME, px(101), 4, "c1");
        assertEvents(h.replace(ALICE, 1, px(101), 10, "a2", "a1"),
            "OrderReplaced orderId=1 keptPriority=FALSE oldPrice=990000 price=1010000 holdPrice=1010000",
            "Trade makerOrderId=3 takerOrderId=1 price=1010000 quantity=4 takerLeavesQty=6 takerClOrdId=a2",
            "OrderRested orderId=1 price=1010000 leavesQty=6");
        final PriceLevel best = h.state.instrument(ACME).bids().best();
        assertEquals(px(101), best.price());
        assertEquals(6, best.totalQty());
    }

    /**
     * A replace keeps the order's time in force: naming another is refused, not acknowledged and
     * ignored (a probe's DAY order "replaced" as GTC expired at the day's end); naming its own, or
     * none, goes through.
     */
    @Test
    void aReplaceNamingAnotherTimeInForceIsAMismatch()
    {
        h.buy(ALICE, ACME, px(98), 10, "a2");   // order 3, GTC
        assertEvents(h.replaceNamingTimeInForce(ALICE, 3, px(98), 8, "a3", TimeInForce.DAY),
            "CancelRejected responseTo=REPLACE_ORDER reason=ORDER_MISMATCH");
        assertEvents(h.replaceNamingTimeInForce(ALICE, 3, px(98), 8, "a4", TimeInForce.GTC), "OrderReplaced orderId=3 keptPriority=TRUE quantity=8");
        assertEvents(h.replaceNamingTimeInForce(ALICE, 3, px(98), 7, "a5", TimeInForce.NULL_VAL), "OrderReplaced orderId=3 keptPriority=TRUE quantity=7");
    }

    /**
     * The peak, the expire time and post-only are kept by a replace: naming another is refused (a
     * FIX replace's MaxFloor was not read, so a client moving an iceberg's peak was told "replaced"
     * while the peak stayed); naming the order's own, or nothing, goes through.
     */
    @Test
    void aReplaceNamingAnotherPeakExpiryOrPostOnlyIsAMismatch()
    {
        final long none = CommandWriter.NOT_NAMED;
        h.iceberg(ALICE, ACME, Side.BUY, px(98), 100, 10, "i1");   // order 3: peak 10, GTC, not post-only
        assertEvents(h.replaceNamingSettings(ALICE, 3, px(98), 90, "i2", 20, none, BooleanType.NULL_VAL),
            "CancelRejected responseTo=REPLACE_ORDER reason=ORDER_MISMATCH");
        assertEvents(h.replaceNamingSettings(ALICE, 3, px(98), 90, "i3", none, 5_000_000_000L, BooleanType.NULL_VAL),
            "CancelRejected responseTo=REPLACE_ORDER reason=ORDER_MISMATCH");
        assertEvents(h.replaceNamingSettings(ALICE, 3, px(98), 90, "i4", none, none, BooleanType.TRUE),
            "CancelRejected responseTo=REPLACE_ORDER reason=ORDER_MISMATCH");
        assertEvents(h.replaceNamingSettings(ALICE, 3, px(98), 90, "i5", 10, 0, BooleanType.FALSE),
            "OrderReplaced orderId=3 keptPriority=TRUE quantity=90");
        assertEvents(h.replaceNamingSettings(ALICE, 3, px(98), 80, "i6", none, none, BooleanType.NULL_VAL),
            "OrderReplaced orderId=3 keptPriority=TRUE quantity=80");
    }

    @Test
    void anOrderIdAndAnOrigClOrdIdThatNameTwoOrdersAreAMismatch()
    {
        h.buy(ALICE, ACME, px(98), 10, "a2");   // order 3, Alice's second
        assertEvents(h.replace(ALICE, 3, px(98), 5, "a3", "a1"), "CancelRejected responseTo=REPLACE_ORDER reason=ORDER_MISMATCH");
        assertEvents(h.cancel(ALICE, 3, "a4", "a1"), "CancelRejected responseTo=CANCEL_ORDER reason=ORDER_MISMATCH");
        assertEquals(20, h.state.instrument(ACME).bids().best().totalQty(), "orders 1 and 2 untouched at 99");
        // both naming order 3, or the OrderID alone, act on it
        assertEvents(h.replace(ALICE, 3, px(98), 5, "a5", "a2"), "OrderReplaced orderId=3 keptPriority=TRUE quantity=5");
        assertEvents(h.cancel(ALICE, 3, "a6", ""), "OrderCanceled orderId=3");
    }

    @Test
    void replaceOfAPartlyFilledOrderCountsTheFilledPart()
    {
        h.sell(CAROL, ACME, px(99), 4, "c1");   // fills 4 of order 1
        assertEvents(h.replace(ALICE, 1, px(99), 4, "a2", "a1"), "CancelRejected responseTo=REPLACE_ORDER reason=REPLACE_BELOW_FILLED");
        assertEvents(h.replace(ALICE, 1, px(99), 3, "a3", "a1"), "CancelRejected reason=REPLACE_BELOW_FILLED");
        assertEvents(h.replace(ALICE, 1, px(99), 8, "a4", "a1"),
            "OrderReplaced keptPriority=TRUE quantity=8 leavesQty=4 cumQty=4");
    }

    @Test
    void replaceIsFoundByTheLatestClOrdId()
    {
        h.replace(ALICE, 0, px(99), 8, "a2", "a1");
        assertEvents(h.replace(ALICE, 0, px(98), 8, "a3", "a1"), "CancelRejected reason=UNKNOWN_ORDER");
        assertEvents(h.replace(ALICE, 0, px(98), 8, "a4", "a2"), "OrderReplaced orderId=1 clOrdId=a4 origClOrdId=a2", "OrderRested orderId=1");
        assertEvents(h.cancel(ALICE, 0, "a5", "a4"), "OrderCanceled orderId=1 clOrdId=a4 requestClOrdId=a5");
    }

    @Test
    void replaceValidatesLikeANewOrder()
    {
        assertEvents(h.replace(ALICE, 1, px(99) + 1, 10, "x1", "a1"), "CancelRejected reason=BAD_TICK");
        assertEvents(h.replace(ALICE, 1, px(200), 10, "x2", "a1"), "CancelRejected reason=OUTSIDE_PRICE_BAND");
        assertEvents(h.replace(ALICE, 1, 0, 10, "x3", "a1"), "CancelRejected reason=INVALID_PRICE");
        assertEvents(h.replace(ALICE, 1, px(99), 2_000_000, "x4", "a1"), "CancelRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.replace(BOB, 1, px(99), 5, "x5", ""), "CancelRejected reason=NOT_YOUR_ORDER");
        assertEquals(10, h.state.order(1).leavesQty());
    }

    @Test
    void replaceNeedsFundsForAnIncreasedHold()
    {
        h.createAccount(40, StpMode.NONE);
        h.depositCash(40, px(1_000));
        h.buy(40, ACME, px(100), 10, "d1");                     // holds 1,000: all of it
        assertEvents(h.replace(40, 3, px(101), 10, "d2", "d1"), "CancelRejected reason=INSUFFICIENT_FUNDS");
        assertEvents(h.replace(40, 3, px(50), 20, "d3", "d1"), "OrderReplaced holdPrice=500000 leavesQty=20", "OrderRested");
        assertEquals(px(1_000), h.state.account(40).cashHeld());
    }

    @Test
    void postOnlyReplaceThatWouldCrossIsRejected()
    {
        h.sell(CAROL, ACME, px(101), 5, "c1");
        h.newOrder(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, true, StpMode.ACCOUNT_DEFAULT, px(100), 5, "p1");
        assertEvents(h.replace(ALICE, 4, px(101), 5, "p2", "p1"), "CancelRejected reason=WOULD_CROSS_POST_ONLY");
        assertEvents(h.replace(ALICE, 4, px(100), 3, "p3", "p1"), "OrderReplaced keptPriority=TRUE");
    }
}
