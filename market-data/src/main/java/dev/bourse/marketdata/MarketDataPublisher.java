package dev.bourse.marketdata;

import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Counter;
import io.aeron.ExclusivePublication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.function.LongSupplier;

/**
 * Tails the journal and publishes the market-data feed on Aeron: the order-by-order incremental
 * stream (the messages of one journal entry batched into as few fragments as fit, each but the
 * entry's last ending with an EntryContinues) and, in a
 * cycle, a snapshot of every book on the snapshot stream.
 * <p>
 * Never blocks: when a publication pushes back, the staged fragments wait for the next duty
 * cycle and the journal is simply read later (the journal and the engine do not notice). How far
 * it is behind the journal is the lag counter. Subscribers are untethered (see
 * {@link MarketDataSubscriber}), so a stalled one is dropped by Aeron instead of holding
 * everyone back, and it recovers from a snapshot when it comes back.
 * <p>
 * In a cluster every node runs a publisher on its own (identical) journal, and only the leader's
 * publishes ({@link Context#publishing}). The others keep their books and take the same sequence
 * numbers (they depend only on the journal) but send nothing, so a publisher that starts publishing
 * continues the stream where the old leader's left off. It first sends its most recent fragments
 * again ({@link RecentFragments}): what the old leader committed but never sent closes the gap, and
 * subscribers drop what they have by sequence number. A gap longer than that window is noticed by
 * the heartbeat and repaired by the snapshot cycle that go out at once.
 * <p>
 * An Aeron client closes itself when its duty cycle was not run for the driver's client liveness
 * timeout (the whole process stalled: a long GC pause, a stopped or starved VM). The publisher then
 * stops touching what the client owned (its counters' memory is unmapped), says so, and once a
 * second connects a new client to the same driver with new publications: subscribers see a new
 * stream and recover from the snapshot sent at once. The exchange around it never notices.
 * <p>
 * Past 500 lines because of its Context (about 400: every setting, its default and check, and the
 * embedded driver and client it owns); the publisher itself is the duty cycle above, its batches
 * and counters. Translating and snapshotting live apart ({@link FeedTranslator}, {@link SnapshotWriter}).
 */
public final class MarketDataPublisher implements Agent, AutoCloseable
{
    /**
     * Refuses, before anything is written, a directory where another live media driver runs: the
     * check the embedded driver makes when it starts, for a caller that must fail before its own
     * first write (a refused exchange start had journaled its configuration's setup already).
     *
     * @throws IllegalStateException naming the directory and the driver's process.
     */
    public static void refuseAeronDirectoryInUse(final String directory)
    {
        AeronDirectoryGuard.refuseIfInUse(directory);
    }

    /**
     * Refuses, before anything is written, a directory whose filesystem cannot hold what an
     * embedded media driver maps there for a feed of {@code termLength} terms (channels that set
     * their own term-length count with it).
     *
     * @throws IllegalStateException one line naming md.aeron-dir with its free and needed MiB
     */
    public static void refuseAeronDirectoryTooSmall(final String directory, final int termLength, final String... channels)
    {
        AeronDirectorySpace.refuseIfTooSmall(directory, AeronDirectorySpace.neededBytes(new MediaDriver.Context(), termLength, channels));
    }

    /** Counter type ids (Aeron counters: visible with AeronStat and to the exchange's stat). */
    public static final int COUNTER_MESSAGES = 5001;
    public static final int COUNTER_JOURNAL_SEQUENCE = 5002;
    public static final int COUNTER_LAG = 5003;
    public static final int COUNTER_BACK_PRESSURE = 5004;
    public static final int COUNTER_SNAPSHOT_CYCLES = 5005;

    private final Context ctx;
    private final JournalTailer tailer;
    private final LongSupplier journalHead;
    private final NanoClock clock;
    private ExclusivePublication incremental;
    private ExclusivePublication snapshots;
    private final OrderBooks books;
    private final IntArrayList instrumentIds = new IntArrayList();
    private final FragmentBatch incrementalBatch;
    private final FragmentBatch snapshotBatch;
    private final FeedTranslator translator;
    private final SnapshotWriter snapshotWriter;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final JournalHandler entryHandler = this::onEntry;
    private final int pollLimit;
    private final long snapshotIntervalNs;

    private volatile Counter messagesCounter;
    private volatile Counter journalSequenceCounter;
    private volatile Counter lagCounter;
    private volatile Counter backPressureCounter;
    private volatile Counter snapshotCyclesCounter;

    private long malformedEntries;
    /** Says the first entry skipped as malformed in the log; malformedEntries counts them all. */
    private dev.bourse.journal.ReaderTrouble trouble;
    private long droppedNotConnected;
    private long publishedJournalSequence;
    private long stagedJournalSequence;
    private long nextSnapshotNs;
    private long cycle;
    private int cycleIndex = -1;
    private int cycleInstrumentCount;
    private long backPressureEvents;
    private long snapshotCycles;
    private boolean clientLost;
    private long clientLosses;
    private long reconnectAtNs;
    private final long heartbeatIntervalNs;
    private final dev.bourse.protocol.md.sbe.HeartbeatEncoder heartbeat = new dev.bourse.protocol.md.sbe.HeartbeatEncoder();
    private long lastIncrementalSendNs;
    private final java.util.function.BooleanSupplier publishingCondition;
    private volatile boolean publishing;
    /** With a publishing condition (a cluster node): what to send again on starting to publish; else null. */
    private final RecentFragments recent;
    private boolean batchRecorded;
    private volatile long replays; // read by the gauges' thread

    public MarketDataPublisher(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.trouble = new dev.bourse.journal.ReaderTrouble("market data", this.ctx.log());
        this.tailer = ctx.journalTailer();
        this.journalHead = ctx.journalHead();
        this.clock = ctx.nanoClock();
        this.pollLimit = ctx.pollLimit();
        this.snapshotIntervalNs = ctx.snapshotIntervalNs();
        this.heartbeatIntervalNs = ctx.heartbeatIntervalNs();
        attach(ctx.aeron());
        this.books = ctx.startingBooks() != null ? ctx.startingBooks().books : new OrderBooks(ctx.expectedOrders());
        this.incrementalBatch = new FragmentBatch(incremental.maxPayloadLength(), 1 << 16).markContinuations();
        this.snapshotBatch = new FragmentBatch(snapshots.maxPayloadLength(), 1 << 16);
        this.translator = new FeedTranslator(books, incrementalBatch, instrumentIds);
        if (ctx.startingBooks() != null)
        {
            // Sequence 1 stands for the books this feed starts from, which only the snapshot stream carries: a
            // subscriber from the stream's start sees a gap and takes a snapshot, instead of building on empty books
            // (and, with nothing new journaled, waiting for ever for a first message to be in sync).
            incrementalBatch.startAt(2);
            instrumentIds.addAll(ctx.startingBooks().instrumentIds);
            publishedJournalSequence = ctx.startingBooks().lastSequence;
            stagedJournalSequence = publishedJournalSequence;
        }
        this.snapshotWriter = new SnapshotWriter(snapshotBatch);
        this.nextSnapshotNs = clock.nanoTime();
        this.publishingCondition = ctx.publishing();
        this.publishing = publishingCondition == null || publishingCondition.getAsBoolean();
        this.recent = publishingCondition == null || ctx.resendWindowBytes() == 0 ? null :
            new RecentFragments(ctx.resendWindowBytes(), incremental.maxPayloadLength());
    }

    /** Publications and counters on a (new) Aeron client. */
    private void attach(final Aeron aeron)
    {
        incremental = aeron.addExclusivePublication(ctx.incrementalChannel(), ctx.incrementalStreamId());
        // the snapshot publication takes the incremental one's session id: a subscriber pairs the two images by it
        // (a restarted exchange's old images can stay beside the new ones for seconds)
        snapshots = aeron.addExclusivePublication(withSessionId(ctx.snapshotChannel(), incremental.sessionId()),
            ctx.snapshotStreamId());
        messagesCounter = aeron.addCounter(COUNTER_MESSAGES, "md-publisher messages published");
        journalSequenceCounter = aeron.addCounter(COUNTER_JOURNAL_SEQUENCE, "md-publisher journal sequence published");
        lagCounter = aeron.addCounter(COUNTER_LAG, "md-publisher lag behind journal (entries)");
        backPressureCounter = aeron.addCounter(COUNTER_BACK_PRESSURE, "md-publisher back-pressure events");
        snapshotCyclesCounter = aeron.addCounter(COUNTER_SNAPSHOT_CYCLES, "md-publisher snapshot cycles");
        snapshotCyclesCounter.setRelease(snapshotCycles);
        messagesCounter.setRelease(incrementalBatch == null ? 0 : incrementalBatch.lastSequence());
    }

    /**
     * The snapshot channel with {@code session-id} set to the incremental publication's (in place of
     * any the channel names: subscribers pair the two images by it).
     */
    static String withSessionId(final String channel, final int sessionId)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.SESSION_ID_PARAM_NAME, Integer.toString(sessionId));
        return uri.toString();
    }

    /** The Aeron client closed itself: nothing it owned is touched again; a new one is tried once a second. */
    private int onClientLost(final Throwable cause)
    {
        clientLost = true;
        clientLosses++;
        reconnectAtNs = clock.nanoTime();
        ctx.log().accept("market data: ERROR the Aeron client closed itself (" + (cause == null ? "closed" : cause.getMessage())
            + "): the process stalled for longer than the driver's client timeout; the feed stops until a new client is up");
        return 0;
    }

    private int reconnect()
    {
        final long now = clock.nanoTime();
        if (now - reconnectAtNs < 0)
        {
            return ctx.invoked() ? ctx.invokeDriver() : 0;
        }
        reconnectAtNs = now + 1_000_000_000L;
        try
        {
            attach(ctx.reconnect());
        }
        catch (final RuntimeException e)
        {
            ctx.log().accept("market data: cannot connect a new Aeron client yet (" + e.getMessage() + "); trying again in 1 s");
            return 0;
        }
        clientLost = false;
        nextSnapshotNs = now;                                        // subscribers of the new stream recover from it
        lastIncrementalSendNs = now - heartbeatIntervalNs - 1;       // and a heartbeat tells them where it is
        ctx.log().accept("market data: a new Aeron client is up; the feed goes on (subscribers resynchronise from the snapshot stream)");
        return 1;
    }

    @Override
    public String roleName()
    {
        return "md-publisher";
    }

    @Override
    public int doWork()
    {
        if (clientLost)
        {
            return reconnect();
        }
        int work;
        try
        {
            work = ctx.invoked() ? ctx.invoke() : 0;
        }
        catch (final io.aeron.exceptions.ConductorServiceTimeoutException | org.agrona.concurrent.AgentTerminationException e)
        {
            return onClientLost(e);
        }
        if (ctx.aeron().isClosed() || incremental.isClosed() || snapshots.isClosed())
        {
            return onClientLost(null); // a client that timed out closes its resources before it says it is closed
        }
        if (publishingCondition != null)
        {
            checkPublishing();
        }
        final long sequenceBefore = incrementalBatch.nextSequence();
        if (sendIncrementals())
        {
            for (int i = 0; i < pollLimit; i++)
            {
                if (tailer.poll(entryHandler, 1) == 0)
                {
                    break;
                }
                work++;
                if (!sendIncrementals())
                {
                    break;
                }
            }
        }
        final long now = clock.nanoTime();
        if (incrementalBatch.nextSequence() != sequenceBefore)
        {
            // only messages on the incremental stream count: the embedded driver's own work (over UDP, almost
            // every cycle) kept the heartbeat from ever coming due, and a quiet feed looked dead (a probe)
            lastIncrementalSendNs = now;
        }
        else if (publishing && now - lastIncrementalSendNs > heartbeatIntervalNs && !incrementalBatch.hasPending() &&
            (recent == null || !recent.isReplaying())) // a heartbeat past the replay would tell of a gap it is closing
        {
            lastIncrementalSendNs = now;
            incrementalBatch.heartbeat(heartbeat, translator.timestamp());
            incrementalBatch.offer(incremental);
        }
        work += doSnapshotWork();
        updateCounters();
        return work;
    }

    private void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        final int status = reader.read(buffer, offset, length, translator);
        if (status != JournalEntryReader.OK)
        {
            malformedEntries++;
            trouble.undecodable(position, "status " + status + ": not published");
            return;
        }
        stagedJournalSequence = reader.header().sequence();
    }

    /**
     * Starts or stops publishing when the condition changes. On starting, the recent fragments
     * go out again first (what the old leader never sent), then a heartbeat and a snapshot cycle
     * at once: subscribers see where the stream is and can recover from what the replay did not cover.
     */
    private void checkPublishing()
    {
        final boolean now = publishingCondition.getAsBoolean();
        if (now != publishing)
        {
            publishing = now;
            if (now)
            {
                lastIncrementalSendNs = clock.nanoTime() - heartbeatIntervalNs - 1;
                nextSnapshotNs = clock.nanoTime();
                if (recent != null)
                {
                    recent.startReplay();
                    replays += recent.isReplaying() ? 1 : 0;
                }
                // once per leadership change, off the steady state: said so the resend can be seen from the exchange
                ctx.log().accept("market data: this node publishes now, from message " + (incrementalBatch.lastSequence() + 1)
                    + (recent == null ? "" : recent.isReplaying() ? "; first sending its last " + recent.heldBytes()
                    + " bytes of messages again (subscribers drop what they have)" : "; nothing to send again"));
            }
            else
            {
                if (recent != null)
                {
                    recent.stopReplay();
                }
                ctx.log().accept("market data: this node no longer publishes (it does not lead)");
            }
        }
    }

    /** @return true when nothing is left staged. */
    private boolean sendIncrementals()
    {
        if (recent != null && recent.isReplaying() && recent.replay(incremental) == FragmentBatch.PENDING)
        {
            return false; // the replay goes out before anything newer
        }
        if (!incrementalBatch.hasPending())
        {
            publishedJournalSequence = stagedJournalSequence;
            return true;
        }
        if (recent != null && !batchRecorded)
        {
            incrementalBatch.recordTo(recent);
            batchRecorded = true;
        }
        if (!publishing)
        {
            incrementalBatch.reset(); // the sequence numbers stay taken, as on the publishing node
            batchRecorded = false;
            publishedJournalSequence = stagedJournalSequence;
            return true;
        }
        final int result = incrementalBatch.offer(incremental);
        if (result == FragmentBatch.PENDING)
        {
            return false;
        }
        batchRecorded = false;
        if (result == FragmentBatch.DROPPED_NOT_CONNECTED)
        {
            droppedNotConnected++;
        }
        publishedJournalSequence = stagedJournalSequence;
        return true;
    }

    private int doSnapshotWork()
    {
        if (!publishing)
        {
            snapshotBatch.reset();
            cycleIndex = -1;
            return 0;
        }
        if (snapshotBatch.hasPending())
        {
            final int result = snapshotBatch.offer(snapshots);
            if (result == FragmentBatch.PENDING)
            {
                return 0;
            }
            if (result == FragmentBatch.DROPPED_NOT_CONNECTED)
            {
                cycleIndex = -1;
                return 1;
            }
        }
        // A snapshot is only taken between whole published entries, so its book matches its stamp.
        if (incrementalBatch.hasPending())
        {
            return 0;
        }
        if (cycleIndex < 0)
        {
            final long now = clock.nanoTime();
            if (now - nextSnapshotNs < 0 || !snapshots.isConnected())
            {
                return 0;
            }
            nextSnapshotNs = now + snapshotIntervalNs;
            cycle++;
            cycleInstrumentCount = instrumentIds.size();
            snapshotWriter.start(cycle, cycleInstrumentCount, incrementalBatch.lastSequence(), translator.timestamp());
            cycleIndex = 0;
        }
        else if (cycleIndex < cycleInstrumentCount)
        {
            final OrderBook book = books.book(instrumentIds.getInt(cycleIndex++));
            snapshotWriter.book(book, cycle, incrementalBatch.lastSequence(), translator.timestamp());
        }
        else
        {
            cycleIndex = -1;
            snapshotCyclesCounter.setRelease(++snapshotCycles);
            return 0;
        }
        if (snapshotBatch.offer(snapshots) == FragmentBatch.DROPPED_NOT_CONNECTED)
        {
            cycleIndex = -1;
        }
        return 1;
    }

    private void updateCounters()
    {
        messagesCounter.setRelease(incrementalBatch.lastSequence());
        journalSequenceCounter.setRelease(publishedJournalSequence);
        if (journalHead != null)
        {
            lagCounter.setRelease(Math.max(0, journalHead.getAsLong() - publishedJournalSequence));
        }
        final long pushBacks = incrementalBatch.backPressureEvents + snapshotBatch.backPressureEvents;
        if (pushBacks != backPressureEvents)
        {
            backPressureEvents = pushBacks;
            backPressureCounter.setRelease(pushBacks);
        }
    }

    // ------------------------------------------------------------------ observability (any thread may read counters; the rest: publisher thread)

    /** Sequence of the last incremental message staged (published, or waiting to be). */
    public long lastIncrementalSequence()
    {
        return incrementalBatch.lastSequence();
    }

    /** How often this publisher started publishing and sent its recent fragments again first; any thread. */
    public long replays()
    {
        return replays;
    }

    /** Whether this publisher sends (true unless {@link Context#publishing} says otherwise); any thread. */
    public boolean isPublishing()
    {
        return publishing;
    }

    /** Journal sequence of the last entry whose messages are all out. */
    public long publishedJournalSequence()
    {
        return publishedJournalSequence;
    }

    /** Journal entries not yet published, as last counted by the publisher (any thread). */
    public long lagCounterValue()
    {
        final Counter counter = lagCounter;
        return counter.isClosed() ? 0 : counter.get();
    }

    /** Incremental messages published, as last counted by the publisher (any thread). */
    public long messagesCounterValue()
    {
        final Counter counter = messagesCounter;
        return counter.isClosed() ? 0 : counter.get();
    }

    public long malformedEntries()
    {
        return malformedEntries;
    }

    public long inconsistencies()
    {
        return translator.inconsistencies;
    }

    /** Where in the translator the last inconsistency was found (diagnosis), or null. */
    public String lastInconsistency()
    {
        return translator.lastInconsistency;
    }

    public long backPressureEvents()
    {
        return backPressureEvents;
    }

    public long droppedNotConnected()
    {
        return droppedNotConnected;
    }

    public long snapshotCycles()
    {
        final Counter counter = snapshotCyclesCounter;
        return counter.isClosed() ? 0 : counter.get();
    }

    /** Times the Aeron client closed itself and a new one was needed (publisher thread). */
    public long clientLosses()
    {
        return clientLosses;
    }

    /** The publisher's own books (publisher thread only). */
    public OrderBooks books()
    {
        return books;
    }

    public Context context()
    {
        return ctx;
    }

    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(messagesCounter, journalSequenceCounter, lagCounter, backPressureCounter, snapshotCyclesCounter,
            incremental, snapshots);
        ctx.close();
    }

    /**
     * Configuration, Aeron style: setters return this, {@link #conclude()} fills the defaults and
     * checks everything, and owns (closes) the embedded driver and Aeron client it started.
     */
    public static final class Context implements AutoCloseable
    {
        public static final String DEFAULT_CHANNEL = "aeron:ipc";
        public static final int DEFAULT_INCREMENTAL_STREAM_ID = 1001;
        public static final int DEFAULT_SNAPSHOT_STREAM_ID = 1002;
        /** 4 MiB terms: three per publication, two publications, 24 MiB of /dev/shm for the feed. */
        public static final int DEFAULT_TERM_LENGTH = 4 << 20;
        /**
         * How long the embedded driver waits for a silent client, and so how long a stalled process's
         * own client lives on (Aeron's default is 10 s; a stopped VM or a long pause on a busy host
         * can exceed it, after which the publisher reconnects).
         */
        public static final long DEFAULT_CLIENT_LIVENESS_TIMEOUT_NS = 30_000_000_000L;
        /**
         * 8 MiB: at least the last 4 MiB of the incremental stream (tens of thousands of messages, half
         * a second at this box's saturation rate) is sent again by a node that starts leading.
         */
        public static final int DEFAULT_RESEND_WINDOW_BYTES = 8 << 20;

        private JournalTailer journalTailer;
        private LongSupplier journalHead;
        private Aeron aeron;
        private boolean embeddedDriver = true;
        private StartingBooks startingBooks;
        private String aeronDirectoryName;
        private int termLength = DEFAULT_TERM_LENGTH;
        private String incrementalChannel = DEFAULT_CHANNEL;
        private int incrementalStreamId = DEFAULT_INCREMENTAL_STREAM_ID;
        private String snapshotChannel = DEFAULT_CHANNEL;
        private int snapshotStreamId = DEFAULT_SNAPSHOT_STREAM_ID;
        private long snapshotIntervalNs = 1_000_000_000L;
        private long heartbeatIntervalNs = 100_000_000L;
        private int pollLimit = 64;
        private int expectedOrders = 65_536;
        private int resendWindowBytes = DEFAULT_RESEND_WINDOW_BYTES;
        private IdleStrategy idleStrategy;
        private IdleStrategy driverIdleStrategy;
        private long untetheredWindowLimitTimeoutNs = 2_000_000_000L;
        private long untetheredRestingTimeoutNs = 1_000_000_000L;
        private NanoClock nanoClock;
        private MediaDriver driver;
        private boolean ownsAeron;
        private boolean invoked;
        private boolean concluded;
        private java.util.function.BooleanSupplier publishing;
        private long clientLivenessTimeoutNs = DEFAULT_CLIENT_LIVENESS_TIMEOUT_NS;
        private java.util.function.Consumer<String> log = System.err::println;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (journalTailer == null)
            {
                throw new IllegalArgumentException("market data: a journal tailer is required");
            }
            if (termLength < 64 * 1024 || termLength > 1 << 30 || Integer.bitCount(termLength) != 1)
            {
                throw new IllegalArgumentException("market data: term length must be a power of two from 64 KiB to 1 GiB: " + termLength);
            }
            if (pollLimit < 1 || snapshotIntervalNs < 0 || expectedOrders < 0 || resendWindowBytes < 0)
            {
                throw new IllegalArgumentException("market data: pollLimit >= 1, snapshotIntervalNs >= 0, expectedOrders >= 0, "
                    + "resendWindowBytes >= 0");
            }
            incrementalChannel = withTermLength(incrementalChannel, termLength);
            snapshotChannel = withTermLength(snapshotChannel, termLength);
            if (nanoClock == null)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            if (idleStrategy == null)
            {
                idleStrategy = new BackoffIdleStrategy();
            }
            if (aeron == null)
            {
                if (embeddedDriver)
                {
                    if (aeronDirectoryName == null)
                    {
                        aeronDirectoryName = CommonContext.generateRandomDirName();
                    }
                    AeronDirectoryGuard.refuseIfInUse(aeronDirectoryName);
                    final MediaDriver.Context driverContext = new MediaDriver.Context()
                        .threadingMode(invoked ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
                        .dirDeleteOnStart(true)
                        .dirDeleteOnShutdown(true)
                        .publicationTermBufferLength(termLength)
                        .ipcTermBufferLength(termLength)
                        // a subscription on this driver whose channel does not say tether=true is untethered: a
                        // vendor's subscriber on the documented channel that stalled held the feed back for
                        // everyone (an outside probe); only our own subscriber asked for tether=false
                        .tetherSubscriptions(false)
                        .untetheredWindowLimitTimeoutNs(untetheredWindowLimitTimeoutNs)
                        .untetheredRestingTimeoutNs(untetheredRestingTimeoutNs)
                        .clientLivenessTimeoutNs(clientLivenessTimeoutNs)
                        // Aeron wants a blocked publication unblocked only after a dead client is given up
                        .publicationUnblockTimeoutNs(Math.max(15_000_000_000L, 2 * clientLivenessTimeoutNs))
                        // the driver checks untethered subscribers on its timer: tick faster than the timeouts
                        .timerIntervalNs(Math.min(1_000_000_000L,
                            Math.min(untetheredWindowLimitTimeoutNs, untetheredRestingTimeoutNs) / 4))
                        .sharedIdleStrategy(driverIdleStrategy == null ? new BackoffIdleStrategy() : driverIdleStrategy);
                    // aeronDirectoryName returns CommonContext: keep it out of the chain
                    driverContext.aeronDirectoryName(aeronDirectoryName);
                    AeronDirectorySpace.refuseIfTooSmall(aeronDirectoryName,
                        AeronDirectorySpace.neededBytes(driverContext, termLength, incrementalChannel, snapshotChannel));
                    driver = launch(driverContext);
                }
                else if (aeronDirectoryName == null)
                {
                    aeronDirectoryName = CommonContext.getAeronDirectoryName();
                }
                try
                {
                    aeron = connectClient();
                }
                catch (final RuntimeException e)
                {
                    CloseHelper.quietClose(driver);
                    throw new IllegalStateException("market data: cannot connect to the Aeron media driver in " +
                        aeronDirectoryName + " (" + e.getMessage() + ")", e);
                }
                ownsAeron = true;
            }
            concluded = true;
            return this;
        }

        /**
         * The driver, or one line saying why not: a mapped write that failed (a filesystem that
         * filled after the check) was an InternalError with a stack trace. The original is kept as
         * suppressed, not as the cause, for -Dbourse.debug: the start's line shows a cause's message.
         */
        private static MediaDriver launch(final MediaDriver.Context driverContext)
        {
            try
            {
                return MediaDriver.launch(driverContext);
            }
            catch (final InternalError | IllegalStateException e)
            {
                final IllegalStateException refused = new IllegalStateException("md.aeron-dir: the embedded media driver cannot start in "
                    + driverContext.aeronDirectoryName() + " (" + e.getMessage() + "; is its filesystem full? docs/CONFIGURATION.md, md.aeron-dir)");
                refused.addSuppressed(e);
                throw refused;
            }
        }

        /**
         * Runs the embedded media driver's and the Aeron client's duty cycles inside the
         * publisher's own (Aeron's INVOKER threading and conductor agent invoker) instead of on
         * threads of their own: with shared threading the exchange has one thread for the order
         * path and one for everything else, and this is most of everything else.
         */
        public Context invoked(final boolean invoked)
        {
            this.invoked = invoked;
            return this;
        }

        public boolean invoked()
        {
            return invoked;
        }

        private Aeron connectClient()
        {
            final Aeron.Context aeronContext = new Aeron.Context();
            aeronContext.aeronDirectoryName(aeronDirectoryName);
            aeronContext.errorHandler(t -> log.accept("market data: Aeron: " + t)); // one line, not a stack trace
            if (invoked)
            {
                aeronContext.useConductorAgentInvoker(true);
                if (driver != null)
                {
                    aeronContext.driverAgentInvoker(driver.sharedAgentInvoker());
                }
            }
            return Aeron.connect(aeronContext);
        }

        /**
         * A new client in place of one that closed itself (only a client this context made: one
         * given to it belongs to its owner). Throws if none can be made now.
         */
        Aeron reconnect()
        {
            if (!ownsAeron)
            {
                throw new IllegalStateException("the Aeron client was given to market data, which cannot replace it");
            }
            CloseHelper.quietClose(aeron);
            aeron = connectClient();
            return aeron;
        }

        /** The embedded driver's duty cycle alone (invoked mode, while the client is being replaced). */
        int invokeDriver()
        {
            return driver != null ? driver.sharedAgentInvoker().invoke() : 0;
        }

        /** Where the publisher says that its client was lost and replaced (default: standard error). */
        public Context log(final java.util.function.Consumer<String> value)
        {
            log = value;
            return this;
        }

        public java.util.function.Consumer<String> log()
        {
            return log;
        }

        /** The embedded driver's client liveness timeout (see {@link #DEFAULT_CLIENT_LIVENESS_TIMEOUT_NS}). */
        public Context clientLivenessTimeoutNs(final long value)
        {
            clientLivenessTimeoutNs = value;
            return this;
        }

        public long clientLivenessTimeoutNs()
        {
            return clientLivenessTimeoutNs;
        }

        /** Runs the driver's and the client's duty cycles once (invoked mode); the work done. */
        int invoke()
        {
            int work = 0;
            if (driver != null)
            {
                work += driver.sharedAgentInvoker().invoke();
            }
            if (aeron != null && ownsAeron && aeron.conductorAgentInvoker() != null)
            {
                work += aeron.conductorAgentInvoker().invoke();
            }
            return work;
        }

        /** Adds {@code term-length} to a channel URI that does not set one (Aeron's default maps 64 MiB terms). */
        static String withTermLength(final String channel, final int termLength)
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (uri.get(CommonContext.TERM_LENGTH_PARAM_NAME) == null)
            {
                uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(termLength));
            }
            return uri.toString();
        }

        @Override
        public void close()
        {
            if (ownsAeron)
            {
                CloseHelper.quietClose(aeron);
            }
            CloseHelper.quietClose(driver);
        }

        public JournalTailer journalTailer()
        {
            return journalTailer;
        }

        public Context journalTailer(final JournalTailer value)
        {
            journalTailer = value;
            return this;
        }

        /** The journal's last sequence (thread-safe read), for the lag counter; optional. */
        public LongSupplier journalHead()
        {
            return journalHead;
        }

        public Context journalHead(final LongSupplier value)
        {
            journalHead = value;
            return this;
        }

        public Aeron aeron()
        {
            return aeron;
        }

        /** An Aeron client to use (not closed by the publisher); otherwise one is connected. */
        public Context aeron(final Aeron value)
        {
            aeron = value;
            return this;
        }

        public boolean embeddedDriver()
        {
            return embeddedDriver;
        }

        /** true (default): start a SHARED-mode media driver in-process; false: use the driver in aeronDirectoryName. */
        public Context embeddedDriver(final boolean value)
        {
            embeddedDriver = value;
            return this;
        }

        public StartingBooks startingBooks()
        {
            return startingBooks;
        }

        /**
         * Books to start from instead of the journal's beginning ({@link StartingBooks#copyOf}, taken
         * at the position the journal tailer starts after). For a journal whose first cycles retention
         * removed: what they held is in the books, and the feed goes on from there (subscribers take
         * it from the next snapshot cycle).
         */
        public Context startingBooks(final StartingBooks value)
        {
            startingBooks = value;
            return this;
        }

        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        public Context aeronDirectoryName(final String value)
        {
            aeronDirectoryName = value;
            return this;
        }

        public int termLength()
        {
            return termLength;
        }

        /** Term length for both streams unless a channel sets its own (3 terms are mapped per publication). */
        public Context termLength(final int value)
        {
            termLength = value;
            return this;
        }

        public String incrementalChannel()
        {
            return incrementalChannel;
        }

        /** aeron:ipc (default), aeron:udp?endpoint=host:port (unicast) or a multicast group. */
        public Context incrementalChannel(final String value)
        {
            incrementalChannel = value;
            return this;
        }

        public int incrementalStreamId()
        {
            return incrementalStreamId;
        }

        public Context incrementalStreamId(final int value)
        {
            incrementalStreamId = value;
            return this;
        }

        public String snapshotChannel()
        {
            return snapshotChannel;
        }

        public Context snapshotChannel(final String value)
        {
            snapshotChannel = value;
            return this;
        }

        public int snapshotStreamId()
        {
            return snapshotStreamId;
        }

        public Context snapshotStreamId(final int value)
        {
            snapshotStreamId = value;
            return this;
        }

        public long snapshotIntervalNs()
        {
            return snapshotIntervalNs;
        }

        /** Time between the starts of snapshot cycles (sent only while someone listens). */
        public Context snapshotIntervalNs(final long value)
        {
            snapshotIntervalNs = value;
            return this;
        }

        public long heartbeatIntervalNs()
        {
            return heartbeatIntervalNs;
        }

        /** A quiet incremental stream carries a heartbeat this often, so losses at its tail are seen. */
        public Context heartbeatIntervalNs(final long value)
        {
            heartbeatIntervalNs = value;
            return this;
        }

        public int pollLimit()
        {
            return pollLimit;
        }

        /** Journal entries per duty cycle at most. */
        public Context pollLimit(final int value)
        {
            pollLimit = value;
            return this;
        }

        /** Bytes of recent incremental fragments a node sends again when it starts publishing (with {@link #publishing}). */
        public int resendWindowBytes()
        {
            return resendWindowBytes;
        }

        /** 0 keeps none: subscribers then recover from a snapshot after a handover, losing the trades in the gap. */
        public Context resendWindowBytes(final int value)
        {
            resendWindowBytes = value;
            return this;
        }

        public int expectedOrders()
        {
            return expectedOrders;
        }

        /** Resting orders to preallocate for. */
        public Context expectedOrders(final int value)
        {
            expectedOrders = value;
            return this;
        }

        public IdleStrategy idleStrategy()
        {
            return idleStrategy;
        }

        /** For whoever runs the agent (default backoff: never busy-spins on 2 cores). */
        public Context idleStrategy(final IdleStrategy value)
        {
            idleStrategy = value;
            return this;
        }

        public Context driverIdleStrategy(final IdleStrategy value)
        {
            driverIdleStrategy = value;
            return this;
        }

        public Context untetheredWindowLimitTimeoutNs(final long value)
        {
            untetheredWindowLimitTimeoutNs = value;
            return this;
        }

        public Context untetheredRestingTimeoutNs(final long value)
        {
            untetheredRestingTimeoutNs = value;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        public java.util.function.BooleanSupplier publishing()
        {
            return publishing;
        }

        /**
         * Publish only while this says so (a cluster node: while it leads), checked every duty cycle;
         * otherwise the journal is still read, books kept and sequence numbers taken, and nothing is
         * sent. Null (the default): always publish.
         */
        public Context publishing(final java.util.function.BooleanSupplier value)
        {
            publishing = value;
            return this;
        }

        public Context nanoClock(final NanoClock value)
        {
            nanoClock = value;
            return this;
        }
    }
}
