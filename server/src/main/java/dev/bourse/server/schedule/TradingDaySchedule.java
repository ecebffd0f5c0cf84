package dev.bourse.server.schedule;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.TradingPhases;
import dev.bourse.protocol.sbe.TradingPhase;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * One market segment's trading day, for each of its instruments: the volatility guards and the
 * opening call at its start, the opening auction at the open (plus a random delay drawn in the
 * open's window), the closing call, and the closing auction at the close (plus its own draw)
 * that leads to the post-close. Each phase command names the phase it expects the instrument to
 * be in, so a late or repeated command is refused by the engine rather than applied to a day
 * that went differently (a halt, an operator's change).
 */
public final class TradingDaySchedule implements ScheduleSource
{
    /** A segment's day. Times are local to the scheduler's zone; null leaves a step out. */
    public record Day(
        String name,
        List<Integer> instrumentIds,
        Set<DayOfWeek> tradingDays,
        Set<LocalDate> holidays,
        LocalTime openingCall,
        LocalTime open,
        Duration openRandom,
        LocalTime closingCall,
        LocalTime close,
        Duration closeRandom,
        int dynamicBandBps,
        int staticBandBps,
        Duration volatilityCall)
    {
        public boolean trades(final LocalDate day)
        {
            return tradingDays.contains(day.getDayOfWeek()) && !holidays.contains(day);
        }
    }

    /**
     * The instruments the journal adds that belong to no listed segment: the {@code *} segment's, which
     * takes them too (instruments an operator adds at run time), including those added in the middle
     * of a day, whose remaining steps are then planned.
     */
    public interface OtherInstruments
    {
        /** Every instrument the journal has added. */
        IntHashSet known();

        /** Instruments added since the journal was first read to its end, in order. */
        IntArrayList addedLater();

        /** Whether a listed segment takes this instrument. */
        boolean listed(int instrumentId);
    }

    private final Day day;
    private final IntUnaryOperator lastPhase;
    private final OtherInstruments others;
    private final Set<Integer> listed;
    /** The day planned last, and how many of {@link OtherInstruments#addedLater()} it has planned. */
    private LocalDate plannedDay;
    private int addedPlanned;

    public TradingDaySchedule(final Day day)
    {
        this(day, instrument -> VolatilityCallEnds.UNKNOWN_PHASE, null);
    }

    /**
     * @param lastPhase each instrument's last phase in the journal (a TradingPhase value, or
     *                  {@link VolatilityCallEnds#UNKNOWN_PHASE}): the opening call, the one step
     *                  without a fixed phase before it, is guarded by it, and the closing call
     *                  reads whether a volatility call is still running.
     * @param others    for the segment of every other instrument ({@code *}), the instruments the
     *                  journal adds; null for a segment of listed instruments only.
     */
    public TradingDaySchedule(final Day day, final IntUnaryOperator lastPhase, final OtherInstruments others)
    {
        this.day = day;
        this.lastPhase = lastPhase;
        this.others = others;
        this.listed = new java.util.HashSet<>(day.instrumentIds());
    }

    /** Whether this segment's day applies to the instrument. */
    public boolean covers(final int instrumentId)
    {
        return listed.contains(instrumentId) ||
            (others != null && others.known().contains(instrumentId) && !others.listed(instrumentId));
    }

    /**
     * The phase this segment's day puts {@code instrument} in at local time {@code when} (see
     * {@link #phaseOfDay}), or null for an instrument of another segment.
     */
    public TradingPhase phaseAt(final int instrument, final LocalDateTime when)
    {
        return covers(instrument) ? phaseOfDay(when) : null;
    }

    /**
     * The phase this segment's day is in at local time {@code when}: that of the last step begun
     * (open and close at their times, before their random delays); before the day's first step, and
     * on a day without trading, the phase the last trading day left: the post-close if the segment
     * closes, else none (null). Reads only the configuration: any thread may ask.
     */
    public TradingPhase phaseOfDay(final LocalDateTime when)
    {
        final TradingPhase overnight = day.close() != null ? TradingPhase.POST_CLOSE : null;
        if (!day.trades(when.toLocalDate()))
        {
            return overnight;
        }
        final LocalTime time = when.toLocalTime();
        TradingPhase phase = overnight;
        if (day.openingCall() != null && !time.isBefore(day.openingCall()))
        {
            phase = TradingPhase.OPENING_CALL;
        }
        if (day.open() != null && !time.isBefore(day.open()))
        {
            phase = TradingPhase.CONTINUOUS;
        }
        if (day.closingCall() != null && !time.isBefore(day.closingCall()))
        {
            phase = TradingPhase.CLOSING_CALL;
        }
        if (day.close() != null && !time.isBefore(day.close()))
        {
            phase = TradingPhase.POST_CLOSE;
        }
        return phase;
    }

    /**
     * The opening call takes the instrument from whatever phase yesterday left (post-close, or
     * continuous for an instrument the schedule did not close), so it is guarded by the phase last
     * seen in the journal; never from an operator's halt or close, which only an operator lifts
     * (resumed before the open, the instrument then enters the call: {@link VolatilityCallEnds}).
     * The day's own end is the post-close, so a CLOSED instrument was closed by an operator (or
     * by the start, for one the configuration no longer lists): an outside tester's closed
     * instrument was reopened by the next opening call and traded.
     */
    private int openingCall(final CommandWriter writer, final MutableDirectBuffer buffer, final long timestamp, final int instrument)
    {
        final int seen = lastPhase.applyAsInt(instrument);
        if (seen == TradingPhase.HALTED.value() || seen == TradingPhase.CLOSED.value())
        {
            return 0;
        }
        final TradingPhase expected = seen == VolatilityCallEnds.UNKNOWN_PHASE ? null : TradingPhase.get((short)seen);
        return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.OPENING_CALL, expected, 0);
    }

    /**
     * The open (at its time or caught up): the opening auction from the opening call. An instrument
     * trading already (a restart in the day, an operator's opening) has nothing to catch up: the
     * command was sent at every restart and refused (an outside tester).
     */
    private int open(final CommandWriter writer, final MutableDirectBuffer buffer, final long timestamp, final int instrument,
        final long delay)
    {
        if (lastPhase.applyAsInt(instrument) == TradingPhase.CONTINUOUS.value())
        {
            return 0;
        }
        final TradingPhase expected = day.openingCall() != null ? TradingPhase.OPENING_CALL : null;
        return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CONTINUOUS, expected, delay);
    }

    /**
     * The closing call takes the instrument from continuous trading, or from a call still running
     * that is not its own (a volatility call, an operator's reopening or opening call): that call ends
     * into the closing call with its book, which the closing auction then uncrosses with the rest (a
     * volatility call's own end, planned by {@link VolatilityCallEnds}, is then stale). An operator's
     * reopening call was refused before, and the instrument sat in it past the close, taking orders.
     */
    private int closingCall(final CommandWriter writer, final MutableDirectBuffer buffer, final long timestamp, final int instrument)
    {
        final int seen = lastPhase.applyAsInt(instrument);
        if (seen == TradingPhase.CLOSING_CALL.value())
        {
            return 0; // an operator's closing call began it already
        }
        final TradingPhase from = TradingPhases.isCall(seen) ? TradingPhase.get((short)seen) : TradingPhase.CONTINUOUS;
        return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CLOSING_CALL, from, 0);
    }

    /**
     * The close, at its time or caught up at a start: from the closing call by its auction, as
     * planned; from continuous trading when the closing call was missed (the exchange was down
     * then, or it is new and its instruments were added trading) without one, since nothing may
     * trade after the close; from any other call still running (an operator's reopening call begun
     * in the closing call, one the closing call was missed in) by that call's auction, the closing
     * auction (a volatility call ends at its own end, into the post-close); nothing to do when the
     * instrument is closed already (post-close, or an operator's close). An operator's halt is left
     * to the engine's guard, as before.
     */
    private int close(final CommandWriter writer, final MutableDirectBuffer buffer, final long timestamp, final int instrument,
        final long delay)
    {
        final int seen = lastPhase.applyAsInt(instrument);
        if (seen == TradingPhase.POST_CLOSE.value() || seen == TradingPhase.CLOSED.value())
        {
            return 0;
        }
        // a volatility call has an end of its own (VolatilityCallEnds), into the post-close by then
        final TradingPhase expected = TradingPhases.isCall(seen) && seen != TradingPhase.VOLATILITY_CALL.value()
            ? TradingPhase.get((short)seen)
            : seen == TradingPhase.CONTINUOUS.value() || day.closingCall() == null ? TradingPhase.CONTINUOUS : TradingPhase.CLOSING_CALL;
        return writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.POST_CLOSE, expected, delay);
    }

    /**
     * A week back, so that a start before the day's first step (or on a day without trading) catches
     * up the last trading day's close: a new exchange's instruments, added trading, and those a crash
     * left trading over a missed close, wait in the post-close for the opening call.
     */
    @Override
    public int catchUpDays()
    {
        return 7;
    }

    @Override
    public void planDay(final LocalDate date, final DayPlan plan)
    {
        plannedDay = date;
        if (others != null)
        {
            addedPlanned = others.addedLater().size(); // planned below with the others
        }
        if (!day.trades(date))
        {
            return;
        }
        final java.util.TreeSet<Integer> instruments = new java.util.TreeSet<>(listed);
        if (others != null)
        {
            for (final IntHashSet.IntIterator it = others.known().iterator(); it.hasNext(); )
            {
                final int id = it.nextValue();
                if (!others.listed(id))
                {
                    instruments.add(id);
                }
            }
        }
        for (final int instrument : instruments)
        {
            planInstrument(date, instrument, plan, Long.MIN_VALUE);
        }
    }

    /**
     * Instruments added while the exchange runs, in the {@code *} segment: the rest of the day
     * planned (their current phase is set at once by the volatility-call source, which sends them to
     * the day's phase).
     */
    @Override
    public void poll(final long nowNanos, final DayPlan plan)
    {
        if (others == null || plannedDay == null)
        {
            return;
        }
        final IntArrayList addedLater = others.addedLater();
        while (addedPlanned < addedLater.size())
        {
            final int instrument = addedLater.getInt(addedPlanned++);
            if (covers(instrument) && day.trades(plannedDay))
            {
                // plannedDay is tomorrow once the scheduler has planned ahead: today's rest is planned too
                final LocalDate today = java.time.Instant.ofEpochSecond(0, nowNanos).atZone(plan.zone()).toLocalDate();
                for (LocalDate date = today; !date.isAfter(plannedDay); date = date.plusDays(1))
                {
                    if (day.trades(date))
                    {
                        planInstrument(date, instrument, plan, nowNanos);
                    }
                }
            }
        }
    }

    /** Plans one instrument's steps of {@code date} that fall after {@code afterNanos}. */
    private void planInstrument(final LocalDate date, final int instrument, final DayPlan plan, final long afterNanos)
    {
        final DayPlan future = afterNanos == Long.MIN_VALUE ? plan : new FutureOnly(plan, afterNanos);
        final String key = "phase:" + instrument;
        final String who = day.name() + " instrument " + instrument;
        final LocalTime start = day.openingCall() != null ? day.openingCall() : day.open();
        if (start != null)
        {
            final int dynamic = day.dynamicBandBps();
            final int fixed = day.staticBandBps();
            final long interruption = day.volatilityCall().toNanos();
            // caught up at a start like the phase: a new exchange, or one down at the day's start, would trade unguarded
            future.schedule(plan.at(date, start), "guards:" + instrument, who + ": volatility guards " + dynamic + "/" + fixed + " bps",
                (writer, buffer, timestamp) -> writer.setVolatilityGuards(buffer, 0, timestamp, instrument, dynamic, fixed, interruption));
        }
        if (day.openingCall() != null)
        {
            future.schedule(plan.at(date, day.openingCall()), key, who + ": opening call",
                (writer, buffer, timestamp) -> openingCall(writer, buffer, timestamp, instrument));
        }
        if (day.open() != null)
        {
            final long delay = plan.draw(day.openRandom().toNanos());
            future.schedule(plan.at(date, day.open()) + delay, key, who + ": opening auction (random delay " + delay + " ns)",
                (writer, buffer, timestamp) -> open(writer, buffer, timestamp, instrument, delay));
        }
        if (day.closingCall() != null)
        {
            future.schedule(plan.at(date, day.closingCall()), key, who + ": closing call",
                (writer, buffer, timestamp) -> closingCall(writer, buffer, timestamp, instrument));
        }
        if (day.close() != null)
        {
            final long delay = plan.draw(day.closeRandom().toNanos());
            future.schedule(plan.at(date, day.close()) + delay, key, who + ": " + date + " close (random delay " + delay + " ns)",
                (writer, buffer, timestamp) -> close(writer, buffer, timestamp, instrument, delay));
        }
    }

    /** A plan that keeps only what falls after a time: the rest of a day for an instrument added in it. */
    private static final class FutureOnly implements DayPlan
    {
        private final DayPlan plan;
        private final long afterNanos;

        FutureOnly(final DayPlan plan, final long afterNanos)
        {
            this.plan = plan;
            this.afterNanos = afterNanos;
        }

        @Override
        public java.time.ZoneId zone()
        {
            return plan.zone();
        }

        @Override
        public long at(final LocalDate day, final LocalTime time)
        {
            return plan.at(day, time);
        }

        @Override
        public void schedule(final long atNanos, final String catchUpKey, final String description, final CommandEncoder encoder)
        {
            if (atNanos > afterNanos)
            {
                plan.schedule(atNanos, catchUpKey, description, encoder);
            }
        }

        @Override
        public long draw(final long windowNanos)
        {
            return plan.draw(windowNanos);
        }
    }
}
