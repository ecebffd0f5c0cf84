package dev.bourse.gateway;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the gateway thread allocates per message over TLS in steady state. The gateway's own part
 * (its buffers, ciphertext in and out, decrypted text) is pooled and allocates nothing; the JDK's
 * SSLEngine allocates a little per record it wraps or unwraps (its SSLEngineResult, a record
 * holder, the AES-GCM nonce), which this test measures and bounds so a regression that copies or
 * grows buffers per message shows up. The figure is printed (docs/TLS.md quotes it).
 */
class TlsAllocationTest
{
    private static final int MESSAGES = Integer.getInteger("bourse.gateway.tls.alloc.messages", 200_000);
    /** Per inbound message and its report: two or three records through the engine. */
    private static final long BOUND_BYTES_PER_MESSAGE = 1_024;

    @Test
    void steadyStateTlsAllocatesOnlyTheJdkEnginesSmallPerRecordObjects() throws Exception
    {
        try (TestExchange exchange = new TestExchange(ctx -> ctx.rateLimitPerSecond(10_000_000).rateLimitBurst(10_000_000)
            .outboundBufferLimit(1 << 28).tls(TestTls.settings("TLSv1.3")).tlsPort(0), 1 << 16, true))
        {
            final Thread gatewayThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("bourse-gateway")).findFirst().orElseThrow();
            final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            try (SSLSocket socket = TestTls.connect(exchange.gateway.tlsPort(), "TLSv1.3"))
            {
                socket.setTcpNoDelay(true);
                final AtomicLong reports = new AtomicLong();
                final Thread reader = new Thread(() -> GatewayAllocationTest.drain(socketInput(socket), reports), "test-reader");
                reader.setDaemon(true);
                reader.start();
                final GatewayAllocationTest.Sender sender = new GatewayAllocationTest.Sender(socket.getOutputStream());
                sender.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
                GatewayAllocationTest.await(reports, 1);

                final int warmUp = 100_000;
                sender.ordersAndCancels(0, warmUp);
                GatewayAllocationTest.await(reports, 1 + warmUp);

                final long before = threads.getThreadAllocatedBytes(gatewayThread.getId());
                sender.ordersAndCancels(warmUp, MESSAGES);
                GatewayAllocationTest.await(reports, 1 + warmUp + MESSAGES);
                final long allocated = threads.getThreadAllocatedBytes(gatewayThread.getId()) - before;
                System.out.printf("gateway thread over TLS allocated %,d bytes over %,d inbound messages and their reports: %.1f bytes a message%n",
                    allocated, MESSAGES, allocated / (double)MESSAGES);
                assertTrue(allocated < BOUND_BYTES_PER_MESSAGE * MESSAGES, "gateway thread allocated " + allocated + " bytes over " +
                    MESSAGES + " messages over TLS");
            }
        }
    }

    private static java.io.InputStream socketInput(final SSLSocket socket)
    {
        try
        {
            return socket.getInputStream();
        }
        catch (final java.io.IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
