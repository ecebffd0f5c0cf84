package dev.bourse.gateway;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection: the socket and the bytes waiting on either side of it. The FIX session that
 * runs over it is a {@link FixSession}. Gateway thread only. The channel is null when a test
 * drives the session layer in process (what would be written stays in the outbound buffer).
 * Its buffers may come from {@link BufferPool}s and go back there when it is {@link #release}d.
 */
final class Connection
{
    /** Room kept beyond the outbound limit for a last Logout to a client that stopped reading. */
    static final int FINAL_MESSAGE_RESERVE = 512;

    final int id;
    final SocketChannel channel;
    /** The client's IP address (no port): what admission and the lockout count by. */
    final String remoteAddress;
    ByteBuffer inbound;
    final UnsafeBuffer inboundView;
    /** Where the next unread message starts in {@link #inbound}. */
    int inboundStart;
    private ByteBuffer outbound;
    private final UnsafeBuffer outboundView = new UnsafeBuffer(0, 0);
    private final int outboundLimit;
    final long connectedAtMs;
    /** Bytes arrived since the connection was made (the pre-logon deadline asks only for the first). */
    boolean bytesReceived;
    /** The socket's registration with the gateway's selector (null in process). */
    java.nio.channels.SelectionKey key;
    /** Not selected for reading until the session has made room in its inbound buffer. */
    boolean readPaused;

    /** Close once what is queued is written (after a Logout or a refused logon). */
    boolean closeAfterFlush;
    boolean closed;
    String closeReason;

    /** A connection with buffers of its own (tests, in-process sessions). */
    Connection(
        final int id, final SocketChannel channel, final String remoteAddress, final int maxMessageSize,
        final int outboundLimit, final long nowMs)
    {
        this(id, channel, remoteAddress, ByteBuffer.allocateDirect(inboundSize(maxMessageSize)),
            ByteBuffer.allocateDirect(initialOutboundSize(outboundLimit)), outboundLimit, nowMs);
    }

    Connection(
        final int id, final SocketChannel channel, final String remoteAddress, final ByteBuffer inbound, final ByteBuffer outbound,
        final int outboundLimit, final long nowMs)
    {
        this.id = id;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.inbound = inbound;
        this.inboundView = new UnsafeBuffer(inbound);
        this.outboundLimit = outboundLimit;
        this.outbound = outbound;
        this.outboundView.wrap(outbound);
        this.connectedAtMs = nowMs;
    }

    static int inboundSize(final int maxMessageSize)
    {
        return maxMessageSize * 2 + 1024;
    }

    static int initialOutboundSize(final int outboundLimit)
    {
        return Math.min(outboundLimit, 64 * 1024);
    }

    /** Gives the buffers back to their pools; the connection is closed and must not be used again. */
    void release(final BufferPool inboundPool, final BufferPool outboundPool)
    {
        if (inbound != null)
        {
            inboundPool.release(inbound);
            outboundPool.release(outbound);
            inbound = null;
            outbound = null;
            inboundView.wrap(0, 0);
            outboundView.wrap(0, 0);
        }
    }

    /** Reads what the socket has; -1 at end of stream or on an error. */
    int read()
    {
        if (inbound == null)
        {
            return -1;
        }
        try
        {
            final int read = channel.read(inbound);
            bytesReceived |= read > 0;
            return read;
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    /** Writes what is queued as far as the socket takes it; -1 on an error. */
    int write()
    {
        if (outbound == null || outbound.position() == 0 || channel == null)
        {
            return 0;
        }
        outbound.flip();
        try
        {
            return channel.write(outbound);
        }
        catch (final IOException e)
        {
            outbound.clear();
            return -1;
        }
        finally
        {
            outbound.compact();
        }
    }

    /** Bytes queued for the client. */
    int pendingOutbound()
    {
        return outbound == null ? 0 : outbound.position();
    }

    int outboundLimit()
    {
        return outboundLimit;
    }

    /** Queues bytes for the client; false if that would pass the limit (a slow reader). */
    boolean enqueue(final DirectBuffer src, final int offset, final int length)
    {
        return enqueue(src, offset, length, outboundLimit);
    }

    /**
     * Queues the last message a connection gets (the Logout that says why it is cut off), in the
     * room kept beyond the limit; false if even that does not fit.
     */
    boolean enqueueFinal(final DirectBuffer src, final int offset, final int length)
    {
        return enqueue(src, offset, length, outboundLimit + FINAL_MESSAGE_RESERVE);
    }

    private boolean enqueue(final DirectBuffer src, final int offset, final int length, final int limit)
    {
        if (outbound == null)
        {
            return false;
        }
        final int position = outbound.position();
        if (position + length > outbound.capacity())
        {
            if (position + length > limit)
            {
                return false;
            }
            int capacity = outbound.capacity();
            while (capacity < position + length)
            {
                capacity = Math.min(limit, capacity * 2);
            }
            final ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
            outbound.flip();
            bigger.put(outbound);
            outbound = bigger;
            outboundView.wrap(outbound);
        }
        outboundView.putBytes(position, src, offset, length);
        outbound.position(position + length);
        return true;
    }

    /** Copy of what is queued (allocating: tests only). */
    byte[] outboundBytes()
    {
        final byte[] bytes = new byte[outbound.position()];
        outboundView.getBytes(0, bytes);
        return bytes;
    }

    /** Test hook for in-process sessions: forget what was queued. */
    void discardOutbound()
    {
        outbound.clear();
    }

    /** Bytes fed in process (tests, fuzzing) as if read from the socket; false if they do not fit. */
    boolean receive(final DirectBuffer src, final int offset, final int length)
    {
        if (inbound.remaining() < length)
        {
            return false;
        }
        inboundView.putBytes(inbound.position(), src, offset, length);
        inbound.position(inbound.position() + length);
        bytesReceived |= length > 0;
        return true;
    }
}
