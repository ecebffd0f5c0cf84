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
    @Test
    void whatTheSocketDoesNotTakeIsWrittenLaterInOrderAndWhole() throws Exception
    {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            Socket client = new Socket())
        {
            client.setReceiveBufferSize(4096);
            client.connect(server.getLocalAddress());
            final SocketChannel channel = server.accept();
            channel.configureBlocking(false);
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
    void beyondTheLimitOnlyTheFinalMessageFitsInTheRoomKeptForIt()
    {
        final Connection connection = new Connection(1, null, "test", 1024, 8192, 0);
        final UnsafeBuffer kilobyte = new UnsafeBuffer(new byte[1024]);
        for (int i = 0; i < 8; i++)
        {
            assertTrue(connection.enqueue(kilobyte, 0, 1024));
        }
        assertFalse(connection.enqueue(kilobyte, 0, 1), "the limit is reached");
        assertTrue(connection.enqueueFinal(kilobyte, 0, Connection.FINAL_MESSAGE_RESERVE));
        assertFalse(connection.enqueueFinal(kilobyte, 0, 1));
    }
}
