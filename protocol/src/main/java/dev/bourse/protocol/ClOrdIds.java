package dev.bourse.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Client order ids travel as {@value #LENGTH} US-ASCII bytes, zero padded. Inside the engine an
 * id is handled as three words (two longs and an int) read straight from the buffer, so
 * comparing and hashing it never allocates.
 */
public final class ClOrdIds
{
    /** Maximum length of a ClOrdID in bytes; longer ids are refused at the gateway. */
    public static final int LENGTH = 20;

    private ClOrdIds()
    {
    }

    /** Copies an ASCII id into the field at {@code offset}, zero padding; false if it does not fit or is not printable ASCII. */
    public static boolean put(final MutableDirectBuffer buffer, final int offset, final CharSequence id)
    {
        final int length = id.length();
        if (length > LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = id.charAt(i);
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }
        for (int i = 0; i < LENGTH; i++)
        {
            buffer.putByte(offset + i, i < length ? (byte)id.charAt(i) : 0);
        }
        return true;
    }

    /** Copies {@code length} ASCII bytes from {@code src} into the field; false if they do not fit or are not printable. */
    public static boolean put(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer src, final int srcOffset, final int length)
    {
        if (length > LENGTH || length < 0)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte c = src.getByte(srcOffset + i);
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }
        buffer.putBytes(offset, src, srcOffset, length);
        buffer.setMemory(offset + length, LENGTH - length, (byte)0);
        return true;
    }

    /** Writes a prefix character then the decimal digits of {@code number}: a cheap unique id for generated load. */
    public static void putNumber(final MutableDirectBuffer buffer, final int offset, final char prefix, final long number)
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
        buffer.putByte(offset, (byte)prefix);
        buffer.putLongAscii(offset + 1, number);
    }

    /** Writes a blank (all zero) id. */
    public static void putBlank(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
    }

    public static long word0(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset);
    }

    public static long word1(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8);
    }

    public static int word2(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 16);
    }

    /** Writes an id held as three words back into a buffer. */
    public static void putWords(final MutableDirectBuffer buffer, final int offset, final long w0, final long w1, final int w2)
    {
        buffer.putLong(offset, w0);
        buffer.putLong(offset + 8, w1);
        buffer.putInt(offset + 16, w2);
    }

    public static boolean isBlank(final long w0, final long w1, final int w2)
    {
        return w0 == 0 && w1 == 0 && w2 == 0;
    }

    /** The length of the id in the field (up to the first zero byte). */
    public static int length(final DirectBuffer buffer, final int offset)
    {
        for (int i = 0; i < LENGTH; i++)
        {
            if (buffer.getByte(offset + i) == 0)
            {
                return i;
            }
        }
        return LENGTH;
    }

    /** Allocating conversion for tests, tools, logs and queries. */
    public static String toString(final DirectBuffer buffer, final int offset)
    {
        final int length = length(buffer, offset);
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Allocating conversion of an id held as three words, for tests and tools. */
    public static String toString(final long w0, final long w1, final int w2)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[LENGTH]);
        putWords(buffer, 0, w0, w1, w2);
        return toString(buffer, 0);
    }
}
