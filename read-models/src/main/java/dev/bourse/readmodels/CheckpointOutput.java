package dev.bourse.readmodels;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32;

/**
 * Where a checkpoint is written: the bytes {@link java.io.DataOutputStream} would write (big-endian,
 * modified UTF-8), so a checkpoint's format and its canonical bytes stay the same, gathered in a
 * buffer of its own and handed to the file a megabyte at a time, with the CRC taken over each
 * megabyte. Through DataOutputStream over a CRC stream over a BufferedOutputStream, every
 * {@code writeInt} had cost four synchronized calls and four one-byte CRC updates, and a
 * checkpoint of a million live orders held the projection thread (the one that answers queries)
 * for 1.7 s. Projection thread only; reused from one checkpoint to the next.
 */
final class CheckpointOutput implements DataOutput
{
    private static final int CAPACITY = 1 << 20;

    private final ByteBuffer bytes = ByteBuffer.allocateDirect(CAPACITY);
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final CRC32 crc = new CRC32();
    private WritableByteChannel channel;
    private int position;
    private long written;

    /** Starts a checkpoint into {@code channel}: nothing buffered, a fresh CRC. */
    CheckpointOutput reset(final WritableByteChannel channel)
    {
        this.channel = channel;
        position = 0;
        written = 0;
        crc.reset();
        return this;
    }

    /** Writes out what is buffered; the CRC then covers every byte written since {@link #reset}. */
    void flush() throws IOException
    {
        if (position == 0)
        {
            return;
        }
        bytes.clear().limit(position);
        crc.update(bytes);
        bytes.clear().limit(position);
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
        written += position;
        position = 0;
    }

    long checksum()
    {
        return crc.getValue();
    }

    /** Bytes handed to the channel so far. */
    long written()
    {
        return written;
    }

    /**
     * Writes a ClOrdID held as {@code length} bytes at {@code offset} exactly as {@link #writeUTF}
     * writes it as a string, without making the string; false (and nothing written) if a byte is
     * outside 1-127, which modified UTF-8 writes otherwise.
     */
    boolean writeAscii(final DirectBuffer source, final int offset, final int length) throws IOException
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = source.getByte(offset + i);
            if (b <= 0)
            {
                return false;
            }
        }
        ensure(2 + length);
        buffer.putShort(position, (short)length, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(position + 2, source, offset, length);
        position += 2 + length;
        return true;
    }

    private void ensure(final int length) throws IOException
    {
        if (position + length > CAPACITY)
        {
            flush();
        }
    }

    @Override
    public void write(final int b) throws IOException
    {
        ensure(1);
        buffer.putByte(position++, (byte)b);
    }

    @Override
    public void write(final byte[] b) throws IOException
    {
        write(b, 0, b.length);
    }

    @Override
    public void write(final byte[] b, final int offset, final int length) throws IOException
    {
        int from = offset;
        int left = length;
        while (left > 0)
        {
            ensure(Math.min(left, CAPACITY));
            final int chunk = Math.min(left, CAPACITY - position);
            buffer.putBytes(position, b, from, chunk);
            position += chunk;
            from += chunk;
            left -= chunk;
        }
    }

    @Override
    public void writeBoolean(final boolean v) throws IOException
    {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(final int v) throws IOException
    {
        write(v);
    }

    @Override
    public void writeShort(final int v) throws IOException
    {
        ensure(2);
        buffer.putShort(position, (short)v, ByteOrder.BIG_ENDIAN);
        position += 2;
    }

    @Override
    public void writeChar(final int v) throws IOException
    {
        writeShort(v);
    }

    @Override
    public void writeInt(final int v) throws IOException
    {
        ensure(4);
        buffer.putInt(position, v, ByteOrder.BIG_ENDIAN);
        position += 4;
    }

    @Override
    public void writeLong(final long v) throws IOException
    {
        ensure(8);
        buffer.putLong(position, v, ByteOrder.BIG_ENDIAN);
        position += 8;
    }

    @Override
    public void writeFloat(final float v) throws IOException
    {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(final double v) throws IOException
    {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(final String s) throws IOException
    {
        for (int i = 0; i < s.length(); i++)
        {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(final String s) throws IOException
    {
        for (int i = 0; i < s.length(); i++)
        {
            writeChar(s.charAt(i));
        }
    }

    /** Modified UTF-8 with a two-byte length, as {@link java.io.DataOutputStream#writeUTF} writes it. */
    @Override
    public void writeUTF(final String s) throws IOException
    {
        long encoded = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            encoded += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        if (encoded > 0xFFFF)
        {
            throw new UTFDataFormatException("a string of " + encoded + " bytes in modified UTF-8 (at most 65535)");
        }
        writeShort((int)encoded);
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F)
            {
                write(c);
            }
            else if (c <= 0x07FF)
            {
                write(0xC0 | ((c >> 6) & 0x1F));
                write(0x80 | (c & 0x3F));
            }
            else
            {
                write(0xE0 | ((c >> 12) & 0x0F));
                write(0x80 | ((c >> 6) & 0x3F));
                write(0x80 | (c & 0x3F));
            }
        }
    }
}
