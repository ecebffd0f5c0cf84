package dev.bourse.server.schedule;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scheduler under a fake clock, sending into a real engine through a publisher that hands each
 * command straight to it (the ring's place): a segment's day runs call, opening auction,
 * continuous trading, closing call, closing auction and post-close at the configured times, each
 * auction late by a random delay within its window that the command carries into the journal;
 * a late start catches up with one guarded command per instrument; a full ring delays a command,
 * never loses it; GTD expiry and the day's end run; a volatility call ends after its length.
 */
class SchedulerTest
{
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final LocalDate MONDAY = LocalDate.of(2026, 11, 30);
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final int ACME = 1;
    private static final int BETA = 2;

    /** A real engine behind the sequencer seam, recording the phase events it journals. */
    private static final class Exchange implements CommandPublisher, EventSink, JournalEventListener
    {
        final MatchingEngine engine = new MatchingEngine(new EngineState(new EngineConfig().maxInstruments(8)
            .preallocatedOrders(64).preallocatedLevels(64).expectedClOrdIdsPerDay(64)), this);
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final JournalEntryReader reader = new JournalEntryReader();
        final List<String> log = new ArrayList<>();
        final List<JournalEventListener> tailers = new ArrayList<>();
        int refuseClaims;
        long sequence;

        Exchange()
        {
            final CommandWriter writer = new CommandWriter();
            for (final int id : new int[]{ACME, BETA})
            {
                engine.onCommand(slot, 0, writer.addInstrument(slot, 0, 1, id, "S" + id, Prices.SCALE / 100, 1, 1, 1_000_000,
                    Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.CLOSED));
            }
        }

        byte phase(final int instrument)
        {
            return engine.state().instrument(instrument).phase();
        }

        @Override
        public long tryClaim()
        {
            if (refuseClaims > 0)
            {
                refuseClaims--;
                return NO_CLAIM;
            }
            return ++sequence;
        }

        @Override
        public MutableDirectBuffer buffer(final long claim)
        {
            return slot;
        }

        @Override
        public void commit(final long claim, final int length)
        {
            engine.onCommand(slot, 0, length);
        }

        @Override
        public int slotCapacity()
        {
            return slot.capacity();
        }

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            reader.read(buffer, offset, length, this);
            for (final JournalEventListener tailer : tailers)
            {
                reader.read(buffer, offset, length, tailer);
            }
            return true;
        }

        @Override
        public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
        {
            log.add(at(h.timestamp()) + " " + e.instrumentId() + " " + e.phase() + (e.callEndDelay() > 0 ? " delay" : ""));
        }

        @Override
        public void onCommandRejected(final EntryHeaderDecoder h, final CommandRejectedDecoder e)
        {
            log.add(at(h.timestamp()) + " rejected " + e.commandType() + " " + e.reason());
        }

        @Override
        public void onOrdersExpired(final EntryHeaderDecoder h, final OrdersExpiredDecoder e)
        {
            log.add(at(h.timestamp()) + " expiry");
        }

        @Override
        public void onDayEnded(final EntryHeaderDecoder h, final DayEndedDecoder e)
        {
            log.add(at(h.timestamp()) + " day ended");
        }

        @Override
        public void onVolatilityGuardsChanged(final EntryHeaderDecoder h, final VolatilityGuardsChangedDecoder e)
        {
            log.add(at(h.timestamp()) + " " + e.instrumentId() + " guards " + e.dynamicBandBps() + "/" + e.staticBandBps());
        }
    }

    private static String at(final long nanos)
    {
        return java.time.Instant.ofEpochSecond(0, nanos).atZone(PARIS).toLocalTime().toString();
    }

    private static long nanos(final LocalDate day, final String time)
    {
        final java.time.Instant instant = ZonedDateTime.of(day, LocalTime.parse(time), PARIS).toInstant();
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static TradingDaySchedule.Day day(final Duration openRandom, final Duration closeRandom)
    {
        return new TradingDaySchedule.Day("MAIN", List.of(ACME, BETA), WEEKDAYS, Set.of(LocalDate.of(2026, 12, 25)),
            LocalTime.of(8, 50), LocalTime.of(9, 0), openRandom, LocalTime.of(17, 30), LocalTime.of(17, 35), closeRandom,
            200, 1_000, Duration.ofMinutes(2));
    }

    /** A clock the test moves; the scheduler polls it. */
    private static final class FakeClock implements org.agrona.concurrent.EpochNanoClock
    {
        long now;

        @Override
        public long nanoTime()
        {
            return now;
        }
    }

    private static Scheduler scheduler(final FakeClock clock, final Exchange exchange, final ScheduleSource... sources)
    {
        return new Scheduler(new Scheduler.Context().clock(clock).random(new SplittableRandom(42)).publisher(exchange).zone(PARIS)
            .sources(List.of(sources)));
    }

    /** Moves the clock in one-second steps to {@code time}, letting the scheduler work at each. */
    private static void runUntil(final FakeClock clock, final Scheduler scheduler, final long until)
    {
        while (clock.now < until)
        {
            clock.now = Math.min(until, clock.now + 1_000_000_000L);
            scheduler.doWork();
        }
    }

    @Test
    void aSegmentsDayRunsItsCallsAndAuctionsAtTheirTimesWithRandomEndsInTheirWindows()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "06:00");
        final Scheduler scheduler = scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ofSeconds(30), Duration.ofMinutes(1))));
        scheduler.doWork();
        // Friday's guards and close caught up at the start, the close guarded: these instruments are closed already
        assertEquals(List.of("06:00 1 guards 200/1000", "06:00 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH",
            "06:00 2 guards 200/1000", "06:00 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH"), exchange.log);
        exchange.log.clear();

        runUntil(clock, scheduler, nanos(MONDAY, "08:50"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(ACME));
        assertEquals(List.of("08:50 1 guards 200/1000", "08:50 1 OPENING_CALL", "08:50 2 guards 200/1000", "08:50 2 OPENING_CALL"),
            exchange.log);

        runUntil(clock, scheduler, nanos(MONDAY, "09:00:30"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(BETA));
        final String acmeOpen = exchange.log.get(4);
        assertTrue(acmeOpen.matches("09:00:(0\\d|[12]\\d|30) [12] CONTINUOUS delay"), acmeOpen);

        runUntil(clock, scheduler, nanos(MONDAY, "17:36"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME));
        assertEquals(10, exchange.log.size(), exchange.log.toString());
        assertTrue(exchange.log.get(8).matches("17:35:\\d\\d [12] POST_CLOSE delay"), exchange.log.toString());
        assertEquals(14, scheduler.sent());
    }

    @Test
    void theDayTurnsAtLocalMidnightAcrossAChangeToSummerTime()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        final LocalDate friday = LocalDate.of(2026, 3, 27); // Paris moves to summer time on Sunday the 29th: a 23-hour day
        clock.now = nanos(friday, "18:00");
        final Scheduler scheduler = scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO)));
        scheduler.doWork();
        exchange.log.clear();
        runUntil(clock, scheduler, nanos(friday.plusDays(3), "08:51"));
        assertEquals(List.of("08:50 1 guards 200/1000", "08:50 1 OPENING_CALL", "08:50 2 guards 200/1000", "08:50 2 OPENING_CALL"),
            exchange.log, "Monday's call at 08:50 Paris time, one hour earlier in UTC than Friday's would have been");
    }

    @Test
    void aQuietDutyCycleAllocatesNothing()
    {
        // The scheduler shares a background thread with the market-data publisher and runs on every
        // one of its duty cycles: garbage made there is young collections in the order path's JVM.
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "10:00");
        final Scheduler scheduler = scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO)),
            new DayEndSchedule(LocalTime.of(18, 0), WEEKDAYS, Set.of()));
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        scheduler.doWork(); // the catch-up of the day so far
        final long caughtUp = scheduler.sent();
        long allocated;
        int windows = 0;
        do
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100_000; i++)
            {
                clock.now += 1_000_000L; // a millisecond per duty cycle: 100 s a window, nothing due until 17:30
                scheduler.doWork();
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        while (allocated != 0 && ++windows < 20); // the first windows run interpreted and compile
        assertEquals(0, allocated, "bytes allocated by 100,000 duty cycles with nothing due, after " + windows + " windows");
        assertEquals(caughtUp, scheduler.sent(), "nothing sent after the catch-up: " + exchange.log);
    }

    @Test
    void theRandomDelayIsDrawnOutsideTheEngineAndJournaledInTheCommand()
    {
        final Exchange exchange = new Exchange();
        final List<Long> delays = new ArrayList<>();
        exchange.tailers.add(new JournalEventListener()
        {
            @Override
            public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
            {
                if (e.phase() == TradingPhase.CONTINUOUS)
                {
                    delays.add(e.callEndDelay());
                    // the command went out at the scheduled open plus exactly that delay
                    assertEquals(nanos(MONDAY, "09:00") + e.callEndDelay(), h.timestamp(), 1_000_000_000L);
                }
            }
        });
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        runUntil(clock, scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ofMinutes(5), Duration.ZERO))),
            nanos(MONDAY, "09:06"));
        assertEquals(2, delays.size());
        for (final long delay : delays)
        {
            assertTrue(delay >= 0 && delay <= Duration.ofMinutes(5).toNanos(), "delay " + delay);
        }
        assertNotEquals(delays.get(0), delays.get(1), "each instrument draws its own end");
    }

    @Test
    void startedLateItCatchesUpWithOneGuardedCommandPerInstrument()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        // the exchange was down through the opening call and the open: the instruments are still closed
        clock.now = nanos(MONDAY, "11:00");
        final Scheduler scheduler = scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO)));
        scheduler.doWork();
        // the latest past phase of each instrument is sent: CONTINUOUS, expecting the opening call; and the day's guards
        assertEquals(List.of("11:00 1 guards 200/1000", "11:00 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH",
            "11:00 2 guards 200/1000", "11:00 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH"), exchange.log,
            "a new exchange, or one down at the day's start, trades guarded (a probe's traded 3% past a 1% band)");
        assertEquals(TradingPhase.CLOSED.value(), exchange.phase(ACME), "a guarded command does not skip the auction");

        // an instrument left in its opening call (down at the open) is opened by the catch-up
        final Exchange halfway = new Exchange();
        final FakeClock clock2 = new FakeClock();
        clock2.now = nanos(MONDAY, "08:55");
        final Scheduler first = scheduler(clock2, halfway, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO)));
        first.doWork();
        assertEquals(TradingPhase.OPENING_CALL.value(), halfway.phase(ACME));
        clock2.now = nanos(MONDAY, "10:00"); // restarted at 10:00
        scheduler(clock2, halfway, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO))).doWork();
        assertEquals(TradingPhase.CONTINUOUS.value(), halfway.phase(ACME));
        assertEquals(TradingPhase.CONTINUOUS.value(), halfway.phase(BETA));
    }

    @Test
    void aFullRingDelaysACommandAndNeverLosesIt()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:49:59");
        final Scheduler scheduler = scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO)));
        scheduler.doWork();
        exchange.refuseClaims = 3;
        clock.now = nanos(MONDAY, "08:50");
        assertEquals(0, scheduler.doWork(), "nothing could be sent");
        scheduler.doWork();
        scheduler.doWork();
        scheduler.doWork();
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(ACME));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(BETA));
    }

    @Test
    void noTradingOnWeekendsAndHolidays()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        final LocalDate christmas = LocalDate.of(2026, 12, 25); // a Friday, and a holiday
        clock.now = nanos(christmas, "07:00");
        runUntil(clock, scheduler(clock, exchange, new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO))),
            nanos(christmas.plusDays(2), "12:00"));
        // only Thursday's guards and close, caught up at the start (the close refused: these instruments are closed already)
        assertEquals(List.of("07:00:01 1 guards 200/1000", "07:00:01 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH",
            "07:00:01 2 guards 200/1000", "07:00:01 rejected SET_TRADING_PHASE TRADING_PHASE_MISMATCH"), exchange.log);
    }

    @Test
    void gtdOrdersExpireEveryIntervalAndTheDayEnds()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "17:58");
        openTheDay(exchange, nanos(MONDAY, "08:00")); // Friday's end is behind it: the guarded catch-up of Friday is refused
        final Scheduler scheduler = scheduler(clock, exchange, new GtdExpirySchedule(Duration.ofMinutes(1)),
            new DayEndSchedule(LocalTime.of(18, 0), WEEKDAYS, Set.of()));
        runUntil(clock, scheduler, nanos(MONDAY, "18:01:30"));
        assertEquals(List.of("17:58:01 expiry", "17:58:01 rejected END_OF_DAY DAY_ALREADY_ENDED", "17:58:01 expiry", "17:59 expiry",
                "18:00 expiry", "18:00 expiry", "18:00 day ended", "18:01 expiry"),
            exchange.log, "the 17:58 expiry is due as it starts: sent at once");
    }

    /** Any command at {@code at}: the exchange's day has begun then (the engine notes its first command after a day end). */
    private static void openTheDay(final Exchange exchange, final long at)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, new CommandWriter().endOfDay(command, 0, at - 1, 0));
        exchange.engine.onCommand(command, 0, new CommandWriter().setTradingPhase(command, 0, at, ACME, TradingPhase.CONTINUOUS, null, 0));
        exchange.log.clear();
    }

    @Test
    void aDayEndMissedWhileDownIsCaughtUpAtStartOnceAndNeverEndsTheNextDay()
    {
        final Exchange exchange = new Exchange();
        openTheDay(exchange, nanos(MONDAY, "08:00"));
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.createAccount(command, 0, nanos(MONDAY, "09:00"), 7, StpMode.NONE));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, nanos(MONDAY, "09:00"), 7, 0, 1_000_000 * Prices.SCALE, 1));
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, nanos(MONDAY, "10:00"), 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.DAY, false, StpMode.NONE, 100 * Prices.SCALE, 1, "monday", 0, 0, 0));
        assertEquals(1, exchange.engine.state().liveOrders());
        final DayEndSchedule dayEnd = new DayEndSchedule(LocalTime.of(18, 0), WEEKDAYS, Set.of());

        // down from 17:00 to 19:00: Monday's end was missed, and is sent as the scheduler starts
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "19:00");
        scheduler(clock, exchange, dayEnd).doWork();
        assertEquals(List.of("19:00 expiry", "19:00 day ended"), exchange.log);
        assertEquals(0, exchange.engine.state().liveOrders(), "Monday's DAY order expired");

        // restarted again at 19:30: Monday's end is sent again, and refused
        clock.now = nanos(MONDAY, "19:30");
        scheduler(clock, exchange, dayEnd).doWork();
        assertEquals(List.of("19:30 expiry", "19:30 rejected END_OF_DAY DAY_ALREADY_ENDED"), exchange.log.subList(2, 4));

        // Tuesday's DAY order, then a restart at 11:00: the latest past end is still Monday's, refused; the order stays
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, nanos(MONDAY.plusDays(1), "09:30"), 1, 7, ACME, Side.BUY,
            OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE, 100 * Prices.SCALE, 1, "tuesday", 0, 0, 0));
        clock.now = nanos(MONDAY.plusDays(1), "11:00");
        scheduler(clock, exchange, dayEnd).doWork();
        assertEquals(List.of("11:00 expiry", "11:00 rejected END_OF_DAY DAY_ALREADY_ENDED"), exchange.log.subList(4, 6));
        assertEquals(1, exchange.engine.state().liveOrders(), "Tuesday's DAY order is not ended by Monday's catch-up");
    }

    @Test
    void startedLateItExpiresWhatFellDueWhileItWasDownAtOnceAndLogsOneLinePerMissedKind()
    {
        final Exchange exchange = new Exchange();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        tradeWithAccount7(exchange, clock.now);
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTD, false, StpMode.NONE, 100 * Prices.SCALE, 1, "gtd", 0, 0, nanos(MONDAY, "09:00")));
        assertEquals(1, exchange.engine.state().liveOrders());
        exchange.log.clear();

        // the exchange was down from 08:00 to 12:00:30; a one-minute expiry interval missed 720 sends
        clock.now = nanos(MONDAY, "12:00:30");
        final List<String> lines = new ArrayList<>();
        final Scheduler scheduler = new Scheduler(new Scheduler.Context().clock(clock).random(new SplittableRandom(42))
            .publisher(exchange).zone(PARIS).log(lines::add)
            .sources(List.of(new GtdExpirySchedule(Duration.ofMinutes(1)), new MissedEveryMinute())));
        scheduler.doWork();
        assertEquals(0, exchange.engine.state().liveOrders(), "the 09:00 order expired at the start, not at midnight");
        assertEquals(List.of("12:00:30 expiry"), exchange.log);
        assertEquals(1, lines.stream().filter(line -> line.contains("missed")).count(), String.join("\n", lines));
        assertTrue(lines.contains("scheduler: missed (not caught up) tick x720"), String.join("\n", lines));

        runUntil(clock, scheduler, nanos(MONDAY, "12:01:30"));
        assertEquals(List.of("12:00:30 expiry", "12:01 expiry"), exchange.log, "then every minute as before");
    }

    /**
     * Each GTD order expires when the clock reaches its own expire time, not at the next round of the
     * interval (an outside probe's order traded a minute after its ExpireTime): orders sharing a time
     * take one command, and an order that ended earlier costs a command that expires nothing.
     */
    @Test
    void gtdOrdersExpireAtTheirOwnExpireTimesReadFromTheJournal()
    {
        final Exchange exchange = new Exchange();
        final GtdExpiryTimes expiryTimes = new GtdExpiryTimes();
        exchange.tailers.add(expiryTimes);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        tradeWithAccount7(exchange, clock.now);
        final long[] expireTimes = {nanos(MONDAY, "09:00") + 250_000_000L, nanos(MONDAY, "09:00") + 250_000_000L,
            nanos(MONDAY, "09:30") + 700_000_000L, nanos(MONDAY, "10:00")};
        gtdOrdersOfAccount7(exchange, clock.now, expireTimes);
        exchange.engine.onCommand(command, 0, writer.cancelOrder(command, 0, clock.now, 1, 7, 0, "c3", "gtd3"));
        assertEquals(3, exchange.engine.state().liveOrders());
        assertEquals(4, expiryTimes.pending());
        exchange.log.clear();

        final Scheduler scheduler = scheduler(clock, exchange, expiryTimes);
        runUntil(clock, scheduler, nanos(MONDAY, "09:00"));
        assertEquals(List.of(), exchange.log, "nothing due before 09:00:00.25");
        assertEquals(3, exchange.engine.state().liveOrders());
        runUntil(clock, scheduler, nanos(MONDAY, "09:00:01"));
        assertEquals(List.of("09:00:01 expiry"), exchange.log, "one command for the two orders due at 09:00:00.25");
        assertEquals(1, exchange.engine.state().liveOrders());
        runUntil(clock, scheduler, nanos(MONDAY, "10:00:05"));
        assertEquals(List.of("09:00:01 expiry", "09:30:01 expiry", "10:00 expiry"), exchange.log,
            "the last at its time though its order was cancelled: it expires nothing");
        assertEquals(0, exchange.engine.state().liveOrders());
        assertEquals(0, expiryTimes.pending());
    }

    /**
     * An ExpireOrders another scheduler journaled (a cluster's leader while this node followed, a
     * round) covers the expire times up to its own: a node that becomes leader does not send again
     * for orders that expired long ago (an outside probe saw every new leader do so).
     */
    @Test
    void expireTimesAnExpireOrdersInTheJournalCoveredAreNotSentAgain()
    {
        final Exchange exchange = new Exchange();
        final GtdExpiryTimes expiryTimes = new GtdExpiryTimes();
        exchange.tailers.add(expiryTimes);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        tradeWithAccount7(exchange, clock.now);
        final long[] expireTimes = {nanos(MONDAY, "09:00"), nanos(MONDAY, "09:30"), nanos(MONDAY, "10:00")};
        gtdOrdersOfAccount7(exchange, clock.now, expireTimes);
        assertEquals(3, expiryTimes.pending());
        // the old leader expired the first two at 09:31, then this node took over
        exchange.engine.onCommand(command, 0, writer.expireOrders(command, 0, nanos(MONDAY, "09:31"), nanos(MONDAY, "09:31")));
        assertEquals(1, exchange.engine.state().liveOrders());
        assertEquals(1, expiryTimes.pending(), "the journaled expiry covers 09:00 and 09:30");
        exchange.log.clear();

        clock.now = nanos(MONDAY, "09:32");
        final Scheduler scheduler = scheduler(clock, exchange, expiryTimes);
        runUntil(clock, scheduler, nanos(MONDAY, "09:59"));
        assertEquals(List.of(), exchange.log, "nothing sent for what the journal already expired");
        runUntil(clock, scheduler, nanos(MONDAY, "10:00:01"));
        assertEquals(List.of("10:00 expiry"), exchange.log);
        assertEquals(0, exchange.engine.state().liveOrders());
    }

    /** Account 7's GTD buy orders gtd0, gtd1, ... entered at {@code at}, one per expire time, each a tick lower. */
    private static void gtdOrdersOfAccount7(final Exchange exchange, final long at, final long... expireTimes)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        for (int i = 0; i < expireTimes.length; i++)
        {
            exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, at, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
                TimeInForce.GTD, false, StpMode.NONE, (100 - i) * Prices.SCALE, 1, "gtd" + i, 0, 0, expireTimes[i]));
        }
    }

    /** ACME trading continuously at {@code at}, and account 7 with cash to buy. */
    private static void tradeWithAccount7(final Exchange exchange, final long at)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.setTradingPhase(command, 0, at, ACME, TradingPhase.CONTINUOUS, null, 0));
        exchange.engine.onCommand(command, 0, writer.createAccount(command, 0, at, 7, StpMode.NONE));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, at, 7, 0, 1_000_000 * Prices.SCALE, 1));
    }

    /** An action with no catch-up key every minute of the day: only ever sent on time. */
    private static final class MissedEveryMinute implements ScheduleSource
    {
        @Override
        public void planDay(final LocalDate day, final DayPlan plan)
        {
            for (long at = plan.at(day, LocalTime.of(0, 1)); at <= plan.at(day, LocalTime.NOON); at += TimeUnit.MINUTES.toNanos(1))
            {
                plan.schedule(at, null, "tick", (writer, buffer, timestamp) -> 0);
            }
        }
    }

    @Test
    void aVolatilityCallEndsAfterItsLengthPlusARandomDelayUnlessSomethingElseEndedItFirst()
    {
        final Exchange exchange = new Exchange();
        final VolatilityCallEnds ends = new VolatilityCallEnds(id -> Duration.ofSeconds(10));
        exchange.tailers.add(ends);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "10:00");
        final Scheduler scheduler = scheduler(clock, exchange, ends);
        // continuous trading with a 1% dynamic band and a 2-minute interruption
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.setTradingPhase(command, 0, clock.now, ACME, TradingPhase.CONTINUOUS, null, 0));
        exchange.engine.onCommand(command, 0, writer.setVolatilityGuards(command, 0, clock.now, ACME, 100, 0, Duration.ofMinutes(2).toNanos()));
        exchange.engine.onCommand(command, 0, writer.createAccount(command, 0, clock.now, 7, StpMode.NONE));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, clock.now, 7, 0, 1_000_000_000 * Prices.SCALE, 1));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, clock.now, 7, ACME, 1_000, 2));
        for (final long price : new long[]{100, 100, 105})
        {
            exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.SELL, OrdType.LIMIT,
                TimeInForce.GTC, false, StpMode.NONE, price * Prices.SCALE, 1, "s" + price + exchange.sequence++));
        }
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, 100 * Prices.SCALE, 1, "b1"));           // last price 100
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, 106 * Prices.SCALE, 2, "b2"));           // 105 is outside 1%: interrupted
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(ACME));
        assertEquals(1, ends.openCalls());

        runUntil(clock, scheduler, nanos(MONDAY, "10:02"));
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(ACME), "not before its two minutes");
        runUntil(clock, scheduler, nanos(MONDAY, "10:02:11"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
        assertEquals(0, ends.openCalls());

        // a second interruption that an operator ends by hand: the planned end is stale and not sent
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.SELL, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, 120 * Prices.SCALE, 1, "s9"));
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, 120 * Prices.SCALE, 1, "b3"));
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(ACME));
        scheduler.doWork();
        exchange.engine.onCommand(command, 0, writer.setTradingPhase(command, 0, clock.now, ACME, TradingPhase.HALTED, null, 0));
        final long sentBefore = scheduler.sent();
        runUntil(clock, scheduler, nanos(MONDAY, "10:05"));
        assertEquals(sentBefore, scheduler.sent());
        assertEquals(TradingPhase.HALTED.value(), exchange.phase(ACME));
    }

    @Test
    void aNewExchangeStartedBeforeTheDayOrOnAWeekendWaitsInThePostCloseForTheOpeningCall()
    {
        // a new exchange's instruments are added trading (CONTINUOUS); started at 07:00, before the opening call
        final Exchange monday = new Exchange();
        final Day day = new Day(monday);
        setPhase(monday, nanos(MONDAY, "06:59"), ACME, TradingPhase.CONTINUOUS);
        setPhase(monday, nanos(MONDAY, "06:59"), BETA, TradingPhase.CONTINUOUS);
        monday.log.clear();
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "07:00");
        final Scheduler scheduler = scheduler(clock, monday, day.main, day.ends);
        scheduler.doWork();
        assertEquals(List.of("07:00 1 guards 200/1000", "07:00 1 POST_CLOSE", "07:00 2 guards 200/1000", "07:00 2 POST_CLOSE"), monday.log,
            "Friday's guards and close, caught up: no trading before the call");
        // resumed before the opening call, an instrument goes back to where its day is: the post-close
        setPhase(monday, clock.now, ACME, TradingPhase.HALTED);
        setPhase(monday, clock.now, ACME, TradingPhase.CONTINUOUS);
        runUntil(clock, scheduler, nanos(MONDAY, "07:01"));
        assertEquals(TradingPhase.POST_CLOSE.value(), monday.phase(ACME), monday.log.toString());
        runUntil(clock, scheduler, nanos(MONDAY, "08:50"));
        assertEquals(TradingPhase.OPENING_CALL.value(), monday.phase(ACME));
        assertEquals(TradingPhase.OPENING_CALL.value(), monday.phase(BETA));
        runUntil(clock, scheduler, nanos(MONDAY, "09:01"));
        assertEquals(TradingPhase.CONTINUOUS.value(), monday.phase(ACME), "opened by its auction");

        // started on a Saturday: Friday's close, caught up, until Monday's opening call
        final Exchange saturday = new Exchange();
        final Day weekend = new Day(saturday);
        final LocalDate friday = MONDAY.minusDays(3);
        setPhase(saturday, nanos(friday.plusDays(1), "11:00"), ACME, TradingPhase.CONTINUOUS);
        setPhase(saturday, nanos(friday.plusDays(1), "11:00"), BETA, TradingPhase.CONTINUOUS);
        final FakeClock clock2 = new FakeClock();
        clock2.now = nanos(friday.plusDays(1), "12:00");
        final Scheduler scheduler2 = scheduler(clock2, saturday, weekend.main, weekend.ends);
        scheduler2.doWork();
        assertEquals(TradingPhase.POST_CLOSE.value(), saturday.phase(ACME), saturday.log.toString());
        assertEquals(TradingPhase.POST_CLOSE.value(), saturday.phase(BETA));
        runUntil(clock2, scheduler2, nanos(MONDAY, "08:51"));
        assertEquals(TradingPhase.OPENING_CALL.value(), saturday.phase(ACME));
    }

    @Test
    void aCloseMissedWhileDownIsCaughtUpWithoutAnAuctionAndARestartAfterTheCloseSendsNothing()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        setPhase(exchange, nanos(MONDAY, "06:59"), ACME, TradingPhase.CONTINUOUS);
        setPhase(exchange, nanos(MONDAY, "06:59"), BETA, TradingPhase.CONTINUOUS);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        runUntil(clock, scheduler(clock, exchange, day.main, day.ends), nanos(MONDAY, "12:00"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
        exchange.log.clear();

        // down from 12:00 (trading) to 19:00: the closing call and the close were missed
        clock.now = nanos(MONDAY, "19:00");
        scheduler(clock, exchange, day.main, day.ends).doWork();
        assertEquals(List.of("19:00 1 POST_CLOSE", "19:00 2 POST_CLOSE"), phases(exchange.log), "not trading after the close");

        // restarted again the next morning: closed already, nothing to send, nothing refused
        exchange.log.clear();
        clock.now = nanos(MONDAY.plusDays(1), "07:00");
        final Scheduler tuesday = scheduler(clock, exchange, day.main, day.ends);
        tuesday.doWork();
        assertEquals(List.of(), phases(exchange.log), "only the guards again: " + exchange.log);
        runUntil(clock, tuesday, nanos(MONDAY.plusDays(1), "12:00"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));

        // down from Tuesday noon to Wednesday 07:00: Tuesday's close is caught up in the morning
        exchange.log.clear();
        clock.now = nanos(MONDAY.plusDays(2), "07:00");
        scheduler(clock, exchange, day.main, day.ends).doWork();
        assertEquals(List.of("07:00 1 POST_CLOSE", "07:00 2 POST_CLOSE"), phases(exchange.log));
    }

    /**
     * Killed in the closing call and restarted after the close: the GTD orders due by the close
     * expire before the catch-up's closing auction, and one due after the close takes part in it
     * and expires only after it (the catch-up expired everything due by the restart first, so an
     * order that would have traded in the auction did not: an outside probe).
     */
    @Test
    void aCatchUpAuctionMeetsTheBookItWouldHaveMetGtdOrdersDueAfterItTakePart()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final GtdExpiryTimes expiryTimes = new GtdExpiryTimes();
        exchange.tailers.add(expiryTimes);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        runUntil(clock, scheduler(clock, exchange, day.main, day.ends, expiryTimes), nanos(MONDAY, "17:31"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(ACME));
        trader(exchange, clock.now);
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTD, false, StpMode.NONE, 101 * Prices.SCALE, 1, "due-before", 0, 0, nanos(MONDAY, "17:33")));
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTD, false, StpMode.NONE, 100 * Prices.SCALE, 1, "due-after", 0, 0, nanos(MONDAY, "17:40")));
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, clock.now, 1, 7, ACME, Side.SELL, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, 100 * Prices.SCALE, 1, "seller"));
        final List<String> events = new ArrayList<>();
        exchange.tailers.add(new JournalEventListener()
        {
            @Override
            public void onOrderCanceled(final EntryHeaderDecoder h, final OrderCanceledDecoder e)
            {
                events.add("expired " + e.orderId());
            }

            @Override
            public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e)
            {
                events.add("trade " + e.makerOrderId() + "/" + e.takerOrderId());
            }
        });
        final long dueBefore = exchange.engine.state().lastOrderId() - 2;
        final long dueAfter = dueBefore + 1;
        final long seller = dueBefore + 2;

        // down from 17:31 to 17:45: the close (17:35) and both expire times were missed
        clock.now = nanos(MONDAY, "17:45");
        final Scheduler restarted = scheduler(clock, exchange, day.main, day.ends, expiryTimes);
        restarted.doWork();
        restarted.doWork();
        assertEquals(List.of("expired " + dueBefore, "trade " + seller + "/" + dueAfter), events,
            "the order due at 17:33 expired before the auction; the one due at 17:40 traded in it");
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME));
    }

    /** The log without the guards the scheduler sends again at every start. */
    private static List<String> phases(final List<String> log)
    {
        return log.stream().filter(line -> !line.contains(" guards ")).toList();
    }

    /** The day's schedule and the volatility-call source, wired to each other as the server wires them. */
    private static final class Day
    {
        final VolatilityCallEnds ends;
        final TradingDaySchedule main;

        Day(final Exchange exchange)
        {
            final TradingDaySchedule[] holder = new TradingDaySchedule[1];
            ends = new VolatilityCallEnds(id -> Duration.ofSeconds(10),
                (id, nanos) -> holder[0].phaseAt(id, java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(0, nanos), PARIS)));
            main = new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO), id -> ends.lastPhase(id), null);
            holder[0] = main;
            exchange.tailers.add(ends);
            ends.caughtUp();
        }
    }

    /** Monday's day run from 08:00 to 17:29 with a trader's account: a minute before the closing call. */
    private static final class TradingAt1729
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final FakeClock clock = new FakeClock();
        final Scheduler scheduler;

        TradingAt1729()
        {
            clock.now = nanos(MONDAY, "08:00");
            scheduler = scheduler(clock, exchange, day.main, day.ends);
            trader(exchange, clock.now);
            runUntil(clock, scheduler, nanos(MONDAY, "17:29"));
        }
    }

    /** An account with cash and shares of both instruments, and a command buffer. */
    private static void trader(final Exchange exchange, final long now)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.createAccount(command, 0, now, 7, StpMode.NONE));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, now, 7, 0, 1_000_000_000 * Prices.SCALE, 1));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, now, 7, ACME, 1_000, 2));
        exchange.engine.onCommand(command, 0, writer.deposit(command, 0, now, 7, BETA, 1_000, 3));
    }

    /** A trade of one lot at {@code price}: a resting sell, then a buy. */
    private static void trade(final Exchange exchange, final long now, final int instrument, final long price)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, now, 1, 7, instrument, Side.SELL, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, price * Prices.SCALE, 1, "s" + exchange.sequence++));
        exchange.engine.onCommand(command, 0, writer.newOrder(command, 0, now, 1, 7, instrument, Side.BUY, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, price * Prices.SCALE, 1, "b" + exchange.sequence++));
    }

    private static void setPhase(final Exchange exchange, final long now, final int instrument, final TradingPhase phase)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.setTradingPhase(command, 0, now, instrument, phase, null, 0));
    }

    @Test
    void aVolatilityCallOverTheClosingCallEndsInTheClosingCallAndOneOverTheCloseInTheClosingAuction()
    {
        final TradingAt1729 at = new TradingAt1729();
        final Exchange exchange = at.exchange;
        final FakeClock clock = at.clock;
        final Scheduler scheduler = at.scheduler;
        trade(exchange, clock.now, ACME, 100);
        trade(exchange, clock.now, ACME, 103); // outside the 2% band: a two-minute call, past the closing call at 17:30
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(ACME));
        runUntil(clock, scheduler, nanos(MONDAY, "17:30:01"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(ACME),
            "the closing call took it from its volatility call at once, book kept: " + exchange.log);

        runUntil(clock, scheduler, nanos(MONDAY, "17:33"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(ACME), "the call ended into the closing call: " + exchange.log);
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(BETA));
        trade(exchange, clock.now, BETA, 100); // no trade in a call: the book crosses
        runUntil(clock, scheduler, nanos(MONDAY, "17:34"));
        setPhase(exchange, clock.now, BETA, TradingPhase.CONTINUOUS); // an operator reopens BETA ...
        trade(exchange, clock.now, BETA, 100);
        trade(exchange, clock.now, BETA, 110); // ... and a trade outside the band interrupts it until 17:36, past the close
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(BETA), exchange.log.toString());

        runUntil(clock, scheduler, nanos(MONDAY, "17:35:30"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME), "the closing auction ran: " + exchange.log);
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), exchange.phase(BETA));
        runUntil(clock, scheduler, nanos(MONDAY, "17:37"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(BETA), "its call's auction was the closing auction: " + exchange.log);
    }

    /**
     * An outside tester's operator put an instrument into a reopening call before the closing call:
     * the closing call and the close were both refused, and it sat in a crossed call past the close
     * and the day's end, taking orders. A reopening call ends into the closing call as a volatility
     * call does, and one begun in the closing call ends at the close by the closing auction.
     */
    @Test
    void anOperatorsReopeningCallEndsInTheClosingCallAndOneOverTheCloseInTheClosingAuction()
    {
        final TradingAt1729 at = new TradingAt1729();
        final Exchange exchange = at.exchange;
        final FakeClock clock = at.clock;
        final Scheduler scheduler = at.scheduler;
        exchange.log.clear();
        setPhase(exchange, clock.now, ACME, TradingPhase.REOPENING_CALL);
        trade(exchange, clock.now, ACME, 100); // no trade in a call: the book crosses
        runUntil(clock, scheduler, nanos(MONDAY, "17:30:01"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(ACME), "the closing call took it from its call: " + exchange.log);

        runUntil(clock, scheduler, nanos(MONDAY, "17:33"));
        setPhase(exchange, clock.now, BETA, TradingPhase.REOPENING_CALL); // an operator's call begun in the closing call
        trade(exchange, clock.now, BETA, 100);
        final long resting = exchange.engine.state().liveOrders();
        assertEquals(4, resting, "both crossed books kept");
        runUntil(clock, scheduler, nanos(MONDAY, "17:35:30"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME), "the closing auction ran: " + exchange.log);
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(BETA), "its call's auction was the closing auction: " + exchange.log);
        assertEquals(0, exchange.engine.state().liveOrders(), "both books uncrossed by their closing auctions");
        assertFalse(exchange.log.stream().anyMatch(line -> line.contains("rejected")), exchange.log.toString());
    }

    /** An outside tester: every restart in the day sent the opening auction again, and the engine refused it. */
    @Test
    void aRestartInContinuousTradingSendsNoOpeningAuction()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        runUntil(clock, scheduler(clock, exchange, day.main, day.ends), nanos(MONDAY, "12:00"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
        exchange.log.clear();

        clock.now = nanos(MONDAY, "12:10"); // restarted
        scheduler(clock, exchange, day.main, day.ends).doWork();
        assertEquals(List.of(), phases(exchange.log), "nothing to catch up, nothing refused");
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
    }

    private static void setStatus(final Exchange exchange, final long now, final int instrument, final TradingStatus status)
    {
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        exchange.engine.onCommand(command, 0, writer.setTradingStatus(command, 0, now, instrument, status));
    }

    @Test
    void anInstrumentHaltedAndResumedWithTheStatusCommandRejoinsItsDayToo()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final Scheduler scheduler = scheduler(clock, exchange, day.main, day.ends);
        runUntil(clock, scheduler, nanos(MONDAY, "08:40"));
        setStatus(exchange, clock.now, ACME, TradingStatus.HALTED); // ./exchange admin instrument halt

        runUntil(clock, scheduler, nanos(MONDAY, "08:55"));
        assertEquals(TradingPhase.HALTED.value(), exchange.phase(ACME), "the opening call did not lift the halt: " + exchange.log);
        setStatus(exchange, clock.now, ACME, TradingStatus.OPEN); // ./exchange admin instrument resume, before the open
        runUntil(clock, scheduler, nanos(MONDAY, "08:56"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(ACME), "back in its day's call: " + exchange.log);
        runUntil(clock, scheduler, nanos(MONDAY, "09:01"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME), "through the opening auction: " + exchange.log);

        setStatus(exchange, clock.now, ACME, TradingStatus.HALTED);
        runUntil(clock, scheduler, nanos(MONDAY, "17:40"));
        assertEquals(TradingPhase.HALTED.value(), exchange.phase(ACME));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(BETA));
        setStatus(exchange, clock.now, ACME, TradingStatus.OPEN); // resumed after the close
        runUntil(clock, scheduler, nanos(MONDAY, "17:41"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME), "not trading after the close: " + exchange.log);
    }

    /** An outside tester closed an instrument after the close; the next opening call reopened it, and it traded. */
    @Test
    void anOperatorsCloseIsNeverLiftedByTheNextDayAndAReopenedInstrumentRejoinsItsDay()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final Scheduler scheduler = scheduler(clock, exchange, day.main, day.ends);
        runUntil(clock, scheduler, nanos(MONDAY, "17:40"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME));
        setStatus(exchange, clock.now, ACME, TradingStatus.CLOSED); // ./exchange admin instrument close

        final LocalDate tuesday = MONDAY.plusDays(1);
        runUntil(clock, scheduler, nanos(tuesday, "08:55"));
        assertEquals(TradingPhase.CLOSED.value(), exchange.phase(ACME), "the opening call did not reopen it: " + exchange.log);
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(BETA));
        runUntil(clock, scheduler, nanos(tuesday, "09:01"));
        assertEquals(TradingPhase.CLOSED.value(), exchange.phase(ACME), "nor did the open: " + exchange.log);
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(BETA));

        runUntil(clock, scheduler, nanos(tuesday, "17:40"));
        assertEquals(TradingPhase.CLOSED.value(), exchange.phase(ACME), "the close left it alone: " + exchange.log);
        setStatus(exchange, clock.now, ACME, TradingStatus.OPEN); // reopened by the operator after the close
        runUntil(clock, scheduler, nanos(tuesday, "17:41"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME), "not trading after the close: " + exchange.log);
        runUntil(clock, scheduler, nanos(tuesday.plusDays(1), "08:55"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(ACME), "its day again: " + exchange.log);
    }

    @Test
    void anOperatorsHaltIsNeverLiftedByTheScheduleAndAResumedInstrumentRejoinsItsDay()
    {
        final Exchange exchange = new Exchange();
        final Day day = new Day(exchange);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        final Scheduler scheduler = scheduler(clock, exchange, day.main, day.ends);
        runUntil(clock, scheduler, nanos(MONDAY, "08:40"));
        setPhase(exchange, clock.now, ACME, TradingPhase.HALTED);

        runUntil(clock, scheduler, nanos(MONDAY, "08:55"));
        assertEquals(TradingPhase.HALTED.value(), exchange.phase(ACME), "the opening call did not lift the halt: " + exchange.log);
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(BETA));
        setPhase(exchange, clock.now, ACME, TradingPhase.CONTINUOUS); // the operator resumes it before the open
        runUntil(clock, scheduler, nanos(MONDAY, "08:56"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(ACME), "back in its day's call: " + exchange.log);

        runUntil(clock, scheduler, nanos(MONDAY, "17:29"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(ACME));
        setPhase(exchange, clock.now, ACME, TradingPhase.HALTED);
        runUntil(clock, scheduler, nanos(MONDAY, "17:32"));
        assertEquals(TradingPhase.HALTED.value(), exchange.phase(ACME), "the closing call found it halted");
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(BETA));
        setPhase(exchange, clock.now, ACME, TradingPhase.REOPENING_CALL);
        setPhase(exchange, clock.now, ACME, TradingPhase.CONTINUOUS); // resumed through a reopening call
        runUntil(clock, scheduler, nanos(MONDAY, "17:33"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(ACME), "it joined the closing call: " + exchange.log);
        runUntil(clock, scheduler, nanos(MONDAY, "17:36"));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(ACME));
        assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(BETA));
    }

    @Test
    void theSegmentOfEveryOtherInstrumentTakesInstrumentsAddedAtRunTimeAndMidDayOnesJoinTheDaysPhase()
    {
        final Exchange exchange = new Exchange();
        final VolatilityCallEnds[] ends = new VolatilityCallEnds[1];
        final TradingDaySchedule.OtherInstruments others = new TradingDaySchedule.OtherInstruments()
        {
            @Override
            public org.agrona.collections.IntHashSet known()
            {
                return ends[0].knownInstruments();
            }

            @Override
            public org.agrona.collections.IntArrayList addedLater()
            {
                return ends[0].addedInstruments();
            }

            @Override
            public boolean listed(final int instrumentId)
            {
                return false;
            }
        };
        final TradingDaySchedule everything = new TradingDaySchedule(day(Duration.ZERO, Duration.ZERO), id -> ends[0].lastPhase(id), others);
        ends[0] = new VolatilityCallEnds(id -> Duration.ZERO,
            (id, nanos) -> everything.phaseAt(id, java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(0, nanos), PARIS)));
        exchange.tailers.add(ends[0]);
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final FakeClock clock = new FakeClock();
        clock.now = nanos(MONDAY, "08:00");
        // an instrument an operator added before the scheduler started (the journal's catch-up finds it)
        exchange.engine.onCommand(command, 0, writer.addInstrument(command, 0, clock.now, 3, "S3", Prices.SCALE / 100, 1, 1, 1_000_000,
            Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        ends[0].caughtUp();
        final Scheduler scheduler = scheduler(clock, exchange, everything, ends[0]);

        runUntil(clock, scheduler, nanos(MONDAY, "08:51"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(3), exchange.log.toString());
        runUntil(clock, scheduler, nanos(MONDAY, "12:00"));
        assertEquals(TradingPhase.CONTINUOUS.value(), exchange.phase(3));
        exchange.engine.onCommand(command, 0, writer.addInstrument(command, 0, clock.now, 4, "S4", Prices.SCALE / 100, 1, 1, 1_000_000,
            Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        runUntil(clock, scheduler, nanos(MONDAY, "17:32"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(4), "added at noon, it has the rest of the day: " + exchange.log);
        exchange.engine.onCommand(command, 0, writer.addInstrument(command, 0, clock.now, 5, "S5", Prices.SCALE / 100, 1, 1, 1_000_000,
            Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        runUntil(clock, scheduler, nanos(MONDAY, "17:33"));
        assertEquals(TradingPhase.CLOSING_CALL.value(), exchange.phase(5), "added in the closing call, it joins it: " + exchange.log);
        runUntil(clock, scheduler, nanos(MONDAY, "17:36"));
        for (final int id : new int[]{ACME, BETA, 3, 4, 5})
        {
            assertEquals(TradingPhase.POST_CLOSE.value(), exchange.phase(id), id + ": " + exchange.log);
        }
        runUntil(clock, scheduler, nanos(MONDAY.plusDays(1), "08:51"));
        assertEquals(TradingPhase.OPENING_CALL.value(), exchange.phase(5), "and the next day is planned for it");
    }
}
