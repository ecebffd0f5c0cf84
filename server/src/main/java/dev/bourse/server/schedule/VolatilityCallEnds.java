package dev.bourse.server.schedule;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.PhaseChangeReason;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import dev.bourse.protocol.sbe.TradingStatusChangedDecoder;
import org.agrona.collections.Int2ObjectHashMap;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * Ends volatility calls. The engine starts one by itself, when a trade would have printed outside
 * a guard band, and journals how long it lasts; this source reads that from the journal (it is a
 * {@link JournalEventListener}: feed it the entries a journal tailer delivers, on the scheduler's
 * thread) and plans the auction that ends the call at the call's start + its length + a random
 * delay drawn in the segment's window. A later phase change of the instrument (an operator, a
 * halt) makes the planned end stale: it is then not sent.
 */
public final class VolatilityCallEnds implements ScheduleSource, JournalEventListener
{
    private record Call(long endsAt, boolean planned)
    {
    }

    private final IntFunction<Duration> randomWindow;
    private final Int2ObjectHashMap<Call> open = new Int2ObjectHashMap<>();
    /** Bumped per instrument on every phase change: a planned end sends only if nothing changed since. */
    private final Int2ObjectHashMap<long[]> generation = new Int2ObjectHashMap<>();

    /** @param randomWindow the random extension window of an instrument's volatility call (its segment's). */
    public VolatilityCallEnds(final IntFunction<Duration> randomWindow)
    {
        this.randomWindow = randomWindow;
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        final int instrument = event.instrumentId();
        bump(instrument);
        if (event.phase() == TradingPhase.VOLATILITY_CALL && event.reason() == PhaseChangeReason.VOLATILITY_INTERRUPTION)
        {
            open.put(instrument, new Call(header.timestamp() + event.interruptionNanos(), false));
        }
        else
        {
            open.remove(instrument);
        }
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        bump(event.instrumentId());
        open.remove(event.instrumentId());
    }

    @Override
    public void poll(final long nowNanos, final DayPlan plan)
    {
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
            final long[] gen = generation.get(instrument);
            final long expectedGeneration = gen[0];
            plan.schedule(call.endsAt() + delay, null, "instrument " + instrument + ": volatility auction (random delay " + delay + " ns)",
                (writer, buffer, timestamp) -> gen[0] != expectedGeneration ? 0 :
                    writer.setTradingPhase(buffer, 0, timestamp, instrument, TradingPhase.CONTINUOUS, TradingPhase.VOLATILITY_CALL, delay));
            it.setValue(new Call(call.endsAt(), true));
        }
    }

    /** Volatility calls waiting for their end (tests). */
    public int openCalls()
    {
        return open.size();
    }

    private void bump(final int instrument)
    {
        final long[] gen = generation.get(instrument);
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
