package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/** Order types, time in force, price-time priority, cancels and trading status, stated as the events they produce. */
class MatchingEngineTest
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

    @Test
    void theCommandsInboundMsgSeqNumIsJournaledInTheEntryHeader()
    {
        final org.agrona.concurrent.UnsafeBuffer command = new org.agrona.concurrent.UnsafeBuffer(new byte[128]);
        final int length = new dev.bourse.protocol.CommandWriter().newOrder(command, 0, 5_000, 7, ALICE, ACME, Side.BUY,
            OrdType.LIMIT, TimeInForce.DAY, false, StpMode.ACCOUNT_DEFAULT, px(99), 10, "s1");
        dev.bourse.protocol.CommandWriter.msgSeqNum(command, 0, 4_711);
        h.send(command, length);
        assertTrue(h.lastHeader().endsWith("|sessionId=7|commandType=NEW_ORDER|eventCount=2|msgSeqNum=4711"), h.lastHeader());

        h.buy(ALICE, ACME, px(98), 10, "s2");
        assertTrue(h.lastHeader().endsWith("|msgSeqNum=0"), "commands not from FIX carry 0: " + h.lastHeader());
    }

    @Test
    void limitOrderThatDoesNotCrossRests()
    {
        assertEvents(h.buy(ALICE, ACME, px(99), 100, "a1"),
            "OrderAccepted orderId=1 accountId=10 side=BUY ordType=LIMIT timeInForce=GTC price=990000 quantity=100 holdPrice=990000 clOrdId=a1",
            "OrderRested orderId=1 instrumentId=1 side=BUY price=990000 leavesQty=100 displayQty=100");
        assertEquals(px(99), h.state.instrument(ACME).bids().best().price());
        assertEquals(100, h.state.instrument(ACME).bids().best().totalQty());
    }

    @Test
    void crossingOrderTradesAtTheRestingPriceAndRestsItsRemainder()
    {
        h.sell(ALICE, ACME, px(101), 50, "a1");
        assertEvents(h.buy(BOB, ACME, px(102), 80, "b1"),
            "OrderAccepted orderId=2 quantity=80",
            "Trade tradeId=1 takerSide=BUY price=1010000 quantity=50 makerOrderId=1 makerLeavesQty=0 makerCumQty=50 " +
                "takerOrderId=2 takerLeavesQty=30 takerCumQty=50 takerCumNotional=50500000 makerClOrdId=a1 takerClOrdId=b1",
            "OrderRested orderId=2 side=BUY price=1020000 leavesQty=30 displayQty=30");
        final PriceLevel bestBid = h.state.instrument(ACME).bids().best();
        assertEquals(px(102), bestBid.price());
        assertEquals(30, bestBid.totalQty());
        assertNull(h.state.instrument(ACME).asks().best());
    }

    @Test
    void sweepsLevelsInPriceThenTimePriority()
    {
        h.sell(ALICE, ACME, px(101), 10, "a1");
        h.sell(BOB, ACME, px(100), 10, "b1");
        h.sell(CAROL, ACME, px(100), 10, "c1");
        assertEvents(h.buy(ALICE, ACME, px(101), 25, "a2"),
            "OrderAccepted orderId=4",
            "Trade price=1000000 quantity=10 makerOrderId=2",
            "Trade price=1000000 quantity=10 makerOrderId=3",
            "Trade price=1010000 quantity=5 makerOrderId=1 makerLeavesQty=5 takerLeavesQty=0 takerCumQty=25 takerCumNotional=25050000");
    }

    @Test
    void doesNotTradeThroughTheLimit()
    {
        h.sell(ALICE, ACME, px(101), 10, "a1");
        h.sell(ALICE, ACME, px(103), 10, "a2");
        assertEvents(h.buy(BOB, ACME, px(102), 30, "b1"),
            "OrderAccepted",
            "Trade price=1010000 quantity=10 takerLeavesQty=20",
            "OrderRested price=1020000 leavesQty=20");
        assertEquals(px(102), h.state.instrument(ACME).bids().best().price());
        assertEquals(px(103), h.state.instrument(ACME).asks().best().price());
    }

    @Test
    void iocRemainderIsCancelled()
    {
        h.sell(ALICE, ACME, px(100), 10, "a1");
        assertEvents(h.limit(BOB, ACME, Side.BUY, TimeInForce.IOC, px(100), 25, "b1"),
            "OrderAccepted timeInForce=IOC",
            "Trade quantity=10",
            "OrderCanceled orderId=2 reason=IOC_REMAINDER canceledQty=15 cumQty=10");
        assertNull(h.state.instrument(ACME).bids().best());
        assertEquals(0, h.state.liveOrders());
    }

    @Test
    void iocThatFindsNothingIsCancelledWhole()
    {
        assertEvents(h.limit(BOB, ACME, Side.BUY, TimeInForce.IOC, px(100), 25, "b1"),
            "OrderAccepted",
            "OrderCanceled reason=IOC_REMAINDER canceledQty=25 cumQty=0");
    }

    @Test
    void fokFillsCompletelyOrIsRejected()
    {
        h.sell(ALICE, ACME, px(100), 10, "a1");
        h.sell(BOB, ACME, px(101), 10, "b1");
        assertEvents(h.limit(CAROL, ACME, Side.BUY, TimeInForce.FOK, px(101), 21, "c1"),
            "OrderRejected reason=FOK_NOT_FILLABLE quantity=21");
        assertEquals(2, h.state.liveOrders());
        assertEvents(h.limit(CAROL, ACME, Side.BUY, TimeInForce.FOK, px(101), 20, "c2"),
            "OrderAccepted timeInForce=FOK",
            "Trade makerOrderId=1 quantity=10",
            "Trade makerOrderId=2 quantity=10 takerLeavesQty=0");
    }

    @Test
    void marketOrderSweepsWithinTheBandAndCancelsTheRest()
    {
        h.sell(ALICE, ACME, px(100), 10, "a1");
        h.sell(ALICE, ACME, px(120), 10, "a2");
        assertEvents(h.market(BOB, ACME, Side.BUY, 30, "b1"),
            "OrderAccepted ordType=MARKET price=0 holdPrice=1500000",
            "Trade price=1000000 quantity=10",
            "Trade price=1200000 quantity=10",
            "OrderCanceled reason=IOC_REMAINDER canceledQty=10");
        assertEquals(0, h.state.account(BOB).cashHeld());
    }

    @Test
    void marketOrderNeverTradesOutsideTheBand()
    {
        h.sell(ALICE, ACME, px(140), 10, "a1");
        h.setReferencePrice(ACME, px(80)); // band is now 40..120: the resting ask at 140 is outside it
        assertEvents(h.market(BOB, ACME, Side.BUY, 5, "b1"),
            "OrderAccepted holdPrice=1200000",
            "OrderCanceled reason=IOC_REMAINDER canceledQty=5");
    }

    @Test
    void postOnlyRestsOrIsRejectedIfItWouldTakeLiquidity()
    {
        h.sell(ALICE, ACME, px(101), 10, "a1");
        assertEvents(h.newOrder(BOB, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, true, StpMode.ACCOUNT_DEFAULT, px(101), 5, "b1"),
            "OrderRejected reason=WOULD_CROSS_POST_ONLY");
        assertEvents(h.newOrder(BOB, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, true, StpMode.ACCOUNT_DEFAULT, px(100), 5, "b2"),
            "OrderAccepted flags={postOnly}", "OrderRested");
        assertEvents(h.newOrder(BOB, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.IOC, true, StpMode.ACCOUNT_DEFAULT, px(100), 5, "b3"),
            "OrderRejected reason=POST_ONLY_NOT_ALLOWED");
        assertEvents(h.newOrder(BOB, ACME, Side.BUY, OrdType.MARKET, TimeInForce.DAY, true, StpMode.ACCOUNT_DEFAULT, 0, 5, "b4"),
            "OrderRejected reason=POST_ONLY_NOT_ALLOWED");
    }

    @Test
    void cancelByOrderIdOrByOrigClOrdId()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        h.buy(ALICE, ACME, px(98), 10, "a2");
        assertEvents(h.cancel(ALICE, 1, "a3", ""),
            "OrderCanceled orderId=1 reason=USER canceledQty=10 clOrdId=a1 requestClOrdId=a3");
        assertEvents(h.cancel(ALICE, 0, "a4", "a2"),
            "OrderCanceled orderId=2 reason=USER clOrdId=a2 requestClOrdId=a4");
        assertEquals(0, h.state.liveOrders());
        assertEquals(0, h.state.account(ALICE).cashHeld());
    }

    @Test
    void cancelOfUnknownOrAnotherAccountsOrderIsRefused()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        assertEvents(h.cancel(BOB, 1, "b1", ""),
            "CancelRejected accountId=20 orderId=1 responseTo=CANCEL_ORDER reason=NOT_YOUR_ORDER");
        assertEvents(h.cancel(BOB, 0, "b2", "a1"),
            "CancelRejected reason=UNKNOWN_ORDER");
        assertEvents(h.cancel(ALICE, 99, "a2", ""),
            "CancelRejected reason=UNKNOWN_ORDER");
        assertEquals(1, h.state.liveOrders());
    }

    @Test
    void aRefusedRequestNamingItsOrderByOrderIdAloneNamesTheClOrdIdTheOrderCarries()
    {
        // FIX's OrderCancelReject wants the order's OrigClOrdID: a probe's reject by OrderID said NONE
        h.buy(ALICE, ACME, px(99), 10, "a1");
        h.replace(ALICE, 1, px(98), 10, "a2", "");
        assertEvents(h.cancel(ALICE, 1, "a2", ""),
            "CancelRejected orderId=1 reason=DUPLICATE_CLORDID clOrdId=a2 origClOrdId=a2");
        assertEvents(h.replace(ALICE, 1, px(98) + 1, 10, "a3", ""),
            "CancelRejected orderId=1 responseTo=REPLACE_ORDER reason=BAD_TICK clOrdId=a3 origClOrdId=a2");
        final List<String> other = h.cancel(BOB, 1, "b1", "");
        assertEvents(other, "CancelRejected accountId=20 reason=NOT_YOUR_ORDER clOrdId=b1");
        assertFalse(other.get(0).contains("a2"), "another account's order is never named: " + other.get(0));
    }

    @Test
    void filledOrderCanNoLongerBeCancelled()
    {
        h.sell(ALICE, ACME, px(100), 10, "a1");
        h.buy(BOB, ACME, px(100), 10, "b1");
        // by OrderID a dead order is unknown: whose it was is no longer known
        assertEvents(h.cancel(ALICE, 1, "a2", ""), "CancelRejected reason=UNKNOWN_ORDER");
        // by the account's own ClOrdID it is too late (FIX CxlRejReason 0), naming the order and how it ended
        assertEvents(h.cancel(ALICE, 0, "a3", "a1"), "CancelRejected orderId=1 reason=TOO_LATE_TO_CANCEL orderStatus=FILLED");
        assertEvents(h.replace(BOB, 0, px(100), 20, "b2", "b1"),
            "CancelRejected orderId=2 responseTo=REPLACE_ORDER reason=TOO_LATE_TO_CANCEL orderStatus=FILLED");
        // a ClOrdID no order carried (a cancel's own) is unknown
        assertEvents(h.cancel(ALICE, 0, "a4", "a3"), "CancelRejected reason=UNKNOWN_ORDER");
    }

    @Test
    void aTooLateCancelSaysHowTheOrderEndedAndTheDayEndForgetsIt()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");                    // order 1: canceled, partly filled
        h.sell(BOB, ACME, px(99), 4, "b1");                      // order 2: filled
        h.cancel(ALICE, 0, "a2", "a1");
        final long now = h.nextTimestamp();
        h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, px(98), 10, "a3", 0, 0, now + 1_000); // order 3
        h.expireOrders(now + 5_000);
        h.buy(ALICE, ACME, px(97), 10, "a4");                    // order 4: live across the day's end
        assertEvents(h.cancel(ALICE, 0, "x1", "a1"), "CancelRejected orderId=1 reason=TOO_LATE_TO_CANCEL orderStatus=CANCELED");
        // the cancel's own ClOrdID is the last in the order's chain (FIX): naming it is too late as well
        assertEvents(h.cancel(ALICE, 0, "x0", "a2"), "CancelRejected orderId=1 reason=TOO_LATE_TO_CANCEL orderStatus=CANCELED");
        assertEvents(h.replace(ALICE, 0, px(99), 5, "x9", "a2"),
            "CancelRejected orderId=1 responseTo=REPLACE_ORDER reason=TOO_LATE_TO_CANCEL orderStatus=CANCELED");
        assertEvents(h.cancel(ALICE, 0, "x2", "a3"), "CancelRejected orderId=3 reason=TOO_LATE_TO_CANCEL orderStatus=EXPIRED");
        // the id of an order replaced since names a live order that carries another: unknown, not too late
        h.replace(ALICE, 0, px(97), 8, "a5", "a4");
        assertEvents(h.cancel(ALICE, 0, "x3", "a4"), "CancelRejected reason=UNKNOWN_ORDER");

        // a snapshot keeps how they ended
        final byte[] snapshot = EngineSnapshot.toBytes(h.state);
        final EngineState copy = EngineSnapshot.read(
            new BufferStateIO.Input(new org.agrona.concurrent.UnsafeBuffer(snapshot), 0, snapshot.length), h.state.config());
        assertArrayEquals(snapshot, EngineSnapshot.toBytes(copy));
        assertEquals(dev.bourse.protocol.sbe.OrdStatus.EXPIRED, copy.howOrderEnded(3));

        // the day's end forgets the ids of orders no longer live; an order live across it still says how it ended
        h.endOfDay(0);
        assertEvents(h.cancel(ALICE, 0, "y1", "a1"), "CancelRejected orderId=0 reason=UNKNOWN_ORDER orderStatus=UNKNOWN");
        h.cancel(ALICE, 0, "y2", "a5");
        assertEvents(h.cancel(ALICE, 0, "y3", "a5"), "CancelRejected orderId=4 reason=TOO_LATE_TO_CANCEL orderStatus=CANCELED");
        assertEvents(h.cancel(ALICE, 0, "y4", "y2"), "CancelRejected orderId=4 reason=TOO_LATE_TO_CANCEL orderStatus=CANCELED");
    }

    @Test
    void duplicateClOrdIdIsRejectedAndChangesNothing()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        final byte[] before = EngineSnapshot.toBytes(h.state);
        assertEvents(h.buy(ALICE, ACME, px(98), 10, "a1"), "OrderRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.cancel(ALICE, 1, "a1", ""), "CancelRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.replace(ALICE, 1, px(98), 10, "a1", "a1"), "CancelRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.massCancel(ALICE, 0, null, "a1"), "MassCancelDone rejectReason=DUPLICATE_CLORDID canceledCount=0");
        // Only the sequence and timestamp moved on.
        final EngineState replayed = h.replay();
        assertEquals(1, replayed.liveOrders());
        assertEquals(before.length, EngineSnapshot.toBytes(h.state).length);
        // Another account may use the same ClOrdID.
        assertEvents(h.buy(BOB, ACME, px(98), 10, "a1"), "OrderAccepted accountId=20 clOrdId=a1", "OrderRested");
    }

    @Test
    void aResentOrderWhoseFirstCopyIsLiveIsAnsweredWithThatOrdersStatus()
    {
        h.sell(BOB, ACME, px(100), 4, "b1");
        h.buy(ALICE, ACME, px(100), 10, "a1");
        final long live = h.state.liveOrders();
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(100), 10, "a1"),
            "OrderStatusReport orderId=2 status=PARTIALLY_FILLED quantity=10 leavesQty=6 cumQty=4 clOrdId=a1");
        assertEquals(live, h.state.liveOrders());
        // not unmarked, nor of another side or instrument: a duplicate as before
        assertEvents(h.buy(ALICE, ACME, px(100), 10, "a1"), "OrderRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.resentLimit(ALICE, ACME, Side.SELL, px(100), 10, "a1"), "OrderRejected reason=DUPLICATE_CLORDID");
        // replaced since: the id no longer names the order, the new one does
        h.replace(ALICE, 2, px(99), 10, "a2", "a1");
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(100), 10, "a1"), "OrderRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(99), 10, "a2"), "OrderStatusReport orderId=2 clOrdId=a2");
        // ended: a duplicate, and another account's order is never reported
        h.cancel(ALICE, 2, "a3", "");
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(99), 10, "a2"), "OrderRejected reason=DUPLICATE_CLORDID");
        h.buy(BOB, ACME, px(90), 10, "c1");
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(90), 10, "c1"), "OrderAccepted accountId=" + ALICE, "OrderRested");
        // a resend whose first copy never arrived is a new order
        assertEvents(h.resentLimit(ALICE, ACME, Side.BUY, px(90), 10, "a9"), "OrderAccepted clOrdId=a9", "OrderRested");
    }

    @Test
    void usedClOrdIdsStayUsedAfterTheOrderIsGoneUntilTheDayEnds()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        h.cancel(ALICE, 1, "a2", "");
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a1"), "OrderRejected reason=DUPLICATE_CLORDID");
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a2"), "OrderRejected reason=DUPLICATE_CLORDID");
        h.endOfDay(0);
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a1"), "OrderAccepted clOrdId=a1", "OrderRested");
    }

    @Test
    void aGuardedDayEndIsRefusedIfTheDayEndedSinceItsTimeAndTheGuardSurvivesReplayAndSnapshots()
    {
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(99), 10, "a1");
        final long scheduledEnd = h.nextTime();
        assertEvents(h.endOfDayUnlessEndedSince(0, scheduledEnd), "OrderCanceled", "DayEnded instrumentId=0 expiredCount=1");
        assertEquals(0, h.state.dayOpenedAt(), "the next command opens the next day");

        // a scheduler restarted after that end, unsure it was sent, sends it again: refused, nothing changes
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(99), 10, "b1"); // tomorrow's order
        assertEvents(h.endOfDayUnlessEndedSince(0, scheduledEnd), "CommandRejected reason=DAY_ALREADY_ENDED");
        assertEvents(h.endOfDayUnlessEndedSince(ACME, scheduledEnd), "CommandRejected reason=DAY_ALREADY_ENDED");
        assertEquals(1, h.state.liveOrders());
        final long opened = h.state.dayOpenedAt();
        assertTrue(opened > scheduledEnd, "the day opened by b1");
        assertEquals(opened, h.replay().dayOpenedAt(), "replay folds when the day opened");
        final byte[] snapshot = EngineSnapshot.toBytes(h.state);
        final EngineState copy = EngineSnapshot.read(
            new BufferStateIO.Input(new org.agrona.concurrent.UnsafeBuffer(snapshot), 0, snapshot.length), h.state.config());
        assertEquals(opened, copy.dayOpenedAt(), "a snapshot keeps it");

        // the next day's scheduled end is after the day opened: it goes through; an operator's end is never guarded
        assertEvents(h.endOfDayUnlessEndedSince(0, h.nextTime()), "OrderCanceled", "DayEnded instrumentId=0 expiredCount=1");
        assertEvents(h.endOfDay(0), "DayEnded instrumentId=0 expiredCount=0");
    }

    /**
     * An operator's guarded day end (Long.MAX_VALUE) is refused for as long as nothing has changed
     * since the last day end, however often it is retried: its own audit record, its refused
     * EndOfDay, a rejected order and an expiry round that expired nothing open no day (a refused
     * run's audit record opened one, so every other run ended an empty day: an outside probe).
     */
    @Test
    void entriesThatChangeNothingOpenNoDayAndAnOperatorsGuardedDayEndHolds()
    {
        h.setVolatilityGuards(ACME, 100, 1_000, 1_000_000_000L);
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(99), 10, "a1");
        assertEvents(h.endOfDayUnlessEndedSince(0, Long.MAX_VALUE), "OrderCanceled", "DayEnded instrumentId=0 expiredCount=1");
        h.setVolatilityGuards(ACME, 100, 1_000, 1_000_000_000L); // the same again, as a restarted scheduler sends them
        for (int run = 0; run < 3; run++)
        {
            h.operatorAudit(dev.bourse.protocol.sbe.CommandType.END_OF_DAY);
            h.expireOrders(h.nextTime());
            assertEvents(h.endOfDayUnlessEndedSince(0, Long.MAX_VALUE), "CommandRejected reason=DAY_ALREADY_ENDED");
        }
        assertEvents(h.buy(ALICE, 99, px(99), 10, "x1"), "OrderRejected reason=UNKNOWN_INSTRUMENT");
        h.orderStatus(ALICE, 12345, "nope");
        assertEquals(0, h.state.dayOpenedAt(), "nothing has changed since the day end");
        assertEquals(0, h.replay().dayOpenedAt(), "nor after a replay");
        assertEvents(h.endOfDayUnlessEndedSince(0, Long.MAX_VALUE), "CommandRejected reason=DAY_ALREADY_ENDED");

        h.setVolatilityGuards(ACME, 100, 2_000, 1_000_000_000L); // a change: the next day opens
        assertEquals(h.state.lastTimestamp(), h.state.dayOpenedAt());
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.GTC, px(98), 10, "b1");
        assertTrue(h.state.dayOpenedAt() > 0);
        assertEvents(h.endOfDayUnlessEndedSince(0, Long.MAX_VALUE), "DayEnded instrumentId=0 expiredCount=0");
        assertEvents(h.endOfDayUnlessEndedSince(0, Long.MAX_VALUE), "CommandRejected reason=DAY_ALREADY_ENDED");
        assertEvents(h.endOfDay(0), "DayEnded instrumentId=0 expiredCount=0"); // forced: never guarded
    }

    @Test
    void blankClOrdIdIsRejected()
    {
        assertEvents(h.buy(ALICE, ACME, px(99), 10, ""), "OrderRejected reason=INVALID_CLORDID");
    }

    @Test
    void massCancelByAccountInstrumentAndSide()
    {
        h.addInstrument(2, "BETA");
        h.depositPosition(ALICE, 2, 1_000);
        h.buy(ALICE, ACME, px(99), 10, "a1");
        h.sell(ALICE, ACME, px(105), 10, "a2");
        h.buy(ALICE, 2, px(99), 10, "a3");
        h.buy(BOB, ACME, px(98), 10, "b1");
        assertEvents(h.massCancel(ALICE, ACME, Side.BUY, "m1"),
            "OrderCanceled orderId=1 reason=MASS_CANCEL",
            "MassCancelDone accountId=10 instrumentId=1 side=1 rejectReason=NONE canceledCount=1 clOrdId=m1");
        assertEvents(h.massCancel(ALICE, 0, null, "m2"),
            "OrderCanceled orderId=2 reason=MASS_CANCEL",
            "OrderCanceled orderId=3 reason=MASS_CANCEL",
            "MassCancelDone canceledCount=2");
        assertEquals(1, h.state.liveOrders());
        assertEvents(h.massCancel(ALICE, 77, null, "m3"), "MassCancelDone rejectReason=UNKNOWN_INSTRUMENT canceledCount=0");
    }

    @Test
    void haltedInstrumentRefusesNewOrdersAndReplacesButAllowsCancels()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        assertEvents(h.setTradingStatus(ACME, TradingStatus.HALTED), "TradingStatusChanged instrumentId=1 status=HALTED");
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b1"), "OrderRejected reason=INSTRUMENT_HALTED");
        assertEvents(h.replace(ALICE, 1, px(98), 10, "a2", "a1"), "CancelRejected reason=INSTRUMENT_HALTED");
        assertEvents(h.cancel(ALICE, 1, "a3", ""), "OrderCanceled orderId=1 reason=USER");
        h.setTradingStatus(ACME, TradingStatus.OPEN);
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b2"), "OrderAccepted", "OrderRested");
        h.setTradingStatus(ACME, TradingStatus.CLOSED);
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b3"), "OrderRejected reason=INSTRUMENT_CLOSED");
    }

    @Test
    void endOfDayExpiresDayOrdersOnly()
    {
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(97), 10, "a1");
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.GTC, px(98), 10, "a2");
        h.limit(BOB, ACME, Side.SELL, TimeInForce.DAY, px(105), 10, "b1");
        assertEvents(h.endOfDay(ACME),
            "OrderCanceled orderId=1 reason=EXPIRED",
            "OrderCanceled orderId=3 reason=EXPIRED",
            "DayEnded instrumentId=1 expiredCount=2");
        assertEquals(1, h.state.liveOrders());
        assertEquals(px(98), h.state.instrument(ACME).bids().best().price());
    }

    @Test
    void orderStatusReportsLiveOrdersOfTheAccountOnly()
    {
        h.sell(BOB, ACME, px(100), 4, "b1");
        h.buy(ALICE, ACME, px(100), 10, "a1");
        assertEvents(h.orderStatus(ALICE, 2, ""),
            "OrderStatusReport orderId=2 status=PARTIALLY_FILLED quantity=10 leavesQty=6 cumQty=4 clOrdId=a1");
        assertEvents(h.orderStatus(ALICE, 0, "a1"), "OrderStatusReport orderId=2 status=PARTIALLY_FILLED");
        assertEvents(h.orderStatus(BOB, 2, ""), "OrderStatusReport orderId=2 status=UNKNOWN instrumentId=0 quantity=0");
    }

    /**
     * A request that names another instrument or side than the order its ids find asks about an
     * order that does not exist: unknown, echoing what it named (a probe asking about ZZZZ was told
     * about an ACME buy), as a cancel or replace naming them is refused.
     */
    @Test
    void orderStatusNamingAnotherInstrumentOrSideIsAnUnknownOrder()
    {
        h.buy(ALICE, ACME, px(100), 10, "a1"); // order 1
        assertEvents(h.orderStatus(ALICE, 0, "a1", ACME, Side.BUY), "OrderStatusReport orderId=1 status=NEW");
        assertEvents(h.orderStatus(ALICE, 0, "a1", Integer.MAX_VALUE, Side.BUY),
            "OrderStatusReport status=UNKNOWN instrumentId=" + Integer.MAX_VALUE + " side=1 quantity=0");
        assertEvents(h.orderStatus(ALICE, 1, "", ACME, Side.SELL), "OrderStatusReport status=UNKNOWN instrumentId=1 side=2");
    }

    @Test
    void sequencesTimestampsAndIdsAdvanceDeterministically()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        assertTrue(h.lastHeader().startsWith("Entry: sequence=" + h.state.lastSequence() + "|"));
        final long sequence = h.state.lastSequence();
        h.buy(ALICE, ACME, px(99), 10, "a1"); // rejected commands take a sequence too
        assertEquals(sequence + 1, h.state.lastSequence());
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a2"), "OrderAccepted orderId=2", "OrderRested orderId=2");
    }

    @Test
    void liveStateEqualsReplayOfItsEvents()
    {
        h.sell(ALICE, ACME, px(101), 50, "a1");
        h.buy(BOB, ACME, px(102), 80, "b1");
        h.replace(BOB, 2, px(100), 60, "b2", "b1");
        h.limit(CAROL, ACME, Side.SELL, TimeInForce.IOC, px(99), 5, "c1");
        h.massCancel(ALICE, 0, null, "a2");
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }
}
