package dev.bourse.server.metrics;

import dev.bourse.engine.EngineListener;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.RejectReason;
import dev.bourse.protocol.CounterDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.Locale;

/**
 * Counts what the engine does, on the engine thread: commands by type and rejects by reason.
 * Counters are allocated up front (one per enum value), so counting is an array index and an
 * ordered store: no allocation, no lookup.
 */
public final class EngineCounters implements EngineListener
{
    private final AtomicCounter[] commandsByType = new AtomicCounter[256];
    private final AtomicCounter[] rejectsByReason = new AtomicCounter[256];
    private final AtomicCounter eventsJournaled;
    private final AtomicCounter haltedRejects;
    private final AtomicCounter halted;

    public EngineCounters(final CountersManager counters)
    {
        for (final CommandType type : CommandType.values())
        {
            if (type != CommandType.NULL_VAL && type != CommandType.SBE_UNKNOWN)
            {
                commandsByType[type.value()] = CounterDescriptor.ENGINE_COMMANDS.newCounter(counters, type.name().toLowerCase(Locale.ROOT));
            }
        }
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL && reason != RejectReason.SBE_UNKNOWN && reason != RejectReason.NONE &&
                reason != RejectReason.NOT_YOUR_ORDER)
            {
                rejectsByReason[reason.value()] = CounterDescriptor.ENGINE_REJECTS.newCounter(counters, reason.name().toLowerCase(Locale.ROOT));
            }
        }
        // Another account's order counts as an unknown one, as FIX answers it: /metrics needs no login, and
        // a counter of its own would tell anyone which OrderIDs are live orders (an outside probe).
        rejectsByReason[RejectReason.NOT_YOUR_ORDER.value()] = rejectsByReason[RejectReason.UNKNOWN_ORDER.value()];
        eventsJournaled = CounterDescriptor.JOURNAL_EVENTS.newCounter(counters);
        haltedRejects = CounterDescriptor.ENGINE_HALTED_REJECTS.newCounter(counters);
        halted = CounterDescriptor.ENGINE_HALTED.newCounter(counters);
    }

    @Override
    public void onCommand(final int commandType, final int rejectReason)
    {
        final AtomicCounter commands = commandsByType[commandType & 0xFF];
        if (commands != null)
        {
            commands.incrementRelease();
        }
        if (rejectReason != 0)
        {
            final AtomicCounter rejects = rejectsByReason[rejectReason & 0xFF];
            if (rejects != null)
            {
                rejects.incrementRelease();
            }
        }
    }

    @Override
    public void onEventsJournaled(final int eventCount)
    {
        eventsJournaled.getAndAddRelease(eventCount);
    }

    @Override
    public void onHalted(final String reason, final Throwable cause)
    {
        halted.setRelease(1);
    }

    @Override
    public void onHaltedReject(final DirectBuffer buffer, final int offset, final int length)
    {
        haltedRejects.incrementRelease();
        final HaltedRejectSink sink = haltedRejectSink;
        if (sink != null)
        {
            sink.offerHaltedReject(buffer, offset, length);
        }
    }

    @Override
    public void onUnjournaled(final DirectBuffer buffer, final int offset, final int length)
    {
        final HaltedRejectSink sink = unjournaledSink;
        if (sink != null)
        {
            sink.offerHaltedReject(buffer, offset, length);
        }
    }

    /** Where the engine's answers go when the journal cannot take them (the FIX gateway). */
    public interface HaltedRejectSink
    {
        boolean offerHaltedReject(DirectBuffer buffer, int offset, int length);
    }

    private volatile HaltedRejectSink haltedRejectSink;
    private volatile HaltedRejectSink unjournaledSink;

    /** @param haltedRejects rejects of commands refused while halted; @param unjournaled entries the journal lost. */
    public void haltedRejects(final HaltedRejectSink haltedRejects, final HaltedRejectSink unjournaled)
    {
        this.haltedRejectSink = haltedRejects;
        this.unjournaledSink = unjournaled;
    }
}
