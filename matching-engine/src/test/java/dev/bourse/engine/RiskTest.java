package dev.bourse.engine;

import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/** Spot risk: orders hold what they could cost, holds release on cancel and settle on fills. */
class RiskTest
{
    private static final int ACME = 1;
    private static final long BUYER = 10;
    private static final long SELLER = 20;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.createAccount(BUYER, StpMode.NONE);
        h.depositCash(BUYER, px(10_000));
        h.createAccount(SELLER, StpMode.NONE);
        h.depositPosition(SELLER, ACME, 100);
    }

    @Test
    void buyHoldsPriceTimesQuantityOfCash()
    {
        h.buy(BUYER, ACME, px(100), 30, "b1");
        assertEquals(px(3_000), h.state.account(BUYER).cashHeld());
        assertEquals(px(7_000), h.state.account(BUYER).availableCash());
    }

    @Test
    void buyBeyondAvailableCashIsRejected()
    {
        h.buy(BUYER, ACME, px(100), 60, "b1");
        assertEvents(h.buy(BUYER, ACME, px(100), 41, "b2"), "OrderRejected reason=INSUFFICIENT_FUNDS");
        assertEvents(h.buy(BUYER, ACME, px(100), 40, "b3"), "OrderAccepted", "OrderRested");
        assertEquals(0, h.state.account(BUYER).availableCash());
    }

    @Test
    void marketBuyHoldsAtTheBandHigh()
    {
        // band 50..150: 10,000 cash covers a market buy of at most 66 units
        assertEvents(h.market(BUYER, ACME, Side.BUY, 67, "b1"), "OrderRejected reason=INSUFFICIENT_FUNDS");
        h.sell(SELLER, ACME, px(100), 66, "s1");
        assertEvents(h.market(BUYER, ACME, Side.BUY, 66, "b2"), "OrderAccepted holdPrice=1500000", "Trade price=1000000 quantity=66");
        assertEquals(px(10_000 - 6_600), h.state.account(BUYER).cash());
        assertEquals(0, h.state.account(BUYER).cashHeld());
    }

    @Test
    void sellHoldsThePositionAndCannotExceedIt()
    {
        h.sell(SELLER, ACME, px(100), 70, "s1");
        assertEquals(70, h.state.account(SELLER).positionHeld(ACME));
        assertEvents(h.sell(SELLER, ACME, px(100), 31, "s2"), "OrderRejected reason=INSUFFICIENT_POSITION");
        assertEvents(h.sell(BUYER, ACME, px(100), 1, "b1"), "OrderRejected reason=INSUFFICIENT_POSITION");
    }

    @Test
    void fillsSettleBothSidesAndReleaseTheBuyersExcessHold()
    {
        h.sell(SELLER, ACME, px(95), 20, "s1");
        h.buy(BUYER, ACME, px(100), 30, "b1"); // fills 20 at 95, rests 10 at 100
        final Account buyer = h.state.account(BUYER);
        final Account seller = h.state.account(SELLER);
        assertEquals(px(10_000 - 1_900), buyer.cash());
        assertEquals(px(1_000), buyer.cashHeld());  // 10 resting at 100
        assertEquals(20, buyer.positionQuantity(ACME));
        assertEquals(px(1_900), seller.cash());
        assertEquals(80, seller.positionQuantity(ACME));
        assertEquals(0, seller.positionHeld(ACME));
    }

    @Test
    void cancelReleasesTheHold()
    {
        h.buy(BUYER, ACME, px(100), 30, "b1");
        h.sell(SELLER, ACME, px(100), 30, "s1");
        h.cancel(BUYER, 1, "b2", "");
        h.buy(BUYER, ACME, px(100), 30, "b3");
        h.cancel(BUYER, 3, "b4", "");
        assertEquals(0, h.state.account(BUYER).cashHeld());
        assertEquals(0, h.state.account(SELLER).positionHeld(ACME));
    }

    @Test
    void depositsAndWithdrawalsRespectHolds()
    {
        h.buy(BUYER, ACME, px(100), 60, "b1");
        assertEvents(h.withdrawCash(BUYER, px(4_001)), "CommandRejected commandType=WITHDRAW reason=INSUFFICIENT_FUNDS");
        assertEvents(h.withdrawCash(BUYER, px(4_000)), "BalanceChanged accountId=10 instrumentId=0 commandType=WITHDRAW balance=60000000");
        h.sell(SELLER, ACME, px(100), 100, "s1");
        assertEvents(h.withdrawPosition(SELLER, ACME, 1), "CommandRejected reason=INSUFFICIENT_POSITION");
        assertEvents(h.depositPosition(SELLER, ACME, 5), "BalanceChanged instrumentId=1 commandType=DEPOSIT amount=5 balance=45");
        assertEvents(h.withdrawPosition(SELLER, ACME, 5), "BalanceChanged balance=40"); // 60 traded, 40 still held by the resting sell
        assertEvents(h.depositCash(BUYER, 0), "CommandRejected reason=INVALID_AMOUNT");
        assertEvents(h.depositCash(BUYER, Long.MAX_VALUE), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositCash(BUYER, MatchingEngine.MAX_BALANCE), "BalanceChanged balance=" + MatchingEngine.MAX_BALANCE);
        assertEvents(h.depositCash(BUYER, 1), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositCash(99, 1), "CommandRejected reason=UNKNOWN_ACCOUNT");
        assertEvents(h.depositPosition(BUYER, 42, 1), "CommandRejected reason=UNKNOWN_INSTRUMENT");
    }

    @Test
    void maxNotionalBoundsAnOrder()
    {
        final EngineHarness small = new EngineHarness();
        small.addInstrument(2, "SMALL", 100, 1, 1, 1_000_000, px(1_000), px(100), 5_000);
        small.fundedAccount(BUYER, 2);
        assertEvents(small.buy(BUYER, 2, px(100), 11, "b1"), "OrderRejected reason=NOTIONAL_EXCEEDED");
        assertEvents(small.buy(BUYER, 2, px(100), 10, "b2"), "OrderAccepted", "OrderRested");
        assertEvents(small.limit(BUYER, 2, Side.BUY, TimeInForce.GTC, px(101), 10, "b3"), "OrderRejected reason=NOTIONAL_EXCEEDED");
    }
}
