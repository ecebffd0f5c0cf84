package dev.bourse.readmodels;

import dev.bourse.protocol.ClOrdIds;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight over one row of a {@link RowStore}: {@link #wrap} points it at a row, and subclasses
 * read and write their fields at fixed offsets from {@link #base}. ClOrdID fields are the
 * journal's ({@link ClOrdIds}: 20 ASCII bytes, zero padded), copied in without making a string.
 *
 * @param <T> the subclass, which {@link #wrap} returns
 */
public abstract class RowView<T extends RowView<T>>
{
    protected UnsafeBuffer buffer;
    protected int base;
    private int row = -1;

    @SuppressWarnings("unchecked")
    public T wrap(final RowStore rows, final int row)
    {
        this.buffer = rows.chunk(row);
        this.base = rows.offset(row);
        this.row = row;
        return (T)this;
    }

    /** The row this flyweight reads. */
    public int row()
    {
        return row;
    }

    /** The ClOrdID field at {@code field}: a new string each call, for reading off the hot path (queries, JSON, rows). */
    protected final String id(final int field)
    {
        return ClOrdIds.toString(buffer, base + field);
    }

    /**
     * Writes the ClOrdID field at {@code field} as {@code out.writeUTF} writes it as a string; into
     * a checkpoint without making the string (two per order of a million-order checkpoint).
     */
    protected final void writeId(final java.io.DataOutput out, final int field) throws java.io.IOException
    {
        if (!(out instanceof CheckpointOutput) ||
            !((CheckpointOutput)out).writeAscii(buffer, base + field, ClOrdIds.length(buffer, base + field)))
        {
            out.writeUTF(id(field));
        }
    }

    /** Copies a journal event's ClOrdId field ({@link ClOrdIds#LENGTH} bytes at {@code offset}). */
    protected final void id(final int field, final DirectBuffer source, final int offset)
    {
        buffer.putBytes(base + field, source, offset, ClOrdIds.LENGTH);
    }

    /** Sets the field from a string (a checkpoint, the history store): null is blank. */
    protected final void id(final int field, final String id)
    {
        if (id == null)
        {
            ClOrdIds.putBlank(buffer, base + field);
        }
        else if (!ClOrdIds.put(buffer, base + field, id))
        {
            throw new IllegalArgumentException("not a ClOrdID: \"" + id + "\"");
        }
    }

    /** Copies the field into {@code target} as a length byte and then the id's bytes (the live streams' id field). */
    protected final void putIdCounted(final int field, final MutableDirectBuffer target, final int offset)
    {
        final int length = ClOrdIds.length(buffer, base + field);
        target.putByte(offset, (byte)length);
        target.putBytes(offset + 1, buffer, base + field, length);
    }
}
