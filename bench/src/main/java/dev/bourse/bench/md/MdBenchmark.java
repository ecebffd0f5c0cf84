package dev.bourse.bench.md;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.Durability;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataPublisher;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.marketdata.OrderBook;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One market-data benchmark setup on one channel kind: an engine writing a Chronicle journal on
 * the calling thread, the publisher Agent on its own thread (embedded driver, as in the server),
 * and a subscriber Agent on another. Every timed command is a resting limit order or the cancel of
 * one, so it yields exactly one market-data message: the subscriber's stream sequence names the
 * command, and each callback records every command up to it (coordinated omission corrected:
 * latency from each command's planned time, and from the moment its journal entry was written).
 */
public final class MdBenchmark implements AutoCloseable
{
    private static final int INSTRUMENTS = 10;
    private static final long ACCOUNT = 1;
    private static final long TICK = 100;
    private static final long MID = 100_0000;

    private final Path dir;
    private final String aeronDir;
    private final ChronicleJournal journal;
    private final MatchingEngine engine;
    private final MarketDataPublisher publisher;
    private final AgentRunner publisherRunner;
    private final MarketDataSubscriber subscriber;
    private final AgentRunner subscriberRunner;
    private final String channelKind;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private long clock = 1;
    private long clOrd;
    private final StringBuilder clOrdId = new StringBuilder(20);

    private volatile long[] planned = new long[0];
    private volatile long[] written = new long[0];
    private volatile long baseSequence = Long.MAX_VALUE;
    private long lastRecorded;
    private final Histogram fromSend = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Histogram fromJournal = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Object lock = new Object();

    public MdBenchmark(final String channelKind, final int port) throws IOException
    {
        this.channelKind = channelKind;
        dir = Files.createTempDirectory("bourse-md-bench-");
        aeronDir = CommonContext.getAeronDirectoryName() + "-mdbench-" + UUID.randomUUID();
        journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir).durability(Durability.MAPPED));
        final EngineState state = new EngineState(new EngineConfig().maxInstruments(INSTRUMENTS + 1)
            .preallocatedOrders(1 << 16).expectedClOrdIdsPerDay(1 << 22).conclude());
        final EventSink stamping = (buffer, offset, length) ->
        {
            // one document per command: the publisher sees each entry as soon as the engine made it
            final boolean stored = journal.onEntry(buffer, offset, length) && journal.flush();
            final long[] times = written;
            final long index = journal.lastSequence() - commandBase;
            if (index >= 0 && index < times.length)
            {
                times[(int)index] = System.nanoTime();
            }
            return stored;
        };
        engine = new MatchingEngine(state, stamping);
        final String incremental = channel(channelKind, port);
        final String snapshots = channel(channelKind, port + 1);
        publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
            .journalTailer(journal.tailerFromStart())
            .journalHead(journal::lastSequence)
            .aeronDirectoryName(aeronDir)
            .incrementalChannel(incremental)
            .snapshotChannel(snapshots)
            .snapshotIntervalNs(TimeUnit.SECONDS.toNanos(1))
            .expectedOrders(1 << 16)
            .idleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 100_000)));
        publisherRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
            t -> System.err.println("md publisher: " + t), null, publisher);
        AgentRunner.startOnThread(publisherRunner);
        subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
            .aeron(publisher.context().aeron())
            .incrementalChannel(incremental).incrementalStreamId(MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID)
            .snapshotChannel(snapshots).snapshotStreamId(MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID)
            .expectedOrders(1 << 16), new MarketDataListener()
            {
                @Override
                public void onBookChanged(final OrderBook book)
                {
                    record();
                }
            });
        subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
            t -> System.err.println("md subscriber: " + t), null, subscriber);
        AgentRunner.startOnThread(subscriberRunner);
        setup();
    }

    private volatile long commandBase = Long.MAX_VALUE;

    static String channel(final String kind, final int port)
    {
        return "udp".equals(kind) ? "aeron:udp?endpoint=localhost:" + port : "aeron:ipc";
    }

    private void setup()
    {
        for (int i = 1; i <= INSTRUMENTS; i++)
        {
            send(writer.addInstrument(command, 0, clock++, i, "MD" + i, TICK, 1, 1, 1_000_000, Long.MAX_VALUE / 4, MID,
                5_000, TradingStatus.OPEN));
        }
        send(writer.createAccount(command, 0, clock++, ACCOUNT, StpMode.NONE));
        send(writer.deposit(command, 0, clock++, ACCOUNT, 0, MatchingEngine.MAX_BALANCE / 2, 0));
        awaitSynced();
    }

    private void send(final int length)
    {
        engine.onCommand(command, 0, length);
    }

    /** Waits until the subscriber has applied everything published so far. */
    private void awaitSynced()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(subscriber.isSynced() && publisher.publishedJournalSequence() == journal.lastSequence()
            && subscriber.lastSequence() == publisher.lastIncrementalSequence()))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("md bench: subscriber did not catch up (" + subscriber.state() + ")");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Subscriber thread: every command up to the applied sequence is now visible to the callback. */
    private void record()
    {
        final long base = baseSequence;
        final long applied = subscriber.lastSequence() - base;
        if (applied <= 0)
        {
            return;
        }
        final long now = System.nanoTime();
        final long[] plan = planned;
        final long[] times = written;
        final long upTo = Math.min(applied, plan.length);
        synchronized (lock)
        {
            for (long k = lastRecorded; k < upTo; k++)
            {
                fromSend.recordValue(Math.max(1, Math.min(now - plan[(int)k], fromSend.getHighestTrackableValue())));
                long w = times[(int)k];
                while (w == 0)
                {
                    Thread.onSpinWait();
                    w = times[(int)k];
                }
                fromJournal.recordValue(Math.max(1, Math.min(now - w, fromJournal.getHighestTrackableValue())));
            }
            lastRecorded = Math.max(lastRecorded, upTo);
        }
    }

    /**
     * Sends {@code count} commands at {@code rate}/s (pairs of a resting order and its cancel) and
     * returns {fromSend, fromJournal} histograms.
     */
    public Histogram[] run(final long rate, final int count)
    {
        awaitSynced();
        synchronized (lock)
        {
            fromSend.reset();
            fromJournal.reset();
            lastRecorded = 0;
        }
        final long[] plan = new long[count];
        written = new long[count];
        commandBase = journal.lastSequence() + 1;
        baseSequence = subscriber.lastSequence();
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
        for (int i = 0; i < count; i++)
        {
            plan[i] = start + (long)(i * 1e9 / rate);
        }
        planned = plan;
        long lastOrderId = 0;
        for (int i = 0; i < count; i++)
        {
            final long wait = plan[i] - System.nanoTime();
            if (wait > 20_000)
            {
                LockSupport.parkNanos(wait - 10_000);
            }
            while (System.nanoTime() < plan[i])
            {
                Thread.onSpinWait();
            }
            clOrdId.setLength(0);
            clOrdId.append('m').append(++clOrd);
            if ((i & 1) == 0)
            {
                final int instrument = 1 + (i >> 1) % INSTRUMENTS;
                send(writer.newOrder(command, 0, clock++, 1, ACCOUNT, instrument, Side.BUY, OrdType.LIMIT, TimeInForce.GTC,
                    false, StpMode.NONE, MID - TICK * (1 + (i >> 1) % 50), 10, clOrdId));
                lastOrderId = engine.state().lastOrderId();
            }
            else
            {
                send(writer.cancelOrder(command, 0, clock++, 1, ACCOUNT, lastOrderId, clOrdId, ""));
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            synchronized (lock)
            {
                if (lastRecorded >= count)
                {
                    return new Histogram[]{fromSend.copy(), fromJournal.copy()};
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("md bench: only " + lastRecorded + " of " + count + " messages arrived");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Aeron's own ping-pong on the same kind of channel: half the round trip, planned send times. */
    public Histogram ping(final long rate, final int count, final int port)
    {
        final Aeron aeron = publisher.context().aeron();
        final String pingChannel = channel(channelKind, port);
        final String pongChannel = channel(channelKind, port + 1);
        try (Publication ping = aeron.addPublication(pingChannel, 1201);
            Subscription pingIn = aeron.addSubscription(pingChannel, 1201);
            Publication pong = aeron.addPublication(pongChannel, 1202);
            Subscription pongIn = aeron.addSubscription(pongChannel, 1202))
        {
            while (!ping.isConnected() || !pong.isConnected())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            final long[] plan = new long[count];
            final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            final int[] received = {0};
            final UnsafeBuffer echo = new UnsafeBuffer(new byte[8]);
            final Thread ponger = new Thread(() ->
            {
                final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
                while (received[0] < count && !Thread.currentThread().isInterrupted())
                {
                    idle.idle(pingIn.poll((buffer, offset, length, header) ->
                    {
                        echo.putLong(0, buffer.getLong(offset));
                        while (pong.offer(echo, 0, 8) < 0)
                        {
                            Thread.onSpinWait();
                        }
                    }, 16));
                }
            }, "md-bench-pong");
            final Thread receiver = new Thread(() ->
            {
                final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
                while (received[0] < count && !Thread.currentThread().isInterrupted())
                {
                    idle.idle(pongIn.poll((DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) ->
                    {
                        final int index = (int)buffer.getLong(offset);
                        histogram.recordValue(Math.max(1, (System.nanoTime() - plan[index]) / 2));
                        received[0]++;
                    }, 16));
                }
            }, "md-bench-ping-receiver");
            ponger.start();
            receiver.start();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
            for (int i = 0; i < count; i++)
            {
                plan[i] = start + (long)(i * 1e9 / rate);
            }
            for (int i = 0; i < count; i++)
            {
                final long wait = plan[i] - System.nanoTime();
                if (wait > 20_000)
                {
                    LockSupport.parkNanos(wait - 10_000);
                }
                message.putLong(0, i);
                while (ping.offer(message, 0, 8) < 0)
                {
                    Thread.onSpinWait();
                }
            }
            receiver.join(30_000);
            ponger.interrupt();
            ponger.join(1_000);
            return histogram;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Publisher throughput: {@code commands} resting orders and cancels are journaled with the
     * publisher paused behind a fresh tailer, then published as fast as it can; messages/s.
     * Also returns the rate the engine appended them at, for comparison.
     */
    public static double[] throughput(final int commands) throws IOException
    {
        final Path dir = Files.createTempDirectory("bourse-md-tp-");
        final String aeronDir = CommonContext.getAeronDirectoryName() + "-mdtp-" + UUID.randomUUID();
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir).durability(Durability.MAPPED)))
        {
            final EngineState state = new EngineState(new EngineConfig().maxInstruments(INSTRUMENTS + 1)
                .preallocatedOrders(1 << 16).expectedClOrdIdsPerDay(commands + 1024).conclude());
            final MatchingEngine engine = new MatchingEngine(state, journal);
            final CommandWriter writer = new CommandWriter();
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            long clock = 1;
            for (int i = 1; i <= INSTRUMENTS; i++)
            {
                engine.onCommand(command, 0, writer.addInstrument(command, 0, clock++, i, "MD" + i, TICK, 1, 1, 1_000_000,
                    Long.MAX_VALUE / 4, MID, 5_000, TradingStatus.OPEN));
            }
            engine.onCommand(command, 0, writer.createAccount(command, 0, clock++, ACCOUNT, StpMode.NONE));
            engine.onCommand(command, 0, writer.deposit(command, 0, clock++, ACCOUNT, 0, MatchingEngine.MAX_BALANCE / 2, 0));
            final StringBuilder id = new StringBuilder();
            final long appendStart = System.nanoTime();
            long lastOrderId = 0;
            for (int i = 0; i < commands; i++)
            {
                id.setLength(0);
                id.append('t').append(i);
                if ((i & 1) == 0)
                {
                    engine.onCommand(command, 0, writer.newOrder(command, 0, clock++, 1, ACCOUNT, 1 + (i >> 1) % INSTRUMENTS,
                        Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE, MID - TICK * (1 + (i >> 1) % 50), 10, id));
                    lastOrderId = state.lastOrderId();
                }
                else
                {
                    engine.onCommand(command, 0, writer.cancelOrder(command, 0, clock++, 1, ACCOUNT, lastOrderId, id, ""));
                }
                if ((i & 255) == 255)
                {
                    engine.onEndOfBatch(); // batches as a busy ring would deliver them
                }
            }
            engine.onEndOfBatch();
            final double appendRate = commands * 1e9 / (System.nanoTime() - appendStart);
            final MarketDataPublisher publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
                .journalTailer(journal.tailerFromStart())
                .journalHead(journal::lastSequence)
                .aeronDirectoryName(aeronDir)
                .termLength(16 << 20)
                .snapshotIntervalNs(TimeUnit.HOURS.toNanos(1))
                .expectedOrders(1 << 16));
            try (publisher;
                Subscription drain = publisher.context().aeron().addSubscription("aeron:ipc",
                    MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID))
            {
                final long target = journal.lastSequence();
                final long start = System.nanoTime();
                while (publisher.publishedJournalSequence() < target)
                {
                    publisher.doWork();
                    drain.poll((buffer, offset, length, header) -> { }, 1024);
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                return new double[]{publisher.lastIncrementalSequence() / seconds, appendRate};
            }
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
            IoUtil.delete(Path.of(aeronDir).toFile(), true);
        }
    }

    @Override
    public void close()
    {
        subscriberRunner.close();
        subscriber.close();
        publisherRunner.close();
        journal.close();
        IoUtil.delete(dir.toFile(), true);
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }
}
