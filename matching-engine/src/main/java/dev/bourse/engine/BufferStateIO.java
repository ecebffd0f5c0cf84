package dev.bourse.engine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/** Snapshot bytes in memory: for canonical state comparison and tests. */
public final class BufferStateIO
{
    private BufferStateIO()
    {
    }

    /** Writes into a growing heap buffer. */
    public static final class Output implements StateOutput
    {
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
        private int position;

        @Override
        public void putLong(final long value)
        {
            buffer.putLong(position, value);
            position += Long.BYTES;
        }

        @Override
        public void putInt(final int value)
        {
            buffer.putInt(position, value);
            position += Integer.BYTES;
        }

        @Override
        public void putByte(final byte value)
        {
            buffer.putByte(position, value);
            position += 1;
        }

        public DirectBuffer buffer()
        {
            return buffer;
        }

        public int length()
        {
            return position;
        }

        public byte[] toByteArray()
        {
            final byte[] bytes = new byte[position];
            buffer.getBytes(0, bytes);
            return bytes;
        }
    }

    /** Reads from a buffer, refusing to read past {@code limit}. */
    public static final class Input implements StateInput
    {
        private final DirectBuffer buffer;
        private final int limit;
        private int position;

        public Input(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.position = offset;
            this.limit = offset + length;
        }

        private void require(final int bytes)
        {
            if (position + bytes > limit)
            {
                throw new IllegalStateException("snapshot truncated at byte " + position);
            }
        }

        @Override
        public long getLong()
        {
            require(Long.BYTES);
            final long value = buffer.getLong(position);
            position += Long.BYTES;
            return value;
        }

        @Override
        public int getInt()
        {
            require(Integer.BYTES);
            final int value = buffer.getInt(position);
            position += Integer.BYTES;
            return value;
        }

        @Override
        public byte getByte()
        {
            require(1);
            return buffer.getByte(position++);
        }
    }
}
