package dev.bourse.marketdata;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.InMemoryJournal;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exchange restarts while the subscriber's media driver still holds the old publication's
 * image: a new publication (a new session id) on the same channel, its stream numbered from the
 * start again, beside the old image. The subscriber follows the new session, drops what the old
 * image still delivers, and rebuilds its books from the new publisher's snapshot (an outside tester
 * saw the old code stay SYNCED on the frozen pre-restart book and drop the new stream for minutes).
 */
class PublisherRestartTest
{
    private final String aeronDir = CommonContext.generateRandomDirName();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<MarketDataSubscriber.State> states = new ArrayList<>();
    private final long[] tape = {0};
    private MediaDriver driver;
    private Aeron aeron;

    @AfterEach
    void close()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        CloseHelper.quietCloseAll(aeron, driver);
    }

    /** SIGKILL: the old publisher stops sending (its image stays until it times out) and a new one starts. */
    @Test
    void aRestartedPublisherBesideTheOldImageIsFollowedAndRecoveredFrom()
    {
        run(false);
    }

    /** SIGTERM and an immediate restart: the old image ends cleanly (end of stream), the new image is there already. */
    @Test
    void aRestartAfterACleanStopIsFollowedAndRecoveredFrom()
    {
        run(true);
    }

    private void run(final boolean cleanStop)
    {
        start();
        final Exchange first = new Exchange(7);
        final MarketDataSubscriber subscriber = subscriber();
        final Subscription images = aeron.addSubscription(first.publisher.context().incrementalChannel(),
            first.publisher.context().incrementalStreamId());
        closeables.add(images);
        first.workload.setup();
        for (int i = 0; i < 600; i++)
        {
            first.workload.step();
        }
        pump(() -> first.current(subscriber), () -> "synced on the first publisher: " + subscriber, first::work, () -> subscriber.poll(64));
        assertEquals(0, subscriber.recoveries());
        final int firstSession = subscriber.session(0);
        final long firstLast = subscriber.lastSequence();

        // the old exchange's last entries: published, not read yet by the subscriber (leftovers of its image)
        for (int i = 0; i < 200; i++)
        {
            first.workload.step();
        }
        pump(first::published, () -> "the first publisher's last entries out", first::work);
        final Exchange second = new Exchange(8); // the restarted exchange: a new publication on the same channels
        if (cleanStop)
        {
            first.publisher.close(); // its image ends with end of stream; the new image is there already
        }
        second.workload.setup();
        for (int i = 0; i < 100; i++)
        {
            second.workload.step();
        }
        pump(() -> images.imageCount() == 2, () -> "both images on the subscriber's driver", second::work);
        final int statesBefore = states.size();
        pump(() -> second.current(subscriber), () -> "synced on the restarted publisher: " + subscriber,
            second::work, () -> subscriber.poll(1)); // one fragment a poll: the two images take turns, leftovers after the new stream's first
        assertNotEquals(firstSession, subscriber.session(0), "follows the new session");
        assertEquals(1, subscriber.sessionSwitches());
        assertTrue(subscriber.staleFragments() > 0, () -> "the old image's leftovers dropped: " + subscriber);
        assertTrue(subscriber.snapshotsApplied() >= 1, () -> "recovered from the new publisher's snapshot: " + subscriber);
        assertEquals(List.of(MarketDataSubscriber.State.RECOVERING, MarketDataSubscriber.State.SYNCED),
            states.subList(statesBefore, states.size()), "the listener saw the recovery");
        BookAssert.assertSameAsEngine("after the restart", subscriber.books(), second.state);
        assertTrue(subscriber.lastSequence() < firstLast, "the new stream's numbering, below the old one's last");

        // the new exchange trades on: every trade on the tape, the old image's leftovers never applied
        final long tapeBefore = tape[0];
        final long tradesBefore = FeedFixture.tradesIn(second.journal);
        for (int i = 0; i < 400; i++)
        {
            second.workload.step();
        }
        pump(() -> second.current(subscriber), () -> "follows the restarted publisher: " + subscriber,
            second::work, () -> subscriber.poll(64));
        assertTrue(FeedFixture.tradesIn(second.journal) > tradesBefore, "the workload traded");
        assertEquals(FeedFixture.tradesIn(second.journal) - tradesBefore, tape[0] - tapeBefore, "the new publisher's trades on the tape");
        BookAssert.assertSameAsEngine("trading after the restart", subscriber.books(), second.state);
        assertEquals(1, subscriber.recoveries(), () -> "one recovery, for the restart: " + subscriber);
        assertEquals(MarketDataSubscriber.State.SYNCED, states.get(states.size() - 1));
    }

    private void start()
    {
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new YieldingIdleStrategy())
            .dirDeleteOnStart(true).dirDeleteOnShutdown(true)
            .tetherSubscriptions(false).ipcTermBufferLength(256 * 1024).publicationTermBufferLength(256 * 1024));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
    }

    private MarketDataSubscriber subscriber()
    {
        final MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context().aeron(aeron)
            .expectedOrders(4096), new MarketDataListener()
            {
                @Override
                public void onStateChanged(final MarketDataSubscriber.State state)
                {
                    states.add(state);
                }

                @Override
                public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                    final byte aggressorSide, final long timestamp, final long sequence)
                {
                    tape[0]++;
                }
            });
        closeables.add(subscriber);
        return subscriber;
    }

    /** One exchange's engine, journal and publisher, on the shared driver (a restart: a new one on the same channels). */
    private final class Exchange
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final EngineState state = new EngineState(new EngineConfig().maxInstruments(64).preallocatedOrders(1 << 14)
            .preallocatedLevels(1024).expectedClOrdIdsPerDay(1 << 18));
        final RandomWorkload workload;
        final MarketDataPublisher publisher;

        Exchange(final long seed)
        {
            workload = new RandomWorkload(new MatchingEngine(state, journal), 4, 10, seed);
            publisher = new MarketDataPublisher(new MarketDataPublisher.Context().aeron(aeron).termLength(256 * 1024)
                .journalTailer(journal.tailer()).journalHead(journal::size).snapshotIntervalNs(50_000_000L).expectedOrders(4096));
            closeables.add(publisher);
        }

        void work()
        {
            publisher.doWork();
        }

        boolean published()
        {
            return publisher.publishedJournalSequence() == journal.size();
        }

        boolean current(final MarketDataSubscriber subscriber)
        {
            return published() && subscriber.isSynced() && subscriber.lastSequence() == publisher.lastIncrementalSequence();
        }
    }

    private static void pump(final BooleanSupplier done, final java.util.function.Supplier<String> what, final Runnable... pollers)
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, () -> "timed out waiting for: " + what.get());
            for (final Runnable poller : pollers)
            {
                poller.run();
            }
            Thread.yield();
        }
    }
}
