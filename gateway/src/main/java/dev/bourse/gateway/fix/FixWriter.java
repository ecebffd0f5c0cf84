package dev.bourse.gateway.fix;

import dev.bourse.protocol.Prices;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes one FIX 4.4 message at a time into its own buffer. The body is written first after a
 * reserved gap, then BeginString and BodyLength are placed right before it and the checksum
 * appended, so nothing is copied or measured twice. Allocation free once constructed.
 */
public final class FixWriter
{
    private static final int RESERVED = 24;
    private static final byte[] BEGIN_STRING = "8=FIX.4.4\u00019=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final UnsafeBuffer buffer;
    private int position;
    private int messageOffset;
    private int messageLength;
    private int headerEnd;

    public FixWriter(final int capacity)
    {
        buffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(capacity + RESERVED + 16));
    }

    /** Starts a message: the caller then adds header fields (35 first) and body fields. */
    public FixWriter begin()
    {
        position = RESERVED;
        return this;
    }

    public FixWriter tag(final int tag)
    {
        position += buffer.putIntAscii(position, tag);
        buffer.putByte(position++, (byte)'=');
        return this;
    }

    private FixWriter end()
    {
        buffer.putByte(position++, FixFramer.SOH);
        return this;
    }

    public FixWriter field(final int tag, final long value)
    {
        tag(tag);
        position += buffer.putLongAscii(position, value);
        return end();
    }

    public FixWriter charField(final int tag, final byte value)
    {
        tag(tag);
        buffer.putByte(position++, value);
        return end();
    }

    public FixWriter field(final int tag, final byte[] ascii)
    {
        tag(tag);
        buffer.putBytes(position, ascii);
        position += ascii.length;
        return end();
    }

    public FixWriter field(final int tag, final DirectBuffer src, final int offset, final int length)
    {
        tag(tag);
        buffer.putBytes(position, src, offset, length);
        position += length;
        return end();
    }

    /** ASCII text; characters outside printable ASCII are written as '?'. */
    public FixWriter field(final int tag, final CharSequence text)
    {
        tag(tag);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            buffer.putByte(position++, (byte)(c >= ' ' && c <= '~' ? c : '?'));
        }
        return end();
    }

    public FixWriter price(final int tag, final long price)
    {
        tag(tag);
        position += Prices.put(buffer, position, price);
        return end();
    }

    public FixWriter timestamp(final int tag, final long epochMillis)
    {
        tag(tag);
        FixTime.put(buffer, position, epochMillis);
        position += FixTime.LENGTH;
        return end();
    }

    /** Copies raw, already encoded fields (each ending in SOH). */
    public FixWriter raw(final DirectBuffer src, final int offset, final int length)
    {
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    /** Marks the end of the standard header: bytes after it are the body a resend copies. */
    public FixWriter markHeaderEnd()
    {
        headerEnd = position;
        return this;
    }

    /** Where the body (after {@link #markHeaderEnd()}) starts in {@link #buffer()}. */
    public int bodyOffset()
    {
        return headerEnd;
    }

    /** Length of the body between {@link #markHeaderEnd()} and the trailer. */
    public int bodyLength()
    {
        return messageOffset + messageLength - 7 - headerEnd;
    }

    /** Places BeginString and BodyLength, appends the checksum; the message is then in {@link #buffer()}. */
    public FixWriter finish()
    {
        final int bodyLength = position - RESERVED;
        int digits = 1;
        for (int v = bodyLength; v >= 10; v /= 10)
        {
            digits++;
        }
        messageOffset = RESERVED - BEGIN_STRING.length - digits - 1;
        buffer.putBytes(messageOffset, BEGIN_STRING);
        buffer.putIntAscii(messageOffset + BEGIN_STRING.length, bodyLength);
        buffer.putByte(RESERVED - 1, FixFramer.SOH);
        final int checksum = FixFramer.checksum(buffer, messageOffset, position - messageOffset);
        buffer.putByte(position++, (byte)'1');
        buffer.putByte(position++, (byte)'0');
        buffer.putByte(position++, (byte)'=');
        buffer.putByte(position++, (byte)('0' + checksum / 100));
        buffer.putByte(position++, (byte)('0' + (checksum / 10) % 10));
        buffer.putByte(position++, (byte)('0' + checksum % 10));
        buffer.putByte(position++, FixFramer.SOH);
        messageLength = position - messageOffset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return messageOffset;
    }

    public int length()
    {
        return messageLength;
    }

    /** Bytes still free for the body. */
    public int remaining()
    {
        return buffer.capacity() - position - 16;
    }
}
