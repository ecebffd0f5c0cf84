package dev.bourse.marketdata;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;

/**
 * A subscriber's subscription to the snapshot stream, held only while it needs a snapshot. A
 * subscriber that is in sync leaves the stream, as market-data clients leave a recovery feed once
 * recovered; and the publisher, which builds a snapshot cycle only while someone is connected to
 * the stream, then stops building one: a cycle of every order of every book each second was half of
 * the publisher thread's CPU at 100k orders/s. Joined and left asynchronously, so the polling thread
 * never waits for Aeron's conductor. Polling thread only.
 */
final class SnapshotSubscription implements AutoCloseable
{
    private static final long NONE = Aeron.NULL_VALUE;
    private static final long RETRY_INTERVAL_NS = 1_000_000_000L;

    private final Aeron aeron;
    private final String channel;
    private final int streamId;
    private Subscription subscription;
    private long pendingRegistration = NONE;
    private long joins;
    private long failures;
    private long retryAfterNs;

    /**
     * Joins the stream at once, waiting for the conductor (a new subscriber needs a snapshot, and a
     * channel or driver that cannot be used is refused here, as for the incremental stream).
     */
    SnapshotSubscription(final Aeron aeron, final String channel, final int streamId)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.streamId = streamId;
        subscription = aeron.addSubscription(channel, streamId);
        joins = 1;
    }

    /**
     * Joins the stream (or stays on it) and polls it if {@code wanted}; otherwise leaves it.
     * Returns the fragments handled: 0 while the subscription is being set up.
     */
    int poll(final boolean wanted, final FragmentHandler handler, final int fragmentLimit)
    {
        if (aeron.isClosed())
        {
            return 0;
        }
        if (pendingRegistration != NONE)
        {
            final Subscription ready;
            try
            {
                ready = aeron.getSubscription(pendingRegistration);
            }
            catch (final RuntimeException e)
            {
                // the registration failed (a driver that went away): tried again, not before a second has passed
                failures++;
                pendingRegistration = NONE;
                retryAfterNs = System.nanoTime() + RETRY_INTERVAL_NS;
                return 0;
            }
            if (ready == null)
            {
                return 0;
            }
            pendingRegistration = NONE;
            subscription = ready;
        }
        if (!wanted)
        {
            leave();
            return 0;
        }
        if (subscription == null)
        {
            if (failures > 0 && System.nanoTime() - retryAfterNs < 0)
            {
                return 0;
            }
            try
            {
                pendingRegistration = aeron.asyncAddSubscription(channel, streamId);
                joins++;
            }
            catch (final RuntimeException e)
            {
                failures++; // a client that is closing (its driver gone): whoever owns it reconnects
                retryAfterNs = System.nanoTime() + RETRY_INTERVAL_NS;
            }
            return 0;
        }
        return subscription.poll(handler, fragmentLimit);
    }

    private void leave()
    {
        if (subscription != null)
        {
            final long registration = subscription.registrationId();
            subscription = null;
            try
            {
                aeron.asyncRemoveSubscription(registration);
            }
            catch (final RuntimeException e)
            {
                failures++; // a client that is closing releases it anyway
            }
        }
    }

    /** Times the stream was joined (the first time included). */
    long joins()
    {
        return joins;
    }

    /** Registrations that failed or a closing client refused (each tried again). */
    long failures()
    {
        return failures;
    }

    @Override
    public void close()
    {
        if (subscription != null)
        {
            subscription.close();
            subscription = null;
        }
        else if (pendingRegistration != NONE)
        {
            try
            {
                final Subscription ready = aeron.getSubscription(pendingRegistration);
                if (ready != null)
                {
                    ready.close();
                }
            }
            catch (final RuntimeException ignored)
            {
                // never came up: nothing to close
            }
            pendingRegistration = NONE;
        }
    }
}
