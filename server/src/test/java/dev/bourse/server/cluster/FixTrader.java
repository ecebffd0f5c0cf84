package dev.bourse.server.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One FIX 4.4 session for the cluster tests, driven by the test thread (non-blocking socket, no
 * threads): sends limit orders and reads everything the gateway sends, checking the session layer
 * as it goes: the gateway's MsgSeqNum must go up by one from the logon on (no gap, no reset), and it
 * must never ask for a resend, send a SequenceReset, reject a message or log the session out.
 * For each order it records the answers (a second "new" or "rejected" for one ClOrdID is a
 * duplicate) and the last reported state.
 */
final class FixTrader implements AutoCloseable
{
    /** What the gateway last said about one order. */
    static final class OrderReport
    {
        final String clOrdId;
        final long quantity;
        char firstExecType;
        int answers;
        long orderId = -1;
        char ordStatus;
        long cumQty;
        long leavesQty;
        String text = "";

        OrderReport(final String clOrdId, final long quantity)
        {
            this.clOrdId = clOrdId;
            this.quantity = quantity;
        }

        boolean answered()
        {
            return answers > 0;
        }

        boolean accepted()
        {
            return firstExecType == '0';
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    final String user;
    private final String compId;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
    private final Map<String, OrderReport> orders = new LinkedHashMap<>();
    private final List<String> sessionProblems = new ArrayList<>();
    private int nextOutSeq = 1;
    private int expectedInSeq = 1;
    private int orderCount;
    private boolean loggedOn;

    FixTrader(final int port, final String user, final String password) throws IOException
    {
        this.user = user;
        this.compId = user.toUpperCase();
        channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        channel.socket().setTcpNoDelay(true);
        send("A", "98=0|108=30|141=Y|553=" + user + "|554=" + password + "|");
    }

    boolean loggedOn()
    {
        return loggedOn;
    }

    /** Sends a limit order for {@code quantity} at {@code price} (2 decimals); returns its ClOrdID. */
    String order(final String symbol, final char side, final long quantity, final String price) throws IOException
    {
        final String clOrdId = user + "-" + (++orderCount);
        orders.put(clOrdId, new OrderReport(clOrdId, quantity));
        send("D", "11=" + clOrdId + "|55=" + symbol + "|54=" + side + "|38=" + quantity + "|40=2|44=" + price + "|59=0|60="
            + TIME.format(Instant.now()) + "|");
        return clOrdId;
    }

    Map<String, OrderReport> orders()
    {
        return orders;
    }

    long answered()
    {
        return orders.values().stream().filter(OrderReport::answered).count();
    }

    long accepted()
    {
        return orders.values().stream().filter(OrderReport::accepted).count();
    }

    boolean allAnswered()
    {
        return orders.values().stream().allMatch(OrderReport::answered);
    }

    /** Session-layer problems seen (gaps, resets, resend requests, rejects, logouts), each once. */
    List<String> sessionProblems()
    {
        return sessionProblems;
    }

    /** The MsgSeqNum the gateway's next message must carry. */
    int expectedInSeq()
    {
        return expectedInSeq;
    }

    /** Reads and handles whatever has arrived; the number of messages. */
    int poll() throws IOException
    {
        final int read = channel.read(in);
        if (read < 0)
        {
            problem("the gateway closed the connection");
            return 0;
        }
        in.flip();
        int messages = 0;
        while (true)
        {
            final int end = messageEnd();
            if (end < 0)
            {
                break;
            }
            final byte[] bytes = new byte[end - in.position()];
            in.get(bytes);
            onMessage(fields(new String(bytes, StandardCharsets.ISO_8859_1)));
            messages++;
        }
        in.compact();
        return messages;
    }

    private int messageEnd()
    {
        final int start = in.position();
        for (int i = start; i + 3 < in.limit(); i++)
        {
            if (in.get(i) == 1 && in.get(i + 1) == '1' && in.get(i + 2) == '0' && in.get(i + 3) == '=')
            {
                for (int j = i + 4; j < in.limit(); j++)
                {
                    if (in.get(j) == 1)
                    {
                        return j + 1;
                    }
                }
                return -1;
            }
        }
        return -1;
    }

    private static Map<Integer, String> fields(final String message)
    {
        final Map<Integer, String> fields = new HashMap<>();
        for (final String field : message.split("\u0001"))
        {
            final int eq = field.indexOf('=');
            if (eq > 0)
            {
                fields.putIfAbsent(Integer.parseInt(field.substring(0, eq)), field.substring(eq + 1));
            }
        }
        return fields;
    }

    private void onMessage(final Map<Integer, String> m) throws IOException
    {
        final String type = m.get(35);
        final int seq = Integer.parseInt(m.getOrDefault(34, "-1"));
        if (seq != expectedInSeq)
        {
            problem("MsgSeqNum " + seq + " where " + expectedInSeq + " was due (type " + type + ")");
        }
        expectedInSeq = seq + 1;
        switch (type)
        {
            case "A" -> loggedOn = true;
            case "0" -> { }
            case "1" -> send("0", "112=" + m.getOrDefault(112, "") + "|");
            case "8" -> onExecutionReport(m);
            case "2" -> problem("the gateway asked for a resend: " + m);
            case "4" -> problem("SequenceReset: " + m);
            case "3" -> problem("session Reject: " + m);
            case "5" -> problem("Logout: " + m.getOrDefault(58, ""));
            default -> problem("unexpected message type " + type + ": " + m);
        }
    }

    private void onExecutionReport(final Map<Integer, String> m)
    {
        final OrderReport order = orders.get(m.get(11));
        if (order == null)
        {
            problem("a report for an order this session did not send: " + m);
            return;
        }
        final char execType = m.getOrDefault(150, "?").charAt(0);
        if (execType == '0' || execType == '8')
        {
            if (order.answers++ == 0)
            {
                order.firstExecType = execType;
            }
            else
            {
                problem("order " + order.clOrdId + " answered twice (exec type " + execType + ")");
            }
        }
        else if (order.answers == 0)
        {
            problem("order " + order.clOrdId + " got exec type " + execType + " before it was accepted");
        }
        order.ordStatus = m.getOrDefault(39, "?").charAt(0);
        order.cumQty = Long.parseLong(m.getOrDefault(14, "0"));
        order.leavesQty = Long.parseLong(m.getOrDefault(151, "0"));
        if (m.containsKey(37) && !m.get(37).equals("NONE"))
        {
            order.orderId = Long.parseLong(m.get(37));
        }
        if (m.containsKey(58))
        {
            order.text = m.get(58);
        }
    }

    private void problem(final String what)
    {
        if (sessionProblems.size() < 20)
        {
            sessionProblems.add(user + ": " + what);
        }
    }

    private void send(final String msgType, final String fields) throws IOException
    {
        final String body = ("35=" + msgType + "|49=" + compId + "|56=BOURSE|34=" + (nextOutSeq++) + "|52=" + TIME.format(Instant.now())
            + "|" + fields).replace('|', '\u0001');
        final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001" + body;
        int sum = 0;
        for (int i = 0; i < head.length(); i++)
        {
            sum += head.charAt(i);
        }
        final ByteBuffer out = ByteBuffer.wrap((head + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining())
        {
            if (channel.write(out) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
