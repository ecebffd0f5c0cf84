package dev.bourse.server.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.Side;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A halted opening call lifted into continuous trading uncrosses, and that auction opens the
 * instrument (ENGINE-RULES.md): its fills say so with TradingSessionSubID (625) 2, where an outside
 * tester found 6, the intraday auctions' value, because the engine names the call it ends HALTED.
 */
class HaltedOpeningAuctionTest
{
    @TempDir
    Path temp;

    private OpsExchange exchange;
    private FixClient alice;
    private FixClient bob;

    @AfterEach
    void tearDown()
    {
        for (final AutoCloseable c : new AutoCloseable[]{alice, bob, exchange})
        {
            try
            {
                if (c != null)
                {
                    c.close();
                }
            }
            catch (final Exception ignored)
            {
            }
        }
    }

    @Test
    void theAuctionThatLiftsAHaltedOpeningCallIsTheOpeningAuction() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        final OpsExchange.Answer call = exchange.admin("instruments/AAPL/phase", "phase=opening-call");
        assertEquals(200, call.status(), call.body());
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn();

        bob.send(FixClient.limitOrder("S1", Side.SELL, "AAPL", "189", 5));
        assertEquals(ExecType.NEW, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        alice.send(FixClient.limitOrder("B1", Side.BUY, "AAPL", "191", 5));
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD), "a call: no trade yet");

        final OpsExchange.Answer halt = exchange.admin("instruments/AAPL/halt", null);
        assertEquals(200, halt.status(), halt.body());
        final OpsExchange.Answer resume = exchange.admin("instruments/AAPL/resume", null);
        assertEquals(200, resume.status(), resume.body());

        final quickfix.Message fill = alice.next(MsgType.EXECUTION_REPORT);
        assertEquals(ExecType.TRADE, fill.getChar(ExecType.FIELD), fill.toString());
        assertEquals("2", fill.getString(625), "the auction that opens the instrument: " + fill);
        final quickfix.Message other = bob.next(MsgType.EXECUTION_REPORT);
        assertEquals("2", other.getString(625), other.toString());
    }
}
