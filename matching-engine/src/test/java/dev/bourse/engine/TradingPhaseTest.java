package dev.bourse.engine;

import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The trading day, phase by phase (docs/ENGINE-RULES.md, "Trading phases"): what each phase
 * accepts, what each transition does (the uncross, expiry of auction-only orders), the checks of
 * SetTradingPhase, and volatility interruptions. Prices in currency units; reference 100, band
 * 50..150.
 */
class TradingPhaseTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 20;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
        h.fundedAccount(BOB, ACME);
    }

    // ------------------------------------------------------------------ the day

    @Test
    void aTradingDayOpeningAuctionContinuousClosingAuctionPostClose()
    {
        h.setTradingPhase(ACME, TradingPhase.CLOSED);
        assertEvents(h.buy(ALICE, ACME, px(100), 10, "a0"), "OrderRejected reason=INSTRUMENT_CLOSED");

        assertEvents(h.setTradingPhase(ACME, TradingPhase.OPENING_CALL),
            "TradingPhaseChanged instrumentId=1 phase=OPENING_CALL previousPhase=CLOSED status=OPEN reason=COMMAND");
        h.buy(ALICE, ACME, px(101), 10, "a1");
        assertEvents(h.sell(BOB, ACME, px(99), 10, "b1"), // crosses, and does not trade
            "OrderAccepted", "OrderRested price=990000", "AuctionIndication price=1010000 matchedQty=10");

        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS, TradingPhase.OPENING_CALL, 1_234_567),
            "AuctionUncrossed callPhase=OPENING_CALL price=1010000 matchedQty=10",
            "Trade price=1010000 quantity=10 auction=TRUE",
            "TradingPhaseChanged phase=CONTINUOUS previousPhase=OPENING_CALL callEndDelay=1234567");
        assertEquals(px(101), h.state.instrument(ACME).lastAuctionPrice());

        h.sell(BOB, ACME, px(102), 5, "b2");
        assertEvents(h.buy(ALICE, ACME, px(102), 5, "a2"), "OrderAccepted", "Trade price=1020000 auction=FALSE");

        assertEvents(h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL), "TradingPhaseChanged phase=CLOSING_CALL");
        h.buy(ALICE, ACME, px(103), 3, "a3");
        h.sell(BOB, ACME, px(103), 3, "b3");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.POST_CLOSE),
            "AuctionUncrossed callPhase=CLOSING_CALL price=1030000 matchedQty=3",
            "Trade auction=TRUE",
            "TradingPhaseChanged phase=POST_CLOSE previousPhase=CLOSING_CALL status=CLOSED");
        assertEvents(h.buy(ALICE, ACME, px(100), 1, "a4"), "OrderRejected reason=INSTRUMENT_CLOSED");
        assertEquals(TradingPhase.POST_CLOSE.value(), h.state.instrument(ACME).phase());
    }

    @Test
    void aHaltReopensThroughAnAuction()
    {
        h.buy(ALICE, ACME, px(100), 10, "a1");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.HALTED), "TradingPhaseChanged phase=HALTED status=HALTED");
        assertEvents(h.sell(BOB, ACME, px(100), 10, "b1"), "OrderRejected reason=INSTRUMENT_HALTED");
        assertEvents(h.cancel(ALICE, 0, "a2", "a1"), "OrderCanceled reason=USER");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.REOPENING_CALL), "TradingPhaseChanged phase=REOPENING_CALL previousPhase=HALTED");
        h.buy(ALICE, ACME, px(100), 10, "a3");
        h.sell(BOB, ACME, px(100), 4, "b2");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS),
            "AuctionUncrossed callPhase=REOPENING_CALL price=1000000 matchedQty=4 imbalanceQty=6 imbalanceSide=1",
            "Trade quantity=4 auction=TRUE",
            "TradingPhaseChanged phase=CONTINUOUS previousPhase=REOPENING_CALL");
    }

    @Test
    void theLegacyStatusCommandStillWorksAndOpensACrossedBookThroughAnAuction()
    {
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        h.buy(ALICE, ACME, px(101), 10, "a1");
        h.sell(BOB, ACME, px(100), 10, "b1");
        assertEvents(h.setTradingStatus(ACME, TradingStatus.OPEN),
            "AuctionUncrossed callPhase=OPENING_CALL price=1000000 matchedQty=10",
            "Trade auction=TRUE",
            "TradingStatusChanged status=OPEN");
        assertEquals(TradingPhase.CONTINUOUS.value(), h.state.instrument(ACME).phase());
        // and a book that does not cross opens without an auction, as before phases existed
        h.setTradingStatus(ACME, TradingStatus.HALTED);
        assertEvents(h.setTradingStatus(ACME, TradingStatus.OPEN), "TradingStatusChanged status=OPEN");
    }

    @Test
    void aCallThatIsHaltedKeepsItsBookUntilItReopensByAuction()
    {
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        h.buy(ALICE, ACME, px(101), 10, "a1");
        h.sell(BOB, ACME, px(100), 10, "b1");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.HALTED), "TradingPhaseChanged phase=HALTED previousPhase=CLOSING_CALL");
        assertEquals(2, h.state.liveOrders(), "no auction when a call is halted");
        h.setTradingPhase(ACME, TradingPhase.REOPENING_CALL);
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS).subList(0, 2),
            "AuctionUncrossed matchedQty=10", "Trade auction=TRUE");
    }

    @Test
    void aNewReferencePriceInACallPublishesTheIndicationItMakes()
    {
        // before the first trade rule 4 leans on the reference price: the indication stayed at 101 after the reference
        // moved to 98, and the uncross then traded at 99 (an outside probe)
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        h.buy(ALICE, ACME, px(101), 10, "a1");
        assertEvents(h.sell(BOB, ACME, px(99), 10, "b1"), "OrderAccepted", "OrderRested", "AuctionIndication price=1010000 matchedQty=10");
        assertEvents(h.setReferencePrice(ACME, px(98)), "ReferencePriceChanged", "AuctionIndication price=990000 matchedQty=10");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, px(102), 0), "InstrumentAmended", "AuctionIndication price=1010000 matchedQty=10");
        assertEvents(h.setReferencePrice(ACME, px(103)), "ReferencePriceChanged"); // the same indication: nothing new
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS).subList(0, 1), "AuctionUncrossed price=1010000 matchedQty=10");
    }

    // ------------------------------------------------------------------ the command's checks

    @Test
    void setTradingPhaseIsCheckedAndAStaleSchedulerCommandIsRefused()
    {
        assertEvents(h.setTradingPhase(7, TradingPhase.OPENING_CALL),
            "CommandRejected commandType=SET_TRADING_PHASE reason=UNKNOWN_INSTRUMENT instrumentId=7 templateId=13");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.VOLATILITY_CALL),
            "CommandRejected reason=INVALID_TRADING_PHASE");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS),
            "CommandRejected reason=INVALID_TRADING_PHASE");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.POST_CLOSE, TradingPhase.CLOSING_CALL, 0),
            "CommandRejected reason=TRADING_PHASE_MISMATCH");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL, TradingPhase.CONTINUOUS, 0),
            "TradingPhaseChanged phase=CLOSING_CALL");
    }

    // ------------------------------------------------------------------ what a call accepts

    @Test
    void inACallMarketIocAndFokOrdersAreRefusedAndLimitOrdersRestWithoutMatching()
    {
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        assertEvents(h.market(ALICE, ACME, Side.BUY, 10, "a1"), "OrderRejected reason=NOT_ALLOWED_IN_PHASE");
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.IOC, px(100), 10, "a2"), "OrderRejected reason=NOT_ALLOWED_IN_PHASE");
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.FOK, px(100), 10, "a3"), "OrderRejected reason=NOT_ALLOWED_IN_PHASE");
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(100), 10, "a4"), "OrderAccepted", "OrderRested");
        assertEvents(h.stop(ALICE, ACME, Side.BUY, px(110), 10, "a5"), "OrderAccepted ordType=STOP stopPrice=1100000");
        // a replace in a call moves the order, it never trades
        h.sell(BOB, ACME, px(101), 10, "b1");
        assertEvents(h.replace(ALICE, 0, px(102), 10, "a6", "a4"),
            "OrderReplaced keptPriority=FALSE price=1020000", "OrderRested price=1020000",
            "AuctionIndication price=1010000 matchedQty=10");
    }

    @Test
    void atTheOpenOrdersTakePartOnlyInTheOpeningAuction()
    {
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.AT_THE_OPEN, px(100), 10, "a1"),
            "OrderRejected reason=NOT_ALLOWED_IN_PHASE");
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        assertEvents(h.newOrder(ALICE, ACME, Side.BUY, OrdType.MARKET, TimeInForce.AT_THE_OPEN, false,
            dev.bourse.protocol.sbe.StpMode.ACCOUNT_DEFAULT, 0, 10, "a2"), "OrderRejected reason=INVALID_ORDER_TYPE");
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.AT_THE_OPEN, px(100), 10, "a3"); // order 1
        h.limit(BOB, ACME, Side.SELL, TimeInForce.AT_THE_OPEN, px(100), 4, "b1");  // order 2
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS),
            "AuctionUncrossed matchedQty=4",
            "Trade quantity=4 auction=TRUE",
            "OrderCanceled orderId=1 reason=EXPIRED canceledQty=6",
            "TradingPhaseChanged phase=CONTINUOUS");
        assertEquals(0, h.state.liveOrders());
    }

    @Test
    void atTheCloseOrdersOnlyInTheClosingCallAndTheyExpireWithIt()
    {
        assertEvents(h.limit(ALICE, ACME, Side.SELL, TimeInForce.AT_THE_CLOSE, px(100), 10, "a1"),
            "OrderRejected reason=NOT_ALLOWED_IN_PHASE");
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        h.limit(ALICE, ACME, Side.SELL, TimeInForce.AT_THE_CLOSE, px(100), 10, "a2");
        assertEvents(h.setTradingPhase(ACME, TradingPhase.POST_CLOSE),
            "AuctionUncrossed matchedQty=0",
            "OrderCanceled orderId=1 reason=EXPIRED",
            "TradingPhaseChanged phase=POST_CLOSE");
    }

    /**
     * A halt in the closing call keeps the call's book, at-the-close orders included: lifted back
     * into the call, the closing auction trades them (a probe saw them expire at the halt, and the
     * closing auction trade nothing). Lifted into anything else, they expire then.
     */
    @Test
    void aHaltInACallKeepsItsAuctionOnlyOrdersForTheAuction()
    {
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        h.limit(ALICE, ACME, Side.SELL, TimeInForce.AT_THE_CLOSE, px(100), 10, "a1"); // order 1
        h.limit(BOB, ACME, Side.BUY, TimeInForce.AT_THE_CLOSE, px(100), 6, "b1");   // order 2
        assertEvents(h.setTradingPhase(ACME, TradingPhase.HALTED), "TradingPhaseChanged phase=HALTED previousPhase=CLOSING_CALL");
        assertEquals(2, h.state.liveOrders(), "kept through the halt");
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        assertEvents(h.setTradingPhase(ACME, TradingPhase.POST_CLOSE),
            "AuctionUncrossed matchedQty=6",
            "Trade quantity=6 auction=TRUE",
            "OrderCanceled orderId=1 reason=EXPIRED canceledQty=4",
            "TradingPhaseChanged phase=POST_CLOSE");

        // halted in the opening call and lifted into continuous trading: the reopening auction is the opening one, then they expire
        h.setTradingPhase(ACME, TradingPhase.OPENING_CALL);
        h.limit(ALICE, ACME, Side.SELL, TimeInForce.AT_THE_OPEN, px(100), 10, "a2"); // order 3
        h.setTradingPhase(ACME, TradingPhase.HALTED);
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS),
            "OrderCanceled orderId=3 reason=EXPIRED canceledQty=10",
            "TradingPhaseChanged phase=CONTINUOUS previousPhase=HALTED");
        assertEquals(0, h.state.liveOrders());
    }

    /**
     * A halted closing call lifted into continuous trading has no closing auction: its at-the-close
     * orders expire before the auction that reopens the book, which trades only the others (an
     * outside tester's at-the-close order was filled in that auction, reported as an intraday one).
     */
    @Test
    void atTheCloseOrdersDoNotTradeInTheAuctionOfAHaltLiftedIntoContinuousTrading()
    {
        h.setTradingPhase(ACME, TradingPhase.CLOSING_CALL);
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.AT_THE_CLOSE, px(101), 5, "atc");  // order 1
        h.limit(ALICE, ACME, Side.BUY, TimeInForce.DAY, px(100), 2, "day");          // order 2
        h.limit(BOB, ACME, Side.SELL, TimeInForce.DAY, px(100), 3, "sell");          // order 3
        h.setTradingPhase(ACME, TradingPhase.HALTED);
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS),
            "OrderCanceled orderId=1 reason=EXPIRED canceledQty=5",
            "AuctionUncrossed callPhase=HALTED matchedQty=2",
            "Trade quantity=2 auction=TRUE",
            "TradingPhaseChanged phase=CONTINUOUS previousPhase=HALTED");
    }

    // ------------------------------------------------------------------ volatility interruptions

    @Test
    void aTradeOutsideTheDynamicBandDoesNotPrintAndOpensAVolatilityCall()
    {
        h.setVolatilityGuards(ACME, 200, 0, 5_000_000_000L); // 2% around the last trade price
        h.sell(BOB, ACME, px(100), 1, "b0");
        h.buy(ALICE, ACME, px(100), 1, "a0"); // last trade 100: trades may print within 98..102
        h.sell(BOB, ACME, px(101), 5, "b1");
        h.sell(BOB, ACME, px(103), 5, "b2");
        assertEvents(h.buy(ALICE, ACME, px(104), 10, "a1"),
            "OrderAccepted",
            "Trade price=1010000 quantity=5",
            "TradingPhaseChanged phase=VOLATILITY_CALL previousPhase=CONTINUOUS reason=VOLATILITY_INTERRUPTION interruptionNanos=5000000000",
            "OrderRested leavesQty=5 price=1040000",
            "AuctionIndication price=1030000 matchedQty=5");
        // the scheduler ends the call: the auction prints at 103
        assertEvents(h.setTradingPhase(ACME, TradingPhase.CONTINUOUS, TradingPhase.VOLATILITY_CALL, 0).subList(0, 2),
            "AuctionUncrossed callPhase=VOLATILITY_CALL price=1030000 matchedQty=5", "Trade auction=TRUE");
    }

    @Test
    void theDynamicBandIsCentredOnTheLastPriceBeforeTheCommandSoOneOrderCannotWalkTheBook()
    {
        h.setVolatilityGuards(ACME, 200, 0, 1);
        h.sell(BOB, ACME, px(100), 1, "b0");
        h.buy(ALICE, ACME, px(100), 1, "a0");
        h.sell(BOB, ACME, px(101), 1, "b1");
        h.sell(BOB, ACME, px(102), 1, "b2");
        h.sell(BOB, ACME, px(103), 1, "b3");
        // 101 and 102 are within 2% of 100; 103 is not, though it is within 2% of 102
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.IOC, px(103), 3, "a1"),
            "OrderAccepted", "Trade price=1010000", "Trade price=1020000",
            "TradingPhaseChanged phase=VOLATILITY_CALL", "OrderCanceled reason=VOLATILITY_INTERRUPTION canceledQty=1");
    }

    @Test
    void aStopTheCallsAuctionElectsIsJudgedAgainstTheAuctionsPriceNotTheOneBeforeTheCall()
    {
        h.setVolatilityGuards(ACME, 200, 0, 1);
        h.sell(BOB, ACME, px(100), 1, "b0");
        h.buy(ALICE, ACME, px(100), 1, "a0"); // last trade 100: 98..102
        h.stop(ALICE, ACME, Side.BUY, px(103), 2, "stop"); // held
        h.sell(BOB, ACME, px(104), 5, "b1");
        assertEvents(h.buy(ALICE, ACME, px(104), 5, "a1").subList(0, 2), "OrderAccepted", "TradingPhaseChanged phase=VOLATILITY_CALL");
        h.sell(BOB, ACME, px(106), 2, "b2"); // within 2% of 104, the price the call's auction will find
        final java.util.List<String> events = h.setTradingPhase(ACME, TradingPhase.CONTINUOUS, TradingPhase.VOLATILITY_CALL, 0);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("AuctionUncrossed") && e.contains("price=1040000")), events::toString);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("OrderElected")), events::toString);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("Trade") && e.contains("price=1060000") && e.contains("auction=FALSE")),
            () -> "the elected stop bought at 106, within 2% of the auction's 104: " + events);
        assertEquals(TradingPhase.CONTINUOUS.value(), h.state.instrument(ACME).phase(), events::toString);
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }

    @Test
    void aTradeOutsideTheStaticBandAroundTheLastAuctionPriceInterruptsToo()
    {
        h.setVolatilityGuards(ACME, 0, 500, 1); // 5% around the last auction price (before any: the reference, 100)
        h.sell(BOB, ACME, px(106), 5, "b1");
        assertEvents(h.market(ALICE, ACME, Side.BUY, 5, "a1"),
            "OrderAccepted", "TradingPhaseChanged phase=VOLATILITY_CALL", "OrderCanceled reason=VOLATILITY_INTERRUPTION canceledQty=5");
    }

    @Test
    void aFokOrderThatCouldOnlyFillOutsideTheGuardsIsNotFillable()
    {
        h.setVolatilityGuards(ACME, 0, 500, 1);
        h.sell(BOB, ACME, px(104), 5, "b1");
        h.sell(BOB, ACME, px(106), 5, "b2");
        assertEvents(h.limit(ALICE, ACME, Side.BUY, TimeInForce.FOK, px(106), 10, "a1"), "OrderRejected reason=FOK_NOT_FILLABLE");
        assertEquals(TradingPhase.CONTINUOUS.value(), h.state.instrument(ACME).phase());
    }

    @Test
    void volatilityGuardsAreChecked()
    {
        assertEvents(h.setVolatilityGuards(ACME, -1, 0, 0), "CommandRejected reason=INVALID_VOLATILITY_GUARD");
        assertEvents(h.setVolatilityGuards(ACME, 0, 100_001, 0), "CommandRejected reason=INVALID_VOLATILITY_GUARD");
        assertEvents(h.setVolatilityGuards(ACME, 0, 0, -1), "CommandRejected reason=INVALID_VOLATILITY_GUARD");
        assertEvents(h.setVolatilityGuards(9, 0, 0, 0), "CommandRejected reason=UNKNOWN_INSTRUMENT");
        assertEvents(h.setVolatilityGuards(ACME, 300, 1_000, 7), "VolatilityGuardsChanged dynamicBandBps=300 staticBandBps=1000 interruptionNanos=7");
    }

    @Test
    void everythingAboveReplaysToTheSameState()
    {
        aTradingDayOpeningAuctionContinuousClosingAuctionPostClose();
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }
}
