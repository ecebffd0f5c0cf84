package dev.bourse.readmodels.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One address busy with slow requests holds only its share of the request threads: the others
 * answer another address at once, and its own further requests wait, holding no thread, until
 * one of its own finishes.
 */
class ThreadsPerAddressTest
{
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger slowEntered = new AtomicInteger();
    private WebServer server;

    @AfterEach
    void stop()
    {
        release.countDown();
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void aBusyAddressLeavesTheOtherThreadsToEveryoneElse() throws Exception
    {
        start(new HttpLimits(2, 64, 30_000, 10_000, 10_000, 8_192, 1_024).withThreadsPerAddress(1));
        try (Socket first = connect("127.0.0.2"); Socket second = connect("127.0.0.2"); Socket honest = connect("127.0.0.1"))
        {
            TestSockets.sendGet(first, "/slow");
            awaitEntered(1);
            // over its share of one thread: waits for its own first request, not for a thread of the pool
            TestSockets.sendGet(second, "/slow");
            TestSockets.sendGet(honest, "/fast");
            assertTrue(TestSockets.readAll(honest).startsWith("HTTP/1.1 200"), "another address is answered while the busy one waits");
            assertEquals(1, slowEntered.get(), "the busy address's second request has not taken the other thread");
            release.countDown();
            assertTrue(TestSockets.readAll(first).contains("slow"));
            assertTrue(TestSockets.readAll(second).contains("slow"), "its waiting request runs once its own first one is done");
            assertEquals(2, slowEntered.get());
        }
    }

    @Test
    void theShareIsCheckedAgainstThePool()
    {
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new HttpLimits(2, 64, 30_000, 10_000, 10_000, 8_192, 1_024).withThreadsPerAddress(3).validate());
        assertTrue(e.getMessage().contains("max threads per address must be 1..threads (2), not 3"), e.getMessage());
        assertEquals(2, HttpLimits.DEFAULTS.maxThreadsPerAddress(), "half of the default four threads");
        assertEquals(1, HttpLimits.DEFAULTS.withThreads(1).maxThreadsPerAddress());
        assertEquals(4, HttpLimits.DEFAULTS.withThreads(8).maxThreadsPerAddress());
    }

    private void start(final HttpLimits limits) throws IOException
    {
        server = new WebServer("127.0.0.1", 0, limits, "test").handler(new Handler.Abstract()
        {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback) throws Exception
            {
                final boolean slow = request.getHttpURI().getPath().equals("/slow");
                if (slow)
                {
                    slowEntered.incrementAndGet();
                    release.await(60, TimeUnit.SECONDS);
                }
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap((slow ? "slow" : "fast").getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        }).start();
    }

    private void awaitEntered(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (slowEntered.get() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, slowEntered.get());
    }

    private Socket connect(final String from) throws IOException
    {
        return TestSockets.connectFrom(from, server.port(), 30_000);
    }
}
