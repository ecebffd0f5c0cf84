package dev.bourse.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The deterministic matching engine: one SBE command in, one journal entry of events out. No
 * clock, no randomness, no I/O: timestamps ride on the commands and output goes to an
 * {@link EventSink}. The same command stream always yields byte-identical entries.
 * <p>
 * Shaped like an Aeron conductor with its adapter and proxy: the {@link CommandAdapter} decodes
 * and dispatches, {@link OrderEntry}, {@link OperatorCommands} and {@link TradingPhases} apply
 * the rules (checks from {@link OrderChecks}, matching by the {@link Matcher}, auctions priced by
 * the {@link UncrossCalculator}), and the {@link EntryWriter} encodes each event and applies it to
 * {@link EngineState} through the fold replay uses. This class frames the command: after its
 * own events come the stop elections and auction indications it caused, then the finished entry
 * goes to the sink, and the engine halts if the sink cannot take it.
 * Single-threaded; allocates nothing per command once pools and indexes are warm.
 */
public final class MatchingEngine
{
    /** A deposit must leave the account's balance (cash, or a position) at most this: 2^61 - 1. */
    public static final long MAX_BALANCE = OperatorCommands.MAX_BALANCE;

    /**
     * A deposit must leave the exchange's total of the asset (all accounts' cash, or all accounts'
     * positions in one instrument) at most this: 2^62 - 1. Trades conserve the totals and no
     * balance is negative, so no balance, and no settlement, can go past it. Setups that fund many
     * accounts split it: for example {@code MAX_TOTAL / (2 * accounts)} each.
     */
    public static final long MAX_TOTAL = OperatorCommands.MAX_TOTAL;

    private final EngineState state;
    private final EventSink sink;
    private final EngineListener listener;
    private final EntryWriter writer;
    private final CommandAdapter adapter;
    private final TradingPhases phases;
    private final CommandPrefetcher prefetcher;
    private boolean halted;
    private String haltReason;

    public MatchingEngine(final EngineState state, final EventSink sink)
    {
        this(state, sink, EngineListener.NO_OP);
    }

    /**
     * @param state the state to run on: empty, or recovered from a snapshot and journal replay.
     */
    public MatchingEngine(final EngineState state, final EventSink sink, final EngineListener listener)
    {
        this.state = state;
        this.sink = sink;
        this.listener = listener;
        final InstrumentWork work = new InstrumentWork();
        this.writer = new EntryWriter(state, work);
        final OrderEntry orders = new OrderEntry(state, writer, new Matcher(state, writer));
        this.phases = new TradingPhases(state, writer, work, orders);
        orders.phases(phases);
        this.adapter = new CommandAdapter(writer, orders, new OperatorCommands(state, writer), phases);
        this.prefetcher = new CommandPrefetcher(state);
        state.clOrdIds.writeImmediately(); // the engine checks each id just before it records it (ClOrdIdIndex)
    }

    public EngineState state()
    {
        return state;
    }

    /** True once a journal append failed or the engine hit an internal error: commands are refused. */
    public boolean isHalted()
    {
        return halted;
    }

    public String haltReason()
    {
        return haltReason;
    }

    /** The sequencer reached the end of a batch. */
    public void onEndOfBatch()
    {
        if (!halted)
        {
            try
            {
                sink.onEndOfBatch();
            }
            catch (final Throwable t)
            {
                sink.drainUnstored(listener::onUnjournaled);
                halt("journal flush failed: " + t, t);
            }
        }
    }

    /**
     * A command that will come soon: reads what it will need so its cache misses overlap with the
     * commands before it. Changes nothing; any bytes are safe.
     */
    public void prefetch(final DirectBuffer buffer, final int offset, final int length)
    {
        prefetcher.prefetch(buffer, offset, length);
    }

    /**
     * Processes one encoded command. A zero length is a no-op (a producer's claimed slot it
     * could not fill). Never throws: malformed input is rejected with a reason.
     */
    public void onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        prefetcher.flush();
        if (halted)
        {
            adapter.rejectWhileHalted(buffer, offset, length);
            listener.onHaltedReject(writer.buffer(), 0, writer.length());
            return;
        }
        try
        {
            adapter.onCommand(buffer, offset, length);
            phases.endOfCommand();
            writer.end();
        }
        catch (final Throwable t)
        {
            // State may be half-changed and not journaled: the only safe course is to stop.
            halt("engine error on command: " + t, t);
            return;
        }
        append();
    }

    private void append()
    {
        boolean stored;
        Throwable cause = null;
        try
        {
            stored = sink.onEntry(writer.buffer(), 0, writer.length());
        }
        catch (final Throwable t)
        {
            stored = false;
            cause = t;
        }
        if (!stored)
        {
            sink.drainUnstored(listener::onUnjournaled);
            listener.onUnjournaled(writer.buffer(), 0, writer.length());
            halt("journal append failed at sequence " + state.lastSequence + (cause == null ? "" : ": " + cause), cause);
            return;
        }
        listener.onCommand(writer.commandType(), writer.rejectReason());
        listener.onEventsJournaled(writer.eventCount());
    }

    private void halt(final String reason, final Throwable cause)
    {
        if (!halted)
        {
            halted = true;
            haltReason = reason;
            listener.onHalted(reason, cause);
        }
    }

    /** For tests: the buffer the last entry was built in. */
    MutableDirectBuffer entryBuffer()
    {
        return writer.mutableBuffer();
    }
}
