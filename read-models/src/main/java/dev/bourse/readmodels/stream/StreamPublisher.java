package dev.bourse.readmodels.stream;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live streams' own thread: reads the ring the projection thread writes, turns each message
 * into JSON once, and hands it to every subscriber of its channel. It owns all routing state;
 * Jetty's threads send it commands (subscribe, unsubscribe, ...) through a queue.
 * <p>
 * Flow control: a client may have at most {@code queueLimit} messages handed to Jetty and not yet
 * written out. One that falls further behind is skipped: it is sent nothing more until it has
 * caught up, then a fresh snapshot of every channel it subscribed to. One that stays behind for
 * {@code slowCloseMs} is closed. Neither slows the projection thread (the ring never blocks it) nor
 * other clients (sends are asynchronous).
 * <p>
 * Ordering: a snapshot is built on the projection thread between entries and goes through the same
 * ring, so every update with a higher sequence number follows it. A client waiting for a snapshot
 * gets no updates of that channel before it.
 */
public final class StreamPublisher implements Agent
{
    /** Asks the projection thread for a snapshot of a channel; false if it cannot take the request now. */
    @FunctionalInterface
    public interface SnapshotRequester
    {
        boolean request(long channel);
    }

    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SNAPSHOT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the sessions' logins are checked: a token that expired or was retired stops reading within this. */
    static final long GRANT_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final OneToOneRingBuffer ring;
    private final StreamSource source;
    private final SnapshotRequester snapshots;
    private final StreamLimits limits;
    private final StreamCounters counters;
    private final Consumer<String> log;
    private final ManyToOneConcurrentArrayQueue<Consumer<StreamPublisher>> commands = new ManyToOneConcurrentArrayQueue<>(8_192);
    private final Consumer<Consumer<StreamPublisher>> runCommand = command -> command.accept(this);
    private final Long2ObjectHashMap<StreamSession> sessions = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayList<StreamSession>> subscribers = new Long2ObjectHashMap<>();
    /** Channel -> when its snapshot was asked for. */
    /**
     * Bytes (JSON characters) one client may have handed to Jetty and not yet written out, besides the
     * message count: the count alone let a client that asks for depth snapshots and never reads hold a
     * thousand of them, 26-75 MB each session (an outside probe ran a 1 GB heap out of memory with 32).
     * Four full-depth snapshots fit; at the default 256 sessions the streams hold at most 256 MiB.
     */
    static final long MAX_QUEUED_CHARS = 1L << 20;

    private final Long2LongHashMap pendingSnapshots = new Long2LongHashMap(Long.MIN_VALUE);
    private final StreamAdmission admission;
    /** Per address, sessions to close as they open: slots taken over before they had opened (see {@link #evictOneOf}). */
    private final Map<String, Integer> owedEvictions = new HashMap<>();
    private final MessageHandler handler = this::onMessage;
    private long nextHousekeepingNanos;
    private long nextGrantCheckNanos;
    private long lastOverflowLogNanos = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
    private long subscriptionCount;

    public StreamPublisher(
        final OneToOneRingBuffer ring,
        final StreamSource source,
        final SnapshotRequester snapshots,
        final StreamLimits limits,
        final StreamCounters counters,
        final Consumer<String> log)
    {
        this.ring = ring;
        this.source = source;
        this.snapshots = snapshots;
        this.limits = limits;
        this.admission = new StreamAdmission(limits.maxSessions());
        this.counters = counters;
        this.log = log;
    }

    // ------------------------------------------------------------------ from Jetty threads

    /**
     * Reserves a session slot for a client from {@code address}; false when refused (the upgrade
     * gets a 503). At the limit, a slot may be taken from the address holding the most sessions
     * ({@link StreamAdmission}): one of its sessions is then closed.
     */
    boolean tryAdmit(final String address)
    {
        final StreamAdmission.Decision decision = admission.admit(address);
        if (!decision.admitted())
        {
            counters.refusedSessions++;
            return false;
        }
        if (decision.evictFrom() != null)
        {
            final String from = decision.evictFrom();
            if (!command(p -> p.evictOneOf(from)))
            {
                admission.released(from); // the publisher is swamped: the over-share address keeps its session, one over
            }
        }
        return true;
    }

    /** Frees a slot reserved by {@link #tryAdmit} whose session never opened. */
    void release(final String address)
    {
        admission.released(address);
    }

    /** Runs on the publisher thread; false if its queue is full (the caller closes the session). */
    boolean command(final Consumer<StreamPublisher> command)
    {
        return commands.offer(command);
    }

    StreamLimits limits()
    {
        return limits;
    }

    // ------------------------------------------------------------------ commands (publisher thread)

    void open(final StreamSession session)
    {
        sessions.put(session.id, session);
        session.lastPingNanos = System.nanoTime();
        counters.sessions = sessions.size();
        final Integer owed = owedEvictions.get(session.address);
        if (owed != null)
        {
            if (owed == 1)
            {
                owedEvictions.remove(session.address);
            }
            else
            {
                owedEvictions.put(session.address, owed - 1);
            }
            evict(session);
        }
    }

    /**
     * Closes a session of {@code address}, whose slot a client from another address took over
     * (the newest: the longest-standing clients are left alone); if none has opened yet, the next
     * one to open.
     */
    void evictOneOf(final String address)
    {
        StreamSession newest = null;
        for (final StreamSession session : sessions.values())
        {
            if (!session.closed && address.equals(session.address) && (newest == null || session.id > newest.id))
            {
                newest = session;
            }
        }
        if (newest == null)
        {
            owedEvictions.merge(address, 1, Integer::sum);
            return;
        }
        evict(newest);
    }

    private void evict(final StreamSession session)
    {
        counters.evictedSessions++;
        session.handedOver = true; // its slot is the newcomer's now: its end frees none
        session.ws.close(StatusCode.TRY_AGAIN_LATER, "busy: this address holds more stream sessions than its share, and a"
            + " client from another address took one", Callback.NOOP);
        closed(session);
    }

    void closed(final StreamSession session)
    {
        if (sessions.remove(session.id) == null)
        {
            return;
        }
        session.closed = true;
        for (final long key : new ArrayList<>(session.subscribed))
        {
            removeSubscriber(session, key);
        }
        if (!session.handedOver)
        {
            admission.released(session.address);
        }
        counters.sessions = sessions.size();
    }

    void authenticated(final StreamSession session, final long accountId)
    {
        control(session, StreamJson.control("authenticated", "accountId", accountId));
    }

    void subscribe(final StreamSession session, final long key, final String symbol)
    {
        if (session.closed)
        {
            return;
        }
        final int type = StreamChannels.type(key);
        final StreamGrant grant = session.grant();
        if (StreamChannels.isPrivate(type) && (grant == null || !grant.mayRead(StreamChannels.id(key))))
        {
            // checked on a Jetty thread against a login that ended before this ran
            control(session, StreamJson.error("unauthorized", "your login has ended: authenticate again for the " +
                StreamChannels.name(type) + " channel"));
            return;
        }
        if (session.subscribed.contains(key))
        {
            resync(session, key);
            return;
        }
        if (session.subscribed.size() >= limits.maxSubscriptions())
        {
            control(session, StreamJson.error("too_many_subscriptions", "at most " + limits.maxSubscriptions() +
                " channels per session"));
            return;
        }
        session.subscribed.add(key);
        session.channels.put(key, StreamSession.AWAITING_SNAPSHOT);
        ArrayList<StreamSession> list = subscribers.get(key);
        if (list == null)
        {
            list = new ArrayList<>(4);
            subscribers.put(key, list);
            publishInterest();
        }
        list.add(session);
        counters.subscriptions = ++subscriptionCount;
        control(session, StreamJson.control("subscribed", type, StreamChannels.id(key), symbol == null ? null : "symbol", symbol));
        requestSnapshot(key);
    }

    void unsubscribe(final StreamSession session, final long key)
    {
        if (!session.subscribed.contains(key))
        {
            control(session, StreamJson.error("not_subscribed", "not subscribed to that channel"));
            return;
        }
        removeSubscriber(session, key);
        control(session, StreamJson.control("unsubscribed", StreamChannels.type(key), StreamChannels.id(key), null, null));
    }

    /** A new snapshot of a channel (the client saw a gap, or asked). */
    void resync(final StreamSession session, final long key)
    {
        if (!session.subscribed.contains(key))
        {
            control(session, StreamJson.error("not_subscribed", "not subscribed to that channel"));
            return;
        }
        session.channels.put(key, StreamSession.AWAITING_SNAPSHOT);
        requestSnapshot(key);
    }

    /** A session went past its request rate: the first of a run of dropped requests, or closed for going on. */
    void rateLimited(final StreamSession session, final boolean closing)
    {
        if (closing)
        {
            counters.rateLimitDisconnects++;
        }
        else
        {
            counters.rateLimited++;
        }
    }

    void control(final StreamSession session, final String text)
    {
        if (!session.closed)
        {
            session.send(text);
        }
    }

    private void removeSubscriber(final StreamSession session, final long key)
    {
        session.subscribed.remove(key);
        session.channels.remove(key);
        final ArrayList<StreamSession> list = subscribers.get(key);
        if (list != null && list.remove(session))
        {
            counters.subscriptions = --subscriptionCount;
            if (list.isEmpty())
            {
                subscribers.remove(key);
                publishInterest();
            }
        }
    }

    /** Tells the projection thread which channels to produce (a new set each time: it reads without locks). */
    private void publishInterest()
    {
        final LongHashSet channels = new LongHashSet(Math.max(8, subscribers.size() * 2));
        for (final Long2ObjectHashMap<ArrayList<StreamSession>>.KeyIterator it = subscribers.keySet().iterator(); it.hasNext(); )
        {
            channels.add(it.nextLong());
        }
        source.interest(channels);
    }

    private void requestSnapshot(final long key)
    {
        if (pendingSnapshots.containsKey(key))
        {
            return; // one is on its way; every session waiting for it gets it
        }
        final long now = System.nanoTime();
        // Not accepted now: asked again at the next housekeeping round but one.
        pendingSnapshots.put(key, snapshots.request(key) ? now : now - SNAPSHOT_RETRY_NANOS + 2 * HOUSEKEEPING_NANOS);
    }

    // ------------------------------------------------------------------ duty cycle

    @Override
    public void onStart()
    {
        source.publisherThread(Thread.currentThread());
    }

    @Override
    public int doWork()
    {
        int work = commands.drain(runCommand, 256);
        work += ring.read(handler, 4_096);
        final long now = System.nanoTime();
        if (now - nextHousekeepingNanos >= 0)
        {
            nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
            work += housekeeping(now);
        }
        return work;
    }

    private void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (type == StreamRing.OVERFLOW)
        {
            counters.ringOverflows++;
            final long now = System.nanoTime();
            if (now - lastOverflowLogNanos > TimeUnit.SECONDS.toNanos(10))
            {
                lastOverflowLogNanos = now;
                log.accept("streams: the hand-off ring was full (" + counters.ringOverflows +
                    " times so far): every subscriber gets fresh snapshots");
            }
            for (final StreamSession session : sessions.values())
            {
                awaitAll(session);
            }
            for (final Long2ObjectHashMap<ArrayList<StreamSession>>.KeyIterator it = subscribers.keySet().iterator(); it.hasNext(); )
            {
                requestSnapshot(it.nextLong());
            }
            return;
        }
        final long key = buffer.getLong(index + StreamRing.KEY);
        final long sequence = buffer.getLong(index + StreamRing.SEQUENCE);
        if (type == StreamRing.SNAPSHOT)
        {
            pendingSnapshots.remove(key);
        }
        final List<StreamSession> list = subscribers.get(key);
        if (list == null)
        {
            return;
        }
        String text = null;
        for (int i = 0, n = list.size(); i < n; i++)
        {
            final StreamSession session = list.get(i);
            if (session.behind)
            {
                continue;
            }
            final long last = session.channels.get(key);
            if (type == StreamRing.SNAPSHOT)
            {
                if (last != StreamSession.AWAITING_SNAPSHOT)
                {
                    continue; // live already: asked for by another session
                }
                text = text != null ? text : StreamJson.snapshot(buffer, index, length);
                if (deliver(session, key, sequence, text))
                {
                    counters.snapshotsSent++;
                }
            }
            else if (last != StreamSession.AWAITING_SNAPSHOT)
            {
                if (sequence != last + 1)
                {
                    // A message of this channel was dropped (the ring was full): resynchronise.
                    session.channels.put(key, StreamSession.AWAITING_SNAPSHOT);
                    requestSnapshot(key);
                    continue;
                }
                text = text != null ? text : StreamJson.update(buffer, index);
                deliver(session, key, sequence, text);
            }
        }
    }

    private boolean deliver(final StreamSession session, final long key, final long sequence, final String text)
    {
        final long queuedChars = session.inFlightChars.get();
        // a message larger than the bound (an account's thousands of open orders) still goes to a client that is up to date
        if (session.inFlight.get() >= limits.queueLimit() || (queuedChars > 0 && queuedChars + text.length() > MAX_QUEUED_CHARS))
        {
            behind(session);
            return false;
        }
        session.send(text);
        session.channels.put(key, sequence);
        counters.messagesSent++;
        return true;
    }

    private void behind(final StreamSession session)
    {
        session.behind = true;
        session.behindSinceNanos = System.nanoTime();
        counters.slowSkips++;
        awaitAll(session);
    }

    private static void awaitAll(final StreamSession session)
    {
        for (final LongHashSet.LongIterator it = session.subscribed.iterator(); it.hasNext(); )
        {
            session.channels.put(it.nextValue(), StreamSession.AWAITING_SNAPSHOT);
        }
    }

    /**
     * Ends the private channels of every session whose login's credential no longer holds (a token
     * expired or retired): told why, it keeps its public channels and may log in again.
     */
    private int endLapsedGrants(final long now)
    {
        int work = 0;
        for (final StreamSession session : sessions.values())
        {
            final StreamGrant grant = session.grant();
            if (grant == null || grant.liveAt().test(now) || !session.endGrant(grant))
            {
                continue;
            }
            counters.loginsEnded++;
            int ended = 0;
            for (final long key : new ArrayList<>(session.subscribed))
            {
                if (StreamChannels.isPrivate(StreamChannels.type(key)))
                {
                    removeSubscriber(session, key);
                    ended++;
                }
            }
            control(session, StreamJson.error("login_ended", "your login's credential has expired or was retired: " +
                ended + " private channel(s) ended; authenticate again to read them"));
            work++;
        }
        return work;
    }

    private int housekeeping(final long now)
    {
        int work = 0;
        if (now - nextGrantCheckNanos >= 0)
        {
            nextGrantCheckNanos = now + GRANT_CHECK_NANOS;
            work += endLapsedGrants(now);
        }
        List<StreamSession> tooSlow = null;
        List<StreamSession> idle = null;
        final long idleNanos = TimeUnit.MILLISECONDS.toNanos(limits.idleCloseMs());
        long behindNow = 0;
        long queuedNow = 0;
        long queuedBytesNow = 0;
        for (final StreamSession session : sessions.values())
        {
            queuedNow += session.inFlight.get();
            queuedBytesNow += session.inFlightChars.get();
            behindNow += session.behind ? 1 : 0;
            if (session.behind)
            {
                if (session.inFlight.get() == 0)
                {
                    // Caught up: skip to the present with a fresh snapshot of every channel.
                    session.behind = false;
                    control(session, StreamJson.error("slow_consumer",
                        "fell " + limits.queueLimit() + " messages behind: skipped to fresh snapshots"));
                    for (final LongHashSet.LongIterator it = session.subscribed.iterator(); it.hasNext(); )
                    {
                        requestSnapshot(it.nextValue());
                    }
                    work++;
                }
                else if (now - session.behindSinceNanos > TimeUnit.MILLISECONDS.toNanos(limits.slowCloseMs()))
                {
                    tooSlow = tooSlow == null ? new ArrayList<>() : tooSlow;
                    tooSlow.add(session);
                }
            }
            else if (now - session.lastHeardNanos > idleNanos)
            {
                idle = idle == null ? new ArrayList<>() : idle;
                idle.add(session);
            }
            else if (now - session.lastPingNanos > idleNanos / 3)
            {
                session.lastPingNanos = now;
                session.ws.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
            }
        }
        counters.sessionsBehind = behindNow;
        counters.queued = queuedNow;
        counters.queuedBytes = queuedBytesNow;
        if (idle != null)
        {
            for (final StreamSession session : idle)
            {
                counters.idleDisconnects++;
                // a client that answers no ping will not answer the close either: drop the connection once it is said
                final org.eclipse.jetty.websocket.api.Session ws = session.ws;
                ws.close(StatusCode.NORMAL, "idle: nothing received (not even a pong) for " + limits.idleCloseMs() + " ms",
                    Callback.from(ws::disconnect, failure -> ws.disconnect()));
                closed(session);
            }
        }
        if (tooSlow != null)
        {
            for (final StreamSession session : tooSlow)
            {
                counters.slowDisconnects++;
                // the close frame waits behind what the client does not read: drop the connection, and its queue, at once
                // (waiting, 32 clients that never read held a gigabyte of snapshots for a minute: an outside probe)
                final org.eclipse.jetty.websocket.api.Session ws = session.ws;
                ws.close(StatusCode.POLICY_VIOLATION, "too slow: " + limits.queueLimit() + " messages or " + MAX_QUEUED_CHARS +
                    " bytes behind for " + limits.slowCloseMs() + " ms", Callback.NOOP);
                ws.disconnect();
                closed(session);
            }
        }
        if (!pendingSnapshots.isEmpty())
        {
            final List<Long> retry = new ArrayList<>();
            pendingSnapshots.forEach((key, askedAt) ->
            {
                if (now - askedAt > SNAPSHOT_RETRY_NANOS)
                {
                    retry.add(key);
                }
            });
            for (final long key : retry)
            {
                pendingSnapshots.remove(key);
                requestSnapshot(key);
            }
        }
        return work;
    }

    @Override
    public void onClose()
    {
        commands.drain(runCommand);
        for (final StreamSession session : new ArrayList<>(sessions.values()))
        {
            session.ws.close(StatusCode.SHUTDOWN, "the query side is stopping", Callback.NOOP);
            closed(session);
        }
    }

    @Override
    public String roleName()
    {
        return "streams";
    }

    /** For tests and the status: sessions open now (publisher's view). */
    int sessionCount()
    {
        return sessions.size();
    }
}
