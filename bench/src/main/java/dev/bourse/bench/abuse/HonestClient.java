package dev.bourse.bench.abuse;

import dev.bourse.bench.ClientSlice;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The honest firm, measured while attacks run: one session sending an order every 20 ms at
 * planned times and timing each acknowledgement from its planned send time (so a stall is not
 * hidden by the sender waiting), and fresh logons (connect, Logon, Logout, close) at a fixed
 * interval from another loopback address. Counts are read and reset per measured window.
 */
final class HonestClient implements AutoCloseable
{
    /**
     * What one window measured. {@code p99Ms} and {@code maxMs} are of acknowledgements only: with
     * {@code ordersAcked} 0 they are 0 for want of data, not for want of latency.
     *
     * @param sendLateP99Ms  p99 of how late the honest trader's own write left after its planned time:
     *                       the part of {@code p99Ms} that is this client's wake-up on a shared box, not the exchange
     * @param ordersRejected orders answered with a reject: answered, so not missing, but neither acked nor timed
     */
    record Window(long ordersSent, long ordersAcked, long missing, double p99Ms, double maxMs, long logonsOk, long logonsTried,
        double sendLateP99Ms, long ordersRejected)
    {
    }

    private static final int ACKED = 0;
    private static final int REJECTED = 1;
    private static final int NO_ANSWER = 2;
    private static final long ORDER_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int port;
    private final String traderUser;
    private final String logonUser;
    private final String password;
    private final long logonIntervalNanos;
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final Recorder sendLateness = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong logonsOk = new AtomicLong();
    private final AtomicLong logonsTried = new AtomicLong();
    private final Thread trader;
    private final Thread logons;
    private volatile boolean running = true;
    private volatile String lastProblem;

    HonestClient(final int port, final String traderUser, final String logonUser, final String password, final long logonIntervalMs)
    {
        this.port = port;
        this.traderUser = traderUser;
        this.logonUser = logonUser;
        this.password = password;
        this.logonIntervalNanos = TimeUnit.MILLISECONDS.toNanos(logonIntervalMs);
        trader = new Thread(this::trade, "honest-trader");
        logons = new Thread(this::logOnAgainAndAgain, "honest-logons");
    }

    HonestClient start()
    {
        trader.start();
        logons.start();
        return this;
    }

    /** What happened since the last call. */
    Window window()
    {
        final org.HdrHistogram.Histogram interval = latency.getIntervalHistogram();
        final org.HdrHistogram.Histogram late = sendLateness.getIntervalHistogram();
        return new Window(sent.getAndSet(0), acked.getAndSet(0), missing.getAndSet(0), interval.getValueAtPercentile(99) / 1e6,
            interval.getMaxValue() / 1e6, logonsOk.getAndSet(0), logonsTried.getAndSet(0), late.getValueAtPercentile(99) / 1e6,
            rejected.getAndSet(0));
    }

    String lastProblem()
    {
        return lastProblem;
    }

    private void trade()
    {
        ClientSlice.applyToCurrentThread();
        int orderId = 0;
        int seq = 1;
        while (running)
        {
            try (Socket socket = connect("127.0.0.1"))
            {
                final OutputStream out = socket.getOutputStream();
                final FixText.Reader in = new FixText.Reader(socket.getInputStream());
                final String compId = "HONEST";
                out.write(FixText.message("A", compId, 1, "98=0|108=30|141=Y|553=" + traderUser + "|554=" + password + "|"));
                final Map<Integer, String> reply = in.next(System.nanoTime() + ANSWER_TIMEOUT_NANOS);
                if (reply == null || !"A".equals(reply.get(35)))
                {
                    lastProblem = "honest trader's logon: " + (reply == null ? "no answer" : reply.get(58));
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    continue;
                }
                seq = 2;
                long planned = System.nanoTime();
                while (running)
                {
                    planned += ORDER_INTERVAL_NANOS;
                    LockSupport.parkNanos(planned - System.nanoTime());
                    final String clOrdId = "h" + ++orderId;
                    sendLateness.recordValue(Math.max(0, System.nanoTime() - planned));
                    out.write(FixText.message("D", compId, seq++, "11=" + clOrdId + "|55=SYM000|54=1|38=1|40=2|44=90|59=0|"));
                    sent.incrementAndGet();
                    final int answer = awaitAnswer(in, clOrdId, planned);
                    if (answer == ACKED)
                    {
                        acked.incrementAndGet();
                    }
                    else if (answer == REJECTED)
                    {
                        rejected.incrementAndGet();
                    }
                    else
                    {
                        missing.incrementAndGet();
                        break; // the session is in doubt: log on again
                    }
                }
            }
            catch (final IOException e)
            {
                lastProblem = "honest trader: " + e;
            }
        }
    }

    /**
     * {@link #ACKED} (timed), {@link #REJECTED} (an execution report other than New: counted apart,
     * not timed, since a fast refusal is not service) or {@link #NO_ANSWER}.
     */
    private int awaitAnswer(final FixText.Reader in, final String clOrdId, final long plannedNanos) throws IOException
    {
        final long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        Map<Integer, String> m;
        while ((m = in.next(deadline)) != null)
        {
            if ("8".equals(m.get(35)) && clOrdId.equals(m.get(11)))
            {
                if (!"0".equals(m.get(150)))
                {
                    lastProblem = "honest order " + clOrdId + " answered " + m.get(58);
                    return REJECTED;
                }
                latency.recordValue(Math.max(0, System.nanoTime() - plannedNanos));
                return ACKED;
            }
        }
        lastProblem = "honest order " + clOrdId + ": no answer";
        return NO_ANSWER;
    }

    private void logOnAgainAndAgain()
    {
        long planned = System.nanoTime();
        while (running)
        {
            planned += logonIntervalNanos;
            LockSupport.parkNanos(planned - System.nanoTime());
            if (logOnOnce())
            {
                logonsOk.incrementAndGet();
            }
            logonsTried.incrementAndGet(); // counted when done, so both counts fall in the same window
        }
    }

    private boolean logOnOnce()
    {
        try (Socket socket = connect("127.0.0.2"))
        {
            final OutputStream out = socket.getOutputStream();
            final FixText.Reader in = new FixText.Reader(socket.getInputStream());
            out.write(FixText.message("A", "FIRM", 1, "98=0|108=30|141=Y|553=" + logonUser + "|554=" + password + "|"));
            final Map<Integer, String> reply = in.next(System.nanoTime() + ANSWER_TIMEOUT_NANOS);
            if (reply == null || !"A".equals(reply.get(35)))
            {
                lastProblem = "honest logon refused: " + (reply == null ? "no answer" : reply.get(58));
                return false;
            }
            out.write(FixText.message("5", "FIRM", 2, ""));
            in.next(System.nanoTime() + ANSWER_TIMEOUT_NANOS);
            return true;
        }
        catch (final IOException e)
        {
            lastProblem = "honest logon: " + e;
            return false;
        }
    }

    private Socket connect(final String from) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(50);
        return socket;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        trader.join(15_000);
        logons.join(15_000);
    }
}
