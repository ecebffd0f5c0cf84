package dev.bourse.readmodels;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * Reads a checkpoint's body ({@link CheckpointOutput}'s bytes: everything before the 8-byte CRC
 * trailer) a megabyte at a time, with the CRC taken over each megabyte as it is read. Reading past
 * the body is an {@link EOFException}, as at the end of a stream.
 */
final class CheckpointInput implements DataInput
{
    private static final int CAPACITY = 1 << 20;

    private final FileChannel channel;
    private final long bodyLength;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(CAPACITY);
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final CRC32 crc = new CRC32();
    /** File offset of the buffer's first byte. */
    private long bufferStart;
    private int position;
    private int limit;

    CheckpointInput(final FileChannel channel, final long bodyLength)
    {
        this.channel = channel;
        this.bodyLength = bodyLength;
    }

    /** Body bytes not read yet. */
    long remaining()
    {
        return bodyLength - bufferStart - position;
    }

    /** Reads the rest of the body (into the CRC only). */
    void skipToEnd() throws IOException
    {
        position = limit;
        while (remaining() > 0)
        {
            fill(1);
            position = limit;
        }
    }

    /** The CRC of the body bytes read so far (once all are read: of the whole body). */
    long checksum()
    {
        return crc.getValue();
    }

    /** Makes {@code length} (at most the capacity) bytes readable at {@link #position}. */
    private void need(final int length) throws IOException
    {
        if (limit - position < length)
        {
            fill(length);
        }
    }

    private void fill(final int length) throws IOException
    {
        final int kept = limit - position;
        buffer.putBytes(0, buffer, position, kept);
        bufferStart += position;
        position = 0;
        final long wanted = Math.min(CAPACITY, bodyLength - bufferStart);
        if (wanted < length)
        {
            throw new EOFException();
        }
        bytes.clear().position(kept).limit((int)wanted);
        while (bytes.hasRemaining())
        {
            if (channel.read(bytes, bufferStart + bytes.position()) < 0)
            {
                throw new EOFException();
            }
        }
        bytes.clear().position(kept).limit((int)wanted);
        crc.update(bytes);
        limit = (int)wanted;
    }

    @Override
    public void readFully(final byte[] b) throws IOException
    {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(final byte[] b, final int offset, final int length) throws IOException
    {
        int to = offset;
        int left = length;
        while (left > 0)
        {
            need(1);
            final int chunk = Math.min(left, limit - position);
            buffer.getBytes(position, b, to, chunk);
            position += chunk;
            to += chunk;
            left -= chunk;
        }
    }

    @Override
    public int skipBytes(final int n) throws IOException
    {
        int left = n;
        while (left > 0 && remaining() > 0)
        {
            need(1);
            final int chunk = Math.min(left, limit - position);
            position += chunk;
            left -= chunk;
        }
        return n - left;
    }

    @Override
    public boolean readBoolean() throws IOException
    {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException
    {
        need(1);
        return buffer.getByte(position++);
    }

    @Override
    public int readUnsignedByte() throws IOException
    {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException
    {
        need(2);
        final short v = buffer.getShort(position, ByteOrder.BIG_ENDIAN);
        position += 2;
        return v;
    }

    @Override
    public int readUnsignedShort() throws IOException
    {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException
    {
        return (char)readShort();
    }

    @Override
    public int readInt() throws IOException
    {
        need(4);
        final int v = buffer.getInt(position, ByteOrder.BIG_ENDIAN);
        position += 4;
        return v;
    }

    @Override
    public long readLong() throws IOException
    {
        need(8);
        final long v = buffer.getLong(position, ByteOrder.BIG_ENDIAN);
        position += 8;
        return v;
    }

    @Override
    public float readFloat() throws IOException
    {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException
    {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine()
    {
        throw new UnsupportedOperationException("a checkpoint has no lines");
    }

    @Override
    public String readUTF() throws IOException
    {
        return DataInputStream.readUTF(this);
    }
}
