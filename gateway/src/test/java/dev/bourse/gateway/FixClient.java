package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixTime;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare FIX client over a blocking socket for session-layer tests: messages are written as
 * {@code "35=D|11=a|..."} (| for SOH) and the header and trailer are added, so a test can also send
 * exactly the wrong thing.
 */
final class FixClient implements AutoCloseable
{
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final String compId;
    int nextSeq = 1;
    private final byte[] buffer = new byte[1 << 20];
    private int filled;

    FixClient(final int port, final String compId) throws IOException
    {
        this(port, compId, 0);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for (0: the default), small for a client that stops reading. */
    FixClient(final int port, final String compId, final int receiveBuffer) throws IOException
    {
        this(port, compId, receiveBuffer, null);
    }

    /**
     * @param localAddress the loopback address to connect from (127.0.0.2 etc.: another "source
     *        address" for the gateway), null for the default
     */
    FixClient(final int port, final String compId, final int receiveBuffer, final String localAddress) throws IOException
    {
        socket = new Socket();
        if (receiveBuffer > 0)
        {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localAddress != null)
        {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        this.compId = compId;
    }

    /** Over a socket already connected (a TLS socket, say). */
    FixClient(final Socket connected, final String compId) throws IOException
    {
        socket = connected;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        this.compId = compId;
    }

    /** SendingTime and OrigSendingTime of one instant: two calls of {@link #now()} may straddle a millisecond (122 > 52 is refused). */
    static String sendingAndOrigSendingTime()
    {
        final String now = now();
        return "52=" + now + "|122=" + now;
    }

    static String now()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FixTime.LENGTH]);
        FixTime.put(b, 0, System.currentTimeMillis());
        return b.getStringWithoutLengthAscii(0, FixTime.LENGTH);
    }

    /** Frames a body of fields (| for SOH) with BeginString, BodyLength and CheckSum. */
    static byte[] frame(final String bodyFields)
    {
        final String body = bodyFields.replace('|', '\u0001');
        final String head = "8=FIX.4.4\u00019=" + body.getBytes(StandardCharsets.ISO_8859_1).length + "\u0001" + body;
        int sum = 0;
        for (final byte b : head.getBytes(StandardCharsets.ISO_8859_1))
        {
            sum += b;
        }
        return (head + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The standard header for the next MsgSeqNum, then the given fields. */
    String header(final String msgType, final int seq)
    {
        return "35=" + msgType + "|49=" + compId + "|56=BOURSE|34=" + seq + "|52=" + now() + "|";
    }

    void send(final String msgType, final String fields) throws IOException
    {
        sendRaw(frame(header(msgType, nextSeq++) + fields));
    }

    /** Resends message {@code seq} as a possible duplicate (PossDupFlag, OrigSendingTime), as after a ResendRequest. */
    void sendPossDup(final int seq, final String msgType, final String fields) throws IOException
    {
        sendRaw(frame("35=" + msgType + "|49=" + compId + "|56=BOURSE|34=" + seq + "|43=Y|" + sendingAndOrigSendingTime() + "|" + fields));
    }

    /** Sends at the next MsgSeqNum a message marked a resend: PossResend (97), or PossDupFlag (43) with OrigSendingTime. */
    void sendResent(final boolean possDupFlag, final String msgType, final String fields) throws IOException
    {
        final String marks = possDupFlag ? "43=Y|" + sendingAndOrigSendingTime() + "|" : "52=" + now() + "|97=Y|";
        sendRaw(frame("35=" + msgType + "|49=" + compId + "|56=BOURSE|34=" + nextSeq++ + "|" + marks + fields));
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    void logon(final String user, final String password) throws IOException
    {
        send("A", "98=0|108=30|553=" + user + "|554=" + password + "|");
    }

    /** Logon and wait for the answer. */
    Map<Integer, String> logonOk(final String user) throws IOException
    {
        logon(user, TestExchange.PASSWORD);
        final Map<Integer, String> reply = expect("A");
        return reply;
    }

    /** Next message of the type (others are skipped and kept in {@link #skipped}). */
    Map<Integer, String> expect(final String msgType) throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final Map<Integer, String> m = read(deadline);
            if (m == null)
            {
                break;
            }
            if (msgType.equals(m.get(35)))
            {
                return m;
            }
            skipped.add(m);
        }
        throw new AssertionError("no " + msgType + " received; skipped " + skipped);
    }

    final List<Map<Integer, String>> skipped = new ArrayList<>();

    /** The next message, whatever its type. */
    Map<Integer, String> next() throws IOException
    {
        final Map<Integer, String> m = read(System.nanoTime() + 10_000_000_000L);
        if (m == null)
        {
            throw new AssertionError("no message received");
        }
        return m;
    }

    /** From another loopback address (another source for the gateway's admission and lockout). */
    static FixClient from(final String localAddress, final int port, final String compId) throws IOException
    {
        return new FixClient(port, compId, 0, localAddress);
    }

    private int testRequests;

    /**
     * Sends a TestRequest and returns every message received before its Heartbeat: proves that
     * nothing else is on its way (the gateway answers in order).
     */
    List<Map<Integer, String>> sync() throws IOException
    {
        final String id = "sync" + ++testRequests;
        send("1", "112=" + id + "|");
        final List<Map<Integer, String>> before = new ArrayList<>();
        while (true)
        {
            final Map<Integer, String> m = next();
            if ("0".equals(m.get(35)) && id.equals(m.get(112)))
            {
                return before;
            }
            before.add(m);
        }
    }

    /** Reads one message, or null when the connection closed or the deadline passed. */
    Map<Integer, String> read(final long deadlineNanos) throws IOException
    {
        final FixFramer framer = new FixFramer(1 << 20);
        while (true)
        {
            final UnsafeBuffer view = new UnsafeBuffer(buffer, 0, filled);
            final int length = filled == 0 ? FixFramer.NEED_MORE : framer.frame(view, 0, filled);
            if (length > 0)
            {
                final FixMessage m = new FixMessage();
                if (m.parse(view, 0, length) != FixMessage.OK)
                {
                    throw new AssertionError("gateway sent a malformed message");
                }
                final Map<Integer, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < m.fieldCount(); i++)
                {
                    final byte[] v = new byte[m.valueLengthAt(i)];
                    view.getBytes(m.valueOffsetAt(i), v);
                    fields.putIfAbsent(m.tagAt(i), new String(v, StandardCharsets.ISO_8859_1));
                }
                System.arraycopy(buffer, length, buffer, 0, filled - length);
                filled -= length;
                return fields;
            }
            if (length < 0)
            {
                throw new AssertionError("gateway sent garbage: " + length);
            }
            if (System.nanoTime() > deadlineNanos)
            {
                return null;
            }
            try
            {
                final int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0)
                {
                    return null;
                }
                filled += n;
            }
            catch (final SocketTimeoutException e)
            {
                // poll again until the deadline
            }
        }
    }

    /** True once the gateway closed the connection (messages before that are skipped). */
    boolean awaitClosed() throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final Map<Integer, String> m;
            try
            {
                m = read(deadline);
            }
            catch (final IOException e)
            {
                return true;
            }
            if (m == null)
            {
                return System.nanoTime() < deadline;
            }
            skipped.add(m);
        }
        return false;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
