package dev.bourse.readmodels.http;

/**
 * What one HTTP/WebSocket listener accepts, all bounded: how many threads serve requests, how
 * many connections may be open at once, how long a client may take to send its request headers
 * or stay idle, and how large a request may be. Admission control (rates, priorities) builds on
 * these; {@link #validate()} names the first bad value.
 *
 * @param threads            request-serving threads (Jetty also runs one acceptor and one selector thread)
 * @param maxConnections     open connections (HTTP and WebSocket together); more wait in the accept queue
 * @param idleTimeoutMs      a connection with no traffic for this long is closed
 * @param headerTimeoutMs    a new connection must deliver its first request's headers within this time
 * @param bodyTimeoutMs      longest pause while a request body is read
 * @param maxHeaderBytes     request line and headers together
 * @param maxBodyBytes       request body (the API reads only admin form bodies; anything larger is refused with 413)
 * @param sendBufferBytes    the kernel's send buffer per accepted connection (0: the system's default); a
 *                           smaller one bounds the memory a slow stream client holds in the kernel, and
 *                           makes it fall behind (see the streams' queue limit) sooner
 * @param maxConnectionsPerAddress connections one source address may have open at once; more are closed as
 *                           they are accepted
 * @param writeTimeoutMs     longest a response may take to be taken by the client, from its first byte: a
 *                           slow reader is cut off then, however steadily it trickles
 * @param maxThreadsPerAddress request threads one source address may hold at once; its further requests wait
 *                           (asynchronously, holding no thread) for one of its own to finish, so a client that
 *                           loops heavy requests over many connections leaves the other threads to everyone else
 * @param budgetPerAddress   units of work per second one source address may use ({@link AddressBudget}: a request is one
 *                           unit, each 16 KiB of its answer one more); requests past it wait, then are refused with
 *                           429; 0 is no budget
 * @param budgetBurst        units a quiet address may spend at once
 */
public record HttpLimits(
    int threads,
    int maxConnections,
    long idleTimeoutMs,
    long headerTimeoutMs,
    long bodyTimeoutMs,
    int maxHeaderBytes,
    long maxBodyBytes,
    int sendBufferBytes,
    int maxConnectionsPerAddress,
    long writeTimeoutMs,
    int maxThreadsPerAddress,
    int budgetPerAddress,
    int budgetBurst)
{
    /**
     * A dashboard, a scraper and a trader's tools polling from one address use a few units a
     * second; 16 clients looping the activity CSV from one address (74 MB/s, both cores of a small
     * machine busy) are held to about 1.6 MB/s.
     */
    public static final int DEFAULT_BUDGET_PER_ADDRESS = 100;
    /** An address that has been quiet may take about 16 MB of answers (a large activity CSV) at once. */
    public static final int DEFAULT_BUDGET_BURST = 1_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    public static final long DEFAULT_WRITE_TIMEOUT_MS = 30_000;
    /**
     * The kernel's send buffer per connection (Linux doubles it for its bookkeeping). Left to the
     * system, it grew to hold a whole 750 KB CSV for a client that never read: the response counted
     * as written, the write deadline never fired, and the connection, closed later as idle, left its
     * bytes in the kernel and its slot free for the same address to open another (an outside probe
     * held 96 MB so from one address). Bounded, a large answer to a slow reader waits in Jetty, where
     * the write deadline cuts it off with a reset.
     */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 128 * 1024;

    public static final HttpLimits DEFAULTS = new HttpLimits(4, 1_024, 30_000, 10_000, 10_000, 8 * 1024, 64 * 1024);

    public HttpLimits(final int threads, final int maxConnections, final long idleTimeoutMs, final long headerTimeoutMs,
        final long bodyTimeoutMs, final int maxHeaderBytes, final long maxBodyBytes)
    {
        this(threads, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            DEFAULT_SEND_BUFFER_BYTES, Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, maxConnections)),
            DEFAULT_WRITE_TIMEOUT_MS, defaultThreadsPerAddress(threads), DEFAULT_BUDGET_PER_ADDRESS, DEFAULT_BUDGET_BURST);
    }

    /**
     * Half the request threads, at least one: one address busy with heavy requests leaves the other
     * half to the rest (an abuse probe's CSV loops from one address made honest requests 6-50 times slower).
     */
    public static int defaultThreadsPerAddress(final int threads)
    {
        return Math.max(1, threads / 2);
    }

    public HttpLimits withSendBuffer(final int bytes)
    {
        return new HttpLimits(threads, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            bytes, maxConnectionsPerAddress, writeTimeoutMs, maxThreadsPerAddress, budgetPerAddress, budgetBurst);
    }

    /** The same limits with another per-address connection cap and write timeout. */
    public HttpLimits withAdmission(final int connectionsPerAddress, final long writeTimeout)
    {
        return new HttpLimits(threads, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            sendBufferBytes, connectionsPerAddress, writeTimeout, maxThreadsPerAddress, budgetPerAddress, budgetBurst);
    }

    /** The same limits with another cap on the request threads one address may hold at once. */
    public HttpLimits withThreadsPerAddress(final int value)
    {
        return new HttpLimits(threads, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            sendBufferBytes, maxConnectionsPerAddress, writeTimeoutMs, value, budgetPerAddress, budgetBurst);
    }

    /** The same limits with another budget per source address: units per second (0: none) and burst. */
    public HttpLimits withBudget(final int perSecond, final int burst)
    {
        return new HttpLimits(threads, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            sendBufferBytes, maxConnectionsPerAddress, writeTimeoutMs, maxThreadsPerAddress, perSecond, burst);
    }

    public HttpLimits validate()
    {
        check(threads >= 1 && threads <= 1_024, "threads must be 1..1024, not " + threads);
        check(maxConnections >= 1, "max connections must be positive, not " + maxConnections);
        check(idleTimeoutMs >= 100, "idle timeout must be at least 100 ms, not " + idleTimeoutMs);
        check(headerTimeoutMs >= 100, "header timeout must be at least 100 ms, not " + headerTimeoutMs);
        check(bodyTimeoutMs >= 100, "body timeout must be at least 100 ms, not " + bodyTimeoutMs);
        check(maxHeaderBytes >= 1_024 && maxHeaderBytes <= 1 << 20, "max header bytes must be 1024..1048576, not " + maxHeaderBytes);
        check(maxBodyBytes >= 0, "max body bytes must not be negative, not " + maxBodyBytes);
        check(sendBufferBytes >= 0, "send buffer bytes must not be negative, not " + sendBufferBytes);
        check(maxConnectionsPerAddress >= 1 && maxConnectionsPerAddress <= maxConnections,
            "max connections per address must be 1..max connections (" + maxConnections + "), not " + maxConnectionsPerAddress);
        check(writeTimeoutMs >= 100, "write timeout must be at least 100 ms, not " + writeTimeoutMs);
        check(maxThreadsPerAddress >= 1 && maxThreadsPerAddress <= threads,
            "max threads per address must be 1..threads (" + threads + "), not " + maxThreadsPerAddress);
        check(budgetPerAddress >= 0 && budgetPerAddress <= 1_000_000_000,
            "budget per address must be 0..1000000000 units a second, not " + budgetPerAddress);
        check(budgetBurst >= 1 && budgetBurst <= 1_000_000, "budget burst must be 1..1000000 units, not " + budgetBurst);
        return this;
    }

    public HttpLimits withThreads(final int value)
    {
        // the per-address share follows the pool unless it was set apart and still fits
        final int perAddress = maxThreadsPerAddress == defaultThreadsPerAddress(threads) || maxThreadsPerAddress > value
            ? defaultThreadsPerAddress(value) : maxThreadsPerAddress;
        return new HttpLimits(value, maxConnections, idleTimeoutMs, headerTimeoutMs, bodyTimeoutMs, maxHeaderBytes, maxBodyBytes,
            sendBufferBytes, maxConnectionsPerAddress, writeTimeoutMs, perAddress, budgetPerAddress, budgetBurst);
    }

    private static void check(final boolean ok, final String problem)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("http: " + problem);
        }
    }
}
