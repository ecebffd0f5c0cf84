package dev.bourse.server.schedule;

import dev.bourse.protocol.TradingPhases;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAddedDecoder;
import dev.bourse.protocol.sbe.PhaseChangeReason;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.protocol.sbe.TradingStatusChangedDecoder;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * Ends volatility calls, and brings an instrument back to its segment's day after an interruption.
 * The engine starts a volatility call by itself, when a trade would have printed outside a guard
 * band, and journals how long it lasts; this source reads that from the journal (it is a
 * {@link JournalEventListener}: feed it the entries a journal tailer delivers, on the scheduler's
 * thread) and plans the end of the call at the call's start + its length + a random delay drawn in
 * the segment's window. A later phase change of the instrument (an operator, a halt) makes the
 * planned end stale: it is then not sent.
 * <p>
 * The end goes where the segment's day now is ({@link ScheduledPhase}): continuous trading (the
 * call's auction), or, when the closing call began meanwhile, the closing call (the book kept for
 * the closing auction), or, past the close, the post-close (the call's auction is the closing
 * auction). Likewise an instrument an operator resumes (from HALTED or a reopening call into
 * continuous trading) after a step of its day that the halt made the engine refuse is moved to
 * that step's phase at once, as is an instrument added in the middle of its day. Without either, a
 * call or a halt over the closing call left the instrument trading after the close. It also keeps each instrument's last phase, which the
 * opening call reads so that it never lifts an operator's halt or close.
 */
public final class VolatilityCallEnds implements ScheduleSource, JournalEventListener
{
    private record Call(long endsAt, boolean planned)
    {
    }

    /** The phase an instrument's segment day says it should be in at a time, or null (no step yet today, or no schedule). */
    @FunctionalInterface
    public interface ScheduledPhase
    {
        TradingPhase at(int instrumentId, long epochNanos);
    }

    /** An instrument's phase before the journal has shown any change of it. */
    public static final int UNKNOWN_PHASE = -1;

    private final IntFunction<Duration> randomWindow;
    private final ScheduledPhase scheduled;
    private final Int2ObjectHashMap<Call> open = new Int2ObjectHashMap<>();
    /** Bumped per instrument on every phase change: a planned end sends only if nothing changed since. */
    private final Int2ObjectHashMap<long[]> generation = new Int2ObjectHashMap<>();
    /** Each instrument's last phase in the journal read so far. */
    private final Int2IntHashMap lastPhase = new Int2IntHashMap(UNKNOWN_PHASE);
    /** Instruments an operator resumed into continuous trading, or added, since the last poll (after the journal's catch-up). */
    private final IntHashSet resumed = new IntHashSet();
    /** Instruments already sent into their day's phase once: an added instrument's first time is its addition. */
    private final IntHashSet placed = new IntHashSet();
    /** Every instrument the journal has added. */
    private final IntHashSet known = new IntHashSet();
    /** Instruments added after the journal's catch-up, in order: a segment that takes every other instrument plans their day. */
    private final IntArrayList added = new IntArrayList();
    private boolean caughtUp;

    /** @param randomWindow the random extension window of an instrument's volatility call (its segment's). */
    public VolatilityCallEnds(final IntFunction<Duration> randomWindow)
    {
        this(randomWindow, (instrument, nanos) -> null);
    }

    /**
     * @param randomWindow the random extension window of an instrument's volatility call (its segment's).
     * @param scheduled    where each instrument's segment day is at a given time.
     */
    public VolatilityCallEnds(final IntFunction<Duration> randomWindow, final ScheduledPhase scheduled)
    {
        this.randomWindow = randomWindow;
        this.scheduled = scheduled;
    }

    /** The journal has been read to its end once: resumes seen from now on are acted on (older ones are history). */
    public void caughtUp()
    {
        caughtUp = true;
    }

    /** The instrument's last phase in the journal read so far (a TradingPhase value), or {@link #UNKNOWN_PHASE}. */
    public int lastPhase(final int instrumentId)
    {
        return lastPhase.get(instrumentId);
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        final int instrument = event.instrumentId();
        bump(instrument);
        lastPhase.put(instrument, event.phaseRaw());
        if (event.phase() == TradingPhase.VOLATILITY_CALL && event.reason() == PhaseChangeReason.VOLATILITY_INTERRUPTION)
        {
            open.put(instrument, new Call(header.timestamp() + event.interruptionNanos(), false));
        }
        else
        {
            open.remove(instrument);
        }
        final TradingPhase from = event.previousPhase();
        if (caughtUp && event.phase() == TradingPhase.CONTINUOUS && event.reason() == PhaseChangeReason.COMMAND &&
            (from == TradingPhase.HALTED || from == TradingPhase.REOPENING_CALL))
        {
            resumed.add(instrument);
        }
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        final int instrument = event.instrumentId();
        final int from = lastPhase.get(instrument);
        bump(instrument);
        open.remove(instrument);
        lastPhase.put(instrument, TradingPhases.ofStatus(event.status()).value());
        // the operator's resume (the status command: OPEN is continuous trading) brings it back to its day like a phase change
        // does; so does reopening a closed one, which the day's steps skipped as they skip a halted one
        if (caughtUp && event.status() == TradingStatus.OPEN &&
            (from == TradingPhase.HALTED.value() || from == TradingPhase.REOPENING_CALL.value() || from == TradingPhase.CLOSED.value()))
        {
            resumed.add(instrument);
        }
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        final int instrument = event.instrumentId();
        lastPhase.put(instrument, TradingPhases.ofStatus(event.status()).value());
        if (known.add(instrument) && caughtUp)
        {
            added.addInt(instrument);
            resumed.add(instrument); // added in the middle of a day: it joins the day's phase now
        }
    }

    /** Whether the journal has added this instrument. */
    public boolean isKnown(final int instrumentId)
    {
        return known.contains(instrumentId);
    }

    /** Every instrument the journal has added so far, in no order. */
    public IntHashSet knownInstruments()
    {
        return known;
    }

    /** The instruments added after the journal's catch-up, in order (read from an index the reader keeps). */
    public IntArrayList addedInstruments()
    {
        return added;
    }


    @Override
    public void poll(final long nowNanos, final DayPlan plan)
    {
        if (!resumed.isEmpty())
        {
            backToTheDay(nowNanos, plan);
        }
        if (open.isEmpty())
        {
            return;
        }
        for (final Int2ObjectHashMap<Call>.EntryIterator it = open.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Call call = it.getValue();
            if (call.planned())
            {
                continue;
            }
            final int instrument = it.getIntKey();
            final long delay = plan.draw(randomWindow.apply(instrument).toNanos());
            final long[] gen = generationOf(instrument);
            final long expectedGeneration = gen[0];
            plan.schedule(call.endsAt() + delay, null, "instrument " + instrument + ": end of the volatility call (random delay " + delay + " ns)",
                (writer, buffer, timestamp) -> gen[0] != expectedGeneration ? 0 :
                    writer.setTradingPhase(buffer, 0, timestamp, instrument, afterCall(instrument, timestamp), TradingPhase.VOLATILITY_CALL,
                        delay));
            it.setValue(new Call(call.endsAt(), true));
        }
    }

    /** Where a volatility call ends: the closing call or the post-close if the day has reached them, else continuous trading. */
    private TradingPhase afterCall(final int instrument, final long nowNanos)
    {
        final TradingPhase day = scheduled.at(instrument, nowNanos);
        return day == TradingPhase.CLOSING_CALL || day == TradingPhase.POST_CLOSE ? day : TradingPhase.CONTINUOUS;
    }

    /** Instruments resumed into continuous trading while their day is in another phase go to that phase now. */
    private void backToTheDay(final long nowNanos, final DayPlan plan)
    {
        for (final IntHashSet.IntIterator it = resumed.iterator(); it.hasNext(); )
        {
            final int instrument = it.nextValue();
            final TradingPhase day = scheduled.at(instrument, nowNanos);
            if (day == null || day == TradingPhase.CONTINUOUS || day == TradingPhase.NULL_VAL)
            {
                continue;
            }
            final long[] gen = generationOf(instrument);
            final long expectedGeneration = gen[0];
            // an instrument added at run time starts trading continuously too: say which it was (an outside probe read "resumed")
            final String how = placed.add(instrument) && added.containsInt(instrument) ? "added" : "resumed";
            plan.schedule(nowNanos, null, "instrument " + instrument + ": " + how + " during its day's " + day + ", which it now enters",
                (writer, buffer, timestamp) -> gen[0] != expectedGeneration ? 0 :
                    writer.setTradingPhase(buffer, 0, timestamp, instrument, day, TradingPhase.CONTINUOUS, 0));
        }
        resumed.clear();
    }

    /** Volatility calls waiting for their end (tests). */
    public int openCalls()
    {
        return open.size();
    }

    /** The instrument's change counter, 0 before its first change. */
    private long[] generationOf(final int instrument)
    {
        long[] gen = generation.get(instrument);
        if (gen == null)
        {
            gen = new long[]{0};
            generation.put(instrument, gen);
        }
        return gen;
    }

    private void bump(final int instrument)
    {
        final long[] gen = generationOf(instrument);
        if (gen == null)
        {
            generation.put(instrument, new long[]{1});
        }
        else
        {
            gen[0]++;
        }
    }
}
