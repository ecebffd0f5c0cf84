package dev.bourse.readmodels.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A budget of work per source address, refilled at a steady rate: each request costs one unit and
 * each {@value #BYTES_PER_UNIT} bytes of its answer one more, the way public trading APIs weigh
 * their requests per address. The per-address share of threads bounds how many requests an address
 * has in hand at once, not how much CPU it takes: 16 clients looping the activity CSV kept both
 * cores of a small machine busy, and the order path beside it answered 4 to 6 times slower.
 * <p>
 * A request that finds its address's budget spent waits, holding no thread, until the budget has
 * room for it; if that would be longer than {@link #MAX_WAIT_NANOS}, it waits that long and is
 * answered 429 with a Retry-After. Waiting, not refusing at once, is what bounds a client that
 * asks again as soon as it is answered: its loop runs at the budget's pace, not at the speed of a
 * 429. An answer's bytes are charged as they are written, so a large one leaves its address in
 * debt for its next requests rather than being refused up front.
 * <p>
 * Buckets are kept per address only while they are not full (swept every few seconds), so an
 * address that stops asking costs nothing.
 */
final class AddressBudget extends Handler.Wrapper
{
    static final int BYTES_PER_UNIT = 16 * 1024;
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SWEEP_INTERVAL_MS = 5_000;

    private final int unitsPerSecond;
    private final int burstUnits;
    private final Scheduler scheduler;
    private final Executor executor;
    private final LongSupplier nanoClock;
    private final Consumer<String> log;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogMs = new AtomicLong(-HttpAdmission.LOG_INTERVAL_MS);
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    /**
     * @param unitsPerSecond the rate the budget refills at; 0 turns the budget off
     * @param burstUnits     what a full budget holds: a quiet address may spend this much at once
     */
    AddressBudget(final Handler handler, final int unitsPerSecond, final int burstUnits, final Scheduler scheduler,
        final Executor executor, final LongSupplier nanoClock, final Consumer<String> log)
    {
        super(handler);
        this.unitsPerSecond = unitsPerSecond;
        this.burstUnits = burstUnits;
        this.scheduler = scheduler;
        this.executor = executor;
        this.nanoClock = nanoClock;
        this.log = log;
    }

    /** Requests that waited for their address's budget and were then served. */
    long delayed()
    {
        return delayed.get();
    }

    /** Requests answered 429 because their address's budget would not have had room within the longest wait. */
    long refused()
    {
        return refused.get();
    }

    /** Addresses with a budget not full now (for the tests: nothing is kept for a quiet address). */
    int trackedAddresses()
    {
        return buckets.size();
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) throws Exception
    {
        final InetAddress address = unitsPerSecond == 0 ? null : remoteAddress(request);
        if (address == null)
        {
            return super.handle(request, response, callback);
        }
        final long now = nanoClock.getAsLong();
        final long[] waitFor = new long[1];
        // reserved inside compute, so that a sweep (also per key) never drops a bucket between its lookup and its use
        final Bucket bucket = buckets.compute(address, (a, existing) ->
        {
            final Bucket b = existing != null ? existing : new Bucket(unitsPerSecond, burstUnits);
            waitFor[0] = b.reserve(now);
            return b;
        });
        final long wait = waitFor[0];
        sweepLater();
        if (wait == 0)
        {
            return handleNow(request, response, callback, bucket);
        }
        if (wait <= MAX_WAIT_NANOS)
        {
            delayed.incrementAndGet();
            scheduler.schedule(() -> executor.execute(() -> proceed(request, response, callback, bucket)), wait, TimeUnit.NANOSECONDS);
            return true;
        }
        bucket.release();
        final long retryAfterSeconds = Math.max(1, (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        scheduler.schedule(() -> executor.execute(() -> refuse(request, response, callback, address, retryAfterSeconds)),
            MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
        return true;
    }

    /** Hands the request on; one the handlers did not take, or threw on, is no longer in hand (Jetty answers it). */
    private boolean handleNow(final Request request, final Response response, final Callback callback, final Bucket bucket)
        throws Exception
    {
        boolean taken = false;
        try
        {
            taken = super.handle(request, charging(request, response, bucket), bucket.completing(callback));
            return taken;
        }
        finally
        {
            if (!taken)
            {
                bucket.release();
            }
        }
    }

    private void proceed(final Request request, final Response response, final Callback callback, final Bucket bucket)
    {
        final Callback completing = bucket.completing(callback);
        try
        {
            if (!super.handle(request, charging(request, response, bucket), completing))
            {
                Response.writeError(request, response, completing, HttpStatus.NOT_FOUND_404);
            }
        }
        catch (final Throwable failure)
        {
            // as Jetty does for a handler that throws before it has taken the request
            Response.writeError(request, response, completing, failure);
        }
    }

    private void refuse(final Request request, final Response response, final Callback callback, final InetAddress address,
        final long retryAfterSeconds)
    {
        refused.incrementAndGet();
        HttpAdmission.logRarely(lastLogMs, log, "http: request refused (429): " + address.getHostAddress() + " has spent its budget " +
            "(query.http.budget-per-address)");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
        Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
            "too many requests from this address: retry after " + retryAfterSeconds + " s");
    }

    /** Charges the answer's bytes as they are written; a WebSocket upgrade's stream is the stream limits' business. */
    private Response charging(final Request request, final Response response, final Bucket bucket)
    {
        if (request.getHeaders().contains(HttpHeader.UPGRADE))
        {
            return response;
        }
        return new Response.Wrapper(request, response)
        {
            @Override
            public void write(final boolean last, final ByteBuffer content, final Callback callback)
            {
                if (content != null && content.hasRemaining())
                {
                    bucket.chargeBytes(nanoClock.getAsLong(), content.remaining());
                }
                super.write(last, content, callback);
            }
        };
    }

    private void sweepLater()
    {
        if (sweepScheduled.compareAndSet(false, true))
        {
            scheduler.schedule(this::sweep, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Forgets the addresses whose budget is full again and that have nothing in hand. */
    void sweep()
    {
        sweepScheduled.set(false);
        final long now = nanoClock.getAsLong();
        for (final InetAddress address : buckets.keySet())
        {
            buckets.computeIfPresent(address, (a, bucket) -> bucket.idle(now) ? null : bucket);
        }
        if (!buckets.isEmpty())
        {
            sweepLater();
        }
    }

    private static InetAddress remoteAddress(final Request request)
    {
        // the connection's address, never a Forwarded header a client can write
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /**
     * One address's budget: a {@link RequestRate} of units, and the requests it has in hand, which
     * keep it from being swept so their answers' bytes are charged to the bucket later requests see.
     */
    static final class Bucket
    {
        private final RequestRate units;
        private int inHand;

        Bucket(final int unitsPerSecond, final int burstUnits)
        {
            units = new RequestRate(unitsPerSecond, burstUnits);
        }

        /**
         * Takes one unit: 0 if there is room now, else how long until there is; a wait beyond
         * {@link #MAX_WAIT_NANOS} is only reported (nothing taken), and the caller must {@link #release()}.
         */
        synchronized long reserve(final long now)
        {
            inHand++;
            return units.reserve(now, MAX_WAIT_NANOS);
        }

        /** Charges an answer's bytes: a unit for each {@value #BYTES_PER_UNIT}, in proportion. */
        synchronized void chargeBytes(final long now, final long bytes)
        {
            units.charge(now, bytes * units.intervalNanos() / BYTES_PER_UNIT);
        }

        synchronized void release()
        {
            inHand--;
        }

        synchronized boolean idle(final long now)
        {
            return inHand == 0 && units.full(now);
        }

        Callback completing(final Callback callback)
        {
            return Callback.from(callback, this::release);
        }
    }
}
