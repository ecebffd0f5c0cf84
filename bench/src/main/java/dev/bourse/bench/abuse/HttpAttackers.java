package dev.bourse.bench.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The HTTP attacks of issue 18 on the query side, run inside {@link Attackers}' process: clients
 * that trickle request headers at a byte a second, and clients that read a big answer (the honest
 * firm's activity CSV) a kilobyte a second through a small receive window. Each reconnects when
 * the server closes it; the ATTACK line says how often the server did. And greedy clients that
 * simply ask for heavy answers as fast as they come.
 */
final class HttpAttackers
{
    private static final int CLIENTS = 20;
    private static final int GREEDY_CLIENTS = 16;
    private static final int PIPELINED = 200;

    private HttpAttackers()
    {
    }

    /** {@value #CLIENTS} connections from two addresses, one header byte a second each, for ever. */
    static String slowHeaders(final int port, final long endNanos) throws IOException
    {
        final List<Socket> sockets = new ArrayList<>();
        long connections = 0;
        long closedByServer = 0;
        try
        {
            while (System.nanoTime() < endNanos)
            {
                while (sockets.size() < CLIENTS)
                {
                    final Socket socket = connect(port, "127.0.0." + (60 + sockets.size() % 2));
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    sockets.add(socket);
                    connections++;
                }
                for (int i = sockets.size() - 1; i >= 0; i--)
                {
                    if (!trickle(sockets.get(i)))
                    {
                        closeQuietly(sockets.remove(i));
                        closedByServer++;
                    }
                }
                LockSupport.parkNanos(Math.min(1_000_000_000L, Math.max(0, endNanos - System.nanoTime())));
            }
        }
        finally
        {
            sockets.forEach(HttpAttackers::closeQuietly);
        }
        return "connections=" + connections + " closed.by.server=" + closedByServer;
    }

    /** {@value #CLIENTS} readers of the activity CSV (the most rows one page may have), a kilobyte a second each. */
    static String slowReaders(final int port, final long endNanos, final String account, final String user, final String password)
        throws InterruptedException
    {
        final String request = "GET /api/v1/accounts/" + account + "/activity.csv?limit=100000 HTTP/1.1\r\nHost: bench\r\n" +
            "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) +
            "\r\n\r\n";
        final AtomicLong connections = new AtomicLong();
        final AtomicLong cutOff = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final String from = "127.0.0." + (70 + c % 2);
            final Thread thread = new Thread(() ->
            {
                final byte[] chunk = new byte[1_024];
                while (System.nanoTime() < endNanos)
                {
                    try (Socket socket = new Socket())
                    {
                        socket.setReceiveBufferSize(4_096);
                        socket.bind(new InetSocketAddress(from, 0));
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                        socket.setSoTimeout(1_000);
                        connections.incrementAndGet();
                        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                        final InputStream in = socket.getInputStream();
                        boolean open = true;
                        while (open && System.nanoTime() < endNanos)
                        {
                            try
                            {
                                open = in.read(chunk) != -1;
                            }
                            catch (final SocketTimeoutException e)
                            {
                                // nothing yet
                            }
                            LockSupport.parkNanos(1_000_000_000L);
                        }
                        if (!open)
                        {
                            completed.incrementAndGet(); // the server ended it (its answer was small enough, or a deadline)
                        }
                    }
                    catch (final IOException e)
                    {
                        cutOff.incrementAndGet(); // reset by the server
                    }
                }
            }, "http-slow-reader-" + c);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return "connections=" + connections.get() + " reset.by.server=" + cutOff.get() + " ended.by.server=" + completed.get();
    }

    /**
     * {@value #GREEDY_CLIENTS} clients from one address, each as fast as it is answered: half fetch the
     * activity CSV again and again, half pipeline {@value #PIPELINED} balance requests on a connection
     * and read the answers. Nothing is slow on the wire; the server is simply kept busy.
     */
    static String greedy(final int port, final long endNanos, final String account, final String user, final String password)
        throws InterruptedException
    {
        final String authorization = "Authorization: Basic " +
            Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
        final byte[] csv = ("GET /api/v1/accounts/" + account + "/activity.csv?limit=100000 HTTP/1.1\r\nHost: bench\r\n" +
            authorization + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final String balance = "GET /api/v1/accounts/" + account + "/balances HTTP/1.1\r\nHost: bench\r\n" + authorization;
        final byte[] pipelined = (balance + "\r\n").repeat(PIPELINED - 1).concat(balance + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        final AtomicLong answered = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < GREEDY_CLIENTS; c++)
        {
            final boolean csvClient = c % 2 == 0;
            final Thread thread = new Thread(() ->
            {
                while (System.nanoTime() < endNanos)
                {
                    try (Socket socket = connect(port, "127.0.0.80"))
                    {
                        socket.setSoTimeout(30_000);
                        socket.getOutputStream().write(csvClient ? csv : pipelined);
                        bytes.addAndGet(socket.getInputStream().readAllBytes().length);
                        answered.addAndGet(csvClient ? 1 : PIPELINED);
                    }
                    catch (final IOException e)
                    {
                        failed.incrementAndGet();
                        LockSupport.parkNanos(10_000_000L);
                    }
                }
            }, "http-greedy-" + c);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return "requests.answered=" + answered.get() + " mb.read=" + (bytes.get() >> 20) + " connections.failed=" + failed.get();
    }

    private static Socket connect(final int port, final String from) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    /** One more header byte; false once the server has closed the connection. */
    private static boolean trickle(final Socket socket)
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
                // still open
            }
            socket.getOutputStream().write('X');
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException e)
        {
            // closing anyway
        }
    }
}
