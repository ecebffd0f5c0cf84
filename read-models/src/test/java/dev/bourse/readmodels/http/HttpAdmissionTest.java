package dev.bourse.readmodels.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 18's HTTP attacks over real sockets against a server with two request threads: clients
 * trickling request headers a byte at a time, slow readers of a big response, and one address
 * opening too many connections. Meanwhile an honest client's fresh requests (and /metrics) are all
 * answered; the server closes the abusers itself; connections and file descriptors come back to
 * where they were.
 */
class HttpAdmissionTest
{
    /** Bigger than any kernel socket buffer, so the writer must wait; direct, so no request copies it. */
    private static final ByteBuffer BIG = ByteBuffer.allocateDirect(24 << 20);
    /** About the size of a big account's activity CSV: small enough for an unbounded kernel send buffer to swallow. */
    private static final ByteBuffer MEDIUM = ByteBuffer.allocateDirect(1 << 20);
    private static final int HONEST_REQUESTS = 10;

    private WebServer server;
    private final List<Socket> abusers = new ArrayList<>();
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : abusers)
        {
            socket.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private void start(final HttpLimits limits) throws IOException
    {
        server = new WebServer("127.0.0.1", 0, limits, "admission-test").log(log::add).handler(new Handler.Abstract()
        {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback)
            {
                final String path = request.getHttpURI().getPath();
                final ByteBuffer body = "/big".equals(path) ? BIG.duplicate() : "/medium".equals(path) ? MEDIUM.duplicate()
                    : ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII));
                response.setStatus(200);
                response.getHeaders().put("Content-Length", body.remaining());
                response.write(true, body, callback);
                return true;
            }
        }).start();
    }

    /** Two request threads, as the issue's `query.threads`; short deadlines so the test stays quick. */
    /**
     * No budget per address: twenty slow readers of a 24 MB answer from one address would spend it
     * (AddressBudgetTest), and the deadlines are what these tests are about.
     */
    private static HttpLimits limits()
    {
        return new HttpLimits(2, 1_024, 30_000, 1_000, 10_000, 8_192, 1_024).withAdmission(64, 1_500).withBudget(0, 1);
    }

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {2, 20})
    void headerTricklersAreClosedWhileHonestRequestsAreAnswered(final int tricklers) throws Exception
    {
        start(limits());
        final long fds = openFileDescriptors();
        for (int i = 0; i < tricklers; i++)
        {
            final Socket socket = connect("127.0.0.2");
            if (i % 2 == 1)
            {
                // half of them behave for one request, then trickle the next on the kept-alive connection
                send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(readResponse(socket).startsWith("HTTP/1.1 200 "));
            }
            send(socket, "GET / HTTP/1.1\r\n");
            abusers.add(socket);
        }
        final AtomicInteger closedByServer = new AtomicInteger();
        final Thread trickle = new Thread(() ->
        {
            // one header byte per second each, for as long as the server lets them
            final long end = System.nanoTime() + 30_000_000_000L;
            while (closedByServer.get() < tricklers && System.nanoTime() < end)
            {
                int closed = 0;
                for (final Socket socket : abusers)
                {
                    closed += trickleOneByte(socket) ? 0 : 1;
                }
                closedByServer.set(closed);
                LockSupport.parkNanos(1_000_000_000L);
            }
        }, "tricklers");
        trickle.start();

        honestRequestsAreAnswered();
        trickle.join();
        assertEquals(tricklers, closedByServer.get(), "the server closed every trickler");
        assertEquals(tricklers, server.headerTimeouts());
        assertFalse(log.isEmpty(), "the header timeouts are logged");
        closeAbusersAndAwaitBaseline(fds);
    }

    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {2, 20})
    void slowReadersOfABigResponseAreCutOffWhileHonestRequestsAreAnswered(final int readers) throws Exception
    {
        start(limits());
        final long fds = openFileDescriptors();
        final List<Thread> threads = new ArrayList<>();
        final AtomicInteger cutOff = new AtomicInteger();
        for (int i = 0; i < readers; i++)
        {
            final Socket socket = new Socket();
            socket.setReceiveBufferSize(4_096);
            socket.bind(new InetSocketAddress("127.0.0.3", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            abusers.add(socket);
            send(socket, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            final Thread reader = new Thread(() ->
            {
                if (readSlowlyUntilClosed(socket))
                {
                    cutOff.incrementAndGet();
                }
            }, "slow-reader-" + i);
            reader.start();
            threads.add(reader);
        }

        honestRequestsAreAnswered();
        for (final Thread reader : threads)
        {
            reader.join();
        }
        assertEquals(readers, cutOff.get(), "the server cut off every slow reader before the end of its response");
        assertEquals(readers, server.writeTimeouts());
        closeAbusersAndAwaitBaseline(fds);
    }

    /**
     * A client that never reads a 1 MB answer: with the system's send buffer the kernel took all of it,
     * the write deadline never fired and the bytes stayed in the kernel after the connection was counted
     * closed (an outside probe held 96 MB so from one address). The bounded send buffer keeps the answer
     * in the server, where the deadline cuts the reader off with a reset.
     */
    @Test
    void aReaderThatNeverReadsAMegabyteAnswerIsCutOffByTheWriteDeadline() throws Exception
    {
        start(limits());
        try (Socket socket = new Socket())
        {
            socket.setReceiveBufferSize(4_096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            send(socket, "GET /medium HTTP/1.1\r\nHost: x\r\n\r\n");
            await(() -> server.writeTimeouts() == 1, "the write deadline cut the reader off");
        }
    }

    /**
     * With the defaults' order, a request idle timeout (body-timeout) shorter than the write deadline:
     * the write deadline still cuts a stalled reader off, with its reset and its count; the idle
     * timeout closed it first, gracefully, leaving the answer in the kernel and nothing counted (a probe).
     */
    @Test
    void aBodyTimeoutShorterThanTheWriteDeadlineDoesNotPreemptIt() throws Exception
    {
        start(new HttpLimits(2, 1_024, 30_000, 1_000, 300, 8_192, 1_024).withAdmission(64, 1_500));
        try (Socket socket = new Socket())
        {
            socket.setReceiveBufferSize(4_096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            send(socket, "GET /medium HTTP/1.1\r\nHost: x\r\n\r\n");
            await(() -> server.writeTimeouts() == 1, "the write deadline cut the reader off");
        }
    }

    @Test
    void oneAddressGetsAtMostItsCapOfConnectionsAndOthersAreServed() throws Exception
    {
        start(new HttpLimits(2, 1_024, 30_000, 5_000, 10_000, 8_192, 1_024).withAdmission(4, 5_000));
        final long fds = openFileDescriptors();
        for (int i = 0; i < 10; i++)
        {
            abusers.add(connect("127.0.0.4"));
        }
        int refused = 0;
        for (final Socket socket : abusers)
        {
            socket.setSoTimeout(300);
            try
            {
                refused += socket.getInputStream().read() == -1 ? 1 : 0;
            }
            catch (final SocketTimeoutException e)
            {
                // held open: within the cap
            }
            catch (final IOException e)
            {
                refused++; // reset
            }
        }
        assertEquals(6, refused, "connections beyond the address's 4 are closed at once");
        await(() -> server.refusedPerAddress() == 6, "six refusals counted");
        honestRequestsAreAnswered();
        closeAbusersAndAwaitBaseline(fds);
        assertTrue(honestRequest("127.0.0.4").startsWith("HTTP/1.1 200 "), "the address gets its slots back");
    }

    // ------------------------------------------------------------------ the honest side and the baseline

    /** Fresh connections from another address, one request each, a metrics scrape among them: every one answered. */
    private void honestRequestsAreAnswered() throws IOException
    {
        for (int i = 0; i < HONEST_REQUESTS; i++)
        {
            final String answer = honestRequest("127.0.0.1");
            assertTrue(answer.startsWith("HTTP/1.1 200 "), "honest request " + i + ": " + answer);
        }
    }

    private String honestRequest(final String from) throws IOException
    {
        try (Socket socket = connect(from))
        {
            send(socket, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return readResponse(socket);
        }
    }

    private void closeAbusersAndAwaitBaseline(final long fds) throws IOException
    {
        for (final Socket socket : abusers)
        {
            socket.close();
        }
        abusers.clear();
        await(() -> server.connections() == 0, "connections back to none");
        await(() -> openFileDescriptors() <= fds, "file descriptors back to " + fds);
    }

    // ------------------------------------------------------------------ sockets

    private Socket connect(final String from) throws IOException
    {
        return TestSockets.connectFrom(from, server.port(), 20_000);
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** A whole small response (headers and a Content-Length body) as text. */
    private static String readResponse(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder text = new StringBuilder();
        int contentLength = -1;
        while (!text.toString().endsWith("\r\n\r\n"))
        {
            final int c = in.read();
            if (c == -1)
            {
                return text.toString();
            }
            text.append((char)c);
        }
        for (final String line : text.toString().split("\r\n"))
        {
            if (line.toLowerCase().startsWith("content-length:"))
            {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < contentLength; i++)
        {
            text.append((char)in.read());
        }
        return text.toString();
    }

    /** Sends one more header byte; false once the server has closed the connection. */
    private static boolean trickleOneByte(final Socket socket)
    {
        try
        {
            socket.setSoTimeout(1);
            try
            {
                if (socket.getInputStream().read() == -1)
                {
                    return false;
                }
            }
            catch (final SocketTimeoutException e)
            {
                // nothing to read: still open
            }
            socket.getOutputStream().write('X');
            socket.getOutputStream().flush();
            return true;
        }
        catch (final IOException e)
        {
            return false; // reset by the server
        }
    }

    /**
     * Reads 1 KB every 100 ms (the whole answer would take minutes); true if the server closed the
     * connection before the answer's end, false if it was still open after 30 s or all was read.
     */
    private static boolean readSlowlyUntilClosed(final Socket socket)
    {
        final byte[] chunk = new byte[1_024];
        long total = 0;
        final long end = System.nanoTime() + 30_000_000_000L;
        try
        {
            final InputStream in = socket.getInputStream();
            while (System.nanoTime() < end)
            {
                final int n = in.read(chunk);
                if (n == -1)
                {
                    return total < BIG.capacity();
                }
                total += n;
                LockSupport.parkNanos(100_000_000L);
            }
            return false;
        }
        catch (final IOException e)
        {
            return true; // reset by the server
        }
    }

    private static long openFileDescriptors()
    {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long end = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > end)
            {
                fail("not reached in 20 s: " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
