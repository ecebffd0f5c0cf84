package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What a client could not take at once is written as soon as it reads, not when the gateway next
 * has something else to do: an idle gateway thread blocks in its selector, and used to be woken
 * only by incoming bytes, so a client draining a backlog got one socket's worth per block (10 ms
 * at the defaults) while nothing else happened. Here the block is a minute: only the socket
 * turning writable can wake the thread in time.
 */
class BacklogDeliveryTest
{
    private static final int ANSWERS = 5_000;
    private TestExchange exchange;

    @AfterEach
    void tearDown() throws IOException
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void aBacklogIsWrittenAsTheClientReadsItWithNothingElseToWakeTheGateway() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.idleStrategy(GatewayContext.SELECT).selectBlockMs(TimeUnit.MINUTES.toMillis(1))
            .rateLimitPerSecond(10_000_000).rateLimitBurst(10_000_000).outboundBufferLimit(16 << 20));
        try (FixClient client = new FixClient(exchange.port(), "ALICE", 4096))
        {
            client.logonOk("alice");
            // about 5 MB of Heartbeats asked for and not read: more than the two sockets' buffers hold, even autotuned
            final String bigId = "x".repeat(900);
            for (int i = 0; i < ANSWERS; i++)
            {
                client.send("1", "112=" + i + bigId + "|");
            }
            int heartbeats = 0;
            while (heartbeats < ANSWERS)
            {
                final Map<Integer, String> m = client.read(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
                assertNotNull(m, "the backlog stopped after " + heartbeats + " of " + ANSWERS + " Heartbeats");
                if ("0".equals(m.get(35)))
                {
                    assertEquals(heartbeats + bigId, m.get(112));
                    heartbeats++;
                }
            }
        }
    }
}
