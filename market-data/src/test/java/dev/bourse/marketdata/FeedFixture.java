package dev.bourse.marketdata;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.InMemoryJournal;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An engine writing to an in-memory journal, a publisher with its own embedded driver (unique
 * directory, small terms, short untethered timeouts) and subscribers on the same IPC channels.
 * Everything but the driver runs on the test thread: {@link #pump} drives publisher and
 * subscribers until a condition holds.
 */
final class FeedFixture implements AutoCloseable
{
    final InMemoryJournal journal = new InMemoryJournal();
    final EngineState state;
    final MatchingEngine engine;
    final MarketDataPublisher publisher;
    final Aeron aeron;
    final List<Runnable> pollers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    FeedFixture(final int termLength, final long snapshotIntervalNs)
    {
        this(termLength, snapshotIntervalNs, null);
    }

    /** @param publishing when the publisher sends (null: always), as on a cluster node that may lead or follow. */
    FeedFixture(final int termLength, final long snapshotIntervalNs, final BooleanSupplier publishing)
    {
        state = new EngineState(new EngineConfig().maxInstruments(64).preallocatedOrders(1 << 14)
            .preallocatedLevels(1024).expectedClOrdIdsPerDay(1 << 18));
        engine = new MatchingEngine(state, journal);
        publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
            .journalTailer(journal.tailer())
            .journalHead(journal::size)
            .termLength(termLength)
            .snapshotIntervalNs(snapshotIntervalNs)
            .expectedOrders(4096)
            .driverIdleStrategy(new YieldingIdleStrategy())
            .untetheredWindowLimitTimeoutNs(200_000_000L)
            .untetheredRestingTimeoutNs(200_000_000L)
            .publishing(publishing));
        aeron = publisher.context().aeron();
    }

    MarketDataSubscriber subscriber(final MarketDataListener listener)
    {
        final MarketDataSubscriber subscriber = new MarketDataSubscriber(
            new MarketDataSubscriber.Context().aeron(aeron).expectedOrders(4096), listener);
        closeables.add(subscriber);
        return subscriber;
    }

    /** Runs the publisher and every poller until the condition holds; fails after the deadline. */
    void pump(final BooleanSupplier done, final long timeoutMs, final String what)
    {
        pump(done, timeoutMs, () -> what);
    }

    void pump(final BooleanSupplier done, final long timeoutMs, final java.util.function.Supplier<String> what)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            int work = publisher.doWork();
            for (final Runnable poller : pollers)
            {
                poller.run();
            }
            if (work == 0)
            {
                Thread.yield();
            }
        }
    }

    /** Publisher has published every journal entry. */
    boolean published()
    {
        return publisher.publishedJournalSequence() == journal.size();
    }

    boolean current(final MarketDataSubscriber subscriber)
    {
        return published() && subscriber.isSynced() && subscriber.lastSequence() == publisher.lastIncrementalSequence();
    }

    @Override
    public void close()
    {
        for (final AutoCloseable closeable : closeables)
        {
            CloseHelper.quietClose(closeable);
        }
        publisher.close();
    }

    /** The trades the journal holds. */
    static long tradesIn(final dev.bourse.journal.InMemoryJournal journal)
    {
        final long[] trades = {0};
        final dev.bourse.protocol.JournalEventListener counter = new dev.bourse.protocol.JournalEventListener()
        {
            @Override
            public void onTrade(final dev.bourse.protocol.sbe.EntryHeaderDecoder h, final dev.bourse.protocol.sbe.TradeDecoder e)
            {
                trades[0]++;
            }
        };
        try (dev.bourse.journal.JournalTailer tailer = journal.tailer())
        {
            final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
            while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, counter), 1_000) > 0)
            {
                // the whole journal
            }
        }
        return trades[0];
    }
}
