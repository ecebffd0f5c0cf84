package dev.bourse.readmodels.stream;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket client of the streams. Its subscriptions and flow state belong to the publisher
 * thread; only {@link #inFlight} (messages handed to Jetty and not yet written out) is changed by
 * Jetty's threads too, when a write completes.
 */
final class StreamSession
{
    /** No snapshot yet since (re)subscribing or being skipped: updates are not sent. */
    static final long AWAITING_SNAPSHOT = -1;

    final long id;
    final Session ws;
    final AtomicInteger inFlight = new AtomicInteger();
    /** Characters of those messages (JSON, so bytes): a depth snapshot is tens of kilobytes, an update tens of bytes. */
    final java.util.concurrent.atomic.AtomicLong inFlightChars = new java.util.concurrent.atomic.AtomicLong();
    /** Subscribed channel -> the sequence number of the last message sent, or {@link #AWAITING_SNAPSHOT}. */
    final Long2LongHashMap channels = new Long2LongHashMap(Long.MIN_VALUE);
    final LongHashSet subscribed = new LongHashSet();
    /** The authenticated account, or -1 (set by a Jetty thread, read by the next message's). */
    volatile long accountId;
    /** Credentials were checked (at the upgrade or by an auth op), whatever account they read. */
    volatile boolean authenticated;
    /** Fell {@code queueLimit} messages behind: sends nothing until it has caught up, then gets fresh snapshots. */
    boolean behind;
    long behindSinceNanos;
    long lastPingNanos;
    /** When the client last sent anything, a pong included (set by Jetty's threads, read by the publisher). */
    volatile long lastHeardNanos = System.nanoTime();
    boolean closed;
    StreamSession(final long id, final Session ws, final long accountId)
    {
        this.id = id;
        this.ws = ws;
        this.accountId = accountId;
    }

    /** Hands a message to Jetty (asynchronous: never blocks the publisher). */
    void send(final String text)
    {
        final int chars = text.length();
        inFlight.incrementAndGet();
        inFlightChars.addAndGet(chars);
        final Runnable done = () ->
        {
            inFlight.decrementAndGet();
            inFlightChars.addAndGet(-chars);
        };
        ws.sendText(text, Callback.from(done, t -> done.run()));
    }

    @Override
    public String toString()
    {
        return "stream session " + id;
    }
}
