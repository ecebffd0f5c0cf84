package dev.bourse.gateway;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size, reused from one connection to the next. A direct buffer's memory
 * is given back only when the garbage collector finds its owner, which in a process that
 * allocates almost nothing can take a long time: a churn of connections (honest reconnects, or an
 * attacker's) would otherwise grow the process's memory by every connection's buffers. Keeps at
 * most {@code maxPooled}; gateway thread only.
 */
final class BufferPool
{
    private final int size;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> pooled;

    BufferPool(final int size, final int maxPooled)
    {
        this.size = size;
        this.maxPooled = maxPooled;
        this.pooled = new ArrayDeque<>(Math.min(maxPooled, 64));
    }

    int size()
    {
        return size;
    }

    ByteBuffer acquire()
    {
        final ByteBuffer buffer = pooled.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(size);
    }

    /**
     * Takes a buffer back; one it does not keep (another size, such as an outbound buffer that
     * grew, or one too many) is freed now rather than when the collector gets to it. The caller
     * must hold no other reference to it.
     */
    void release(final ByteBuffer buffer)
    {
        if (buffer == null)
        {
            return;
        }
        if (buffer.capacity() == size && pooled.size() < maxPooled)
        {
            buffer.clear();
            pooled.addFirst(buffer);
        }
        else
        {
            org.agrona.BufferUtil.free(buffer);
        }
    }

    int pooled()
    {
        return pooled.size();
    }
}
