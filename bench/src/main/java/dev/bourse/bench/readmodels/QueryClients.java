package dev.bourse.bench.readmodels;

import dev.bourse.bench.ClientSlice;
import dev.bourse.bench.SendPacer;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Open-loop HTTP clients: each thread sends point lookups on a fixed schedule and records the
 * latency from each request's planned send time (so a stall is charged to every request it
 * delayed: coordinated omission corrected). Requests during the warm-up are sent but not
 * recorded, and a backlog built up then is dropped before the measured schedule starts. Every answer must be a 200, or the run fails.
 * <p>
 * Each client thread owns one keep-alive HTTP/1.1 connection and writes requests and parses
 * answers itself: the JDK's {@code java.net.http} client hands every exchange through its
 * selector thread and an executor, which on 2 cores costs more than the server being measured.
 */
final class QueryClients
{
    /** What to ask for: the path of lookup {@code i} and the Authorization header that may read it. */
    interface Lookups
    {
        int size();

        String path(int i);

        String authorization(int i);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int port;

    QueryClients(final int port)
    {
        this.base = "http://127.0.0.1:" + port;
        this.port = port;
    }

    HttpResponse<String> post(final String path, final String authorization) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody())
            .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs {@code clients} threads sharing {@code rate} requests/s for warm-up plus measured seconds.
     *
     * @return latencies in microseconds of the measured requests.
     */
    Histogram run(final Lookups lookups, final int clients, final int rate, final double warmupSeconds, final double seconds)
        throws InterruptedException
    {
        final Histogram total = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final Histogram[] histograms = new Histogram[clients];
        final Thread[] threads = new Thread[clients];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long intervalNanos = TimeUnit.SECONDS.toNanos(1) * clients / rate;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        final long measureFrom = start + (long)(warmupSeconds * 1e9);
        final long end = measureFrom + (long)(seconds * 1e9);
        for (int c = 0; c < clients; c++)
        {
            final int client = c;
            final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
            histograms[c] = histogram;
            threads[c] = new Thread(() ->
            {
                ClientSlice.applyToCurrentThread();
                final SendPacer pacer = new SendPacer(intervalNanos); // sends on time: parks that end when asked
                final SplittableRandom random = new SplittableRandom(client + 1);
                long planned = start + client * intervalNanos / clients;
                try (Connection connection = new Connection(port, client))
                {
                    while (planned < end && failure.get() == null)
                    {
                        long now = System.nanoTime();
                        while (now < planned)
                        {
                            pacer.waitFor(planned - now);
                            now = System.nanoTime();
                        }
                        final int i = random.nextInt(lookups.size());
                        final int status = connection.get(lookups.path(i), lookups.authorization(i));
                        if (status != 200)
                        {
                            throw new IllegalStateException("GET " + lookups.path(i) + " answered " + status + ": " +
                                connection.body());
                        }
                        if (planned >= measureFrom)
                        {
                            histogram.recordValue(Math.max(1, (System.nanoTime() - planned) / 1_000));
                            planned += intervalNanos;
                        }
                        else
                        {
                            // Warm-up (JIT, connections) is not measured, and neither is its backlog: a
                            // client behind schedule skips ahead, and the measured schedule starts afresh.
                            planned = Math.max(planned + intervalNanos, System.nanoTime() - intervalNanos);
                            if (planned >= measureFrom)
                            {
                                planned = measureFrom + client * intervalNanos / clients;
                            }
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "query-client-" + c);
            threads[c].start();
        }
        for (int c = 0; c < clients; c++)
        {
            threads[c].join();
            total.add(histograms[c]);
        }
        if (failure.get() != null)
        {
            throw new IllegalStateException("query client failed: " + failure.get().getMessage(), failure.get());
        }
        return total;
    }

    /**
     * One keep-alive HTTP/1.1 connection to 127.0.0.1 from a loopback address of the client's own
     * (127.0.1.n): the clients stand for many firms, and the server gives each address only a share
     * of its request threads (query.http.max-threads-per-address). GET only, answers with a Content-Length.
     */
    static final class Connection implements AutoCloseable
    {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final StringBuilder request = new StringBuilder(256);
        private final StringBuilder line = new StringBuilder(128);
        private byte[] body = new byte[4096];
        private int bodyLength;

        Connection(final int port, final int client) throws IOException
        {
            socket = new Socket();
            socket.bind(new java.net.InetSocketAddress("127.0.1." + (1 + client % 250), 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Sends a GET and reads the whole answer; returns its status. */
        int get(final String path, final String authorization) throws IOException
        {
            request.setLength(0);
            request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ").append(authorization)
                .append("\r\n\r\n");
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();

            final String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12)
            {
                throw new IOException("bad status line '" + statusLine + "'");
            }
            final int status = Integer.parseInt(statusLine.substring(9, 12));
            int contentLength = -1;
            for (String header = readLine(); !header.isEmpty(); header = readLine())
            {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15))
                {
                    contentLength = Integer.parseInt(header.substring(15).trim());
                }
            }
            if (contentLength < 0)
            {
                throw new IOException("answer without Content-Length");
            }
            if (contentLength > body.length)
            {
                body = new byte[Math.max(contentLength, body.length * 2)];
            }
            bodyLength = in.readNBytes(body, 0, contentLength);
            if (bodyLength != contentLength)
            {
                throw new EOFException("connection closed mid-answer");
            }
            return status;
        }

        String body()
        {
            return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
        }

        private String readLine() throws IOException
        {
            line.setLength(0);
            while (true)
            {
                final int c = in.read();
                if (c < 0)
                {
                    throw new EOFException("connection closed");
                }
                if (c == '\n')
                {
                    final int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r')
                    {
                        line.setLength(last);
                    }
                    return line.toString();
                }
                line.append((char)c);
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
