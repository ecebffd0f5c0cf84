package dev.bourse.readmodels;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Identifiers such as ClOrdIDs kept as fixed-width ASCII bytes, zero padded (the journal's ClOrdId type), rather than as strings. */
public final class AsciiIds
{
    private AsciiIds()
    {
    }

    /** The id in {@code width} bytes at {@code offset}: the bytes before the first zero. */
    public static String get(final DirectBuffer buffer, final int offset, final int width)
    {
        final int length = length(buffer, offset, width);
        return length == 0 ? "" : buffer.getStringWithoutLengthAscii(offset, length);
    }

    /** Bytes before the first zero, at most {@code width}. */
    public static int length(final DirectBuffer buffer, final int offset, final int width)
    {
        int length = 0;
        while (length < width && buffer.getByte(offset + length) != 0)
        {
            length++;
        }
        return length;
    }

    /** Writes the id zero padded to {@code width} bytes; null is all zeros, a longer id is cut, a non-ASCII character becomes '?'. */
    public static void put(final MutableDirectBuffer buffer, final int offset, final int width, final String id)
    {
        final int length = id == null ? 0 : Math.min(id.length(), width);
        for (int i = 0; i < length; i++)
        {
            final char c = id.charAt(i);
            buffer.putByte(offset + i, (byte)(c < 0x80 ? c : '?'));
        }
        buffer.setMemory(offset + length, width - length, (byte)0);
    }

    /** Writes the id as a length byte and then its bytes, at most {@code max} of them. */
    public static void putCounted(
        final MutableDirectBuffer target, final int targetOffset, final int max,
        final DirectBuffer source, final int sourceOffset, final int width)
    {
        final int length = Math.min(length(source, sourceOffset, width), max);
        target.putByte(targetOffset, (byte)length);
        target.putBytes(targetOffset + 1, source, sourceOffset, length);
    }
}
