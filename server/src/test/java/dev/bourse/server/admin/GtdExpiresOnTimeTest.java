package dev.bourse.server.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.ClOrdID;
import quickfix.field.ExecType;
import quickfix.field.ExpireTime;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;
import quickfix.field.Side;
import quickfix.field.TimeInForce;
import quickfix.fix44.NewOrderSingle;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A GTD order expires at its ExpireTime (FIX 126), read by the scheduler from the journal, not at
 * the next round of {@code schedule.gtd-expiry-interval}: an outside probe's order, with the
 * default one-minute rounds, traded two seconds after the time its owner gave. Here the rounds are
 * an hour apart, so only the order's own time can expire it before the client's wait runs out.
 */
class GtdExpiresOnTimeTest
{
    @TempDir
    Path temp;

    @Test
    void aGtdOrderExpiresAtItsExpireTimeAndNeverTradesAfterIt() throws Exception
    {
        try (OpsExchange exchange = new OpsExchange(temp.resolve("data"), Map.of("schedule.gtd-expiry-interval", "1h"));
            FixClient alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
            FixClient bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn())
        {
            assertTrue(exchange.log.stream().anyMatch(l -> l.contains("GTD orders expire at their expire times")), exchange.log.toString());
            sellMeetsNothingOnceTheGtdOrderExpired(alice, bob);
        }
    }

    private static void sellMeetsNothingOnceTheGtdOrderExpired(final FixClient alice, final FixClient bob) throws Exception
    {
        final NewOrderSingle gtd = FixClient.limitOrder("T1", Side.BUY, "AAPL", "179", 10);
        gtd.set(new TimeInForce(TimeInForce.GOOD_TILL_DATE));
        gtd.set(new ExpireTime(LocalDateTime.now(ZoneOffset.UTC).plusSeconds(1)));
        alice.send(gtd);
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));

        final Message expired = alice.next(MsgType.EXECUTION_REPORT); // within the client's wait, an hour before the next round
        assertEquals(ExecType.EXPIRED, expired.getChar(ExecType.FIELD), expired.toString());
        assertEquals(OrdStatus.EXPIRED, expired.getChar(OrdStatus.FIELD), expired.toString());
        assertEquals("T1", expired.getString(ClOrdID.FIELD));

        // a sell at its price rests: nothing is left to trade with
        bob.send(FixClient.limitOrder("S1", Side.SELL, "AAPL", "179", 10));
        final Message sell = bob.next(MsgType.EXECUTION_REPORT);
        assertEquals(ExecType.NEW, sell.getChar(ExecType.FIELD), sell.toString());
        assertEquals(0, (int)sell.getDouble(quickfix.field.CumQty.FIELD), sell.toString());
    }
}
