package dev.bourse.gateway;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Symbols and instrument ids as learned from InstrumentAdded events in the journal (the gateway
 * never reads engine state). Lookup by the symbol's bytes without allocation, in an open-addressing
 * table: every order names its symbol, and a venue lists thousands of them (a scan of the list cost
 * the order path more than the matching did with 50).
 */
final class Instruments
{
    private static final int SYMBOL_LENGTH = 16;
    private static final int EMPTY = -1;
    private byte[][] symbols = new byte[64][];
    /** Each symbol's hash, kept so that growing the table need not hash the symbols again. */
    private int[] hashes = new int[64];
    private int[] ids = new int[64];
    private int count;
    private byte[][] byId = new byte[64][];
    /** Each instrument's trading phase as the journal read so far says (a TradingPhase value, 0: unknown). */
    private byte[] phases = new byte[64];
    /** Each halted instrument's phase when the halt began, as far as the journal read says (0: unknown). */
    private byte[] phasesBeforeHalt = new byte[64];
    /** Per slot an index into {@link #symbols}, or {@link #EMPTY}; never more than half full. */
    private int[] table = emptyTable(128);

    void add(final int id, final DirectBuffer buffer, final int offset)
    {
        int length = 0;
        while (length < SYMBOL_LENGTH && buffer.getByte(offset + length) != 0)
        {
            length++;
        }
        final byte[] symbol = new byte[length];
        buffer.getBytes(offset, symbol);
        if (id >= byId.length)
        {
            byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        if (id >= 0)
        {
            byId[id] = symbol;
        }
        final int hash = hash(buffer, offset, length);
        if (slotOf(hash, buffer, offset, length) >= 0)
        {
            return; // a symbol listed again keeps the id it was first listed with
        }
        if (count == symbols.length)
        {
            symbols = Arrays.copyOf(symbols, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
            ids = Arrays.copyOf(ids, count * 2);
        }
        symbols[count] = symbol;
        hashes[count] = hash;
        ids[count] = id;
        count++;
        if (count * 2 > table.length)
        {
            table = emptyTable(table.length * 2);
            for (int i = 0; i < count; i++)
            {
                insert(i);
            }
        }
        else
        {
            insert(count - 1);
        }
    }

    /**
     * Learns every instrument of a recovered engine state, as its InstrumentAdded and phase events
     * would have taught them: the journal's events then update them as they are read.
     */
    void learn(final dev.bourse.engine.EngineState state)
    {
        final org.agrona.concurrent.UnsafeBuffer symbol = new org.agrona.concurrent.UnsafeBuffer(new byte[SYMBOL_LENGTH]);
        for (int id = 1; id < state.config().maxInstruments(); id++)
        {
            final dev.bourse.engine.Instrument instrument = state.instrument(id);
            if (instrument != null)
            {
                instrument.symbolBytes(symbol, 0);
                add(id, symbol, 0);
                phase(id, instrument.phase());
            }
        }
    }

    /** The instrument's phase from now on in the journal (a TradingPhase value). */
    void phase(final int id, final short phase)
    {
        if (id < 0)
        {
            return;
        }
        if (id >= phases.length)
        {
            phases = Arrays.copyOf(phases, Math.max(id + 1, phases.length * 2));
            phasesBeforeHalt = Arrays.copyOf(phasesBeforeHalt, phases.length);
        }
        final byte halted = (byte)dev.bourse.protocol.sbe.TradingPhase.HALTED.value();
        if (phase == halted && phases[id] != halted)
        {
            phasesBeforeHalt[id] = phases[id];
        }
        phases[id] = (byte)phase;
    }

    /**
     * The phase a halted instrument was in when the halt began (a TradingPhase value), or 0 if the
     * halt began before what this gateway has read (a start from a state recovered during the halt).
     */
    short phaseBeforeHalt(final int id)
    {
        return id >= 0 && id < phasesBeforeHalt.length ? phasesBeforeHalt[id] : 0;
    }

    /** The instrument's phase at the point of the journal read so far, or 0 if unknown. */
    short phase(final int id)
    {
        return id >= 0 && id < phases.length ? phases[id] : 0;
    }

    /** @return the instrument id, or -1. */
    int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = slotOf(hash(buffer, offset, length), buffer, offset, length);
        return slot < 0 ? -1 : ids[table[slot]];
    }

    /** The symbol's bytes, or null. */
    byte[] symbol(final int id)
    {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    int count()
    {
        return count;
    }

    /** The table slot holding this symbol, or -1. */
    private int slotOf(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        final int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            final int index = table[slot];
            if (index == EMPTY)
            {
                return -1;
            }
            if (sameBytes(symbols[index], buffer, offset, length))
            {
                return slot;
            }
        }
    }

    private void insert(final int index)
    {
        final int mask = table.length - 1;
        int slot = hashes[index] & mask;
        while (table[slot] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = index;
    }

    private static boolean sameBytes(final byte[] symbol, final DirectBuffer buffer, final int offset, final int length)
    {
        if (symbol.length != length)
        {
            return false;
        }
        for (int k = 0; k < length; k++)
        {
            if (symbol[k] != buffer.getByte(offset + k))
            {
                return false;
            }
        }
        return true;
    }

    /** The symbol's hash, mixed so that symbols differing only in their last characters (SYM001, SYM002, ...) spread over the table. */
    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 0;
        for (int k = 0; k < length; k++)
        {
            hash = 31 * hash + buffer.getByte(offset + k);
        }
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int[] emptyTable(final int size)
    {
        final int[] t = new int[size];
        Arrays.fill(t, EMPTY);
        return t;
    }
}
