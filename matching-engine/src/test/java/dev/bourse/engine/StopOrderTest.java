package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingPhase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Stop and stop-limit orders (docs/ENGINE-RULES.md, "Stop orders"): held off the book with their
 * funds held, elected when a trade prints at or through the stop, in a fixed order, a bounded
 * number per command, the rest at the end of the next commands. Prices in currency units.
 */
class StopOrderTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 20;
    private static final long CAROL = 30;

    private EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        setUp(h);
    }

    private static void setUp(final EngineHarness h)
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
        h.fundedAccount(BOB, ACME);
        h.fundedAccount(CAROL, ACME);
    }

    /** A trade of one unit at {@code price} between Bob and Carol: the last trade price. */
    private List<String> printAt(final long price)
    {
        h.sell(BOB, ACME, px(price), 1, "p" + h.state.lastOrderId());
        return h.buy(CAROL, ACME, px(price), 1, "q" + h.state.lastOrderId());
    }

    @Test
    void aStopIsHeldOffTheBookWithItsFundsHeldUntilTheLastPriceReachesIt()
    {
        printAt(100);
        assertEvents(h.stop(ALICE, ACME, Side.BUY, px(102), 10, "a1"),
            "OrderAccepted orderId=3 ordType=STOP price=0 holdPrice=1500000 stopPrice=1020000");
        assertEquals(px(150) * 10, h.state.account(ALICE).cashHeld(), "held like the market order it becomes: at the band's high");
        assertNull(h.state.instrument(ACME).bids().best(), "not on the book");
        assertEquals(1, h.state.instrument(ACME).heldStops());

        h.sell(BOB, ACME, px(103), 20, "b1");
        printAt(101); // not yet
        assertEquals(1, h.state.instrument(ACME).heldStops());
        final List<String> events = printAt(102);
        assertEvents(events.subList(2, events.size()),
            "OrderElected orderId=3 ordType=MARKET price=0 stopPrice=1020000 triggerPrice=1020000 leavesQty=10",
            "Trade price=1030000 quantity=10 takerOrderId=3");
        assertEquals(0, h.state.account(ALICE).cashHeld());
    }

    @Test
    void aSweepThatPrintsAtTheStopPriceTriggersItThoughTheLastPriceEndsPastIt()
    {
        // an outside probe's protective sell stop at 425 stayed held after a buy swept 425, 426, 427
        printAt(101);
        h.stop(ALICE, ACME, Side.SELL, px(100), 10, "a1");                     // order 3
        h.buy(CAROL, ACME, px(95), 5, "c1");
        h.sell(BOB, ACME, px(100), 1, "b1");
        h.sell(BOB, ACME, px(101), 1, "b2");
        h.sell(BOB, ACME, px(102), 1, "b3");
        final List<String> events = h.buy(CAROL, ACME, px(102), 3, "c2");
        assertEvents(events,
            "OrderAccepted side=BUY", "Trade price=1000000", "Trade price=1010000", "Trade price=1020000",
            "OrderElected orderId=3 side=SELL ordType=MARKET triggerPrice=1000000 leavesQty=10",
            "Trade price=950000 quantity=5 takerOrderId=3", "OrderCanceled orderId=3");
        assertEquals(0, h.state.instrument(ACME).heldStops());
    }

    @Test
    void aBuyStopPassedByASellersSweepIsElectedAtTheSweepsHighestPrint()
    {
        printAt(139);
        h.stop(CAROL, ACME, Side.BUY, px(141), 10, "c1");                      // order 3
        h.buy(BOB, ACME, px(141), 1, "b1");
        h.buy(BOB, ACME, px(140), 1, "b2");
        h.sell(BOB, ACME, px(150), 10, "b3");
        final List<String> events = h.sell(ALICE, ACME, px(139), 2, "a1");
        assertEvents(events,
            "OrderAccepted side=SELL", "Trade price=1410000", "Trade price=1400000",
            "OrderElected orderId=3 side=BUY triggerPrice=1410000",
            "Trade price=1500000 quantity=10 takerOrderId=3");
    }

    @Test
    void aRoundCoversEveryPriceTheRoundBeforePrintedNotOnlyTheLast()
    {
        printAt(100);
        h.stop(ALICE, ACME, Side.BUY, px(101), 1, "a1");                       // order 3
        h.stop(CAROL, ACME, Side.SELL, px(99), 1, "c1");                       // order 4
        h.stop(ALICE, ACME, Side.BUY, px(103), 1, "a2");                       // order 5
        h.buy(BOB, ACME, px(101), 1, "b1");
        h.buy(BOB, ACME, px(99), 1, "b2");
        h.buy(BOB, ACME, px(98), 1, "b3");
        h.sell(BOB, ACME, px(104), 2, "b4");
        // the sell prints 101 and 99: the first round elects the buy stop at 101 (it prints 104) and
        // the sell stop at 99 (it prints 98); the next round covers 98 to 104, so the buy stop at 103
        // is elected though the last price, 98, is below it
        final List<String> events = h.sell(CAROL, ACME, px(99), 2, "c2");
        assertEvents(events,
            "OrderAccepted side=SELL", "Trade price=1010000", "Trade price=990000",
            "OrderElected orderId=3 triggerPrice=1010000", "Trade price=1040000 takerOrderId=3",
            "OrderElected orderId=4 triggerPrice=990000", "Trade price=980000 takerOrderId=4",
            "OrderElected orderId=5 triggerPrice=1040000", "Trade price=1040000 takerOrderId=5");
        assertEquals(0, h.state.instrument(ACME).heldStops());
    }

    @Test
    void aHeldIocStopLastsTheDayAndTheDaysEndExpiresItWithItsFundsWhereAGtcStopStays()
    {
        printAt(100);
        h.order(ALICE, ACME, Side.BUY, OrdType.STOP_LIMIT, TimeInForce.IOC, px(106), 3, "a1", px(105), 0, 0); // order 3
        h.order(ALICE, ACME, Side.SELL, OrdType.STOP, TimeInForce.GTC, 0, 4, "a2", px(95), 0, 0);                // order 4
        assertEquals(px(106) * 3, h.state.account(ALICE).cashHeld());

        assertEvents(h.endOfDay(0),
            "OrderCanceled orderId=3 reason=EXPIRED",
            "DayEnded instrumentId=0 expiredCount=1");
        assertEquals(1, h.state.instrument(ACME).heldStops(), "the GTC stop stays");
        assertEquals(0, h.state.account(ALICE).cashHeld(), "the IOC stop's funds are released");
    }

    @Test
    void aStopLimitBecomesALimitOrderThatRestsWithWhatItCannotTrade()
    {
        printAt(100);
        assertEvents(h.stopLimit(ALICE, ACME, Side.SELL, px(98), px(97), 10, "a1"),
            "OrderAccepted side=SELL ordType=STOP_LIMIT price=970000 stopPrice=980000");
        h.buy(BOB, ACME, px(97), 4, "b1");
        final List<String> events = printAt(98);
        assertEvents(events.subList(2, events.size()),
            "OrderElected ordType=LIMIT price=970000 triggerPrice=980000",
            "Trade price=970000 quantity=4",
            "OrderRested price=970000 leavesQty=6");
    }

    @Test
    void aStopThatTheLastPriceHasAlreadyReachedIsRefused()
    {
        printAt(100);
        assertEvents(h.stop(ALICE, ACME, Side.BUY, px(100), 10, "a1"), "OrderRejected reason=STOP_ALREADY_TRIGGERED");
        assertEvents(h.stop(ALICE, ACME, Side.SELL, px(101), 10, "a2"), "OrderRejected reason=STOP_ALREADY_TRIGGERED");
        assertEvents(h.stop(ALICE, ACME, Side.BUY, px(151), 10, "a3"), "OrderRejected reason=INVALID_STOP_PRICE");
        assertEvents(h.stop(ALICE, ACME, Side.BUY, 0, 10, "a4"), "OrderRejected reason=INVALID_STOP_PRICE");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, px(99), 10, "a5", px(101), 0, 0),
            "OrderRejected reason=INVALID_STOP_PRICE");
        assertEvents(h.order(ALICE, ACME, Side.BUY, OrdType.STOP, TimeInForce.FOK, 0, 10, "a6", px(101), 0, 0),
            "OrderRejected reason=INVALID_TIME_IN_FORCE");
    }

    @Test
    void stopsAreElectedLowestBuyStopFirstThenOldestAndEachMatchesBeforeTheNext()
    {
        printAt(100);
        h.stop(ALICE, ACME, Side.BUY, px(103), 1, "a1"); // order 3
        h.stop(ALICE, ACME, Side.BUY, px(102), 1, "a2"); // order 4
        h.stop(ALICE, ACME, Side.BUY, px(102), 1, "a3"); // order 5
        h.sell(BOB, ACME, px(104), 10, "b1");
        final List<String> events = printAt(103);
        assertEvents(events.subList(2, events.size()),
            "OrderElected orderId=4 stopPrice=1020000", "Trade takerOrderId=4 price=1040000",
            "OrderElected orderId=5 stopPrice=1020000", "Trade takerOrderId=5",
            "OrderElected orderId=3 stopPrice=1030000", "Trade takerOrderId=3");
    }

    @Test
    void aCascadeFromStopToStopIsFollowedInTheSameCommand()
    {
        printAt(100);
        h.stop(ALICE, ACME, Side.SELL, px(99), 5, "a1"); // order 3: elected at 99, sells down to 97
        h.stop(ALICE, ACME, Side.SELL, px(97), 5, "a2"); // order 4: reached by order 3's trade
        h.buy(BOB, ACME, px(97), 5, "b1");
        h.buy(BOB, ACME, px(96), 5, "b2");
        final List<String> events = printAt(99);
        assertEvents(events.subList(2, events.size()),
            "OrderElected orderId=3", "Trade price=970000 quantity=5",
            "OrderElected orderId=4 triggerPrice=970000", "Trade price=960000 quantity=5");
    }

    @Test
    void whenBothSidesAreTriggeredTheStopAcceptedFirstGoesFirst()
    {
        // before any trade no stop can be already reached: a sell stop and a buy stop, both at 100
        h.stop(ALICE, ACME, Side.SELL, px(100), 1, "a1"); // order 1
        h.stop(ALICE, ACME, Side.BUY, px(100), 1, "a2");  // order 2
        h.buy(BOB, ACME, px(100), 5, "b1");               // order 3
        h.sell(BOB, ACME, px(110), 5, "b2");              // order 4
        final List<String> events = h.sell(CAROL, ACME, px(100), 1, "c1"); // prints 100: both stops reached
        assertEvents(events,
            "OrderAccepted orderId=5", "Trade price=1000000 makerOrderId=3",
            "OrderElected orderId=1 side=SELL", "Trade price=1000000 makerOrderId=3 takerOrderId=1",
            "OrderElected orderId=2 side=BUY", "Trade price=1100000 makerOrderId=4 takerOrderId=2");
    }

    /**
     * A stop the price reached is elected though an election before it moved the price back past
     * it: an outside probe's sell stop, reached by the same print as an older buy stop, stayed
     * held once the buy stop's trade lifted the price (elections judged each against the latest
     * price). Elections go in rounds at the price each round began with.
     */
    @Test
    void aStopThePriceReachedIsElectedThoughAnEarlierElectionMovedThePriceAway()
    {
        h.stop(ALICE, ACME, Side.BUY, px(101), 1, "a1");  // order 1
        h.stop(ALICE, ACME, Side.SELL, px(102), 1, "a2"); // order 2
        h.buy(BOB, ACME, px(101), 5, "b1");               // order 3
        h.sell(BOB, ACME, px(104), 5, "b2");              // order 4
        final List<String> events = h.sell(CAROL, ACME, px(101), 1, "c1"); // prints 101: both stops reached
        assertEvents(events,
            "OrderAccepted orderId=5", "Trade price=1010000 makerOrderId=3",
            "OrderElected orderId=1 side=BUY triggerPrice=1010000", "Trade price=1040000 makerOrderId=4 takerOrderId=1",
            "OrderElected orderId=2 side=SELL triggerPrice=1010000", "Trade price=1010000 makerOrderId=3 takerOrderId=2");
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }

    @Test
    void theCascadeIsBoundedPerCommandAndTheRestAreElectedByTheNextCommands()
    {
        h = new EngineHarness(new EngineConfig().maxInstruments(8).maxStopElectionsPerCommand(2));
        setUp(h);
        printAt(100);
        for (int i = 0; i < 5; i++)
        {
            h.stop(ALICE, ACME, Side.BUY, px(101), 1, "a" + i); // orders 3..7
        }
        h.sell(BOB, ACME, px(102), 10, "b1");
        final List<String> first = printAt(101);
        assertEquals(2, first.stream().filter(e -> e.startsWith("OrderElected")).count());
        // any next command (here an unrelated deposit) carries the next two elections
        final List<String> second = h.depositCash(BOB, 1);
        assertEvents(second, "BalanceChanged", "OrderElected orderId=5", "Trade takerOrderId=5", "OrderElected orderId=6",
            "Trade takerOrderId=6");
        assertEvents(h.depositCash(BOB, 1), "BalanceChanged", "OrderElected orderId=7", "Trade takerOrderId=7");
        assertEquals(0, h.state.instrument(ACME).heldStops());
    }

    @Test
    void aReplaceMovesAHeldStopAndKeepsItHeld()
    {
        printAt(100);
        h.stopLimit(ALICE, ACME, Side.BUY, px(105), px(106), 10, "a1"); // order 3
        assertEvents(h.replaceStop(ALICE, 3, px(107), 8, 0, "a2"),
            "OrderReplaced keptPriority=TRUE oldPrice=1060000 price=1070000 quantity=8 holdPrice=1070000 stopPrice=1050000");
        assertEvents(h.replaceStop(ALICE, 3, px(107), 8, px(104), "a3"),
            "OrderReplaced keptPriority=FALSE stopPrice=1040000");
        assertEquals(px(107) * 8, h.state.account(ALICE).cashHeld());
        assertEvents(h.replaceStop(ALICE, 3, px(107), 8, px(100), "a4"), "CancelRejected reason=STOP_ALREADY_TRIGGERED");
        assertNull(h.state.instrument(ACME).bids().best());
        // a stop price on an order that is not a held stop is refused
        h.buy(ALICE, ACME, px(90), 1, "a5");
        assertEvents(h.replaceStop(ALICE, 4, px(90), 1, px(104), "a6"), "CancelRejected reason=INVALID_STOP_PRICE");
        assertEvents(h.cancel(ALICE, 3, "a7", ""), "OrderCanceled orderId=3 reason=USER");
        assertEquals(px(90), h.state.account(ALICE).cashHeld());
    }

    @Test
    void anElectedStopAppliesItsOwnSelfTradePrevention()
    {
        h.createAccount(40, StpMode.CANCEL_AGGRESSOR);
        h.depositCash(40, px(1_000_000));
        h.depositPosition(40, ACME, 100);
        printAt(100);
        h.sell(40, ACME, px(102), 5, "d0");
        h.stop(40, ACME, Side.BUY, px(101), 5, "d1");
        final List<String> events = printAt(101);
        assertEvents(events.subList(2, events.size()),
            "OrderElected accountId=40 ordType=MARKET",
            "OrderCanceled accountId=40 reason=SELF_TRADE_PREVENTION canceledQty=5");
        assertEquals(1, h.state.instrument(ACME).asks().best().orderCount(), "its own resting sell stays");
    }

    @Test
    void stopsWaitThroughACallAndAreElectedAfterTheAuctionIfTradingContinues()
    {
        printAt(100);
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        assertEvents(h.stop(ALICE, ACME, Side.BUY, px(103), 2, "a1"), "OrderAccepted ordType=STOP"); // order 3
        h.buy(BOB, ACME, px(104), 5, "b1");
        h.sell(CAROL, ACME, px(104), 5, "c1");
        // a closing auction ends in the post-close: no election there
        assertEvents(h.setTradingPhase(ACME, TradingPhase.POST_CLOSE), "AuctionUncrossed price=1040000", "Trade", "TradingPhaseChanged");
        assertEquals(1, h.state.instrument(ACME).heldStops());
        // next morning the opening auction (nothing crosses) opens continuous trading: the stop is elected then
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        h.sell(BOB, ACME, px(105), 5, "b2");
        final List<String> events = h.setTradingPhase(ACME, TradingPhase.CONTINUOUS);
        assertEvents(events, "AuctionUncrossed matchedQty=0", "TradingPhaseChanged phase=CONTINUOUS",
            "OrderElected orderId=3 triggerPrice=1040000", "Trade takerOrderId=3 price=1050000 auction=FALSE");
    }

    @Test
    void electionsReplayToTheSameState()
    {
        aCascadeFromStopToStopIsFollowedInTheSameCommand();
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }
}
