package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instrument's answer carries its trading phase, during a call what the auction would do now
 * (indicative price, matched quantity, imbalance), and the last auction's result; a checkpoint
 * keeps all three. The engine's events say it: the projection derives nothing.
 */
class TradingPhaseViewTest
{
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final int INSTRUMENT = 1;

    private final CommandWriter writer = new CommandWriter();
    private final Workload workload = new Workload(11);
    private int clOrdId;

    @Test
    void aCallShowsItsIndicationAndItsAuctionTheResult() throws Exception
    {
        phase(TradingPhase.OPENING_CALL);
        assertEquals("\"phase\":\"OPENING_CALL\",\"auction\":{\"indicativePrice\":\"0\",\"matchedQty\":0,\"imbalanceQty\":0,"
            + "\"imbalanceSide\":\"NONE\"},\"lastAuction\":null", phaseFields());

        order(1, Side.BUY, MID + TICK, 30);
        order(2, Side.SELL, MID - TICK, 20);
        final String indicated = phaseFields();
        assertTrue(indicated.contains("\"matchedQty\":20,\"imbalanceQty\":10,\"imbalanceSide\":\"BUY\""), indicated);
        assertEquals("OPEN", status(), "a call is status OPEN: nothing trades, orders are taken");

        phase(TradingPhase.CONTINUOUS);
        final String after = phaseFields();
        assertTrue(after.startsWith("\"phase\":\"CONTINUOUS\",\"auction\":null,\"lastAuction\":{\"call\":\"OPENING_CALL\""), after);
        assertTrue(after.contains("\"quantity\":20"), after);

        // a checkpoint keeps the phase and the last auction
        final ReadModels models = workload.project();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        models.writeTo(new DataOutputStream(bytes));
        final ReadModels restored = new ReadModels();
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(instrumentJson(models), instrumentJson(restored));
    }

    @Test
    void anAuctionThatMatchedNothingHasNoPrice()
    {
        phase(TradingPhase.OPENING_CALL);
        order(1, Side.BUY, MID - TICK, 30); // the book does not cross
        order(2, Side.SELL, MID + TICK, 20);
        phase(TradingPhase.CONTINUOUS);
        final String after = phaseFields();
        assertTrue(after.contains("\"lastAuction\":{\"call\":\"OPENING_CALL\",\"price\":null,\"quantity\":0,"), after);
    }

    @Test
    void aHaltIsAPhaseTooAndLeavingACallClearsItsIndication()
    {
        phase(TradingPhase.OPENING_CALL);
        order(1, Side.BUY, MID + TICK, 30);
        order(2, Side.SELL, MID - TICK, 20);
        workload.submit(buffer -> writer.setTradingStatus(buffer, 0, 0, INSTRUMENT, TradingStatus.HALTED));
        assertEquals("\"phase\":\"HALTED\",\"auction\":null,\"lastAuction\":null", phaseFields());
        assertEquals("HALTED", status());
    }

    private void phase(final TradingPhase phase)
    {
        workload.submit(buffer -> writer.setTradingPhase(buffer, 0, 0, INSTRUMENT, phase, null, 0));
    }

    private void order(final long account, final Side side, final long price, final long quantity)
    {
        final String id = "p" + clOrdId++;
        workload.submit(buffer -> writer.newOrder(buffer, 0, 0, 1, account, INSTRUMENT, side, OrdType.LIMIT, TimeInForce.GTC,
            false, StpMode.NONE, price, quantity, id, 0, 0, 0));
    }

    private static String instrumentJson(final ReadModels models)
    {
        return QueryApi.instrument(new Json(), models.findMarket(INSTRUMENT)).toString();
    }

    private String phaseFields()
    {
        final String json = instrumentJson(workload.project());
        return json.substring(json.indexOf("\"phase\""), json.length() - 1);
    }

    private String status()
    {
        final String json = instrumentJson(workload.project());
        final int at = json.indexOf("\"status\":\"") + 10;
        return json.substring(at, json.indexOf('"', at));
    }
}
