package dev.bourse.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The operators' blocks (docs/ENGINE-RULES.md, "Blocks and the kill switch"): a blocked account or
 * session has new orders and replaces refused, cancels still work; the kill switch blocks first, then
 * cancels its live orders in bounded MassCancel slices (reason KILL_SWITCH); blocks are state, so
 * replay and snapshots keep them.
 */
class KillSwitchTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 11;
    private static final int HARNESS_SESSION = 7;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
        h.fundedAccount(BOB, ACME);
    }

    @Test
    void theKillSwitchCancelsTheAccountsOrdersAndBlocksItUntilReleased()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        h.sell(ALICE, ACME, px(101), 10, "a2");
        h.buy(BOB, ACME, px(98), 10, "b1");

        assertEvents(h.setBlock(ALICE, 0, true, false), "BlockChanged accountId=10 targetSessionId=0 blocked=TRUE canceledCount=0");
        assertEvents(h.killSwitchSlice(ALICE, 0, 256),
            "OrderCanceled accountId=10 reason=KILL_SWITCH canceledQty=10 clOrdId=a1",
            "OrderCanceled accountId=10 reason=KILL_SWITCH canceledQty=10 clOrdId=a2",
            "MassCancelDone accountId=10 reason=KILL_SWITCH rejectReason=NONE canceledCount=2 moreRemaining=FALSE");
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a3"), "OrderRejected accountId=10 reason=BLOCKED");
        // a replace of an order the kill switch canceled: refused, naming the order and how it ended (not "unknown")
        assertEvents(h.replace(ALICE, 0, px(98), 10, "a5", "a1"), "CancelRejected reason=BLOCKED orderId=1 orderStatus=CANCELED");
        assertEvents(h.buy(BOB, ACME, px(97), 10, "b2"), "OrderAccepted accountId=11", "OrderRested");

        assertEvents(h.setBlock(ALICE, 0, false, false), "BlockChanged accountId=10 blocked=FALSE canceledCount=0");
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "a4"), "OrderAccepted accountId=10", "OrderRested");
    }

    @Test
    void aSuspendedAccountKeepsItsOrdersButEntersNoNewOnesAndMayStillCancel()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        final long orderId = h.state.account(ALICE).ordersHead.orderId;
        assertEvents(h.setBlock(ALICE, 0, true, false), "BlockChanged accountId=10 blocked=TRUE canceledCount=0");
        assertEvents(h.replace(ALICE, orderId, px(98), 10, "a2", "a1"), "CancelRejected reason=BLOCKED");
        assertEvents(h.cancel(ALICE, orderId, "a3", "a1"), "OrderCanceled accountId=10 reason=USER");
    }

    @Test
    void aSessionsKillSwitchCancelsWhatItEnteredAndRefusesItsNewOrders()
    {
        h.buy(ALICE, ACME, px(99), 10, "a1");
        assertEvents(h.setBlock(0, HARNESS_SESSION, true, false), "BlockChanged accountId=0 targetSessionId=7 blocked=TRUE canceledCount=0");
        assertEvents(h.killSwitchSlice(0, HARNESS_SESSION, 256),
            "OrderCanceled accountId=10 reason=KILL_SWITCH",
            "MassCancelDone accountId=0 sessionId=7 reason=KILL_SWITCH canceledCount=1 moreRemaining=FALSE");
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b1"), "OrderRejected accountId=11 reason=BLOCKED");
        assertEvents(h.setBlock(0, HARNESS_SESSION, false, false), "BlockChanged targetSessionId=7 blocked=FALSE");
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b2"), "OrderAccepted accountId=11", "OrderRested");
    }

    @Test
    void badBlocksAreRejectedWithAReason()
    {
        assertEvents(h.setBlock(0, 0, true, false), "CommandRejected commandType=SET_BLOCK reason=MALFORMED_COMMAND");
        assertEvents(h.setBlock(ALICE, 3, true, false), "CommandRejected commandType=SET_BLOCK reason=MALFORMED_COMMAND");
        assertEvents(h.setBlock(99, 0, true, false), "CommandRejected commandType=SET_BLOCK reason=UNKNOWN_ACCOUNT");
        // version 5: the block never cancels in the same command; the cancels are slices
        assertEvents(h.setBlock(ALICE, 0, true, true), "CommandRejected commandType=SET_BLOCK reason=MALFORMED_COMMAND");
        assertEvents(h.killSwitchSlice(ALICE, 0, 0), "MassCancelDone reason=KILL_SWITCH rejectReason=MALFORMED_COMMAND canceledCount=0");
        assertEvents(h.killSwitchSlice(99, 0, 10), "MassCancelDone reason=KILL_SWITCH rejectReason=UNKNOWN_ACCOUNT");
    }

    @Test
    void aClientsSlicedMassCancelLeavesOrdersEnteredAfterItsFirstSlice()
    {
        for (int i = 0; i < 5; i++)
        {
            h.buy(ALICE, ACME, px(90 + i), 10, "m" + i);
        }
        final List<String> first = h.massCancelSlice(ALICE, "all", 2, 0);
        assertEvents(first.subList(2, 3), "MassCancelDone reason=MASS_CANCEL canceledCount=2 moreRemaining=TRUE upToOrderId=5");
        h.buy(ALICE, ACME, px(80), 10, "entered-meanwhile"); // OrderID 6
        assertEvents(h.massCancelSlice(ALICE, "", 2, 5).subList(2, 3), "MassCancelDone canceledCount=2 moreRemaining=TRUE");
        assertEvents(h.massCancelSlice(ALICE, "", 2, 5), "OrderCanceled clOrdId=m4 reason=MASS_CANCEL",
            "MassCancelDone canceledCount=1 moreRemaining=FALSE upToOrderId=5");
        assertEquals(6, h.state.account(ALICE).ordersHead.orderId, "the order entered between slices stays");
        assertEvents(h.massCancelSlice(ALICE, "neg", 2, -1), "MassCancelDone rejectReason=MALFORMED_COMMAND upToOrderId=0");
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }

    @Test
    void theKillSwitchCancelsInBoundedSlicesUntilNoneRemain()
    {
        for (int i = 0; i < 7; i++)
        {
            h.buy(ALICE, ACME, px(90 + i), 10, "k" + i);
        }
        h.buy(BOB, ACME, px(80), 10, "b1");
        assertEvents(h.setBlock(ALICE, 0, true, false), "BlockChanged accountId=10 blocked=TRUE");
        assertEvents(h.buy(ALICE, ACME, px(99), 10, "late"), "OrderRejected reason=BLOCKED"); // blocked before the first slice
        final List<String> first = h.killSwitchSlice(ALICE, 0, 3);
        assertEquals(4, first.size(), first.toString());
        assertEvents(first.subList(3, 4), "MassCancelDone canceledCount=3 moreRemaining=TRUE");
        assertEvents(h.killSwitchSlice(ALICE, 0, 3).subList(3, 4), "MassCancelDone canceledCount=3 moreRemaining=TRUE");
        assertEvents(h.killSwitchSlice(ALICE, 0, 3), "OrderCanceled clOrdId=k6 reason=KILL_SWITCH",
            "MassCancelDone canceledCount=1 moreRemaining=FALSE");
        assertNull(h.state.account(ALICE).ordersHead, "every order of the account is canceled");
        assertNotNull(h.state.account(BOB).ordersHead, "other accounts keep theirs");
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }

    @Test
    void aSessionsKillSwitchSlicesAcrossAccountsAndInstruments()
    {
        h.addInstrument(2, "BETA");
        h.buy(ALICE, ACME, px(90), 10, "a1");
        h.buy(BOB, ACME, px(91), 10, "b1");
        h.buy(ALICE, 2, px(92), 10, "a2");
        assertEvents(h.killSwitchSlice(0, HARNESS_SESSION, 2),
            "OrderCanceled clOrdId=a1", "OrderCanceled clOrdId=b1", "MassCancelDone accountId=0 canceledCount=2 moreRemaining=TRUE");
        assertEvents(h.killSwitchSlice(0, HARNESS_SESSION, 2),
            "OrderCanceled clOrdId=a2 instrumentId=2", "MassCancelDone canceledCount=1 moreRemaining=FALSE");
        assertEvents(h.killSwitchSlice(0, HARNESS_SESSION, 2), "MassCancelDone canceledCount=0 moreRemaining=FALSE");
    }

    @Test
    void blocksSurviveReplayAndSnapshots()
    {
        h.setBlock(ALICE, 0, true, false);
        h.setBlock(0, 42, true, false);
        final byte[] live = EngineSnapshot.toBytes(h.state);
        assertArrayEquals(live, EngineSnapshot.toBytes(h.replay()), "replayed state has the blocks");
        final EngineState read = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(live), 0, live.length), h.state.config());
        assertTrue(read.isBlocked(ALICE, 1));
        assertTrue(read.isBlocked(BOB, 42));
        assertFalse(read.isBlocked(BOB, 1));
        assertArrayEquals(live, EngineSnapshot.toBytes(read));
    }
}
