package dev.bourse.engine;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.StpMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/**
 * AmendInstrument: 0 keeps a value, every refusal has its own reason, resting orders keep the
 * price and quantity they were accepted with, and new orders and replaces meet the new rules.
 * The default instrument: tick 0.01, lot 1, quantity 1..1,000,000, reference 100, band 50%.
 */
class AmendInstrumentTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;
    private static final long BOB = 11;
    private static final long TICK_ONE = px(1);

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, StpMode.NONE, ACME);
        h.fundedAccount(BOB, StpMode.NONE, ACME);
    }

    @Test
    void zeroKeepsAValueAndTheEventCarriesEveryValue()
    {
        assertEvents(h.amendInstrument(ACME, TICK_ONE, 10, 10, 0, 0, 0, 1_000),
            "InstrumentAmended instrumentId=1 tickSize=10000 lotSize=10 minQuantity=10 maxQuantity=1000000 maxNotional=" +
                px(10_000_000) + " referencePrice=1000000 priceBandBps=1000");
        final Instrument acme = h.state.instrument(ACME);
        assertEquals(TICK_ONE, acme.tickSize());
        assertEquals(10, acme.lotSize());
        assertEquals(px(90), acme.bandLow(), "the band is recomputed with the new width");
        assertEquals(px(110), acme.bandHigh());

        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, px(200), 0), "InstrumentAmended tickSize=10000 lotSize=10 referencePrice=2000000");
        assertEquals(px(180), acme.bandLow());
    }

    /** An amend of the lot alone left the minimum at 1 with a lot of 1,000, a minimum no order could have (an outside tester). */
    @Test
    void aLargerLotRaisesAKeptMinimumToIt()
    {
        assertEvents(h.amendInstrument(ACME, 0, 1_000, 0, 0, 0, 0, 0), "InstrumentAmended lotSize=1000 minQuantity=1000");
        assertEquals(1_000, h.state.instrument(ACME).minQuantity());
        // a smaller lot keeps the minimum
        assertEvents(h.amendInstrument(ACME, 0, 10, 0, 0, 0, 0, 0), "InstrumentAmended lotSize=10 minQuantity=1000");
        assertEvents(h.amendInstrument(ACME, 0, 0, 20, 0, 0, 0, 0), "InstrumentAmended lotSize=10 minQuantity=20");
    }

    /**
     * A minimum that is no whole number of lots is one no order can have: refused when given, and a
     * kept one rises to whole lots of a new lot (an outside tester's lot 2 with minimum 3 was taken).
     */
    @Test
    void theMinimumIsAWholeNumberOfLots()
    {
        assertEvents(h.amendInstrument(ACME, 0, 10, 10, 0, 0, 0, 0), "InstrumentAmended lotSize=10 minQuantity=10");
        assertEvents(h.amendInstrument(ACME, 0, 0, 15, 0, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.amendInstrument(ACME, 0, 0, 30, 0, 0, 0, 0), "InstrumentAmended lotSize=10 minQuantity=30");
        assertEvents(h.amendInstrument(ACME, 0, 20, 0, 0, 0, 0, 0), "InstrumentAmended lotSize=20 minQuantity=40");
        assertEvents(h.addInstrument(2, "BETA", Prices.SCALE / 100, 2, 3, 1_000_000, px(10_000_000), px(100), 5_000),
            "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(2, "BETA", Prices.SCALE / 100, 2, 4, 1_000_000, px(10_000_000), px(100), 5_000),
            "InstrumentAdded instrumentId=2 lotSize=2 minQuantity=4");
    }

    @Test
    void eachRefusalHasItsReason()
    {
        assertEvents(h.amendInstrument(77, TICK_ONE, 0, 0, 0, 0, 0, 0),
            "CommandRejected commandType=AMEND_INSTRUMENT reason=UNKNOWN_INSTRUMENT instrumentId=77");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, 0, 0), "CommandRejected reason=MALFORMED_COMMAND instrumentId=1");
        assertEvents(h.amendInstrument(ACME, -100, 0, 0, 0, 0, 0, 0), "CommandRejected reason=BAD_TICK");
        assertEvents(h.amendInstrument(ACME, 300, 0, 0, 0, 0, 0, 0), "CommandRejected reason=BAD_TICK"); // reference 100 is not on it
        assertEvents(h.amendInstrument(ACME, 0, -1, 0, 0, 0, 0, 0), "CommandRejected reason=BAD_LOT");
        assertEvents(h.amendInstrument(ACME, 0, 0, -1, 0, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, -1, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.amendInstrument(ACME, 0, 0, 2_000_000, 0, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE"); // min above the kept max
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, -5, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE");
        // a minimum below the lot is one no order can have: an amend of the lot alone left the old minimum (an outside tester)
        assertEvents(h.amendInstrument(ACME, 0, 10, 5, 0, 0, 0, 0), "CommandRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.addInstrument(2, "LOTS", Prices.SCALE / 100, 10, 5, 1_000_000, px(10_000_000), px(100), 5_000),
            "CommandRejected commandType=ADD_INSTRUMENT reason=INVALID_INSTRUMENT instrumentId=2");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, -1, 0, 0), "CommandRejected reason=INVALID_AMOUNT");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, -1, 0), "CommandRejected reason=INVALID_PRICE");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, px(100) + 1, 0), "CommandRejected reason=BAD_TICK");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, 0, 100_001), "CommandRejected reason=OUTSIDE_PRICE_BAND");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, 0, -1), "CommandRejected reason=OUTSIDE_PRICE_BAND");
        assertEvents(h.amendInstrument(ACME, 0, 0, 0, 0, 0, Long.MAX_VALUE - 7, 0), "CommandRejected reason=OUTSIDE_PRICE_BAND");

        final Instrument acme = h.state.instrument(ACME);
        assertEquals(100, acme.tickSize(), "a refused amendment changes nothing");
        assertEquals(1, acme.lotSize());
        assertEquals(1_000_000, acme.maxQuantity());
    }

    @Test
    void newOrdersAndReplacesMeetTheNewRulesWhileRestingOrdersKeepTheirs()
    {
        final long offTick = px(100) + 100; // 100.01: on the old tick, not on the new one
        assertEvents(h.sell(ALICE, ACME, offTick, 5, "s1"), "OrderAccepted price=" + offTick, "OrderRested leavesQty=5");
        assertEvents(h.amendInstrument(ACME, TICK_ONE, 10, 10, 0, 0, 0, 0), "InstrumentAmended tickSize=10000 lotSize=10 minQuantity=10");

        assertEvents(h.sell(ALICE, ACME, offTick, 10, "s2"), "OrderRejected reason=BAD_TICK");
        assertEvents(h.sell(ALICE, ACME, px(101), 5, "s3"), "OrderRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.sell(ALICE, ACME, px(101), 15, "s4"), "OrderRejected reason=BAD_LOT");
        assertEvents(h.replace(ALICE, 0, offTick, 10, "s1r", "s1"), "CancelRejected responseTo=REPLACE_ORDER reason=BAD_TICK");

        // the resting order trades at its own price and quantity, off the new tick and below the new minimum
        assertEvents(h.buy(BOB, ACME, px(101), 10, "b1"),
            "OrderAccepted quantity=10", "Trade price=" + offTick + " quantity=5 makerLeavesQty=0", "OrderRested leavesQty=5");
        assertEvents(h.replace(BOB, 0, px(102), 20, "b1r", "b1"), "OrderReplaced price=1020000 quantity=20", "OrderRested leavesQty=15");
    }

    @Test
    void amendedRulesSurviveReplayAndSnapshots()
    {
        h.sell(ALICE, ACME, px(100) + 100, 5, "s1");
        h.amendInstrument(ACME, TICK_ONE, 10, 10, 500, px(1_000), px(120), 2_000);
        final byte[] live = EngineSnapshot.toBytes(h.state);
        final EngineState replayed = h.replay();
        assertArrayEquals(live, EngineSnapshot.toBytes(replayed), "the journal rebuilds the amended rules");
        final EngineState read = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(live), 0, live.length), h.state.config());
        assertArrayEquals(live, EngineSnapshot.toBytes(read), "the snapshot holds them");
        final Instrument fromSnapshot = read.instrument(ACME);
        assertEquals(TICK_ONE, fromSnapshot.tickSize());
        assertEquals(10, fromSnapshot.lotSize());
        assertEquals(10, fromSnapshot.minQuantity());
        assertEquals(500, fromSnapshot.maxQuantity());
        assertEquals(px(1_000), fromSnapshot.maxNotional());
        assertEquals(2_000, fromSnapshot.priceBandBps());
        assertEquals(px(96), fromSnapshot.bandLow());
        assertEquals(px(144), fromSnapshot.bandHigh());
    }
}
