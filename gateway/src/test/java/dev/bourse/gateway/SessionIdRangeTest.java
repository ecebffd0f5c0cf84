package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

/** Gateways on one engine (a cluster) hand out session ids from ranges of their own, so ids never collide. */
class SessionIdRangeTest
{
    private TestExchange exchange;

    @AfterEach
    void close() throws IOException
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void sessionsGetIdsFromTheGatewaysRange() throws IOException
    {
        final int first = (3 << 24) + 1;
        exchange = new TestExchange(ctx -> ctx.firstSessionId(first), 1024, true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"); FixClient bob = new FixClient(exchange.port(), "BOB"))
        {
            alice.logonOk("alice");
            bob.logonOk("bob");
            alice.send("D", "11=a1|55=ACME|54=1|38=100|40=2|44=100|");
            assertEquals("0", alice.expect("8").get(150));
            bob.send("D", "11=b1|55=ACME|54=1|38=100|40=2|44=100|");
            assertEquals("0", bob.expect("8").get(150));
        }
        assertEquals(1, exchange.countEvents("OrderAccepted", "sessionId=" + first + "|"));
        assertEquals(1, exchange.countEvents("OrderAccepted", "sessionId=" + (first + 1) + "|"));
    }
}
