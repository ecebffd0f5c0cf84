package dev.bourse.cluster.service;

import dev.bourse.engine.StateInput;
import io.aeron.Image;
import io.aeron.cluster.client.ClusterException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.FragmentAssembler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Reads snapshot bytes written by {@link SnapshotOutput} from the snapshot image, one chunk at a
 * time, pulling the next chunk when the current one is used up.
 */
final class SnapshotInput implements StateInput
{
    private final Image image;
    private final IdleStrategy idle;
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[SnapshotOutput.CHUNK]);
    private final FragmentHandler assembler = new FragmentAssembler(this::onChunk);
    private int position;
    private int limit;
    private boolean received;

    SnapshotInput(final Image image, final IdleStrategy idle)
    {
        this.image = image;
        this.idle = idle;
    }

    private void onChunk(final org.agrona.DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        if (length > chunk.capacity())
        {
            throw new IllegalStateException("snapshot chunk of " + length + " bytes, more than " + chunk.capacity());
        }
        chunk.putBytes(0, buffer, offset, length);
        position = 0;
        limit = length;
        received = true;
    }

    private void require(final int size)
    {
        if (position + size <= limit)
        {
            return;
        }
        if (position != limit)
        {
            throw new IllegalStateException("snapshot value split across chunks: corrupt snapshot");
        }
        received = false;
        idle.reset();
        while (!received)
        {
            final int fragments = image.poll(assembler, 1);
            if (fragments == 0)
            {
                if (image.isClosed() || image.isEndOfStream())
                {
                    throw new ClusterException("snapshot ended before its end marker: " + image);
                }
                idle.idle();
            }
        }
        if (size > limit)
        {
            throw new IllegalStateException("snapshot chunk too short");
        }
    }

    @Override
    public long getLong()
    {
        require(Long.BYTES);
        final long value = chunk.getLong(position, ByteOrder.LITTLE_ENDIAN);
        position += Long.BYTES;
        return value;
    }

    @Override
    public int getInt()
    {
        require(Integer.BYTES);
        final int value = chunk.getInt(position, ByteOrder.LITTLE_ENDIAN);
        position += Integer.BYTES;
        return value;
    }

    @Override
    public byte getByte()
    {
        require(1);
        return chunk.getByte(position++);
    }
}
