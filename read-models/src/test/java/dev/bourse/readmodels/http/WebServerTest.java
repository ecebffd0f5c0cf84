package dev.bourse.readmodels.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The listener's limits hold against clients that send too slowly, too much, or too many connections. */
class WebServerTest
{
    private WebServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private void start(final HttpLimits limits) throws IOException
    {
        server = new WebServer("127.0.0.1", 0, limits, "test").handler(new Handler.Abstract()
        {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback)
            {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        }).start();
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffAtTheHeaderDeadlineThoughNeverIdle() throws Exception
    {
        start(new HttpLimits(2, 16, 30_000, 300, 10_000, 8_192, 1_024));
        try (Socket socket = connect())
        {
            final OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            final long deadline = System.nanoTime() + 20_000_000_000L;
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline)
            {
                try
                {
                    out.write('X'); // one header byte at a time, well within the 30 s idle timeout
                    out.flush();
                    socket.setSoTimeout(100);
                    closed = socket.getInputStream().read() == -1;
                }
                catch (final SocketTimeoutException e)
                {
                    // still open: trickle on
                }
                catch (final IOException e)
                {
                    closed = true; // reset by the server
                }
            }
            assertTrue(closed, "the server closes a connection whose first request headers never complete");
        }
    }

    @Test
    void aRequestBodyOverTheLimitIsRefusedWith413() throws Exception
    {
        start(new HttpLimits(2, 16, 30_000, 5_000, 5_000, 8_192, 16));
        // every method: Jetty writes an error body for GET, POST and HEAD only, so a PUT's 413 went out empty (an outside probe)
        for (final String method : new String[]{"POST", "GET", "PUT", "PATCH", "DELETE", "OPTIONS"})
        {
            try (Socket socket = connect())
            {
                send(socket, method + " / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "y".repeat(1000));
                assertTrue(readStatusLine(socket).contains(" 413 "), method);
                final String rest = readRest(socket);
                assertTrue(rest.contains("application/json") && rest.contains("\"error\":\"body_too_large\""), method + ", a JSON error: " + rest);
            }
        }
    }

    /** A fuzzing probe's chunked body of 100 KB (and one announcing 2^64 bytes) was served: the limit was Content-Length's only. */
    @Test
    void aChunkedRequestBodyOverTheLimitIsRefusedWith413AndOneWithinItServed() throws Exception
    {
        start(new HttpLimits(2, 16, 30_000, 5_000, 5_000, 8_192, 16));
        try (Socket socket = connect())
        {
            send(socket, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3E8\r\n" + "y".repeat(1000) + "\r\n0\r\n\r\n");
            assertTrue(readStatusLine(socket).contains(" 413 "));
            final String rest = readRest(socket);
            assertTrue(rest.contains("\"error\":\"body_too_large\""), "a JSON error: " + rest);
        }
        try (Socket socket = connect())
        {
            send(socket, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n" + "y".repeat(1000));
            final String status = readStatusLine(socket);
            assertTrue(status.contains(" 413 ") || status.contains(" 400 "), status);
        }
        try (Socket socket = connect())
        {
            send(socket, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nyyyy\r\n0\r\n\r\n");
            assertTrue(readStatusLine(socket).contains(" 200 "), "a small chunked body is within the limit");
        }
    }

    @Test
    void headersOverTheLimitAreRefused() throws Exception
    {
        start(new HttpLimits(2, 16, 30_000, 5_000, 5_000, 1_024, 1_024));
        try (Socket socket = connect())
        {
            send(socket, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "z".repeat(4_000) + "\r\n\r\n");
            assertTrue(readStatusLine(socket).contains(" 431 "));
            final String rest = readRest(socket);
            assertTrue(rest.contains("application/json") && rest.contains("\"error\":\"headers_too_large\""), "a JSON error: " + rest);
        }
    }

    @Test
    void connectionsOverTheCapWaitUntilOneCloses() throws Exception
    {
        start(new HttpLimits(2, 2, 30_000, 5_000, 5_000, 8_192, 1_024));
        final Socket first = connect();
        final Socket second = connect();
        send(first, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        send(second, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(readStatusLine(first).contains(" 200 "));
        assertTrue(readStatusLine(second).contains(" 200 "));
        try (Socket third = connect())
        {
            send(third, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            third.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> third.getInputStream().read(),
                "the third connection is not served while two are open");
            first.close();
            third.setSoTimeout(20_000);
            assertTrue(readStatusLine(third).contains(" 200 "), "served once a slot frees up");
        }
        finally
        {
            second.close();
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void send(final Socket socket, final String request) throws IOException
    {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Headers and body after the status line, up to the close (or a quiet second: the answer is complete by then). */
    private static String readRest(final Socket socket) throws IOException
    {
        socket.setSoTimeout(1_000);
        final InputStream in = socket.getInputStream();
        final StringBuilder rest = new StringBuilder();
        try
        {
            for (int c = in.read(); c != -1; c = in.read())
            {
                rest.append((char)c);
            }
        }
        catch (final java.net.SocketTimeoutException e)
        {
            // the server kept the connection open: what came is the whole answer
        }
        return rest.toString();
    }

    private static String readStatusLine(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read())
        {
            line.append((char)c);
        }
        return line.toString();
    }
}
