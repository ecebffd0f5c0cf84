package dev.bourse.gateway;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Symbols and instrument ids as learned from InstrumentAdded events in the journal (the gateway
 * never reads engine state). Lookup by the symbol's bytes without allocation.
 */
final class Instruments
{
    private static final int SYMBOL_LENGTH = 16;
    private byte[][] symbols = new byte[64][];
    private int[] ids = new int[64];
    private int count;
    private byte[][] byId = new byte[64][];

    void add(final int id, final DirectBuffer buffer, final int offset)
    {
        int length = 0;
        while (length < SYMBOL_LENGTH && buffer.getByte(offset + length) != 0)
        {
            length++;
        }
        final byte[] symbol = new byte[length];
        buffer.getBytes(offset, symbol);
        if (count == symbols.length)
        {
            symbols = Arrays.copyOf(symbols, count * 2);
            ids = Arrays.copyOf(ids, count * 2);
        }
        symbols[count] = symbol;
        ids[count] = id;
        count++;
        if (id >= byId.length)
        {
            byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        if (id >= 0)
        {
            byId[id] = symbol;
        }
    }

    /** @return the instrument id, or -1. */
    int find(final DirectBuffer buffer, final int offset, final int length)
    {
        outer:
        for (int i = 0; i < count; i++)
        {
            final byte[] symbol = symbols[i];
            if (symbol.length != length)
            {
                continue;
            }
            for (int k = 0; k < length; k++)
            {
                if (symbol[k] != buffer.getByte(offset + k))
                {
                    continue outer;
                }
            }
            return ids[i];
        }
        return -1;
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
}
