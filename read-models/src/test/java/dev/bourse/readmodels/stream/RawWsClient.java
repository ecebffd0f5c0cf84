package dev.bourse.readmodels.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a bare socket, so a test can stop reading (a slow client: the server's
 * writes back up) and resume. Client frames are masked, as the protocol requires.
 */
final class RawWsClient implements AutoCloseable
{
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    /** The status of the close frame {@link #next} met (-1: none yet). */
    int closeStatus = -1;

    RawWsClient(final int port) throws IOException
    {
        this(port, null);
    }

    /** From {@code localAddress} (127.0.0.2, say: another client address to the server), or the default if null. */
    RawWsClient(final int port, final String localAddress) throws IOException
    {
        socket.setReceiveBufferSize(4_096);
        if (localAddress != null)
        {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        final String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int c = in.read();
            if (c < 0)
            {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char)c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101"))
        {
            throw new IOException("not upgraded: " + head);
        }
    }

    void send(final String text) throws IOException
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126)
        {
            frame.write(0x80 | payload.length);
        }
        else
        {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        final byte[] mask = {1, 2, 3, 4};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++)
        {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next text frame's payload (control frames skipped); null when the server closed. */
    String next() throws IOException
    {
        while (true)
        {
            final int b0 = in.read();
            final int b1 = in.read();
            if (b0 < 0 || b1 < 0)
            {
                return null;
            }
            long length = b1 & 0x7F;
            if (length == 126)
            {
                length = (in.read() << 8) | in.read();
            }
            else if (length == 127)
            {
                length = 0;
                for (int i = 0; i < 8; i++)
                {
                    length = (length << 8) | in.read();
                }
            }
            final byte[] payload = in.readNBytes((int)length);
            final int opcode = b0 & 0x0F;
            if (opcode == 0x8)
            {
                closeStatus = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                return null; // close
            }
            if (opcode == 0x1)
            {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
