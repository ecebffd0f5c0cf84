package dev.bourse.readmodels.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Client sockets from a chosen loopback address (127.0.0.0/8 all reaches the server on 127.0.0.1): per-address limits see them apart. */
final class TestSockets
{
    private TestSockets()
    {
    }

    static Socket connectFrom(final String from, final int port, final int readTimeoutMs) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(readTimeoutMs);
        return socket;
    }
}
