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
    /**
     * What the session's login lets it read, or null before a login and after its credential ended.
     * Set by a Jetty thread (a login), ended by the publisher ({@link #endGrant}), read by both.
     */
    private final java.util.concurrent.atomic.AtomicReference<StreamGrant> grant = new java.util.concurrent.atomic.AtomicReference<>();
    /** Fell {@code queueLimit} messages behind: sends nothing until it has caught up, then gets fresh snapshots. */
    boolean behind;
    long behindSinceNanos;
    long lastPingNanos;
    /** When the client last sent anything, a pong included (set by Jetty's threads, read by the publisher). */
    volatile long lastHeardNanos = System.nanoTime();
    boolean closed;
    /** The client's source address: stream slots are shared between addresses ({@link StreamAdmission}). */
    final String address;
    /** Closed so that a client from another address has its slot (publisher thread). */
    boolean handedOver;

    StreamSession(final long id, final Session ws, final StreamGrant grant, final String address)
    {
        this.id = id;
        this.ws = ws;
        this.grant.set(grant);
        this.address = address;
    }

    /** The session's login now, or null (none, or its credential ended). */
    StreamGrant grant()
    {
        return grant.get();
    }

    void grant(final StreamGrant loggedIn)
    {
        grant.set(loggedIn);
    }

    /** Ends that login, unless another has replaced it meanwhile: true if it was ended here. */
    boolean endGrant(final StreamGrant ended)
    {
        return grant.compareAndSet(ended, null);
    }

    /** The account whose private channels the session may read now: 0 for none. */
    long accountId()
    {
        final StreamGrant current = grant.get();
        return current == null ? 0 : current.accountId();
    }

    /**
     * The lengths of the messages in flight, in the order they were sent: Jetty completes one
     * session's writes in that order, so one shared callback takes the oldest length off. Written by
     * the publisher's thread only, read by whichever Jetty thread completes a write (each after the
     * last: the session's frames are flushed one after another). No allocation per message.
     */
    private final int[] lengths = new int[1 << 13]; // above StreamLimits.MAX_QUEUE_LIMIT, with room for control messages
    private long sentCount;
    private final java.util.concurrent.atomic.AtomicLong completedCount = new java.util.concurrent.atomic.AtomicLong();
    private final Callback written = Callback.from(this::completed, failure -> completed());

    private void completed()
    {
        final long index = completedCount.getAndIncrement();
        inFlight.decrementAndGet();
        inFlightChars.addAndGet(-lengths[(int)(index & (lengths.length - 1))]);
    }

    /** Hands a message to Jetty (asynchronous: never blocks the publisher). */
    void send(final String text)
    {
        if (sentCount - completedCount.get() >= lengths.length)
        {
            return; // the publisher skips a client at its queue limit, before this; only a control message can meet it, and is dropped
        }
        final int chars = text.length();
        lengths[(int)(sentCount & (lengths.length - 1))] = chars;
        sentCount++;
        inFlight.incrementAndGet();
        inFlightChars.addAndGet(chars);
        ws.sendText(text, written);
    }

    @Override
    public String toString()
    {
        return "stream session " + id;
    }
}
