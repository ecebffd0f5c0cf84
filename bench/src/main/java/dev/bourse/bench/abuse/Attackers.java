package dev.bourse.bench.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The attacks of issue 18 as a process of its own (so the attackers share no heap, GC or threads
 * with the exchange): {@code scenario=... port=... seconds=...} runs one attack for that long,
 * then prints one {@code ATTACK ...} line with what it did and exits. Connection attacks run on one
 * selector thread that keeps its sockets open and replaces each one the gateway drops at once;
 * session attacks (throttle, slow readers) log on with real credentials and misbehave.
 */
public final class Attackers
{
    private final int port;
    private final long endNanos;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private Attackers(final int port, final double seconds)
    {
        this.port = port;
        this.endNanos = System.nanoTime() + (long)(seconds * 1e9);
    }

    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> a = new LinkedHashMap<>();
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final String scenario = a.get("scenario");
        final Attackers attackers = new Attackers(Integer.parseInt(a.get("port")), Double.parseDouble(a.get("seconds")));
        final String password = a.get("password");
        final String line;
        switch (scenario)
        {
            case "idle":
                // 1,000 idle sockets from one address, and ten more addresses that together want more than the budget
                line = attackers.connections(List.of(new Flood(List.of("127.0.0.10"), 1_000, n -> null),
                    new Flood(addresses(20, 10), 200, n -> null)));
                break;
            case "logon-flood":
                line = attackers.connections(List.of(new Flood(List.of("127.0.0.3"), 64,
                    n -> wrongLogon("mallory" + n, n))));
                break;
            case "lockout":
                final String victim = a.get("victim");
                line = attackers.connections(List.of(new Flood(List.of("127.0.0.3"), 16, n -> wrongLogon(victim, n)),
                    new Flood(addresses(40, 20), 20, n -> wrongLogon(victim, n))));
                break;
            case "throttle":
                line = attackers.throttle(a.get("user"), password);
                break;
            case "slow-readers":
                line = attackers.slowReaders(List.of(a.get("users").split(",")), password);
                break;
            case "mass-cancel":
            case "mass-cancel-unsliced":
                line = attackers.restThenCancel(a.get("user"), password, Integer.parseInt(a.get("resting")), false);
                break;
            case "mass-cancel-request":
            case "mass-cancel-request-unsliced":
                line = attackers.restThenCancel(a.get("user"), password, Integer.parseInt(a.get("resting")), true);
                break;
            case "http-slow-headers":
                line = HttpAttackers.slowHeaders(Integer.parseInt(a.get("http")), attackers.endNanos);
                break;
            case "http-slow-readers":
                line = HttpAttackers.slowReaders(Integer.parseInt(a.get("http")), attackers.endNanos, a.get("victim-account"),
                    a.get("victim-user"), password);
                break;
            case "http-greedy":
            case "http-greedy-unlimited":
                line = HttpAttackers.greedy(Integer.parseInt(a.get("http")), attackers.endNanos, a.get("victim-account"),
                    a.get("victim-user"), password);
                break;
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.out.println("ATTACK scenario=" + scenario + " " + line);
        System.exit(0);
    }

    private static List<String> addresses(final int first, final int count)
    {
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            list.add("127.0.0." + (first + i));
        }
        return list;
    }

    private static byte[] wrongLogon(final String username, final int n)
    {
        return FixText.message("A", "EVIL" + n, 1, "98=0|108=30|553=" + username + "|554=wrong" + n + "|");
    }

    /** Sockets from {@code addresses} in turn, at most {@code maxOpen} open, each sending {@code payload.apply(n)} (null: nothing). */
    private record Flood(List<String> addresses, int maxOpen, IntFunction<byte[]> payload)
    {
    }

    private String connections(final List<Flood> floods) throws IOException
    {
        final ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        final int[] open = new int[floods.size()];
        final int[] next = new int[floods.size()];
        try (Selector selector = Selector.open())
        {
            while (System.nanoTime() < endNanos)
            {
                for (int f = 0; f < floods.size(); f++)
                {
                    final Flood flood = floods.get(f);
                    while (open[f] < flood.maxOpen())
                    {
                        final SocketChannel channel = SocketChannel.open();
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                        channel.bind(new InetSocketAddress(flood.addresses().get(next[f]++ % flood.addresses().size()), 0));
                        channel.configureBlocking(false);
                        final int n = (int)connections.incrementAndGet();
                        final Object[] attachment = {f, flood.payload().apply(n)};
                        channel.register(selector, channel.connect(new InetSocketAddress("127.0.0.1", port)) ?
                            SelectionKey.OP_READ : SelectionKey.OP_CONNECT, attachment);
                        open[f]++;
                        if (attachment[1] != null && channel.isConnected())
                        {
                            channel.write(ByteBuffer.wrap((byte[])attachment[1]));
                        }
                    }
                }
                selector.select(key ->
                {
                    final SocketChannel channel = (SocketChannel)key.channel();
                    final Object[] attachment = (Object[])key.attachment();
                    try
                    {
                        if (key.isConnectable())
                        {
                            channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            if (attachment[1] != null)
                            {
                                channel.write(ByteBuffer.wrap((byte[])attachment[1]));
                            }
                            return;
                        }
                        sink.clear();
                        if (channel.read(sink) >= 0)
                        {
                            return;
                        }
                    }
                    catch (final IOException e)
                    {
                        // reset by the gateway: dropped like a close
                    }
                    dropped.incrementAndGet();
                    open[(int)attachment[0]]--;
                    key.cancel();
                    closeQuietly(channel);
                }, 10);
            }
            for (final SelectionKey key : selector.keys())
            {
                closeQuietly(key.channel());
            }
        }
        return "connections=" + connections.get() + " dropped.by.gateway=" + dropped.get();
    }

    /** Logs on, sends immediate-or-cancel orders as fast as it can for a second, reconnects with another CompID, again. */
    private String throttle(final String user, final String password) throws Exception
    {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        long sent = 0;
        int round = 0;
        final long start = System.nanoTime();
        while (System.nanoTime() < endNanos)
        {
            final String compId = "FLOOD" + round++ % 4;
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.setTcpNoDelay(false);
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                out.write(FixText.message("A", compId, 1, "98=0|108=30|141=Y|553=" + user + "|554=" + password + "|"));
                final Thread reader = new Thread(() -> countAnswers(in, accepted, throttled), "flood-reader");
                reader.start();
                int seq = 2;
                final long roundEnd = Math.min(endNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                while (System.nanoTime() < roundEnd)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        out.write(FixText.message("D", compId, seq++, "11=f" + round + "-" + seq + "|55=SYM000|54=1|38=1|40=2|44=90|59=3|"));
                        sent++;
                    }
                }
                out.flush();
                socket.shutdownOutput();
                reader.join(5_000);
            }
            catch (final IOException e)
            {
                // cut off: reconnect
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("sent=%d accepted=%d throttled=%d seconds=%.1f accepted.per.s=%.0f", sent, accepted.get(), throttled.get(),
            seconds, accepted.get() / seconds);
    }

    private static void countAnswers(final InputStream in, final AtomicLong accepted, final AtomicLong throttled)
    {
        final FixText.Reader reader = new FixText.Reader(in);
        try
        {
            Map<Integer, String> m;
            while ((m = reader.next(Long.MAX_VALUE)) != null)
            {
                if ("8".equals(m.get(35)))
                {
                    final String text = m.get(58);
                    if (text != null && text.startsWith("throttled"))
                    {
                        throttled.incrementAndGet();
                    }
                    else if ("4".equals(m.get(150)))
                    {
                        accepted.incrementAndGet(); // an immediate-or-cancel order the engine took (and canceled)
                    }
                }
            }
        }
        catch (final IOException e)
        {
            // closed
        }
    }

    /**
     * Rests {@code count} orders (limit buys below the market, at many price levels), waits for
     * every acknowledgement, then drops the connection: the gateway cancels them all on disconnect
     * while the honest firm trades.
     */
    /** Rests {@code count} orders, then cancels them all: by an OrderMassCancelRequest ({@code byRequest}) or by going away. */
    private String restThenCancel(final String user, final String password, final int count, final boolean byRequest) throws Exception
    {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final long start = System.nanoTime();
        long placedNanos;
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            out.write(FixText.message("A", "RESTER", 1, "98=0|108=30|141=Y|8013=Y|553=" + user + "|554=" + password + "|"));
            final Thread reader = new Thread(() -> countRested(in, accepted, throttled), "rester-reader");
            reader.setDaemon(true);
            reader.start();
            final java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
            for (int i = 0; i < count; i++)
            {
                final int cents = 9_001 + i % 999; // 90.01 .. 99.99: inside the price band, below any seller, 999 levels
                buffered.write(FixText.message("D", "RESTER", i + 2, "11=r" + i + "|55=SYM000|54=1|38=1|40=2|44=" + cents / 100 + "." +
                    String.format("%02d", cents % 100) + "|59=1|"));
                if (i % 1_000 == 999)
                {
                    buffered.flush();
                    while (i + 1 - accepted.get() - throttled.get() > 20_000 && System.nanoTime() < endNanos)
                    {
                        LockSupport.parkNanos(1_000_000); // keep the gateway's outbound queue for us bounded
                    }
                }
            }
            buffered.flush();
            while (accepted.get() + throttled.get() < count && System.nanoTime() < endNanos)
            {
                LockSupport.parkNanos(1_000_000);
            }
            placedNanos = System.nanoTime() - start;
            System.out.println("PHASE placed"); // the exchange's side closes the honest firm's window here
            System.out.flush();
            LockSupport.parkNanos(200_000_000L);
            if (byRequest)
            {
                out.write(FixText.message("q", "RESTER", count + 2, "11=all|530=7|"));
                out.flush();
                while (System.nanoTime() < endNanos) // stays, reading its cancels
                {
                    LockSupport.parkNanos(Math.min(100_000_000L, Math.max(0, endNanos - System.nanoTime())));
                }
            }
            socket.setSoLinger(true, 0); // gone, without a Logout: cancel on disconnect
        }
        while (System.nanoTime() < endNanos)
        {
            LockSupport.parkNanos(Math.min(100_000_000L, Math.max(0, endNanos - System.nanoTime())));
        }
        return String.format("resting=%d refused=%d placed.seconds=%.1f then %s%s", accepted.get(), throttled.get(),
            placedNanos / 1e9, byRequest ? "an OrderMassCancelRequest: canceled=" + CANCELED.get() + ", " + massCancelReport
            : "disconnected", firstRefusal == null ? "" : " (first refusal: " + firstRefusal + ")");
    }

    private static volatile String firstRefusal;
    private static volatile String massCancelReport;
    private static final AtomicLong CANCELED = new AtomicLong();

    private static void countRested(final InputStream in, final AtomicLong accepted, final AtomicLong refused)
    {
        final FixText.Reader reader = new FixText.Reader(in);
        try
        {
            Map<Integer, String> m;
            while ((m = reader.next(Long.MAX_VALUE)) != null)
            {
                if ("r".equals(m.get(35)))
                {
                    massCancelReport = "OrderMassCancelReport 533=" + m.get(533);
                }
                else if ("5".equals(m.get(35)))
                {
                    massCancelReport = "logged out: " + m.get(58);
                }
                else if ("8".equals(m.get(35)))
                {
                    if ("0".equals(m.get(150)))
                    {
                        accepted.incrementAndGet();
                    }
                    else if ("4".equals(m.get(150)))
                    {
                        CANCELED.incrementAndGet();
                    }
                    else if ("8".equals(m.get(150)))
                    {
                        if (refused.getAndIncrement() == 0)
                        {
                            firstRefusal = m.get(58);
                        }
                    }
                }
            }
        }
        catch (final IOException e)
        {
            // closed
        }
        if (massCancelReport == null)
        {
            massCancelReport = "no report (connection closed)";
        }
    }

    /**
     * Sessions that ask for big heartbeats (two thousand 1 KB answers a second each) and never read,
     * reconnecting whenever they are cut off.
     */
    private String slowReaders(final List<String> users, final String password) throws Exception
    {
        final AtomicLong cutOff = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (final String user : users)
        {
            final Thread thread = new Thread(() ->
            {
                final String bigId = "x".repeat(900);
                while (System.nanoTime() < endNanos)
                {
                    try (Socket socket = new Socket())
                    {
                        socket.setReceiveBufferSize(4096);
                        socket.connect(new InetSocketAddress("127.0.0.1", port));
                        socket.setSoTimeout(1_000);
                        final OutputStream out = socket.getOutputStream();
                        final String compId = user.toUpperCase();
                        out.write(FixText.message("A", compId, 1, "98=0|108=30|141=Y|553=" + user + "|554=" + password + "|"));
                        int seq = 2;
                        long planned = System.nanoTime();
                        while (System.nanoTime() < endNanos)
                        {
                            // two thousand a second: well within the rate limit, so only the not reading gives it away
                            out.write(FixText.message("1", compId, seq++, "112=" + bigId + "|"));
                            planned += 500_000;
                            java.util.concurrent.locks.LockSupport.parkNanos(planned - System.nanoTime());
                        }
                    }
                    catch (final IOException e)
                    {
                        cutOff.incrementAndGet();
                    }
                }
            }, "slow-" + user);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return "sessions=" + users.size() + " cut.off=" + cutOff.get();
    }

    private static void closeQuietly(final java.nio.channels.Channel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
