package dev.bourse.engine;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.StpMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static dev.bourse.engine.MatchingEngine.MAX_BALANCE;
import static dev.bourse.engine.MatchingEngine.MAX_TOTAL;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Deposits are capped on the exchange's total of each asset, not only per account: trades move
 * cash and units between accounts, so with the per-account cap alone an operator topping up the
 * paying side again and again (each deposit within the cap) let the receiving side's balance
 * wrap past 2^63 (an outside tester: a seller's cash wrapped negative after four rounds, a
 * buyer's position after ten). Trades conserve the totals and no balance is negative, so a
 * total kept at most {@link MatchingEngine#MAX_TOTAL} bounds every balance.
 */
class SettlementOverflowTest
{
    private static final int ACME = 1;
    private static final int TINY = 2;
    private static final long BUYER = 10;
    private static final long SELLER = 20;
    private static final long OTHER = 30;

    /** ACME trades at 1,000,000.0000: 200,000,000 units cost 2 x 10^18 (more than 2^60, less than the per-account cap). */
    private static final long PRICE = px(1_000_000);
    private static final long LOT = 200_000_000;
    private static final long NOTIONAL = PRICE * LOT;

    /** TINY trades at 0.0001: 10^18 units cost 10^18. */
    private static final long TINY_PRICE = 1;
    private static final long TINY_LOT = 1_000_000_000_000_000_000L;

    private static EngineHarness exchange()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(ACME, "ACME", Prices.SCALE / 100, 1, 1, 1_000_000_000, Long.MAX_VALUE / 4, PRICE, 5_000);
        h.addInstrument(TINY, "TINY", 1, 1, 1, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, TINY_PRICE, 10_000);
        h.createAccount(BUYER, StpMode.NONE);
        h.createAccount(SELLER, StpMode.NONE);
        h.createAccount(OTHER, StpMode.NONE);
        return h;
    }

    private static boolean refused(final List<String> events)
    {
        if (events.get(0).startsWith("CommandRejected"))
        {
            assertEvents(events, "CommandRejected commandType=DEPOSIT reason=BALANCE_OVERFLOW");
            return true;
        }
        assertEvents(events, "BalanceChanged commandType=DEPOSIT");
        return false;
    }

    private static BigInteger times(final long a, final long b)
    {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    }

    @Test
    void toppingUpBuyersCannotWrapASellersCash()
    {
        final EngineHarness h = exchange();
        final Account buyer = h.state.account(BUYER);
        final Account seller = h.state.account(SELLER);
        final List<Integer> refusedRounds = new ArrayList<>();
        long traded = 0;
        for (int round = 1; round <= 5; round++)
        {
            // the operator tops the buyer up to the per-account cap: within it every time
            final long topUp = MAX_BALANCE - buyer.cash();
            if (refused(h.depositCash(BUYER, topUp)))
            {
                refusedRounds.add(round);
            }
            if (buyer.availableCash() >= NOTIONAL)
            {
                h.depositPosition(SELLER, ACME, LOT);
                h.sell(SELLER, ACME, PRICE, LOT, "s" + round);
                h.buy(BUYER, ACME, PRICE, LOT, "b" + round);
                traded += LOT;
            }
            // the old engine: 2, 4, 6, 8 x 10^18, then -8,446,744,073,709,551,616
            assertEquals(times(PRICE, traded), BigInteger.valueOf(seller.cash()), "round " + round + ": the seller's proceeds, exactly");
            assertTotals(h);
        }
        // total after round 1: MAX_BALANCE (the buyer's, part of it now the seller's); round 2 adds
        // NOTIONAL (4.3 x 10^18 <= MAX_TOTAL); round 3 would add another (6.3 x 10^18): refused from there on
        assertEquals(List.of(3, 4, 5), refusedRounds);
        assertTrue(h.state.totalCash() <= MAX_TOTAL);
        assertEquals(2 * NOTIONAL, seller.cash());
        assertEquals(MAX_BALANCE - NOTIONAL, buyer.cash());
        assertEquals(MAX_BALANCE + NOTIONAL, h.state.totalCash());
        assertEquals(2 * LOT, buyer.positionQuantity(ACME));
        // the refusal is about the total: an empty account, far from its own cap, gets only what the total has room for
        assertEvents(h.depositCash(OTHER, MAX_TOTAL - h.state.totalCash() + 1), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositCash(OTHER, MAX_TOTAL - h.state.totalCash()), "BalanceChanged balance=" + (MAX_TOTAL - MAX_BALANCE - NOTIONAL));
        assertEquals(MAX_TOTAL, h.state.totalCash());
        assertReplayKeepsTotals(h);
    }

    @Test
    void toppingUpSellersCannotWrapABuyersPosition()
    {
        final EngineHarness h = exchange();
        final Account buyer = h.state.account(BUYER);
        final Account seller = h.state.account(SELLER);
        final List<Integer> refusedRounds = new ArrayList<>();
        long traded = 0;
        for (int round = 1; round <= 10; round++)
        {
            // the operator tops the seller's TINY up to the per-account cap: within it every time
            final long topUp = MAX_BALANCE - seller.positionQuantity(TINY);
            if (refused(h.depositPosition(SELLER, TINY, topUp)))
            {
                refusedRounds.add(round);
            }
            if (seller.positionQuantity(TINY) - seller.positionHeld(TINY) >= TINY_LOT)
            {
                h.depositCash(BUYER, TINY_PRICE * TINY_LOT);
                h.sell(SELLER, TINY, TINY_PRICE, TINY_LOT, "s" + round);
                h.buy(BUYER, TINY, TINY_PRICE, TINY_LOT, "b" + round);
                assertEvents(h.withdrawCash(SELLER, TINY_PRICE * TINY_LOT), "BalanceChanged commandType=WITHDRAW balance=0");
                traded += TINY_LOT;
            }
            // the old engine: 10^18 more each round, until the tenth wraps to -8,446,744,073,709,551,616
            assertEquals(BigInteger.valueOf(traded), BigInteger.valueOf(buyer.positionQuantity(TINY)),
                "round " + round + ": the buyer's position, exactly");
            assertTotals(h);
        }
        // total after round 1: MAX_BALANCE; rounds 2 and 3 add 10^18 each (4.3 x 10^18 <= MAX_TOTAL), round 4
        // would add another; the seller still sells what it has, then it has too little to sell
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10), refusedRounds);
        assertTrue(h.state.totalPosition(TINY) <= MAX_TOTAL);
        assertEquals(4 * TINY_LOT, buyer.positionQuantity(TINY));
        assertEquals(MAX_BALANCE + 2 * TINY_LOT, h.state.totalPosition(TINY));
        assertEquals(MAX_BALANCE + 2 * TINY_LOT - 4 * TINY_LOT, seller.positionQuantity(TINY));
        assertEquals(0, h.state.totalPosition(ACME), "each instrument has its own total");
        assertEquals(0, h.state.totalCash(), "cash came in and went out again");
        assertReplayKeepsTotals(h);
    }

    @Test
    void theTotalCapIsExactAndWithdrawalsMakeRoom()
    {
        final EngineHarness h = exchange();
        assertEvents(h.depositCash(BUYER, MAX_BALANCE), "BalanceChanged balance=" + MAX_BALANCE);
        assertEvents(h.depositCash(SELLER, MAX_BALANCE), "BalanceChanged balance=" + MAX_BALANCE);
        // MAX_TOTAL = 2 x MAX_BALANCE + 1
        assertEvents(h.depositCash(OTHER, 2), "CommandRejected commandType=DEPOSIT reason=BALANCE_OVERFLOW");
        assertEvents(h.depositCash(OTHER, 1), "BalanceChanged balance=1");
        assertEquals(MAX_TOTAL, h.state.totalCash());
        assertEvents(h.depositCash(OTHER, 1), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.withdrawCash(BUYER, 5), "BalanceChanged commandType=WITHDRAW");
        assertEvents(h.depositCash(OTHER, 6), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositCash(OTHER, 5), "BalanceChanged balance=6");
        // the per-account cap still holds on its own
        assertEvents(h.depositPosition(BUYER, ACME, MAX_BALANCE + 1), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositPosition(BUYER, ACME, MAX_BALANCE), "BalanceChanged balance=" + MAX_BALANCE);
        assertEvents(h.depositPosition(SELLER, ACME, MAX_BALANCE), "BalanceChanged balance=" + MAX_BALANCE);
        assertEvents(h.depositPosition(OTHER, ACME, 2), "CommandRejected reason=BALANCE_OVERFLOW");
        assertEvents(h.depositPosition(OTHER, ACME, 1), "BalanceChanged balance=1");
        assertEvents(h.depositPosition(OTHER, TINY, MAX_BALANCE), "BalanceChanged balance=" + MAX_BALANCE);
        assertEquals(MAX_TOTAL, h.state.totalPosition(ACME));
        assertEquals(MAX_BALANCE, h.state.totalPosition(TINY));
        assertReplayKeepsTotals(h);
    }

    @Test
    void aRestoredSnapshotRecomputesTheTotals()
    {
        final EngineHarness h = exchange();
        h.depositCash(BUYER, MAX_BALANCE);
        h.depositPosition(SELLER, ACME, MAX_BALANCE);
        h.sell(SELLER, ACME, PRICE, LOT, "s1");
        h.buy(BUYER, ACME, PRICE, LOT, "b1"); // cash and units change hands: the totals do not
        h.depositCash(SELLER, MAX_BALANCE - NOTIONAL);
        h.depositPosition(BUYER, ACME, MAX_BALANCE - LOT);

        final byte[] bytes = EngineSnapshot.toBytes(h.state);
        final EngineState read = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(bytes), 0, bytes.length), h.state.config());
        assertEquals(h.state.totalCash(), read.totalCash());
        assertEquals(2 * MAX_BALANCE - NOTIONAL, read.totalCash());
        assertEquals(h.state.totalPosition(ACME), read.totalPosition(ACME));
        assertEquals(2 * MAX_BALANCE - LOT, read.totalPosition(ACME));
        assertEquals(0, read.totalPosition(TINY));
        final EngineHarness restored = new EngineHarness(read);

        // the same deposits on the engine that kept running and on the restored one: refused at the same point
        final long cashRoom = MAX_TOTAL - h.state.totalCash(); // NOTIONAL + 1
        final long unitRoom = MAX_TOTAL - h.state.totalPosition(ACME); // LOT + 1
        for (final EngineHarness e : List.of(h, restored))
        {
            assertEvents(e.depositCash(OTHER, cashRoom + 1), "CommandRejected reason=BALANCE_OVERFLOW");
            assertEvents(e.depositCash(OTHER, cashRoom), "BalanceChanged balance=" + cashRoom);
            assertEvents(e.depositCash(OTHER, 1), "CommandRejected reason=BALANCE_OVERFLOW");
            assertEvents(e.depositPosition(OTHER, ACME, unitRoom + 1), "CommandRejected reason=BALANCE_OVERFLOW");
            assertEvents(e.depositPosition(OTHER, ACME, unitRoom), "BalanceChanged balance=" + unitRoom);
            assertEvents(e.depositPosition(OTHER, ACME, 1), "CommandRejected reason=BALANCE_OVERFLOW");
            assertEquals(MAX_TOTAL, e.state.totalCash());
            assertEquals(MAX_TOTAL, e.state.totalPosition(ACME));
        }
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(restored.state));
    }

    /** The kept totals are the sums over the accounts, and no balance is negative. */
    private static void assertTotals(final EngineHarness h)
    {
        for (int instrument = 0; instrument <= TINY; instrument++)
        {
            BigInteger sum = BigInteger.ZERO;
            for (final long id : new long[] {BUYER, SELLER, OTHER})
            {
                final Account a = h.state.account(id);
                final long balance = instrument == 0 ? a.cash() : a.positionQuantity(instrument);
                assertTrue(balance >= 0, "balance " + balance);
                sum = sum.add(BigInteger.valueOf(balance));
            }
            final long total = instrument == 0 ? h.state.totalCash() : h.state.totalPosition(instrument);
            assertEquals(sum, BigInteger.valueOf(total), "the kept total is the sum of the balances");
        }
    }

    /** Replay (the fold of the journal's events) arrives at the same totals. */
    private static void assertReplayKeepsTotals(final EngineHarness h)
    {
        final EngineState replayed = h.replay();
        assertEquals(h.state.totalCash(), replayed.totalCash());
        assertEquals(h.state.totalPosition(ACME), replayed.totalPosition(ACME));
        assertEquals(h.state.totalPosition(TINY), replayed.totalPosition(TINY));
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(replayed));
    }
}
