package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static org.junit.jupiter.api.Assertions.*;

/** Instrument and account definitions, order validation rejects, and bad input at the engine boundary. */
class AdminCommandsTest
{
    private static final int ACME = 1;
    private static final long ALICE = 10;

    private final EngineHarness h = new EngineHarness();

    @BeforeEach
    void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.fundedAccount(ALICE, ACME);
    }

    @Test
    void instrumentDefinitionsAreValidated()
    {
        assertEvents(h.addInstrument(2, "BETA"), "InstrumentAdded instrumentId=2 tickSize=100 referencePrice=1000000 priceBandBps=5000 status=OPEN symbol=BETA");
        assertEvents(h.addInstrument(2, "GAMMA"), "CommandRejected commandType=ADD_INSTRUMENT reason=INSTRUMENT_EXISTS instrumentId=2");
        assertEvents(h.addInstrument(3, "ACME"), "CommandRejected reason=INSTRUMENT_EXISTS");
        assertEvents(h.addInstrument(0, "ZERO"), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(64, "FAR"), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(4, ""), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(5, "BADREF", 100, 1, 1, 10, px(10), 150, 100), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(6, "BADQTY", 100, 1, 10, 5, px(10), px(1), 100), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(7, "NOBAND", 100, 1, 1, 5, px(10), px(1), 0), "CommandRejected reason=INVALID_INSTRUMENT");
        assertEvents(h.addInstrument(8, "HUGE", 100, 1, 1, 5, px(10), Long.MAX_VALUE - 7, 100_000), "CommandRejected reason=INVALID_INSTRUMENT");
    }

    @Test
    void tenThousandInstruments()
    {
        final EngineHarness big = new EngineHarness(new EngineConfig().maxInstruments(10_001).preallocatedOrders(0).preallocatedLevels(0));
        for (int id = 1; id <= 10_000; id++)
        {
            assertEvents(big.addInstrument(id, "S" + id), "InstrumentAdded instrumentId=" + id);
        }
        big.fundedAccount(ALICE, 10_000);
        assertEvents(big.sell(ALICE, 10_000, px(100), 1, "a1"), "OrderAccepted instrumentId=10000", "OrderRested instrumentId=10000");
        assertEquals(10_000, big.state.instrumentCount());
    }

    @Test
    void priceBandFollowsTheReferencePrice()
    {
        assertEquals(px(50), h.state.instrument(ACME).bandLow());
        assertEquals(px(150), h.state.instrument(ACME).bandHigh());
        assertEvents(h.setReferencePrice(ACME, px(200)), "ReferencePriceChanged instrumentId=1 referencePrice=2000000");
        assertEquals(px(100), h.state.instrument(ACME).bandLow());
        assertEquals(px(300), h.state.instrument(ACME).bandHigh());
        assertEvents(h.setReferencePrice(ACME, px(200) + 1), "CommandRejected reason=INVALID_PRICE");
        assertEvents(h.setReferencePrice(77, px(200)), "CommandRejected reason=UNKNOWN_INSTRUMENT");
    }

    @Test
    void accountsAreValidated()
    {
        assertEvents(h.createAccount(ALICE, StpMode.NONE), "CommandRejected commandType=CREATE_ACCOUNT reason=ACCOUNT_EXISTS");
        assertEvents(h.createAccount(0, StpMode.NONE), "CommandRejected reason=INVALID_ACCOUNT");
        assertEvents(h.createAccount(-5, StpMode.NONE), "CommandRejected reason=INVALID_ACCOUNT");
        // ids use 56 bits at most: readers pack an id with a tag in one long (AccountIds)
        assertEvents(h.createAccount(1L << 56, StpMode.NONE), "CommandRejected reason=INVALID_ACCOUNT");
        assertEvents(h.createAccount((1L << 56) - 1, StpMode.NONE), "AccountCreated");
        assertEvents(h.createAccount(11, StpMode.ACCOUNT_DEFAULT), "AccountCreated accountId=11 stpMode=NONE");
    }

    @Test
    void orderFieldsAreValidatedInOrder()
    {
        assertEvents(h.buy(99, ACME, px(100), 1, "x"), "OrderRejected reason=UNKNOWN_ACCOUNT");
        assertEvents(h.buy(ALICE, 42, px(100), 1, "x"), "OrderRejected reason=UNKNOWN_INSTRUMENT");
        assertEvents(h.buy(ALICE, ACME, px(100), 0, "x"), "OrderRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.buy(ALICE, ACME, px(100), -5, "x"), "OrderRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.buy(ALICE, ACME, px(100), Long.MAX_VALUE, "x"), "OrderRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(h.buy(ALICE, ACME, 0, 1, "x"), "OrderRejected reason=INVALID_PRICE");
        assertEvents(h.buy(ALICE, ACME, -px(100), 1, "x"), "OrderRejected reason=INVALID_PRICE");
        assertEvents(h.buy(ALICE, ACME, px(100) + 1, 1, "x"), "OrderRejected reason=BAD_TICK");
        assertEvents(h.buy(ALICE, ACME, px(151), 1, "x"), "OrderRejected reason=OUTSIDE_PRICE_BAND");
        assertEvents(h.buy(ALICE, ACME, px(49), 1, "x"), "OrderRejected reason=OUTSIDE_PRICE_BAND");
        assertEvents(h.buy(ALICE, ACME, Long.MAX_VALUE - Long.MAX_VALUE % 100, 1, "x"), "OrderRejected reason=OUTSIDE_PRICE_BAND");
        final EngineHarness lots = new EngineHarness();
        lots.addInstrument(2, "LOTS", 100, 100, 100, 10_000, px(10_000_000), px(100), 5_000);
        lots.fundedAccount(ALICE, 2);
        assertEvents(lots.buy(ALICE, 2, px(100), 150, "x"), "OrderRejected reason=BAD_LOT");
        assertEvents(lots.buy(ALICE, 2, px(100), 50, "x"), "OrderRejected reason=QTY_OUT_OF_RANGE");
        assertEvents(lots.buy(ALICE, 2, px(100), 200, "x"), "OrderAccepted", "OrderRested leavesQty=200");
    }

    @Test
    void invalidEnumerationsAreRejectedNotThrown()
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final int length = writer.newOrder(buffer, 0, 1, 7, ALICE, ACME, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false,
            StpMode.NONE, px(100), 1, "e1");
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putByte(body + NewOrderEncoder.sideEncodingOffset(), (byte)9);
        assertEvents(h.send(buffer, length), "OrderRejected reason=INVALID_SIDE side=9");
        buffer.putByte(body + NewOrderEncoder.sideEncodingOffset(), (byte)1);
        buffer.putByte(body + NewOrderEncoder.ordTypeEncodingOffset(), (byte)0);
        assertEvents(h.send(buffer, length), "OrderRejected reason=INVALID_ORDER_TYPE");
        buffer.putByte(body + NewOrderEncoder.ordTypeEncodingOffset(), (byte)2);
        buffer.putByte(body + NewOrderEncoder.timeInForceEncodingOffset(), (byte)5);
        assertEvents(h.send(buffer, length), "OrderRejected reason=INVALID_TIME_IN_FORCE");
        buffer.putByte(body + NewOrderEncoder.timeInForceEncodingOffset(), (byte)1);
        buffer.putByte(body + NewOrderEncoder.stpModeEncodingOffset(), (byte)77);
        assertEvents(h.send(buffer, length), "OrderRejected reason=INVALID_STP_MODE");
    }

    @Test
    void malformedCommandsAreRejectedWithAReason()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        assertEvents(h.send(buffer, 3), "CommandRejected commandType=UNKNOWN reason=MALFORMED_COMMAND");
        final int length = new CommandWriter().newOrder(buffer, 0, 1, 7, ALICE, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, px(100), 1, "m1");
        assertEvents(h.send(buffer, length - 1), "CommandRejected reason=MALFORMED_COMMAND templateId=1");
        buffer.putShort(2, (short)77); // unknown template id
        assertEvents(h.send(buffer, length), "CommandRejected reason=UNSUPPORTED_COMMAND templateId=77");
        buffer.putShort(2, (short)1);
        buffer.putShort(4, (short)1234); // foreign schema
        assertEvents(h.send(buffer, length), "CommandRejected reason=MALFORMED_COMMAND");
        buffer.putShort(4, (short)NewOrderEncoder.SCHEMA_ID);
        buffer.putShort(0, (short)10); // block shorter than the template's
        assertEvents(h.send(buffer, length), "CommandRejected reason=MALFORMED_COMMAND");
        assertFalse(h.engine.isHalted());
    }

    @Test
    void auditEventsAreJournaled()
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        assertEvents(h.send(buffer, writer.audit(buffer, 0, 5, 3, ALICE, AuditType.LOGON_FAILED, 2, "alice")),
            "AuditRecorded accountId=10 auditType=LOGON_FAILED detail=2 username=alice");
    }

    @Test
    void journalFailureHaltsTheEngineAndRefusesEverythingAfter()
    {
        final java.util.List<String> halted = new java.util.ArrayList<>();
        final RecordingSink sink = new RecordingSink();
        final EngineState state = new EngineState(new EngineConfig().maxInstruments(8).preallocatedOrders(16));
        final EventText text = new EventText();
        final MatchingEngine engine = new MatchingEngine(state, sink, new EngineListener()
        {
            @Override
            public void onHaltedReject(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                halted.addAll(text.events(buffer, offset, length));
            }
        });
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        engine.onCommand(buffer, 0, writer.createAccount(buffer, 0, 1, ALICE, StpMode.NONE));
        sink.failFromNowOn();
        engine.onCommand(buffer, 0, writer.deposit(buffer, 0, 2, ALICE, 0, 100, 1));
        assertTrue(engine.isHalted());
        engine.onCommand(buffer, 0, writer.newOrder(buffer, 0, 3, 7, ALICE, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC,
            false, StpMode.NONE, px(1), 1, "h1"));
        engine.onCommand(buffer, 0, writer.cancelOrder(buffer, 0, 4, 7, ALICE, 5, "h2", "h1"));
        engine.onCommand(buffer, 0, writer.endOfDay(buffer, 0, 5, 0));
        assertEquals(1, sink.entries().size());
        assertEvents(halted,
            "OrderRejected reason=EXCHANGE_HALTED clOrdId=h1",
            "CancelRejected reason=EXCHANGE_HALTED clOrdId=h2 origClOrdId=h1",
            "CommandRejected commandType=UNKNOWN reason=EXCHANGE_HALTED templateId=30");
    }
}
