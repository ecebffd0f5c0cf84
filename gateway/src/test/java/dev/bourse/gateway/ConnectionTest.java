package dev.bourse.gateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.*;

/** A connection's outbound queue over a real socket whose reader is slower than the writer. */
class ConnectionTest
{
    /** A loopback socket pair: the client's end, and the server's end non-blocking as the gateway has it. */
    private static final class Loopback implements AutoCloseable
    {
        final ServerSocketChannel server;
        final Socket client = new Socket();
        final SocketChannel channel;

        Loopback(final int clientReceiveBuffer) throws java.io.IOException
        {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            if (clientReceiveBuffer > 0)
            {
                client.setReceiveBufferSize(clientReceiveBuffer);
            }
            client.connect(server.getLocalAddress());
            channel = server.accept();
            channel.configureBlocking(false);
        }

        @Override
        public void close() throws java.io.IOException
        {
            channel.close();
            client.close();
            server.close();
        }
    }

    @Test
    void whatTheSocketDoesNotTakeIsWrittenLaterInOrderAndWhole() throws Exception
    {
        try (Loopback loopback = new Loopback(4096))
        {
            final Socket client = loopback.client;
            final SocketChannel channel = loopback.channel;
            final Connection connection = new Connection(1, channel, "127.0.0.1", 1024, 1 << 20, 0);

            // queue 600 KB of numbered bytes while the client reads nothing: the socket takes only part of it
            final byte[] chunk = new byte[1000];
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            int written = 0;
            for (int i = 0; i < 600; i++)
            {
                for (int j = 0; j < chunk.length; j++)
                {
                    chunk[j] = (byte)(i * 31 + j);
                }
                assertTrue(connection.enqueue(new UnsafeBuffer(chunk), 0, chunk.length));
                expected.write(chunk);
                if (i % 50 == 0)
                {
                    written += Math.max(0, connection.write());
                }
            }
            assertTrue(connection.pendingOutbound() > 0, "the slow client left some queued");
            assertEquals(600_000, written + connection.pendingOutbound());

            // the client reads everything while the connection writes the rest
            final byte[] received = new byte[600_000];
            final InputStream in = client.getInputStream();
            int read = 0;
            while (read < received.length)
            {
                connection.write();
                client.setSoTimeout(100);
                try
                {
                    final int n = in.read(received, read, received.length - read);
                    assertTrue(n > 0);
                    read += n;
                }
                catch (final java.net.SocketTimeoutException e)
                {
                    // write again
                }
            }
            assertEquals(0, connection.pendingOutbound());
            assertArrayEquals(expected.toByteArray(), received);
            channel.close();
        }
    }

    @Test
    void aClientThatLeftBytesUnreadIsHeldAtTheLimitWithRoomForTheFinalMessage() throws Exception
    {
        try (Loopback loopback = new Loopback(4096))
        {
            final Socket client = loopback.client;
            final SocketChannel channel = loopback.channel;
            final int limit = 4 << 20;
            final Connection connection = new Connection(1, channel, "127.0.0.1", 1024, limit, 0);
            final UnsafeBuffer kilobyte = new UnsafeBuffer(new byte[1024]);
            for (int i = 0; i < limit / 1024; i++)
            {
                assertTrue(connection.enqueue(kilobyte, 0, 1024));
            }
            connection.write(); // the socket takes a part: the rest stays, unread
            assertTrue(connection.pendingOutbound() > 0);
            while (connection.enqueue(kilobyte, 0, 1024))
            {
                assertTrue(connection.pendingOutbound() <= limit, "no burst for a client that had left bytes unread");
            }
            assertTrue(connection.enqueueFinal(kilobyte, 0, Connection.FINAL_MESSAGE_RESERVE));
            assertFalse(connection.enqueueFinal(kilobyte, 0, 1));
            channel.close();
        }
    }

    /**
     * One command's reports for a session (a sweep of 20,000 resting orders: 4 MiB) cut off a client
     * that read everything at full speed; a client that had read all it was sent takes such a burst
     * beyond the limit, and more while it keeps reading, and the buffer goes back to its size after.
     */
    @Test
    void aClientThatReadEverythingTakesABurstBeyondTheLimitWhileItKeepsReading() throws Exception
    {
        try (Loopback loopback = new Loopback(0))
        {
            final Socket client = loopback.client;
            final SocketChannel channel = loopback.channel;
            final int limit = 64 * 1024;
            final Connection connection = new Connection(1, channel, "127.0.0.1", 1024, limit, 0);
            final UnsafeBuffer kilobyte = new UnsafeBuffer(new byte[1024]);
            for (int i = 0; i < 3 * limit / 1024; i++)
            {
                assertTrue(connection.enqueue(kilobyte, 0, 1024), "a burst of three times the limit, at " + i);
            }
            assertTrue(connection.inBurst());
            final InputStream in = client.getInputStream();
            final byte[] sink = new byte[1 << 16];
            long read = 0;
            final long total = 3L * limit + 64 * 1024;
            int more = 64;
            while (read < total)
            {
                connection.write();
                if (more > 0 && connection.enqueue(kilobyte, 0, 1024))
                {
                    more--; // the burst goes on while the client reads
                }
                client.setSoTimeout(100);
                try
                {
                    read += in.read(sink);
                }
                catch (final java.net.SocketTimeoutException e)
                {
                    // write again
                }
            }
            assertEquals(0, more);
            assertEquals(0, connection.pendingOutbound());
            assertFalse(connection.inBurst());
            assertTrue(connection.enqueue(kilobyte, 0, 1024));
            connection.write();

            final UnsafeBuffer huge = new UnsafeBuffer(new byte[Connection.BURST_FACTOR * limit + 1]);
            assertFalse(connection.enqueue(huge, 0, huge.capacity()), "a burst has its bound too");
            channel.close();
        }
    }

    /**
     * A probe's sweeper, reading all along, was cut off after 82,811 of 100,000 fills on a loaded
     * machine: the stall was measured from the burst's start, so the time the gateway took to queue
     * the reports counted against the client. It is measured from the first write it took nothing of.
     */
    @Test
    void aBurstStallsOnlyOnWritesTheClientTookNothingOf() throws Exception
    {
        try (Loopback loopback = new Loopback(4096))
        {
            final int limit = 1 << 20;
            final Connection connection = new Connection(1, loopback.channel, "127.0.0.1", 1024, limit, 0);
            connection.burstStallNs(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
            final UnsafeBuffer kilobyte = new UnsafeBuffer(new byte[1024]);
            for (int i = 0; i < 6 * limit / 1024; i++) // six times the limit: more than the socket's buffers take
            {
                assertTrue(connection.enqueue(kilobyte, 0, 1024));
            }
            Thread.sleep(300); // the gateway still queueing, no write yet: not the client's stall
            assertTrue(connection.enqueue(kilobyte, 0, 1024), "no write was tried: the burst goes on");
            while (connection.write() > 0)
            {
                // the socket takes what it can; the client reads nothing
            }
            assertTrue(connection.inBurst(), "still over the limit: " + connection.pendingOutbound());
            assertTrue(connection.enqueue(kilobyte, 0, 1024), "the first write it took nothing of starts the stall");
            Thread.sleep(300);
            assertFalse(connection.enqueue(kilobyte, 0, 1024), "a client that took nothing for the stall's length is a slow reader");
        }
    }
}
