package dev.bourse.marketdata;

import dev.bourse.engine.EngineHarness;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.*;

/** md-listen against a live feed: what it says while it waits for a snapshot, and the times on its tape. */
class MdListenFeedTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);
    private static final String WAITING = "md-listen: no snapshot received on aeron:ipc stream 1002 after ";
    private static final String RECEIVED = "md-listen: snapshot received on aeron:ipc stream 1002 after ";

    /**
     * With no snapshot coming (here the publisher's first cycle is due in an hour; a wrong snapshot
     * channel or stream id never brings one) while heartbeats arrive, md-listen said nothing but
     * "TOP RECOVERING (no resting orders)" each second: it must say once that no snapshot came, show
     * the books as not known, and say when a snapshot comes after all.
     */
    @Test
    void aListenerWithoutASnapshotSaysSoOnceAndSaysWhenOneComes() throws Exception
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.fundedAccount(10, 1);
        h.buy(10, 1, px(99), 10, "b1");
        final StartingBooks starting = StartingBooks.copyOf(h.state, 1024);
        final long[] clockOffsetNs = {HOUR_NS};
        // a feed started from recovered books: a subscriber needs a snapshot, then heartbeats keep it in sync
        try (MarketDataPublisher publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
            .journalTailer(new InMemoryJournal().tailer()).journalHead(() -> h.state.lastSequence()).expectedOrders(1024)
            .startingBooks(starting).nanoClock(() -> System.nanoTime() + clockOffsetNs[0])
            .driverIdleStrategy(new YieldingIdleStrategy())))
        {
            clockOffsetNs[0] = 0; // the publisher's first cycle is due when its clock is an hour on
            try (Listening md = new Listening(command -> command.snapshotWarnAfterMs = 200,
                "--aeron-dir=" + publisher.context().aeronDirectoryName()))
            {
                // two top-of-book lines after the warning: a warning each second would show twice
                pump(publisher, md, () -> md.printed().contains(WAITING)
                    && count(md.printed().substring(md.printed().indexOf(WAITING)), "TOP RECOVERING") >= 2, "the warning");
                final String waiting = md.printed();
                assertEquals(1, count(waiting, WAITING), "said once: " + waiting);
                assertTrue(waiting.contains("check --snapshot-channel and --snapshot-stream-id"), waiting);
                final List<String> tops = waiting.lines().filter(line -> line.contains(" TOP ")).collect(Collectors.toList());
                assertFalse(tops.isEmpty(), waiting);
                for (final String top : tops)
                {
                    assertTrue(top.endsWith("TOP RECOVERING  (books not known yet)"), "the books are not known: " + waiting);
                }

                clockOffsetNs[0] = HOUR_NS;
                pump(publisher, md, () -> md.printed().contains(RECEIVED), "the snapshot");
                pump(publisher, md, () -> md.printed().matches("(?s).*TOP SYNCED\\R +ACME +10 99\\b.*"), "the books shown");
                assertTrue(md.printed().matches("(?s).*TOP SYNCED\\R +ACME +10 99\\b.*"), md.printed());
            }
        }
    }

    /**
     * PHASE, INDIC and AUCTION lines showed the listener's clock and TRADE lines the engine's, so
     * an auction's trades seemed to come before it: every tape line shows its message's engine timestamp.
     */
    @Test
    void tapeLinesShowTheEngineTimestampOfTheirMessage() throws Exception
    {
        final long day = TimeUnit.SECONDS.toNanos(Instant.parse("2021-06-01T07:00:00Z").getEpochSecond());
        try (FeedFixture feed = new FeedFixture(256 * 1024, TimeUnit.MILLISECONDS.toNanos(20));
            Listening md = new Listening(command -> { }, "--aeron-dir=" + feed.publisher.context().aeronDirectoryName()))
        {
            final Commands commands = new Commands(feed.engine);
            commands.send(w -> w.addInstrument(commands.buffer, 0, day + 1_000_000, 1, "ACME", RandomWorkload.TICK, 1, 1,
                1_000_000, Long.MAX_VALUE / 4, RandomWorkload.MID, 5_000, TradingStatus.OPEN));
            for (long account = 1; account <= 2; account++)
            {
                final long a = account;
                commands.send(w -> w.createAccount(commands.buffer, 0, day + 2_000_000, a, StpMode.NONE));
                commands.send(w -> w.deposit(commands.buffer, 0, day + 3_000_000, a, 0, MatchingEngine.MAX_TOTAL / 4, 0));
                commands.send(w -> w.deposit(commands.buffer, 0, day + 4_000_000, a, 1, MatchingEngine.MAX_TOTAL / 8, 0));
            }
            feed.pump(() -> md.printed().contains("feed SYNCED"), 20_000, md::printed);

            commands.send(w -> w.setTradingPhase(commands.buffer, 0, day + 1_111_000_000L, 1, TradingPhase.OPENING_CALL, null, 0));
            commands.send(w -> w.newOrder(commands.buffer, 0, day + 2_222_000_000L, 1, 1, 1, Side.BUY, OrdType.LIMIT,
                TimeInForce.DAY, false, StpMode.NONE, RandomWorkload.MID, 10, "b"));
            commands.send(w -> w.newOrder(commands.buffer, 0, day + 3_333_000_000L, 1, 2, 1, Side.SELL, OrdType.LIMIT,
                TimeInForce.DAY, false, StpMode.NONE, RandomWorkload.MID, 10, "s"));
            commands.send(w -> w.setTradingPhase(commands.buffer, 0, day + 4_444_000_000L, 1, TradingPhase.CONTINUOUS, null, 0));
            // the last line itself, not "two PHASE lines" (which a CONTINUOUS line cut after its symbol passed for)
            feed.pump(() -> md.printed().contains(" PHASE ACME     CONTINUOUS"), 20_000, md::printed);

            final String tape = md.printed();
            assertEquals("07:00:01.111", timeOf(tape, " PHASE ACME     OPENING_CALL"), tape);
            assertEquals("07:00:04.444", timeOf(tape, " PHASE ACME     CONTINUOUS"), tape);
            assertEquals("07:00:04.444", timeOf(tape, " AUCTION "), tape);
            assertEquals("07:00:04.444", timeOf(tape, " TRADE "), tape);
            final List<String> indications = tape.lines().filter(line -> line.contains(" INDIC ")).collect(Collectors.toList());
            assertFalse(indications.isEmpty(), tape);
            for (final String indication : indications)
            {
                assertTrue(indication.startsWith("07:00:02.222 ") || indication.startsWith("07:00:03.333 "), tape);
            }
        }
    }

    /** Runs the publisher until md-listen has printed what is awaited; fails after 20 s. */
    private static void pump(final MarketDataPublisher publisher, final Listening md, final BooleanSupplier done,
        final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what + ": " + md.printed());
            if (publisher.doWork() == 0)
            {
                Thread.yield();
            }
        }
    }

    private static String timeOf(final String printed, final String what)
    {
        final String line = printed.lines().filter(l -> l.contains(what)).findFirst().orElseThrow(() ->
            new AssertionError("no line with '" + what + "': " + printed));
        return line.substring(0, line.indexOf(' '));
    }

    private static int count(final String text, final String what)
    {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length()))
        {
            n++;
        }
        return n;
    }

    /** Commands to the engine, each stamped by the test. */
    private static final class Commands
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        private final CommandWriter writer = new CommandWriter();
        private final MatchingEngine engine;

        Commands(final MatchingEngine engine)
        {
            this.engine = engine;
        }

        void send(final java.util.function.ToIntFunction<CommandWriter> command)
        {
            engine.onCommand(buffer, 0, command.applyAsInt(writer));
            assertFalse(engine.isHalted(), () -> "engine halted: " + engine.haltReason());
        }
    }

    /** md-listen on a thread of its own, what it prints kept (it takes System.out when it starts). */
    private static final class Listening implements AutoCloseable
    {
        private final MdListen command = new MdListen();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream before = System.out;
        private final Thread thread;

        Listening(final Consumer<MdListen> setup, final String... args)
        {
            setup.accept(command);
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            thread = new Thread(() -> new CommandLine(command).execute(args), "md-listen");
            thread.start();
        }

        /** The lines printed so far, whole ones only: md-listen prints on its own thread, and a line caught half written read as another. */
        String printed()
        {
            final String text = bytes.toString(StandardCharsets.UTF_8);
            return text.substring(0, text.lastIndexOf('\n') + 1);
        }

        @Override
        public void close() throws InterruptedException
        {
            command.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            System.setOut(before);
        }
    }
}
