package dev.bourse.readmodels.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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

    /** A GET of {@code path} that asks the server to close the connection after its answer. */
    static void sendGet(final Socket socket, final String path) throws IOException
    {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Everything until the server closes the connection. */
    static String readAll(final Socket socket) throws IOException
    {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
