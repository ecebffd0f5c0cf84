package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Icebergs (a visible peak, refilled at the back of the level) and good-till-date orders
 * (expired by ExpireOrders), as docs/ENGINE-RULES.md states them. Prices in currency units.
 */
class IcebergAndGtdTest
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
    }

    // ------------------------------------------------------------------ icebergs

    @Test
    void anIcebergShowsItsPeakAndRefillsAtTheBackOfItsLevel()
    {
        assertEvents(h.iceberg(ALICE, ACME, Side.SELL, px(100), 25, 10, "a1"),
            "OrderAccepted orderId=1 quantity=25 displayQty=10", "OrderRested orderId=1 leavesQty=25 displayQty=10");
        assertEvents(h.sell(BOB, ACME, px(100), 5, "b1"), "OrderAccepted orderId=2", "OrderRested orderId=2");
        // a buy of 12 takes the peak (10), the refill goes behind Bob, so Bob's 5 trade next
        assertEvents(h.buy(CAROL, ACME, px(100), 12, "c1"),
            "OrderAccepted orderId=3",
            "Trade makerOrderId=1 quantity=10 makerLeavesQty=15",
            "OrderRested orderId=1 leavesQty=15 displayQty=10",
            "Trade makerOrderId=2 quantity=2");
        final PriceLevel level = h.state.instrument(ACME).asks().best();
        assertEquals(2, level.head().orderId());
        assertEquals(18, level.totalQty(), "the level counts hidden quantity too");
        assertEquals(10, h.state.order(1).visibleQty());
    }

    @Test
    void anIcebergAloneAtItsPriceRefillsAndKeepsTrading()
    {
        h.iceberg(ALICE, ACME, Side.SELL, px(100), 25, 10, "a1");
        assertEvents(h.buy(CAROL, ACME, px(100), 25, "c1"),
            "OrderAccepted",
            "Trade quantity=10 makerLeavesQty=15", "OrderRested leavesQty=15 displayQty=10",
            "Trade quantity=10 makerLeavesQty=5", "OrderRested leavesQty=5 displayQty=5",
            "Trade quantity=5 makerLeavesQty=0");
    }

    @Test
    void anIcebergMayShowAtMostAThousandPeaks()
    {
        // each peak traded is a trade: a 1-lot peak on a huge quantity would make one aggressive order a million trades
        assertEvents(h.iceberg(ALICE, ACME, Side.SELL, px(100), 10_001, 10, "a1"), "OrderRejected reason=ICEBERG_TOO_MANY_PEAKS");
        assertEvents(h.iceberg(ALICE, ACME, Side.SELL, px(100), 10_000, 10, "a2"), "OrderAccepted displayQty=10", "OrderRested");
        // a replace counts what would be left to show: 10 filled, so 10,010 leaves 10,000 (1,000 peaks) and 10,011 is too many
        h.buy(CAROL, ACME, px(100), 10, "c1");
        assertEvents(h.replace(ALICE, 0, px(100), 10_011, "a3", "a2"), "CancelRejected reason=ICEBERG_TOO_MANY_PEAKS");
        assertEvents(h.replace(ALICE, 0, px(100), 10_010, "a4", "a2"), "OrderReplaced leavesQty=10000", "OrderRested");
    }

    @Test
    void aFokOrderCountsTheHiddenQuantity()
    {
        h.iceberg(ALICE, ACME, Side.SELL, px(100), 25, 10, "a1");
        assertEvents(h.limit(CAROL, ACME, Side.BUY, TimeInForce.FOK, px(100), 25, "c1").subList(0, 2),
            "OrderAccepted", "Trade quantity=10");
    }

    @Test
    void aReplaceKeepsThePeakSizeAndLosesOrKeepsPriorityLikeAnyOrder()
    {
        h.iceberg(ALICE, ACME, Side.SELL, px(100), 25, 10, "a1");
        // quantity down to 6 keeps the place: the peak shrinks to what is left
        assertEvents(h.replace(ALICE, 1, px(100), 6, "a2", ""), "OrderReplaced keptPriority=TRUE leavesQty=6");
        assertEquals(6, h.state.order(1).visibleQty());
        // quantity up loses the place and shows a full peak again
        assertEvents(h.replace(ALICE, 1, px(100), 30, "a3", ""),
            "OrderReplaced keptPriority=FALSE leavesQty=30", "OrderRested leavesQty=30 displayQty=10");
    }

    @Test
    void aPeakMustBeALimitOrderThatCanRestInWholeLots()
    {
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.MARKET, TimeInForce.DAY, 0, 10, "a1", 0, 5, 0),
            "OrderRejected reason=INVALID_DISPLAY_QTY");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.IOC, px(99), 10, "a2", 0, 5, 0),
            "OrderRejected reason=INVALID_DISPLAY_QTY");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, px(99), 10, "a3", 0, -5, 0),
            "OrderRejected reason=INVALID_DISPLAY_QTY");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, px(99), 10, "a5", 0, 20, 0),
            "OrderRejected reason=INVALID_DISPLAY_QTY"); // a peak above the quantity (FIX: MaxFloor <= OrderQty)
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, px(99), 10, "a6", 0, 10, 0),
            "OrderAccepted", "OrderRested");
        h.addInstrument(2, "LOTS", px(1) / 100, 10, 10, 10_000, px(10_000_000), px(100), 5_000);
        h.depositPosition(ALICE, 2, 1_000);
        assertEvents(h.order(ALICE, 2, Side.SELL, OrdType.LIMIT, TimeInForce.DAY, px(99), 100, "a4", 0, 15, 0),
            "OrderRejected reason=INVALID_DISPLAY_QTY");
    }

    // ------------------------------------------------------------------ GTD

    @Test
    void gtdOrdersRestUntilAnExpiryCommandReachesTheirTimeEarliestFirst()
    {
        final long now = h.nextTimestamp();
        h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(99), 10, "a1", 0, 0, now + 5_000_000); // order 1
        h.order(BOB, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(98), 10, "b1", 0, 0, now + 3_000_000);   // order 2
        h.order(CAROL, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(97), 10, "c1", 0, 0, now + 9_000_000); // order 3
        assertEvents(h.expireOrders(now + 1_000_000), "OrdersExpired expiredCount=0");
        assertEvents(h.endOfDay(0), "DayEnded expiredCount=0");
        assertEvents(h.expireOrders(now + 5_000_000),
            "OrderCanceled orderId=2 reason=EXPIRED",
            "OrderCanceled orderId=1 reason=EXPIRED",
            "OrdersExpired expireTime=" + (now + 5_000_000) + " expiredCount=2");
        assertEquals(1, h.state.liveOrders());
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }

    @Test
    void aGtdOrderNeedsAnExpireTimeInTheFutureAndOnlyGtdOrdersCarryOne()
    {
        final long now = h.nextTimestamp();
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(99), 10, "a1", 0, 0, now),
            "OrderRejected reason=INVALID_EXPIRE_TIME");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, px(99), 10, "a2", 0, 0, now + 10_000),
            "OrderRejected reason=INVALID_EXPIRE_TIME");
    }

    @Test
    void anOrderThatEndedEarlyIsNotExpiredAgain()
    {
        final long now = h.nextTimestamp();
        h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(99), 10, "a1", 0, 0, now + 5_000);
        h.cancel(ALICE, 1, "a2", "");
        assertEvents(h.expireOrders(now + 10_000), "OrdersExpired expiredCount=0");
    }
}
