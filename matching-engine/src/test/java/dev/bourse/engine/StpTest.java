package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/** Self-trade prevention: what happens when an order meets a resting order of its own account. */
class StpTest
{
    private static final int ACME = 1;
    private static final long SELF = 10;
    private static final long OTHER = 20;

    private EngineHarness book(final StpMode accountMode)
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(SELF, accountMode, ACME);
        h.fundedAccount(OTHER, ACME);
        h.sell(SELF, ACME, px(100), 10, "s1");   // order 1: own, first in the queue
        h.sell(OTHER, ACME, px(100), 10, "o1");  // order 2
        return h;
    }

    @Test
    void cancelRestingCancelsOwnRestingOrdersAndKeepsMatching()
    {
        final EngineHarness h = book(StpMode.CANCEL_RESTING);
        assertEvents(h.buy(SELF, ACME, px(100), 15, "s2"),
            "OrderAccepted orderId=3 stpMode=CANCEL_RESTING",
            "OrderCanceled orderId=1 reason=SELF_TRADE_PREVENTION canceledQty=10",
            "Trade makerOrderId=2 takerOrderId=3 quantity=10 takerLeavesQty=5",
            "OrderRested orderId=3 leavesQty=5");
        assertEquals(5, h.state.instrument(ACME).bids().best().totalQty());
    }

    @Test
    void cancelAggressorCancelsTheIncomingOrder()
    {
        final EngineHarness h = book(StpMode.CANCEL_AGGRESSOR);
        assertEvents(h.buy(SELF, ACME, px(100), 15, "s2"),
            "OrderAccepted orderId=3",
            "OrderCanceled orderId=3 reason=SELF_TRADE_PREVENTION canceledQty=15");
        assertEquals(2, h.state.liveOrders());
    }

    @Test
    void cancelBothCancelsRestingThenIncoming()
    {
        final EngineHarness h = book(StpMode.CANCEL_BOTH);
        assertEvents(h.buy(SELF, ACME, px(100), 15, "s2"),
            "OrderAccepted orderId=3",
            "OrderCanceled orderId=1 reason=SELF_TRADE_PREVENTION",
            "OrderCanceled orderId=3 reason=SELF_TRADE_PREVENTION");
        assertEquals(1, h.state.liveOrders());
    }

    @Test
    void tradesBeforeReachingOwnOrderStand()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(SELF, StpMode.CANCEL_AGGRESSOR, ACME);
        h.fundedAccount(OTHER, ACME);
        h.sell(OTHER, ACME, px(99), 4, "o1");
        h.sell(SELF, ACME, px(100), 10, "s1");
        assertEvents(h.buy(SELF, ACME, px(100), 15, "s2"),
            "OrderAccepted",
            "Trade makerOrderId=1 quantity=4",
            "OrderCanceled orderId=3 reason=SELF_TRADE_PREVENTION canceledQty=11 cumQty=4");
    }

    @Test
    void noneAllowsTheSelfTradeWhichNetsOut()
    {
        final EngineHarness h = book(StpMode.NONE);
        final long cash = h.state.account(SELF).cash();
        final long position = h.state.account(SELF).positionQuantity(ACME);
        assertEvents(h.buy(SELF, ACME, px(100), 10, "s2"), "OrderAccepted", "Trade makerOrderId=1 takerOrderId=3 quantity=10");
        assertEquals(cash, h.state.account(SELF).cash());
        assertEquals(position, h.state.account(SELF).positionQuantity(ACME));
        assertEquals(0, h.state.account(SELF).cashHeld());
        assertEquals(0, h.state.account(SELF).positionHeld(ACME));
    }

    @Test
    void orderLevelModeOverridesTheAccountDefault()
    {
        final EngineHarness h = book(StpMode.NONE);
        assertEvents(h.newOrder(SELF, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.CANCEL_AGGRESSOR, px(100), 5, "s2"),
            "OrderAccepted stpMode=CANCEL_AGGRESSOR",
            "OrderCanceled orderId=3 reason=SELF_TRADE_PREVENTION");
    }

    @Test
    void fokCountsOnlyLiquidityItCouldReach()
    {
        final EngineHarness aggressor = book(StpMode.CANCEL_AGGRESSOR);
        assertEvents(aggressor.limit(SELF, ACME, Side.BUY, TimeInForce.FOK, px(100), 5, "s2"),
            "OrderRejected reason=FOK_NOT_FILLABLE");
        final EngineHarness resting = book(StpMode.CANCEL_RESTING);
        assertEvents(resting.limit(SELF, ACME, Side.BUY, TimeInForce.FOK, px(100), 10, "s2"),
            "OrderAccepted",
            "OrderCanceled orderId=1 reason=SELF_TRADE_PREVENTION",
            "Trade makerOrderId=2 quantity=10 takerLeavesQty=0");
        assertEvents(resting.limit(SELF, ACME, Side.BUY, TimeInForce.FOK, px(100), 1, "s3"),
            "OrderRejected reason=FOK_NOT_FILLABLE");
    }
}
