package dev.bourse.marketdata;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.exceptions.ClientTimeoutException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.DriverTimeoutException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentTerminationException;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link MarketDataSubscriber} on an Aeron client of its own that outlives the media driver it
 * reads through. An exchange with an embedded driver takes the driver with it when it stops; the
 * Aeron client then finds the driver gone (shut down, or no keepalive within the driver timeout),
 * terminates and never works again. This class notices that (the client's error handler and
 * {@link Aeron#isClosed()}), closes the dead client, tells {@link Events#onDriverLost} once, and
 * from then on, every reconnect interval, looks for a live driver in the same directory (without
 * waiting for one to appear); when there is one it connects a new client and a new subscriber,
 * which joins late like any other: RECOVERING, then SYNCED from the snapshot stream.
 * <p>
 * Single-threaded, like the subscriber: {@link #connect}, then {@link #poll}, from one thread. While
 * disconnected, poll returns at once (0) between attempts: the caller chooses how to idle. An
 * attempt blocks only in {@link Aeron#connect}, and only once a live driver was found.
 */
public final class ReconnectingSubscriber implements AutoCloseable
{
    /** What happens to the connection, on the polling thread (errors: on the Aeron client's thread). */
    public interface Events
    {
        /** The client lost its media driver (cause: what the client reported); reconnection attempts follow. */
        default void onDriverLost(String aeronDir, Throwable cause)
        {
        }

        /** A new client and subscriber are up after a loss; the subscriber recovers from the snapshot stream. */
        default void onReconnected(String aeronDir, long disconnectedNs)
        {
        }

        /** A reconnection attempt found a driver but could not connect to it; it is tried again. */
        default void onReconnectFailed(String aeronDir, Throwable cause)
        {
        }

        /** An error the Aeron client reported that did not cost it its driver. */
        default void onAeronError(Throwable error)
        {
        }
    }

    private final String aeronDir;
    private final MarketDataSubscriber.Context subscriberContext;
    private final MarketDataListener listener;
    private final Events events;
    private final long driverTimeoutMs;
    private final long reconnectIntervalNs;
    private Aeron aeron;
    /** The first fatal error of the current client, from its error handler (its conductor thread). */
    private AtomicReference<Throwable> fatal;
    private MarketDataSubscriber subscriber;
    private long lostAtNs;
    private long nextAttemptNs;
    private long driverLosses;
    private long reconnects;
    private boolean closed;

    /**
     * @param aeronDir          the media driver's directory (the exchange's {@code md.aeron-dir}).
     * @param subscriberContext channels and stream ids; its Aeron client is set here for each connection.
     * @param driverTimeoutMs   how long the driver may stay silent before the client gives it up.
     * @param reconnectInterval how often to look for a driver again after a loss.
     */
    public ReconnectingSubscriber(final String aeronDir, final MarketDataSubscriber.Context subscriberContext,
        final MarketDataListener listener, final Events events, final long driverTimeoutMs, final long reconnectInterval,
        final TimeUnit unit)
    {
        this.aeronDir = aeronDir;
        this.subscriberContext = subscriberContext;
        this.listener = listener;
        this.events = events == null ? new Events() { } : events;
        this.driverTimeoutMs = driverTimeoutMs;
        this.reconnectIntervalNs = unit.toNanos(reconnectInterval);
    }

    /** Connects the first time; throws what {@link Aeron#connect} throws (no driver: {@link DriverTimeoutException}). */
    public ReconnectingSubscriber connect()
    {
        if (subscriber == null)
        {
            open();
        }
        return this;
    }

    /**
     * Polls the subscriber while connected; after a loss, tries to reconnect once per interval.
     *
     * @return fragments handled (0 while disconnected: idle as long as you like, up to the interval).
     */
    public int poll(final int fragmentLimit)
    {
        if (closed)
        {
            return 0;
        }
        if (fatal == null && driverLosses == 0)
        {
            throw new IllegalStateException("connect() first");
        }
        if (subscriber != null)
        {
            if (fatal.get() == null && !aeron.isClosed())
            {
                return subscriber.poll(fragmentLimit);
            }
            lose();
            return 1;
        }
        final long now = System.nanoTime();
        if (now - nextAttemptNs < 0)
        {
            return 0;
        }
        nextAttemptNs = now + reconnectIntervalNs;
        if (!driverActive())
        {
            return 0;
        }
        try
        {
            open();
        }
        catch (final RuntimeException e)
        {
            events.onReconnectFailed(aeronDir, e);
            return 0;
        }
        reconnects++;
        events.onReconnected(aeronDir, now - lostAtNs);
        return 1;
    }

    private void open()
    {
        // one per client: a late error of a closed client cannot mark its successor lost
        final AtomicReference<Throwable> clientFatal = new AtomicReference<>();
        final Aeron client = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(aeronDir)
            .driverTimeoutMs(driverTimeoutMs)
            .errorHandler(error -> onAeronError(clientFatal, error)));
        try
        {
            subscriber = new MarketDataSubscriber(subscriberContext.aeron(client), listener);
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietClose(client);
            throw e;
        }
        aeron = client;
        fatal = clientFatal;
    }

    /** The client's error handler: an error after which it no longer works marks the driver lost. */
    private void onAeronError(final AtomicReference<Throwable> clientFatal, final Throwable error)
    {
        if (error instanceof DriverTimeoutException || error instanceof ClientTimeoutException
            || error instanceof ConductorServiceTimeoutException || error instanceof AgentTerminationException)
        {
            // the first one says why; AgentTerminationException (no message) follows it
            clientFatal.compareAndSet(null, error);
            return;
        }
        events.onAeronError(error);
    }

    private void lose()
    {
        final Throwable cause = fatal.get() != null ? fatal.get() : new IllegalStateException("the Aeron client closed");
        closeConnection();
        driverLosses++;
        lostAtNs = System.nanoTime();
        nextAttemptNs = lostAtNs + reconnectIntervalNs;
        events.onDriverLost(aeronDir, cause);
    }

    /** A driver that answers: its CnC file is there and its heartbeat is recent. Does not wait for one to appear. */
    private boolean driverActive()
    {
        try
        {
            return CommonContext.isDriverActive(new File(aeronDir), driverTimeoutMs, message -> { });
        }
        catch (final RuntimeException e)
        {
            // a CnC file being created (not yet initialised), or of another version: look again later
            return false;
        }
    }

    private void closeConnection()
    {
        CloseHelper.quietClose(subscriber);
        CloseHelper.quietClose(aeron);
        subscriber = null;
        aeron = null;
        fatal = null;
    }

    /** Connected to a driver (the subscriber may still be RECOVERING). */
    public boolean isConnected()
    {
        return subscriber != null;
    }

    /** The current connection's subscriber and books; null while disconnected (the old books are gone with it). */
    public MarketDataSubscriber subscriber()
    {
        return subscriber;
    }

    public String aeronDir()
    {
        return aeronDir;
    }

    /** Times the driver went away. */
    public long driverLosses()
    {
        return driverLosses;
    }

    /** Times a new client connected after a loss. */
    public long reconnects()
    {
        return reconnects;
    }

    /** The reconnect interval, in nanoseconds. */
    public long reconnectIntervalNs()
    {
        return reconnectIntervalNs;
    }

    @Override
    public void close()
    {
        closed = true;
        closeConnection();
    }

    /** An exception as one line: its class and its message (some, like AgentTerminationException, have none). */
    public static String describe(final Throwable t)
    {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
