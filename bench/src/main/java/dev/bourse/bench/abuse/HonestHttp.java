package dev.bourse.bench.abuse;

import dev.bourse.bench.ClientSlice;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The honest side of the HTTP scenarios: every 100 ms a fresh connection asks the query side for
 * one thing, in turn a /metrics scrape and the honest firm's balances, timed from its planned
 * start; an answer must come within 10 s.
 */
final class HonestHttp implements AutoCloseable
{
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int port;
    private final String authorization;
    private final long accountId;
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicLong tried = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastProblem;

    record Window(long ok, long tried, double p99Ms, double maxMs)
    {
    }

    HonestHttp(final int port, final String user, final String password, final long accountId)
    {
        this.port = port;
        this.accountId = accountId;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        thread = new Thread(this::run, "honest-http");
    }

    HonestHttp start()
    {
        thread.start();
        return this;
    }

    Window window()
    {
        final org.HdrHistogram.Histogram interval = latency.getIntervalHistogram();
        return new Window(ok.getAndSet(0), tried.getAndSet(0), interval.getValueAtPercentile(99) / 1e6, interval.getMaxValue() / 1e6);
    }

    String lastProblem()
    {
        return lastProblem;
    }

    private void run()
    {
        ClientSlice.applyToCurrentThread();
        long planned = System.nanoTime();
        int n = 0;
        while (running)
        {
            planned += INTERVAL_NANOS;
            LockSupport.parkNanos(planned - System.nanoTime());
            final String path = n++ % 2 == 0 ? "/metrics" : "/api/v1/accounts/" + accountId + "/balances";
            if (request(path))
            {
                latency.recordValue(Math.max(0, System.nanoTime() - planned));
                ok.incrementAndGet();
            }
            tried.incrementAndGet();
        }
    }

    private boolean request(final String path)
    {
        try (Socket socket = new Socket())
        {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAuthorization: " + authorization +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final byte[] status = in.readNBytes(12);
            final String line = new String(status, StandardCharsets.US_ASCII);
            if (!line.startsWith("HTTP/1.1 200"))
            {
                lastProblem = "honest " + path + ": " + line;
                return false;
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return true;
        }
        catch (final IOException e)
        {
            lastProblem = "honest " + path + ": " + e;
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.join(15_000);
    }
}
