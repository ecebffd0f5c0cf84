package dev.bourse.marketdata;

import dev.bourse.protocol.Prices;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.exceptions.DriverTimeoutException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./exchange md-listen}: live top of book and the trade tape from a running exchange's feed. */
@Command(name = "md-listen", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    description = {
        "Subscribes to the exchange's market data over Aeron (incremental and snapshot streams), keeps a local book",
        "per instrument, and prints the trade tape as it happens and the top of book once a second. Joins late and",
        "recovers from gaps through the snapshot stream by itself; its state (SYNCED, RECOVERING) is printed. When the",
        "feed falls silent (no message or heartbeat for --stale-after-ms) it prints STALE, and live again when it",
        "resumes. When the exchange (and so its media driver) stops, it says so, looks for the driver again every",
        "second and, once the exchange is back on the same aeron dir, resynchronises from the snapshot stream. When",
        "no snapshot comes within --snapshot-wait-ms (as with a wrong --snapshot-channel or --snapshot-stream-id, or an",
        "exchange whose md.snapshot-interval is longer), it says so once.",
        "Times are UTC: TRADE, PHASE, INDIC and AUCTION lines show the exchange's engine timestamp of the message;",
        "TOP lines and md-listen's own lines (feed state, STALE, the driver) show this host's clock."})
public final class MdListen implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String CHANNEL_EXAMPLES = "e.g. aeron:ipc or aeron:udp?endpoint=239.1.1.1:40456";

    /**
     * How long the books may wait for a snapshot before md-listen says so: by default ten of the
     * exchange's default md.snapshot-interval (1 s), time for a large book's cycle; an exchange
     * whose interval is longer is told by the option (an outside tester's was warned of a wrong
     * channel every time it joined).
     */
    @Option(names = "--snapshot-wait-ms", defaultValue = "10000", description = {"Say so when the books wait longer than this",
        "for a snapshot (default ${DEFAULT-VALUE}): raise it above the exchange's md.snapshot-interval if that is longer."})
    long snapshotWarnAfterMs = 10_000;

    /** Cleared by Ctrl-C (or {@link #stop}) to end the listening loop. */
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Option(names = "--symbol", description = "Only this instrument (default: every instrument).")
    String symbol;

    @Option(names = "--channel", defaultValue = "aeron:ipc", description = "Incremental channel (default ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--stream-id", defaultValue = "1001", description = "Incremental stream id (default ${DEFAULT-VALUE}).")
    int streamId;

    @Option(names = "--snapshot-channel", defaultValue = "aeron:ipc", description = "Snapshot channel (default ${DEFAULT-VALUE}).")
    String snapshotChannel;

    @Option(names = "--snapshot-stream-id", defaultValue = "1002", description = "Snapshot stream id (default ${DEFAULT-VALUE}; not --stream-id's on the same channel).")
    int snapshotStreamId;

    @Option(names = "--aeron-dir", description = "Media driver directory (default: Aeron's, as the exchange uses).")
    String aeronDir;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0: until Ctrl-C).")
    long seconds;

    @Option(names = "--no-tape", description = "Top of book only, no trade lines.")
    boolean noTape;

    @Option(names = "--stale-after-ms", defaultValue = "2000", description = {"Say the feed is STALE after this much silence:",
        "the exchange sends a heartbeat every 100 ms (default ${DEFAULT-VALUE})."})
    long staleAfterMs;

    public static void main(final String[] args)
    {
        System.exit(dev.bourse.journal.tool.OneLineUsageErrors.install(new CommandLine(new MdListen()), "./exchange ").execute(args));
    }

    /** Ends a running md-listen as Ctrl-C does (for tests, which run it on a thread of their own). */
    void stop()
    {
        running.set(false);
    }

    @Override
    public Integer call()
    {
        // the arguments first: a mistyped option is the same mistake whether or not the exchange runs
        final ChannelUri incremental = channelOption("--channel", channel);
        final ChannelUri snapshot = channelOption("--snapshot-channel", snapshotChannel);
        if (incremental == null || snapshot == null)
        {
            return 2;
        }
        if (streamId == snapshotStreamId && FeedChannels.sameMedium(incremental, snapshot))
        {
            // both subscriptions would read one stream: the snapshot handler drops incrementals and no snapshot ever comes
            System.err.println("md-listen: --snapshot-stream-id must differ from --stream-id on the same channel (both "
                + streamId + " on " + snapshotChannel + "); the exchange's defaults are "
                + MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID + " and " + MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID);
            return 2;
        }
        if (staleAfterMs <= 0)
        {
            System.err.println("md-listen: --stale-after-ms must be positive, got " + staleAfterMs);
            return 2;
        }
        if (snapshotWarnAfterMs <= 0)
        {
            System.err.println("md-listen: --snapshot-wait-ms must be positive, got " + snapshotWarnAfterMs);
            return 2;
        }
        if (seconds < 0)
        {
            System.err.println("md-listen: --seconds must be 0 (until Ctrl-C) or positive, got " + seconds);
            return 2;
        }
        final String dir = aeronDir != null ? aeronDir : CommonContext.getAeronDirectoryName();
        if (!new File(dir, "cnc.dat").exists())
        {
            System.err.println("md-listen: no media driver in " + dir + ": is the exchange running (./exchange start), "
                + "or does it use another md.aeron-dir (--aeron-dir)?");
            return 2;
        }
        final PrintStream out = System.out;
        // set when the driver came back, cleared when the new subscriber's books are SYNCED
        final boolean[] resynchronising = {false};
        final String[] lastReconnectFailure = {null};
        final ReconnectingSubscriber.Events events = new ReconnectingSubscriber.Events()
        {
            @Override
            public void onDriverLost(final String aeronDir, final Throwable cause)
            {
                // a client that was not run for its service interval (this process stopped or starved) closes itself:
                // the driver may be fine, and saying it went away would blame the exchange
                final boolean selfStalled = cause instanceof io.aeron.exceptions.ConductorServiceTimeoutException;
                out.println(TIME.format(Instant.now()) + (selfStalled
                    ? " md-listen: this process was stalled too long and its Aeron client closed itself ("
                    : " md-listen: the exchange's media driver went away (")
                    + ReconnectingSubscriber.describe(cause) + "); reconnecting to " + aeronDir + " every second...");
                lastReconnectFailure[0] = null;
            }

            @Override
            public void onReconnected(final String aeronDir, final long disconnectedNs)
            {
                out.printf("%s md-listen: reconnected to the media driver in %s after %.1f s; resynchronising the books "
                    + "from the snapshot stream%n", TIME.format(Instant.now()), aeronDir, disconnectedNs / 1e9);
                resynchronising[0] = true;
            }

            @Override
            public void onReconnectFailed(final String aeronDir, final Throwable cause)
            {
                final String line = ReconnectingSubscriber.describe(cause);
                if (!line.equals(lastReconnectFailure[0]))
                {
                    lastReconnectFailure[0] = line;
                    out.println(TIME.format(Instant.now()) + " md-listen: cannot connect to the media driver in " + aeronDir
                        + " yet (" + line + "); trying again");
                }
            }

            @Override
            public void onAeronError(final Throwable error)
            {
                out.println(TIME.format(Instant.now()) + " md-listen: Aeron: " + ReconnectingSubscriber.describe(error));
            }
        };
        final MarketDataListener listener = new MarketDataListener()
        {
            @Override
            public void onStateChanged(final MarketDataSubscriber.State state)
            {
                out.println(TIME.format(Instant.now()) + " feed " + state);
                if (state == MarketDataSubscriber.State.SYNCED && resynchronising[0])
                {
                    resynchronising[0] = false;
                    out.println(TIME.format(Instant.now()) + " md-listen: recovered: the books are resynchronised "
                        + "from the snapshot stream");
                }
            }

            @Override
            public void onTrade(final int instrumentId, final long tradeId, final long price, final long quantity,
                final byte aggressorSide, final long timestamp, final long sequence)
            {
                if (noTape)
                {
                    return;
                }
                final String name = symbolOf(instrumentId);
                if (symbol == null || symbol.equals(name))
                {
                    out.printf("%s TRADE %-8s %,10d @ %-12s %s (trade %d)%n",
                        engineTime(timestamp), name, quantity, Prices.toString(price),
                        aggressorSide == OrderBook.BUY ? "buyer aggressed" : aggressorSide == OrderBook.SELL ?
                            "seller aggressed" : "auction", tradeId);
                }
            }

            @Override
            public void onTradingStatus(final OrderBook book)
            {
                if (symbol == null || symbol.equals(book.symbol()))
                {
                    out.printf("%s PHASE %-8s %s%n", messageTime(), book.symbol(), phaseName(book.phase()));
                }
            }

            @Override
            public void onAuctionIndication(final OrderBook book)
            {
                if (!noTape && (symbol == null || symbol.equals(book.symbol())))
                {
                    out.printf("%s INDIC %-8s %,10d @ %-12s imbalance %,d %s%n", messageTime(), book.symbol(),
                        book.indicativeQty(), Prices.toString(book.indicativePrice()), book.imbalanceQty(),
                        book.imbalanceSide() == OrderBook.BUY ? "buy" : book.imbalanceSide() == OrderBook.SELL ? "sell" : "");
                }
            }

            @Override
            public void onAuctionResult(final OrderBook book, final byte callPhase, final long price, final long quantity,
                final long imbalance, final byte imbalanceSide)
            {
                if (symbol == null || symbol.equals(book.symbol()))
                {
                    out.printf("%s AUCTION %-6s %,10d @ %-12s (%s)%n", messageTime(), book.symbol(), quantity,
                        Prices.toString(price), phaseName(callPhase));
                }
            }

            /**
             * The engine timestamp of the message being reported, as TRADE lines show theirs: the tape is in the
             * exchange's time, so an auction and its trades do not seem to go backwards. Called back from poll:
             * there is a subscriber.
             */
            private String messageTime()
            {
                return engineTime(feed.subscriber().messageTimestamp());
            }

            private String symbolOf(final int instrumentId)
            {
                return feed == null || feed.subscriber() == null ? "#" + instrumentId : name(feed.subscriber(), instrumentId);
            }
        };
        feed = new ReconnectingSubscriber(dir, new MarketDataSubscriber.Context()
            .incrementalChannel(channel).incrementalStreamId(streamId)
            .snapshotChannel(snapshotChannel).snapshotStreamId(snapshotStreamId),
            listener, events, TimeUnit.SECONDS.toMillis(5), 1, TimeUnit.SECONDS);
        try (ReconnectingSubscriber connection = feed)
        {
            connection.connect();
            final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(() -> running.set(false));
            final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            // while the driver is away: wake a few times a second to look at the clock, never spin
            final IdleStrategy disconnected = new SleepingMillisIdleStrategy(50);
            final long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            long nextTop = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            final Silence silence = new Silence(TimeUnit.MILLISECONDS.toNanos(staleAfterMs));
            final SnapshotWait snapshotWait = new SnapshotWait(TimeUnit.MILLISECONDS.toNanos(snapshotWarnAfterMs),
                snapshotChannel + " stream " + snapshotStreamId);
            while (running.get() && System.nanoTime() - end < 0)
            {
                final int work = connection.poll(256);
                final MarketDataSubscriber current = connection.subscriber();
                silence.check(current, current == null ? 0 : current.incrementalFragments(), System.nanoTime(), out);
                snapshotWait.check(current, current != null && current.isSynced(), silence.stale(), System.nanoTime(), out);
                if (connection.isConnected())
                {
                    idle.idle(work);
                }
                else
                {
                    disconnected.idle();
                }
                if (System.nanoTime() - nextTop >= 0)
                {
                    nextTop += TimeUnit.SECONDS.toNanos(1);
                    // no top of book while disconnected: the books went with the driver and come back with it
                    if (connection.isConnected())
                    {
                        printTop(connection.subscriber(), silence.stale(), out);
                    }
                }
            }
            barrier.close();
        }
        catch (final DriverTimeoutException e)
        {
            System.err.println("md-listen: the media driver in " + dir + " does not answer: is the exchange running?");
            return 2;
        }
        catch (final io.aeron.exceptions.RegistrationException e)
        {
            // one line, not a stack trace: usually a second subscriber on a unicast endpoint this host binds already
            final String why = String.valueOf(e.getMessage());
            System.err.println("md-listen: cannot subscribe to " + channel + " and " + snapshotChannel + ": "
                + (why.contains("Address already in use")
                ? "the UDP port is taken on this host (another md-listen or subscriber is bound to it; a unicast endpoint takes"
                + " one subscriber per host: use aeron:ipc with the exchange's aeron dir, or a multicast channel)"
                : why));
            return 2;
        }
        return 0;
    }

    private ReconnectingSubscriber feed;

    /**
     * A channel option parsed as Aeron will parse it, or null after saying in one line what is wrong with it.
     * A UDP channel must say where: an endpoint, or a control address (multi-destination). Aeron would refuse
     * one without either only when md-listen subscribes, in an exception text naming both channels; the other
     * forms Aeron accepts (tags, control-mode=manual) need a channel or destinations md-listen never sets up.
     */
    private static ChannelUri channelOption(final String option, final String value)
    {
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(value);
        }
        catch (final RuntimeException e) // IllegalArgumentException or IllegalStateException, by what is wrong
        {
            System.err.println("md-listen: " + option + " '" + value + "' is not an Aeron channel (" + e.getMessage() + "); "
                + CHANNEL_EXAMPLES);
            return null;
        }
        if (uri.isUdp() && isBlank(uri.get(CommonContext.ENDPOINT_PARAM_NAME)) && isBlank(uri.get(CommonContext.MDC_CONTROL_PARAM_NAME)))
        {
            System.err.println("md-listen: " + option + " '" + value + "' needs an endpoint (or a control address for "
                + "multi-destination): e.g. aeron:udp?endpoint=239.1.1.1:40456");
            return null;
        }
        return uri;
    }

    private static boolean isBlank(final String value)
    {
        return value == null || value.isBlank();
    }

    /** An engine timestamp (epoch nanoseconds) as the tape shows it. */
    static String engineTime(final long timestamp)
    {
        return TIME.format(Instant.ofEpochSecond(0, timestamp));
    }

    static String phaseName(final byte phase)
    {
        final dev.bourse.protocol.md.sbe.MdTradingPhase p = dev.bourse.protocol.md.sbe.MdTradingPhase.get(phase);
        return p == dev.bourse.protocol.md.sbe.MdTradingPhase.SBE_UNKNOWN ? "phase " + phase : p.name();
    }

    /** An instrument's symbol, from the books the subscriber has learnt (snapshot instrument messages). */
    private static String name(final MarketDataSubscriber subscriber, final int instrumentId)
    {
        final OrderBook book = subscriber.book(instrumentId);
        return book == null || book.symbol().isEmpty() ? "#" + instrumentId : book.symbol();
    }

    private void printTop(final MarketDataSubscriber subscriber, final boolean stale, final PrintStream out)
    {
        final StringBuilder line = new StringBuilder();
        line.append(TIME.format(Instant.now())).append(" TOP ").append(subscriber.state()).append(stale ? " STALE" : "");
        final int[] shown = {0};
        subscriber.books().forEachBook(book ->
        {
            if ((symbol != null && !symbol.equals(book.symbol())) || (symbol == null && book.orderCount() == 0) || shown[0] >= 12)
            {
                return;
            }
            shown[0]++;
            final BookLevel bid = book.bids().best();
            final BookLevel ask = book.asks().best();
            line.append(System.lineSeparator()).append(String.format("    %-8s %10s %-12s | %-12s %-10s", book.symbol(),
                bid == null ? "" : String.format("%,d", bid.totalQty()), bid == null ? "-" : Prices.toString(bid.price()),
                ask == null ? "-" : Prices.toString(ask.price()), ask == null ? "" : String.format("%,d", ask.totalQty())));
        });
        if (shown[0] == 0)
        {
            // once the books are synced, every listed instrument has one: a symbol without is not listed; before,
            // nothing is known, empty books included
            final boolean synced = subscriber.isSynced();
            line.append(symbol != null ? "  " + symbol + (synced ? ": no such instrument on this feed" : ": no book yet")
                : synced ? "  (no resting orders)" : "  (books not known yet)");
        }
        out.println(line);
    }

    /**
     * Whether the books have waited too long for a snapshot. A wrong snapshot channel or stream id
     * never brings one, and the incremental stream's heartbeats keep the feed from looking STALE: md-listen
     * printed TOP RECOVERING every second and nothing else. Said once per wait, and when one comes after all.
     */
    static final class SnapshotWait
    {
        private final long warnAfterNs;
        private final String stream;
        private Object connection;
        private boolean waiting;
        private boolean warned;
        private long sinceNs;

        /** @param stream the snapshot stream, as the warning names it */
        SnapshotWait(final long warnAfterNs, final String stream)
        {
            this.warnAfterNs = warnAfterNs;
            this.stream = stream;
        }

        /**
         * @param current the connection's subscriber, null while disconnected
         * @param synced  whether its books are SYNCED
         * @param stale   whether the incremental stream is silent: no snapshot comes either, and STALE says why
         */
        void check(final Object current, final boolean synced, final boolean stale, final long nowNs, final PrintStream out)
        {
            if (current != connection)
            {
                connection = current; // a new connection's wait starts afresh; while disconnected there is none
                waiting = false;
                warned = false;
            }
            if (current == null || synced)
            {
                if (warned)
                {
                    out.printf("%s md-listen: snapshot received on %s after %.1f s: the books are SYNCED%n",
                        TIME.format(Instant.now()), stream, (nowNs - sinceNs) / 1e9);
                }
                waiting = false;
                warned = false;
            }
            else if (!waiting || (stale && !warned))
            {
                waiting = true; // the wait counts while the feed is live
                sinceNs = nowNs;
            }
            else if (!warned && nowNs - sinceNs > warnAfterNs)
            {
                warned = true;
                out.printf("%s md-listen: no snapshot received on %s after %.1f s: check --snapshot-channel and "
                    + "--snapshot-stream-id against the exchange's md.snapshot-channel and md.snapshot-stream-id (and"
                    + " --snapshot-wait-ms against its md.snapshot-interval, if that is longer)%n",
                    TIME.format(Instant.now()), stream, (nowNs - sinceNs) / 1e9);
            }
        }
    }

    /**
     * Whether the feed has gone quiet: a publisher that stopped (killed, stalled, cut off) sends no
     * heartbeat, and the media driver notices a dead exchange only seconds later.
     */
    static final class Silence
    {
        private final long staleAfterNs;
        private Object connection;
        private long fragments;
        private long lastHeardNs;
        private boolean stale;

        Silence(final long staleAfterNs)
        {
            this.staleAfterNs = staleAfterNs;
        }

        /**
         * @param current   the connection's subscriber, null while disconnected
         * @param received  fragments it has received so far
         */
        void check(final Object current, final long received, final long nowNs, final PrintStream out)
        {
            if (current != connection)
            {
                connection = current; // a new connection: its silence counts from now
                fragments = received;
                lastHeardNs = nowNs;
                stale = false;
                return;
            }
            if (current == null)
            {
                return;
            }
            if (received != fragments)
            {
                fragments = received;
                if (stale)
                {
                    stale = false;
                    out.printf("%s feed live again after %.1f s of silence%n", TIME.format(Instant.now()), (nowNs - lastHeardNs) / 1e9);
                }
                lastHeardNs = nowNs;
            }
            else if (!stale && nowNs - lastHeardNs > staleAfterNs)
            {
                stale = true;
                out.printf("%s feed STALE: nothing on the incremental stream for %.1f s (the exchange sends a heartbeat every 100 ms): "
                    + "it may be down, stalled or cut off, and the books shown may be out of date%n", TIME.format(Instant.now()),
                    (nowNs - lastHeardNs) / 1e9);
            }
        }

        boolean stale()
        {
            return stale;
        }
    }
}
