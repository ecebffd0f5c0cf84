package dev.bourse.gateway;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gateway thread allocates nothing per message in steady state: a session sends a million
 * NewOrderSingle and OrderCancelRequest messages (and gets their execution reports, written from
 * the Chronicle journal) after a warm-up, and the bytes the gateway thread allocated meanwhile,
 * from the JVM's per-thread allocation counter, stay under a small bound (the session store's
 * file growing, not a per-message cost).
 */
class GatewayAllocationTest
{
    private static final int MESSAGES = Integer.getInteger("bourse.gateway.alloc.messages", 1_000_000);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @Test
    void aMillionOrdersAndCancelsAllocateNothingPerMessageOnTheGatewayThread() throws Exception
    {
        run(ctx -> { }, MESSAGES);
    }

    /** As on a cluster: every 256 messages the session's next outbound numbers are reserved in the journal. */
    @Test
    void reservingOutboundNumbersAllocatesNothingEither() throws Exception
    {
        run(ctx -> ctx.sessionHandover(true).gatewayId(1).sequenceReservationBlock(256), MESSAGES / 4);
    }

    private static void run(final java.util.function.Consumer<GatewayContext> config, final int messages) throws Exception
    {
        // a large outbound limit: on a loaded machine the reading thread can fall far behind, and this test is about allocation
        try (TestExchange exchange = new TestExchange(ctx ->
        {
            ctx.rateLimitPerSecond(10_000_000).rateLimitBurst(10_000_000).outboundBufferLimit(1 << 28);
            config.accept(ctx);
        }, 1 << 16, true))
        {
            final Thread gatewayThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("bourse-gateway")).findFirst().orElseThrow();
            final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", exchange.port()));
                socket.setTcpNoDelay(true);
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                final AtomicLong reports = new AtomicLong();
                final Thread reader = new Thread(() -> drain(in, reports), "test-reader");
                reader.setDaemon(true);
                reader.start();
                final Sender sender = new Sender(out);
                sender.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
                await(reports, 1);

                final int warmUp = 200_000;
                sender.ordersAndCancels(0, warmUp);
                await(reports, 1 + warmUp);

                final long before = threads.getThreadAllocatedBytes(gatewayThread.getId());
                sender.ordersAndCancels(warmUp, messages);
                await(reports, 1 + warmUp + messages);
                final long allocated = threads.getThreadAllocatedBytes(gatewayThread.getId()) - before;
                System.out.printf("gateway thread allocated %,d bytes over %,d inbound messages and %,d reports%n",
                    allocated, messages, reports.get() - 1 - warmUp);
                assertTrue(allocated < 256 * 1024, "gateway thread allocated " + allocated + " bytes over " + messages + " messages");
            }
        }
    }

    static void await(final AtomicLong reports, final long target) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 180_000_000_000L;
        long last = -1;
        long lastChange = System.nanoTime();
        while (reports.get() < target)
        {
            final long now = System.nanoTime();
            if (reports.get() != last)
            {
                last = reports.get();
                lastChange = now;
            }
            assertTrue(now < deadline && now - lastChange < 10_000_000_000L,
                "answers stopped at " + reports.get() + " of " + target);
            Thread.sleep(5);
        }
    }

    /** Counts answers (every message but Heartbeat and TestRequest) without keeping anything. */
    static void drain(final InputStream in, final AtomicLong reports)
    {
        final byte[] buffer = new byte[1 << 16];
        int state = 0; // matches SOH 3 5 = 8
        try
        {
            int n;
            while ((n = in.read(buffer)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    final byte b = buffer[i];
                    switch (state)
                    {
                        case 0 -> state = b == 1 ? 1 : 0;
                        case 1 -> state = b == '3' ? 2 : b == 1 ? 1 : 0;
                        case 2 -> state = b == '5' ? 3 : b == 1 ? 1 : 0;
                        case 3 -> state = b == '=' ? 4 : b == 1 ? 1 : 0;
                        default ->
                        {
                            if (b != '0' && b != '1')
                            {
                                reports.incrementAndGet();
                            }
                            state = b == 1 ? 1 : 0;
                        }
                    }
                }
            }
        }
        catch (final java.io.IOException ignored)
        {
            // socket closed at the end of the test
        }
    }

    /** Builds and writes FIX messages in batches (allocation here is the test's, not the gateway's). */
    static final class Sender
    {
        private final OutputStream out;
        private final StringBuilder batch = new StringBuilder(1 << 20);
        private int seq = 1;
        private String time = TIME.format(Instant.now());

        Sender(final OutputStream out)
        {
            this.out = out;
        }

        void send(final String type, final String fields) throws Exception
        {
            append(type, fields);
            flush();
        }

        /** Messages [from, from + count): even ones buy 1 ACME at 90 (rests), odd ones cancel the one before. */
        void ordersAndCancels(final int from, final int count) throws Exception
        {
            for (int i = from; i < from + count; i++)
            {
                if ((i & 1023) == 0)
                {
                    time = TIME.format(Instant.now());
                }
                if ((i & 1) == 0)
                {
                    append("D", "11=o" + i + "|55=ACME|54=1|38=1|40=2|44=90|59=1|");
                }
                else
                {
                    append("F", "11=o" + i + "|41=o" + (i - 1) + "|55=ACME|54=1|");
                }
                if (batch.length() > 60_000)
                {
                    flush();
                }
            }
            flush();
        }

        private void append(final String type, final String fields)
        {
            final String body = ("35=" + type + "|49=ALLOC|56=BOURSE|34=" + seq++ + "|52=" + time + "|" + fields).replace('|', '\u0001');
            final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001" + body;
            int sum = 0;
            for (int i = 0; i < head.length(); i++)
            {
                sum += head.charAt(i);
            }
            batch.append(head).append("10=").append((char)('0' + (sum & 0xFF) / 100)).append((char)('0' + (sum & 0xFF) / 10 % 10))
                .append((char)('0' + (sum & 0xFF) % 10)).append('\u0001');
        }

        private void flush() throws Exception
        {
            out.write(batch.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            batch.setLength(0);
        }
    }
}
