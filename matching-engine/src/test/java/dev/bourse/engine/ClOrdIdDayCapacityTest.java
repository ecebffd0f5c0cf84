package dev.bourse.engine;

import dev.bourse.protocol.sbe.Side;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The day's ClOrdIDs are bounded (engine.maxClOrdIdsPerDay): past it new orders and replaces are
 * refused with a reason of their own, cancels still end orders, and the next ClOrdID day takes
 * orders again. Without the bound a long enough day outgrew the heap and halted the engine.
 */
class ClOrdIdDayCapacityTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 20;

    private final EngineHarness h = new EngineHarness(new EngineConfig().maxInstruments(64).preallocatedOrders(1024)
        .preallocatedLevels(256).expectedClOrdIdsPerDay(1024).maxClOrdIdsPerDay(4));

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
        h.fundedAccount(BOB, ACME);
    }

    @Test
    void pastTheDaysClOrdIdsNewOrdersAndReplacesAreRefusedAndCancelsStillWork()
    {
        assertEvents(h.sell(ALICE, ACME, px(100), 10, "a1"), "OrderAccepted orderId=1", "OrderRested");
        assertEvents(h.sell(ALICE, ACME, px(101), 10, "a2"), "OrderAccepted orderId=2", "OrderRested");
        assertEvents(h.sell(BOB, ACME, px(102), 10, "b1"), "OrderAccepted orderId=3", "OrderRested");
        assertEvents(h.replace(BOB, 0, px(103), 10, "b2", "b1"), "OrderReplaced", "OrderRested");

        assertEvents(h.buy(BOB, ACME, px(99), 10, "b3"), "OrderRejected reason=CLORDID_DAY_FULL");
        assertEvents(h.replace(ALICE, 0, px(104), 10, "a3", "a2"), "CancelRejected reason=CLORDID_DAY_FULL");
        assertEvents(h.cancel(ALICE, 0, "a4", "a1"), "OrderCanceled orderId=1");
        assertEvents(h.cancel(BOB, 0, "b5", "b2"), "OrderCanceled orderId=3");

        // a mass cancel still works at the bound, but its id is not kept: one that ends no order grew the index without end
        assertEvents(h.massCancel(ALICE, ACME, Side.SELL, "am0"), "OrderCanceled orderId=2", "MassCancelDone canceledCount=1");
        final int full = h.state.clOrdIds.size();
        for (int i = 1; i <= 5; i++)
        {
            assertEvents(h.massCancel(ALICE, ACME, Side.SELL, "am" + i), "MassCancelDone canceledCount=0");
        }
        assertEquals(full, h.state.clOrdIds.size(), "no id kept for mass cancels that ended nothing");

        h.endOfDay(0); // the ClOrdID day ends: only live orders' ids are kept
        assertEvents(h.buy(BOB, ACME, px(99), 10, "b6"), "OrderAccepted", "OrderRested");
        assertEvents(h.buy(BOB, ACME, px(98), 10, "b7"), "OrderAccepted", "OrderRested");
    }
}
