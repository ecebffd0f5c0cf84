package dev.bourse.marketdata;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.InMemoryJournal;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exchange stops, taking its embedded media driver with it, and starts again on the same
 * Aeron directory (as {@code ./exchange start} with the same {@code md.aeron-dir}): a
 * {@link ReconnectingSubscriber} notices the driver is gone, reports it once, connects a new
 * client to the new driver and resynchronises its books from the snapshot stream.
 */
class DriverRestartTest
{
    private final InMemoryJournal journal = new InMemoryJournal();
    private final EngineState state = new EngineState(new EngineConfig().maxInstruments(64).preallocatedOrders(1 << 14)
        .preallocatedLevels(1024).expectedClOrdIdsPerDay(1 << 18));
    private final MatchingEngine engine = new MatchingEngine(state, journal);
    private final String aeronDir = CommonContext.generateRandomDirName();
    private final Recorder events = new Recorder();
    private MarketDataPublisher publisher;
    private ReconnectingSubscriber feed;

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(feed, publisher);
    }

    @Test
    void driverShutDownThenBackOnTheSameDirectory()
    {
        run(false);
    }

    /** The driver stops answering without shutting down (the exchange was killed): the client's driver timeout. */
    @Test
    void driverStopsAnsweringThenANewOneOnTheSameDirectory()
    {
        run(true);
    }

    private void run(final boolean killed)
    {
        publisher = publisher(killed);
        final RandomWorkload workload = new RandomWorkload(engine, 4, 10, 7);
        workload.setup();
        for (int i = 0; i < 500; i++)
        {
            workload.step();
        }
        feed = new ReconnectingSubscriber(aeronDir, new MarketDataSubscriber.Context().expectedOrders(4096), null, events,
            1_000, 100, TimeUnit.MILLISECONDS);
        connect(killed);
        final MarketDataSubscriber first = feed.subscriber();
        pump(() -> current(first), "the first subscriber is current");
        BookAssert.assertSameAsEngine("before the restart", first.books(), state);

        if (killed)
        {
            // nobody runs the invoked driver any more: its heartbeat stops, as a killed process's would
            pumpSubscriberOnly(() -> feed.driverLosses() == 1, "the client gives up the silent driver");
            publisher.close();
        }
        else
        {
            publisher.close();
            pumpSubscriberOnly(() -> feed.driverLosses() == 1, "the client finds the driver shut down");
        }
        publisher = null;
        // while the driver goes away the client may still report what it could not finish (an image whose
        // log buffer the shutting-down driver already deleted): those belong to the loss, not to what follows
        events.errors.clear();
        assertFalse(feed.isConnected());
        assertNull(feed.subscriber(), "the old books are gone with the driver");
        assertEquals(1, events.lost.size(), "the loss is told once");
        final Throwable cause = events.lost.get(0);
        assertFalse(cause instanceof org.agrona.concurrent.AgentTerminationException, "the cause with a message is kept");
        assertNotNull(cause.getMessage(), ReconnectingSubscriber.describe(cause));
        assertTrue(ReconnectingSubscriber.describe(cause).startsWith(cause.getClass().getSimpleName() + ": "),
            ReconnectingSubscriber.describe(cause));

        // while there is no driver, nothing connects and polling does no work
        final long downUntil = System.nanoTime() + 3 * feed.reconnectIntervalNs();
        while (System.nanoTime() - downUntil < 0)
        {
            assertEquals(0, feed.poll(64));
            Thread.onSpinWait();
        }
        assertFalse(feed.isConnected());
        assertEquals(0, feed.reconnects());

        // the exchange starts again on the same directory and reads its journal from the start
        publisher = publisher(false);
        for (int i = 0; i < 500; i++)
        {
            workload.step();
        }
        pump(() -> feed.reconnects() == 1 && current(feed.subscriber()), "the subscriber resynchronises after the restart");
        final MarketDataSubscriber second = feed.subscriber();
        assertNotSame(first, second);
        assertEquals(1, events.reconnected, "reconnected once");
        assertEquals(1, events.lost.size(), "no loss after the reconnection");
        assertTrue(events.errors.isEmpty(), () -> "Aeron errors after the loss: " + events.errors);
        BookAssert.assertSameAsEngine("after the restart", second.books(), state);
        BookAssert.assertSameBooks("after the restart", publisher.books(), second.books());

        // and it keeps following the feed
        for (int i = 0; i < 200; i++)
        {
            workload.step();
        }
        pump(() -> current(second), "the subscriber follows the new publisher");
        BookAssert.assertSameAsEngine("after more commands", second.books(), state);
    }

    /**
     * The whole process stalls (nothing runs the invoked driver and client) past the driver's client
     * liveness timeout: the publisher's Aeron client closes itself. The publisher must not touch what
     * that client owned (its counters' memory is gone: a SIGSEGV once), and it connects a new client and
     * publishes on: the subscriber resynchronises and follows.
     */
    @Test
    void aPublisherWhoseProcessStalledPastTheClientTimeoutConnectsANewClientAndTheFeedGoesOn() throws InterruptedException
    {
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        publisher = publisher(true, ctx -> ctx.clientLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(1_000)).log(log::add));
        final RandomWorkload workload = new RandomWorkload(engine, 4, 10, 7);
        workload.setup();
        for (int i = 0; i < 300; i++)
        {
            workload.step();
        }
        feed = new ReconnectingSubscriber(aeronDir, new MarketDataSubscriber.Context().expectedOrders(4096), null, events,
            10_000, 100, TimeUnit.MILLISECONDS);
        connect(true);
        pump(() -> current(feed.subscriber()), "the subscriber is current");

        Thread.sleep(2_500); // the stall: nobody runs the publisher, its client or the driver
        for (int i = 0; i < 300; i++)
        {
            workload.step();
        }
        pump(() -> publisher.clientLosses() == 1 && current(feed.subscriber()), "the feed goes on after the stall");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("market data: ERROR the Aeron client closed itself")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("market data: a new Aeron client is up")), log.toString());
        BookAssert.assertSameAsEngine("after the stall", feed.subscriber().books(), state);
        assertTrue(publisher.messagesCounterValue() > 0, "the counters are the new client's");
    }

    /** Connects the feed; an invoked driver answers only while the publisher runs, so it runs here meanwhile. */
    private void connect(final boolean invoked)
    {
        if (!invoked)
        {
            feed.connect();
            return;
        }
        final Throwable[] failed = {null};
        final Thread connecting = new Thread(() ->
        {
            try
            {
                feed.connect();
            }
            catch (final Throwable t)
            {
                failed[0] = t;
            }
        }, "connecting");
        connecting.start();
        await(() -> !connecting.isAlive(), () -> "the feed connects", publisher::doWork);
        assertNull(failed[0], () -> "connect: " + ReconnectingSubscriber.describe(failed[0]));
    }

    /** A publisher with its own driver on {@link #aeronDir}; invoked: the driver runs only in its doWork. */
    private MarketDataPublisher publisher(final boolean invoked)
    {
        return publisher(invoked, ctx -> { });
    }

    private MarketDataPublisher publisher(final boolean invoked, final java.util.function.Consumer<MarketDataPublisher.Context> configure)
    {
        final MarketDataPublisher.Context ctx = new MarketDataPublisher.Context()
            .journalTailer(journal.tailer())
            .journalHead(journal::size)
            .termLength(256 * 1024)
            .snapshotIntervalNs(50_000_000L)
            .expectedOrders(4096)
            .driverIdleStrategy(new YieldingIdleStrategy())
            .invoked(invoked);
        ctx.aeronDirectoryName(aeronDir);
        configure.accept(ctx);
        return new MarketDataPublisher(ctx);
    }

    private boolean current(final MarketDataSubscriber subscriber)
    {
        return subscriber != null && publisher.publishedJournalSequence() == journal.size() && subscriber.isSynced()
            && subscriber.lastSequence() == publisher.lastIncrementalSequence();
    }

    private void pump(final BooleanSupplier done, final String what)
    {
        await(done, () -> what + ": " + feed.subscriber(), () -> publisher.doWork() + feed.poll(64));
    }

    private void pumpSubscriberOnly(final BooleanSupplier done, final String what)
    {
        await(done, () -> what, () -> feed.poll(64));
    }

    private static void await(final BooleanSupplier done, final Supplier<String> what, final java.util.function.IntSupplier work)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            if (work.getAsInt() == 0)
            {
                Thread.yield();
            }
        }
    }

    /** Events as the subscriber reports them (on the test thread; errors on the client's). */
    private static final class Recorder implements ReconnectingSubscriber.Events
    {
        final List<Throwable> lost = new ArrayList<>();
        final List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        int reconnected;

        @Override
        public void onDriverLost(final String aeronDir, final Throwable cause)
        {
            lost.add(cause);
        }

        @Override
        public void onReconnected(final String aeronDir, final long disconnectedNs)
        {
            reconnected++;
        }

        @Override
        public void onAeronError(final Throwable error)
        {
            errors.add(error);
        }
    }
}
