package dev.bourse.bench.fix;

import dev.bourse.bench.e2e.BenchExchange;
import dev.bourse.bench.e2e.Runner;
import dev.bourse.bench.fixload.FixLoadClient;
import org.HdrHistogram.Histogram;
import quickfix.Application;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LeavesQty;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.Side;
import quickfix.field.Symbol;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FIX order-entry benchmark and its two baselines, all driven by the same open-loop client
 * with new orders only (a stateless peer cannot cancel): our gateway (with its engine and
 * journal; market data and read models off), a raw TCP echo server (the floor: loopback and the
 * client itself), and a QuickFIX/J 3 acceptor that answers each NewOrderSingle with an
 * ExecutionReport (what a QuickFIX/J-based venue pays before it matches anything).
 */
public final class FixBaselines
{
    private FixBaselines()
    {
    }

    /**
     * Runs the three at each rate, one after the other, each driven by the load generator in a
     * JVM of its own, and prints {@code RESULT fix ...} lines.
     */
    public static void run(final List<Long> rates, final int sessions, final double warmupSeconds,
        final double durationSeconds, final Path out, final boolean snapshotsOff, final PrintStream print,
        final dev.bourse.bench.e2e.GeneratorFailures failures) throws Exception
    {
        Files.createDirectories(out);
        final List<Runner.RateResult> ours;
        try (BenchExchange exchange = new BenchExchange(sessions, 10, "mapped", null, line -> { }, false, "", snapshotsOff))
        {
            ours = Runner.sweep("fix-ours", newOnly(exchange.clientSettings(7)), false, rates, 0, warmupSeconds, durationSeconds, out,
                null, null, line -> progress("ours", line, print), failures);
        }
        final List<Runner.RateResult> echo;
        try (EchoServer server = new EchoServer())
        {
            echo = Runner.sweep("fix-echo", settings(server.port(), sessions), true, rates, 0, warmupSeconds, durationSeconds, out, null,
                null, line -> progress("echo", line, print), failures);
        }
        final QuickFixAcceptor qfj = new QuickFixAcceptor(sessions);
        final List<Runner.RateResult> quickfixj;
        try
        {
            quickfixj = Runner.sweep("fix-quickfixj", settings(qfj.port, sessions), false, rates, 0, warmupSeconds, durationSeconds,
                out, null, null, line -> progress("quickfixj", line, print), failures);
        }
        finally
        {
            qfj.stop();
        }
        // every rate asked, each peer found by rate: a peer whose generator lost a rate prints "-" there (its failure is
        // reported and fails the command), rather than the rate vanishing for all three
        for (final long rate : rates)
        {
            final Runner.RateResult o = find(ours, rate);
            final Runner.RateResult e = find(echo, rate);
            final Runner.RateResult q = find(quickfixj, rate);
            print.printf("RESULT fix rate=%d ours.p50=%s ours.p99=%s echo.p50=%s quickfixj.p50=%s quickfixj.p99=%s ours.answered=%s"
                    + " ours.rejects=%s echo.answered=%s echo.rejects=%s quickfixj.answered=%s quickfixj.rejects=%s%n", rate,
                us(o, true), us(o, false), us(e, true), us(q, true), us(q, false), answered(o), rejects(o), answered(e), rejects(e),
                answered(q), rejects(q));
        }
    }

    private static Runner.RateResult find(final List<Runner.RateResult> results, final long rate)
    {
        for (final Runner.RateResult r : results)
        {
            if (r.rate() == rate)
            {
                return r;
            }
        }
        return null;
    }

    private static String us(final Runner.RateResult r, final boolean p50)
    {
        return r == null ? "-" : String.format("%.1f", (p50 ? r.p50() : r.p99()) / 1000.0);
    }

    private static String answered(final Runner.RateResult r)
    {
        return r == null ? "-" : Long.toString(r.answered());
    }

    private static String rejects(final Runner.RateResult r)
    {
        return r == null ? "-" : Long.toString(r.rejects());
    }

    private static void progress(final String name, final String line, final PrintStream print)
    {
        if (line.startsWith("RATE "))
        {
            print.printf("  %-10s %s%n", name, line.substring(5));
        }
        else if (line.startsWith("RESULT "))
        {
            print.println(line);
        }
    }

    private static FixLoadClient.Settings newOnly(final FixLoadClient.Settings settings)
    {
        return new FixLoadClient.Settings(settings.host(), settings.port(), settings.targetCompId(), settings.users(),
            settings.symbols(), settings.midPrices(), settings.tickScaled(), 0, 0, settings.seed());
    }

    public static FixLoadClient.Settings settings(final int port, final int sessions)
    {
        final long[] mids = new long[10];
        java.util.Arrays.fill(mids, BenchExchange.MID_PRICE);
        final List<String> symbols = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            symbols.add(String.format("SYM%03d", i));
        }
        return new FixLoadClient.Settings("127.0.0.1", port, "BOURSE", FixLoadClient.users(sessions, "trader",
            BenchExchange.PASSWORD), symbols, mids, BenchExchange.TICK, 0, 0, 7);
    }

    /** Answers every byte it reads with the same bytes: each FIX message comes back as itself. */
    public static final class EchoServer implements AutoCloseable
    {
        private final ServerSocketChannel server;
        private final Selector selector;
        private final Thread thread;
        private volatile boolean running = true;

        public EchoServer() throws IOException
        {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            thread = new Thread(this::loop, "echo-server");
            thread.setDaemon(true);
            thread.start();
        }

        public int port()
        {
            return server.socket().getLocalPort();
        }

        private void loop()
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
            try
            {
                while (running)
                {
                    selector.select(100);
                    for (final SelectionKey key : selector.selectedKeys())
                    {
                        if (key.isAcceptable())
                        {
                            final SocketChannel channel = server.accept();
                            if (channel != null)
                            {
                                channel.configureBlocking(false);
                                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                                channel.register(selector, SelectionKey.OP_READ);
                            }
                        }
                        else if (key.isReadable())
                        {
                            final SocketChannel channel = (SocketChannel)key.channel();
                            buffer.clear();
                            if (channel.read(buffer) < 0)
                            {
                                key.cancel();
                                channel.close();
                                continue;
                            }
                            buffer.flip();
                            while (buffer.hasRemaining())
                            {
                                channel.write(buffer);
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (final IOException e)
            {
                if (running)
                {
                    System.err.println("echo server: " + e);
                }
            }
        }

        @Override
        public void close() throws Exception
        {
            running = false;
            selector.wakeup();
            thread.join(1_000);
            selector.close();
            server.close();
        }
    }

    /** A QuickFIX/J acceptor answering each NewOrderSingle with an ExecutionReport (new). */
    public static final class QuickFixAcceptor implements Application
    {
        public final int port;
        private final SocketAcceptor acceptor;
        private final AtomicLong ids = new AtomicLong();

        public QuickFixAcceptor(final int sessions) throws Exception
        {
            try (ServerSocket probe = new ServerSocket(0))
            {
                port = probe.getLocalPort();
            }
            final SessionSettings settings = new SessionSettings();
            for (int i = 0; i < sessions; i++)
            {
                final SessionID id = new SessionID("FIX.4.4", "BOURSE", "LOAD" + i);
                settings.setString(id, "ConnectionType", "acceptor");
                settings.setString(id, "StartTime", "00:00:00");
                settings.setString(id, "EndTime", "00:00:00");
                settings.setLong(id, "SocketAcceptPort", port);
                settings.setString(id, "SocketAcceptAddress", "127.0.0.1");
                settings.setString(id, "UseDataDictionary", "Y");
                settings.setString(id, "DataDictionary", "FIX44.xml");
                settings.setString(id, "SocketTcpNoDelay", "Y");
                settings.setString(id, "PersistMessages", "N");
                settings.setString(id, "CheckLatency", "N");
            }
            acceptor = new SocketAcceptor(this, new MemoryStoreFactory(), settings,
                new quickfix.ScreenLogFactory(false, false, false), new DefaultMessageFactory());
            acceptor.start();
        }

        public void stop()
        {
            acceptor.stop(true);
        }

        @Override
        public void fromApp(final Message message, final SessionID sessionId) throws FieldNotFound
        {
            if (!"D".equals(message.getHeader().getString(MsgType.FIELD)))
            {
                return;
            }
            final long id = ids.incrementAndGet();
            final quickfix.fix44.ExecutionReport report = new quickfix.fix44.ExecutionReport(
                new OrderID(Long.toString(id)), new ExecID(Long.toString(id)), new ExecType(ExecType.NEW),
                new OrdStatus(OrdStatus.NEW), new Side(message.getChar(Side.FIELD)),
                new LeavesQty(message.getDouble(OrderQty.FIELD)), new CumQty(0), new AvgPx(0));
            report.set(new ClOrdID(message.getString(ClOrdID.FIELD)));
            report.set(new Symbol(message.getString(Symbol.FIELD)));
            Session.lookupSession(sessionId).send(report);
        }

        @Override
        public void onCreate(final SessionID sessionId)
        {
        }

        @Override
        public void onLogon(final SessionID sessionId)
        {
        }

        @Override
        public void onLogout(final SessionID sessionId)
        {
        }

        @Override
        public void toAdmin(final Message message, final SessionID sessionId)
        {
        }

        @Override
        public void fromAdmin(final Message message, final SessionID sessionId)
        {
        }

        @Override
        public void toApp(final Message message, final SessionID sessionId)
        {
        }
    }
}
