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
 */
final class Connection
{
    final int id;
    final SocketChannel channel;
    final String remoteAddress;
    final ByteBuffer inbound;
    final UnsafeBuffer inboundView;
    /** Where the next unread message starts in {@link #inbound}. */
    int inboundStart;
    private ByteBuffer outbound;
    private final UnsafeBuffer outboundView = new UnsafeBuffer(0, 0);
    private final int outboundLimit;
    final long connectedAtMs;

    /** Close once what is queued is written (after a Logout or a refused logon). */
    boolean closeAfterFlush;
    boolean closed;
    String closeReason;

    Connection(
        final int id, final SocketChannel channel, final String remoteAddress, final int maxMessageSize,
        final int outboundLimit, final long nowMs)
    {
        this.id = id;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.inbound = ByteBuffer.allocateDirect(maxMessageSize * 2 + 1024);
        this.inboundView = new UnsafeBuffer(inbound);
        this.outboundLimit = outboundLimit;
        this.outbound = ByteBuffer.allocateDirect(Math.min(outboundLimit, 64 * 1024));
        this.outboundView.wrap(outbound);
        this.connectedAtMs = nowMs;
    }

    /** Reads what the socket has; -1 at end of stream or on an error. */
    int read()
    {
        try
        {
            return channel.read(inbound);
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    /** Writes what is queued as far as the socket takes it; -1 on an error. */
    int write()
    {
        if (outbound.position() == 0 || channel == null)
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
        return outbound.position();
    }

    int outboundLimit()
    {
        return outboundLimit;
    }

    /** Queues bytes for the client; false if that would pass the limit (a slow reader). */
    boolean enqueue(final DirectBuffer src, final int offset, final int length)
    {
        final int position = outbound.position();
        if (position + length > outbound.capacity())
        {
            if (position + length > outboundLimit)
            {
                return false;
            }
            int capacity = outbound.capacity();
            while (capacity < position + length)
            {
                capacity = Math.min(outboundLimit, capacity * 2);
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
        return true;
    }
}
