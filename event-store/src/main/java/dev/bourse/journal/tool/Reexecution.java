package dev.bourse.journal.tool;

import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAddedDecoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Journal verify's replay: walks the entries in order on one engine state and, for each entry
 * whose command {@link CommandRebuilder} can write again, runs that command through a
 * {@link MatchingEngine} on the state and compares the entry it makes with the journaled one, byte
 * for byte. The engine is deterministic (time rides on the command), so a sound entry comes out
 * identical; a damaged one does not, even when each of its values could decode. Entries whose
 * command the journal does not hold are folded into the state as recovery folds them, which
 * checks that they fit it (known orders, no gap) but not their values.
 */
final class Reexecution implements EventSink
{
    private final EngineState state;
    private final MatchingEngine engine;
    private final EngineReplayer replayer;
    private final CommandRebuilder rebuilder = new CommandRebuilder();
    private final JournalEntryReader reader = new JournalEntryReader();
    private final JournalEntryReader events = new JournalEntryReader();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final ExpandableArrayBuffer produced = new ExpandableArrayBuffer(4096);
    private int producedLength = -1;
    private int addedInstrument;
    private final JournalEventListener instrumentAdded = new JournalEventListener()
    {
        @Override
        public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
        {
            addedInstrument = Math.max(addedInstrument, event.instrumentId());
        }
    };
    private long reexecuted;
    private long folded;

    /**
     * @param state the state before the first entry to check: empty, or loaded from a snapshot
     *              (entries it already holds are skipped).
     */
    Reexecution(final EngineState state)
    {
        this.state = state;
        this.engine = new MatchingEngine(state, this);
        this.replayer = new EngineReplayer(state);
    }

    EngineState state()
    {
        return state;
    }

    long reexecuted()
    {
        return reexecuted;
    }

    long folded()
    {
        return folded;
    }

    /**
     * Checks one entry and applies it to the state.
     *
     * @return null if the entry is sound as far as can be told (or already in the state), else
     *         what is wrong, one line naming its sequence; the state is then not to be used further.
     */
    String check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            return "an entry after sequence " + state.lastSequence() + " does not decode";
        }
        final long sequence = reader.header().sequence();
        if (sequence <= state.lastSequence())
        {
            return null;
        }
        final String entry = "sequence " + sequence + " (" + reader.header().commandType() + ")";
        if (reader.header().commandType() == CommandType.ADD_INSTRUMENT)
        {
            tooFewInstruments(buffer, offset, length, sequence);
        }
        final int commandLength = rebuilder.rebuild(buffer, offset, length, command);
        if (commandLength == 0)
        {
            try
            {
                replayer.apply(buffer, offset, length);
                folded++;
                return null;
            }
            catch (final RuntimeException e)
            {
                return entry + " does not fit the state before it: " + e.getMessage();
            }
        }
        producedLength = -1;
        engine.onCommand(command, 0, commandLength);
        if (engine.isHalted())
        {
            return entry + ": the engine stopped on its command: " + engine.haltReason();
        }
        if (producedLength < 0)
        {
            return entry + ": the engine wrote no entry for its command";
        }
        if (producedLength != length || !equal(buffer, offset, produced, length))
        {
            return entry + " is not what the engine makes of its command: "
                + EntryDifference.describe(buffer, offset, length, produced, producedLength);
        }
        reexecuted++;
        return null;
    }

    /**
     * An instrument the replay's engine has no room for is the option's fault, not the journal's: a
     * sound journal was reported damaged with the array's index text (an outside tester).
     *
     * @throws IllegalArgumentException naming --max-instruments and what the journal needs (exit code 2).
     */
    private void tooFewInstruments(final DirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        addedInstrument = 0;
        events.read(buffer, offset, length, instrumentAdded);
        final int maxInstruments = state.config().maxInstruments();
        if (addedInstrument >= maxInstruments)
        {
            throw new IllegalArgumentException("--max-instruments " + maxInstruments + " is too small for this journal: sequence "
                + sequence + " adds instrument id " + addedInstrument + ", which needs at least " + (addedInstrument + 1));
        }
    }

    /**
     * Byte for byte, but for each message header's schema version: an older release's entry (of
     * today's layout, {@link CommandRebuilder}) says its own. Walks the journaled entry's messages.
     */
    private static boolean equal(final DirectBuffer a, final int aOffset, final DirectBuffer b, final int length)
    {
        int message = 0;
        while (message + MessageHeaderDecoder.ENCODED_LENGTH <= length)
        {
            final int end = message + MessageHeaderDecoder.ENCODED_LENGTH + (a.getShort(aOffset + message, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            for (int i = message; i < end && i < length; i++)
            {
                final int inHeader = i - message;
                if (inHeader != EntryDifference.VERSION_OFFSET && inHeader != EntryDifference.VERSION_OFFSET + 1
                    && a.getByte(aOffset + i) != b.getByte(i))
                {
                    return false;
                }
            }
            message = end;
        }
        return message == length;
    }

    /** The engine's entry for the command just run, kept for the comparison. */
    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        produced.putBytes(0, buffer, offset, length);
        producedLength = length;
        return true;
    }
}
