package dev.bourse.server.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.Side;
import quickfix.fix44.NewOrderSingle;

import java.nio.file.Path;

import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A volatility call the engine starts ends on time whatever the schedule: here without a trading
 * day and with GTD orders expiring only at the day's end ({@code schedule.gtd-expiry-interval =
 * 0s}, as {@link OpsExchange} runs), where no scheduler ran and a probe's call never ended.
 */
class VolatilityCallEndsTest
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
    void aVolatilityCallEndsWithoutATradingDayOrPeriodicGtdExpiry() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        assertTrue(exchange.log.stream().anyMatch(l -> l.startsWith("scheduler: no trading day") && l.contains("volatility calls end")),
            exchange.log.toString());
        final OpsExchange.Answer guards = exchange.admin("instruments/AAPL/guards", "dynamicBandBps=100&staticBandBps=0&interruptionMs=500");
        assertEquals(200, guards.status(), guards.body());
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn();

        // a first trade at 190 sets the dynamic band around it; one at 195 would leave it: a volatility call
        bob.send(order("S1", Side.SELL, "190", 1));
        assertEquals(ExecType.NEW, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        alice.send(order("B1", Side.BUY, "190", 1));
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        assertEquals(ExecType.TRADE, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        assertEquals(ExecType.TRADE, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        bob.send(order("S2", Side.SELL, "195", 10));
        assertEquals(ExecType.NEW, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        alice.send(order("B2", Side.BUY, "195", 10));
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD), "no trade: the call starts");

        // the call ends interruptionMs later with its auction, an intraday one (625=6), which trades the crossed orders
        final quickfix.Message fill = alice.next(MsgType.EXECUTION_REPORT);
        assertEquals(ExecType.TRADE, fill.getChar(ExecType.FIELD), fill.toString());
        assertEquals("6", fill.getString(625), "traded in the volatility call's auction: " + fill);
        assertEquals(10, (int)fill.getDouble(quickfix.field.LastQty.FIELD));
        awaitTrue(() -> exchange.phase("AAPL").contains("\"CONTINUOUS\""), "trading goes on (phase " + exchange.phase("AAPL") + ")");
    }

    private static NewOrderSingle order(final String clOrdId, final char side, final String price, final int qty)
    {
        return FixClient.limitOrder(clOrdId, side, "AAPL", price, qty);
    }
}
