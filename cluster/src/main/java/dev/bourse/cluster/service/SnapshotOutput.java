package dev.bourse.cluster.service;

import dev.bourse.engine.StateOutput;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.cluster.client.ClusterException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Streams snapshot bytes into the cluster's snapshot publication in chunks, so a large engine state
 * never sits in memory twice. A value is never split across two chunks, which lets
 * {@link SnapshotInput} read each chunk on its own.
 */
final class SnapshotOutput implements StateOutput
{
    static final int CHUNK = 32 * 1024;

    private final ExclusivePublication publication;
    private final IdleStrategy idle;
    private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[CHUNK]);
    private int position;
    private long bytes;

    SnapshotOutput(final ExclusivePublication publication, final IdleStrategy idle)
    {
        this.publication = publication;
        this.idle = idle;
    }

    private void ensure(final int size)
    {
        if (position + size > CHUNK)
        {
            flush();
        }
    }

    @Override
    public void putLong(final long value)
    {
        ensure(Long.BYTES);
        chunk.putLong(position, value, ByteOrder.LITTLE_ENDIAN);
        position += Long.BYTES;
    }

    @Override
    public void putInt(final int value)
    {
        ensure(Integer.BYTES);
        chunk.putInt(position, value, ByteOrder.LITTLE_ENDIAN);
        position += Integer.BYTES;
    }

    @Override
    public void putByte(final byte value)
    {
        ensure(1);
        chunk.putByte(position, value);
        position += 1;
    }

    /** Offers what is buffered, waiting out back pressure (a snapshot is allowed to take its time). */
    void flush()
    {
        if (position == 0)
        {
            return;
        }
        idle.reset();
        while (true)
        {
            final long result = publication.offer(chunk, 0, position);
            if (result > 0)
            {
                break;
            }
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new ClusterException("snapshot publication failed: " + Publication.errorString(result));
            }
            idle.idle();
        }
        bytes += position;
        position = 0;
    }

    long bytes()
    {
        return bytes + position;
    }
}
