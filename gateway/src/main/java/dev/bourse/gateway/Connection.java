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
 * On the TLS port a {@link TlsTransport} sits between the socket and these (plain-text) buffers.
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
    /** The outbound buffer as the socket reads it: from {@link #outboundStart} to what is queued. */
    private ByteBuffer outboundWrite;
    /** Bytes before this in the outbound buffer have been written to the socket. */
    private int outboundStart;
    private final UnsafeBuffer outboundView = new UnsafeBuffer(0, 0);
    private final int outboundLimit;
    /**
     * One command's reports (a sweep of 20,000 resting orders, an auction) may take a session past
     * its outbound limit in one go, though its client reads at full speed: that cut the client off
     * as a slow reader. So a client whose last write left nothing queued may take such a burst up
     * to this many times the limit, and the burst goes on while the client keeps taking bytes (no
     * {@link #BURST_STALL_NS} of writes it took nothing of); a client that stopped reading never had its queue
     * emptied, so it is cut at the limit as before.
     */
    static final int BURST_FACTOR = 16;
    static final long BURST_STALL_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    /** The last write left nothing queued (true before the first). */
    private boolean drained = true;
    private boolean inBurst;
    /** When a write during a burst first took nothing since the client last took bytes; 0 while it takes them. */
    private long burstStalledSinceNs;
    final long connectedAtMs;
    /** Bytes arrived since the connection was made (the pre-logon deadline asks only for the first). */
    boolean bytesReceived;
    /** The socket's registration with the gateway's selector (null in process). */
    java.nio.channels.SelectionKey key;
    /** Not selected for reading until the session has made room in its inbound buffer. */
    boolean readPaused;

    /** Close once what is queued is written (after a Logout or a refused logon). */
    boolean closeAfterFlush;
    /** While a closed connection's last bytes wait for the client to read them: when to give up (GatewayAgent). */
    long drainDeadlineNs;
    /** When its lingering close began (GatewayAgent.DRAIN_MAX_NS bounds it). */
    long drainStartedNs;
    /** A logged-on session's socket is closed gracefully (GatewayAgent's draining); others at once. */
    boolean lingerOnClose;
    /** Whether any byte was ever written to the socket: a connection that was sent nothing is closed with a reset. */
    boolean bytesSent;
    boolean outputShut;
    /** A closing TLS connection's close_notify is queued behind its backlog. */
    boolean closeNotifyQueued;
    boolean closed;
    String closeReason;
    /** TLS between the socket and the buffers (null on the plain port). */
    TlsTransport tls;

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
        wrapOutbound(outbound);
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
        if (tls != null)
        {
            tls.release();
        }
        if (inbound != null)
        {
            inboundPool.release(inbound);
            outboundPool.release(outbound);
            inbound = null;
            outbound = null;
            outboundWrite = null;
            outboundStart = 0;
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
        if (tls != null)
        {
            final int read = tls.read(channel, inbound);
            // the handshake's bytes count as the first bytes (the logon deadline still bounds a slow one)
            bytesReceived |= tls.lastRead() > 0;
            return read;
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

    /**
     * Writes what is queued as far as the socket takes it; -1 on an error. What the socket did not
     * take stays where it is (the next write starts after what was sent): moving it to the front
     * after every write would copy a slow reader's whole queue, megabytes, every duty cycle.
     */
    int write()
    {
        if (outbound == null || channel == null)
        {
            return 0;
        }
        final int end = outbound.position();
        if (end == outboundStart && tls == null)
        {
            return 0;
        }
        outboundWrite.limit(end).position(outboundStart);
        final int written;
        try
        {
            if (tls != null)
            {
                // encrypted as far as the socket takes it: what was encrypted counts as written
                if (!tls.write(channel, outboundWrite))
                {
                    throw new IOException("TLS write failed");
                }
                written = outboundWrite.position() - outboundStart;
                if (end == outboundStart)
                {
                    return 0;
                }
            }
            else
            {
                written = channel.write(outboundWrite);
            }
        }
        catch (final IOException e)
        {
            outbound.clear();
            outboundStart = 0;
            return -1;
        }
        outboundStart += written;
        bytesSent |= written > 0;
        drained = outboundStart == end;
        if (inBurst)
        {
            if (written > 0)
            {
                burstStalledSinceNs = 0;
            }
            else if (burstStalledSinceNs == 0)
            {
                burstStalledSinceNs = Math.max(1, System.nanoTime());
            }
            inBurst = end - outboundStart > outboundLimit;
        }
        if (outboundStart == end)
        {
            outbound.clear();
            outboundStart = 0;
            if (outbound.capacity() > outboundLimit)
            {
                // a burst's buffer, written out: back to an ordinary one rather than megabytes held per session
                final ByteBuffer big = outbound;
                wrapOutbound(ByteBuffer.allocateDirect(initialOutboundSize(outboundLimit)));
                org.agrona.BufferUtil.free(big);
            }
        }
        else if (outboundStart > outbound.capacity() / 2)
        {
            compactOutbound(); // amortised: at most once per half a buffer written
        }
        return written;
    }

    private void compactOutbound()
    {
        final int pending = outbound.position() - outboundStart;
        outboundView.putBytes(0, outboundView, outboundStart, pending);
        outbound.position(pending);
        outboundStart = 0;
    }

    /** Bytes queued for the client and not yet written (on TLS, with the ciphertext not yet written). */
    int pendingOutbound()
    {
        return pendingPlain() + (tls == null ? 0 : tls.pendingNetOut());
    }

    private int pendingPlain()
    {
        return outbound == null ? 0 : outbound.position() - outboundStart;
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
        return enqueue(src, offset, length, queueCap() + FINAL_MESSAGE_RESERVE);
    }

    /** What may be queued now: the limit, or a burst's bound during one ({@link #BURST_FACTOR}). */
    int queueCap()
    {
        return inBurst ? burstCap() : outboundLimit;
    }

    private int burstCap()
    {
        return (int)Math.min(Integer.MAX_VALUE - 64 - FINAL_MESSAGE_RESERVE, (long)outboundLimit * BURST_FACTOR);
    }

    private boolean enqueue(final DirectBuffer src, final int offset, final int length, final int limit)
    {
        if (outbound == null)
        {
            return false;
        }
        int cap = limit;
        if (pendingPlain() + length > limit)
        {
            if (!burstGoesOn(pendingPlain() + length))
            {
                return false;
            }
            cap = Math.max(limit, burstCap());
        }
        if (outbound.position() + length > outbound.capacity() && outboundStart > 0)
        {
            compactOutbound();
        }
        final int position = outbound.position();
        if (position + length > outbound.capacity())
        {
            int capacity = outbound.capacity();
            while (capacity < position + length)
            {
                capacity = (int)Math.min(cap, capacity * 2L);
            }
            final ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
            final ByteBuffer smaller = outbound;
            outbound.flip();
            bigger.put(outbound);
            wrapOutbound(bigger);
            org.agrona.BufferUtil.free(smaller); // now, not when the collector finds it: nothing else holds it
        }
        outboundView.putBytes(position, src, offset, length);
        outbound.position(position + length);
        return true;
    }

    /** Whether a queue of {@code needed} bytes, over the limit, is a burst its client keeps up with (see {@link #BURST_FACTOR}). */
    private boolean burstGoesOn(final long needed)
    {
        if (needed > burstCap())
        {
            return false;
        }
        if (!inBurst)
        {
            if (!drained)
            {
                return false; // it had left bytes unread before this: a slow reader
            }
            inBurst = true;
            burstStalledSinceNs = 0;
            return true;
        }
        // measured from the first write the client did not take: the time the gateway spends queueing a
        // burst of a hundred thousand reports, before it writes any, is not the client's (a probe's loaded run)
        return burstStalledSinceNs == 0 || System.nanoTime() - burstStalledSinceNs < burstStallNs;
    }

    private long burstStallNs = BURST_STALL_NS;

    /** Tests shorten the stall a burst survives. */
    void burstStallNs(final long nanos)
    {
        burstStallNs = nanos;
    }

    /** True while a burst has the queue over the limit (tests). */
    boolean inBurst()
    {
        return inBurst;
    }

    private void wrapOutbound(final ByteBuffer buffer)
    {
        outbound = buffer;
        outboundView.wrap(buffer);
        outboundWrite = buffer.duplicate();
    }

    /** Copy of what is queued (allocating: tests only). */
    byte[] outboundBytes()
    {
        final byte[] bytes = new byte[pendingPlain()];
        outboundView.getBytes(outboundStart, bytes);
        return bytes;
    }

    /** Test hook for in-process sessions: forget what was queued. */
    void discardOutbound()
    {
        outbound.clear();
        outboundStart = 0;
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
