package dev.bourse.readmodels.stream;

/**
 * Bounds of the live streams.
 *
 * @param maxSessions         WebSocket sessions at most (more are refused with 503 at the upgrade)
 * @param maxSubscriptions    channels per session
 * @param queueLimit          messages sent to one client and not yet written out; a client further
 *                            behind is skipped to fresh snapshots once it has caught up, and closed if
 *                            it has not within {@code slowCloseMs}
 * @param slowCloseMs         how long a client may stay that far behind
 * @param ringBytes           the hand-off ring between the projection thread and the publisher
 * @param maxInboundBytes     largest message a client may send
 * @param idleCloseMs         a session that sends nothing for this long, not even the pong its
 *                            client owes to the server's pings (sent every third of it), is closed
 * @param maxRequestsPerSecond requests (subscribe, resync, ping, ...) one session may send a second,
 *                            in bursts of as many; more are dropped after one {@code rate_limited}
 *                            error, and a session that goes on sending is closed: every request is
 *                            work on the threads all sessions share (a resync builds a snapshot)
 */
public record StreamLimits(int maxSessions, int maxSubscriptions, int queueLimit, long slowCloseMs, int ringBytes,
    int maxInboundBytes, long idleCloseMs, int maxRequestsPerSecond)
{
    /** The most messages one client may have in flight (its session keeps their lengths in a ring of 8,192). */
    public static final int MAX_QUEUE_LIMIT = 8_000;

    /**
     * The depth channel is the top this many levels of each side: its snapshot holds at most this
     * many, and its updates keep a client's copy equal to them (a level that leaves them is sent as
     * removed, one that enters them whole), so a client holds a bounded book however deep the real one is.
     */
    public static final int DEPTH_LEVELS = 1_000;

    public static final StreamLimits DEFAULTS = new StreamLimits(256, 64, 1_024, 10_000, 8 << 20, 4_096);

    /** With the default idle close of 60 s. */
    public StreamLimits(final int maxSessions, final int maxSubscriptions, final int queueLimit, final long slowCloseMs,
        final int ringBytes, final int maxInboundBytes)
    {
        this(maxSessions, maxSubscriptions, queueLimit, slowCloseMs, ringBytes, maxInboundBytes, 60_000);
    }

    /** With the default request rate of 50 a second. */
    public StreamLimits(final int maxSessions, final int maxSubscriptions, final int queueLimit, final long slowCloseMs,
        final int ringBytes, final int maxInboundBytes, final long idleCloseMs)
    {
        this(maxSessions, maxSubscriptions, queueLimit, slowCloseMs, ringBytes, maxInboundBytes, idleCloseMs, 50);
    }

    public StreamLimits validate()
    {
        if (maxSessions < 1 || maxSubscriptions < 1 || queueLimit < 16 || queueLimit > MAX_QUEUE_LIMIT || slowCloseMs < 100 || maxInboundBytes < 256 || idleCloseMs < 300 ||
            maxRequestsPerSecond < 1)
        {
            throw new IllegalArgumentException("streams: sessions, subscriptions, queue limit (16 to " + MAX_QUEUE_LIMIT + "), slow-close time, " +
                "inbound message size and request rate must be positive, the idle close at least 300 ms");
        }
        if (Integer.bitCount(ringBytes) != 1 || ringBytes < 1 << 16)
        {
            throw new IllegalArgumentException("streams: the ring size must be a power of two of at least 64 KiB, not " + ringBytes);
        }
        return this;
    }

    public StreamLimits with(final int sessions, final int subscriptions, final int queue)
    {
        return new StreamLimits(sessions, subscriptions, queue, slowCloseMs, ringBytes, maxInboundBytes, idleCloseMs, maxRequestsPerSecond);
    }

    public StreamLimits withRequestRate(final int perSecond)
    {
        return new StreamLimits(maxSessions, maxSubscriptions, queueLimit, slowCloseMs, ringBytes, maxInboundBytes, idleCloseMs, perSecond);
    }
}
