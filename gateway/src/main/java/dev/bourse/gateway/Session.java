package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection and, once logged on, its FIX session. Owned by the gateway thread. The channel
 * is null when a test drives the session layer in process.
 */
public final class Session
{
    enum State
    {
        CONNECTED, AUTHENTICATING, LOGGED_ON, CLOSED
    }

    final int connectionId;
    final SocketChannel channel;
    final ByteBuffer inbound;
    final UnsafeBuffer inboundView;
    int inboundStart;
    ByteBuffer outbound;
    final UnsafeBuffer outboundView = new UnsafeBuffer(0, 0);
    final int outboundLimit;

    State state = State.CONNECTED;
    final long connectedAtMs;
    long lastReceivedMs;
    long lastSentMs;
    long testRequestSentMs;
    int heartbeatMs;
    TokenBucket bucket;

    SessionStore store;
    int sessionId;
    long accountId;
    String username;
    boolean cancelOnDisconnect;
    boolean logoutSent;
    int resendRequestedUpTo;
    boolean closeAfterFlush;
    String closeReason;

    // the Logon being authenticated
    String logonCompId;
    int logonSeq;
    boolean logonReset;
    int logonHeartBtInt;
    boolean logonCancelOnDisconnect;

    Session(final int connectionId, final SocketChannel channel, final int maxMessageSize, final int outboundLimit, final long nowMs)
    {
        this.connectionId = connectionId;
        this.channel = channel;
        this.inbound = ByteBuffer.allocateDirect(maxMessageSize * 2 + 1024);
        this.inboundView = new UnsafeBuffer(inbound);
        this.outboundLimit = outboundLimit;
        this.outbound = ByteBuffer.allocateDirect(Math.min(outboundLimit, 64 * 1024));
        this.outboundView.wrap(outbound);
        this.connectedAtMs = nowMs;
        this.lastReceivedMs = nowMs;
        this.lastSentMs = nowMs;
    }

    public int sessionId()
    {
        return sessionId;
    }

    public boolean isLoggedOn()
    {
        return state == State.LOGGED_ON;
    }

    public boolean isClosed()
    {
        return state == State.CLOSED;
    }

    public String closeReason()
    {
        return closeReason;
    }

    /** Bytes queued for the client. */
    public int pendingOutbound()
    {
        return outbound.position();
    }

    /** Queues bytes for the client; false if that would pass the limit (a slow reader). */
    boolean enqueue(final org.agrona.DirectBuffer src, final int offset, final int length)
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

    /** Test hook for in-process sessions: forget what was queued. */
    public void discardOutbound()
    {
        outbound.clear();
    }

    /** Copy of what is queued (allocating: tests only). */
    public byte[] outboundBytes()
    {
        final byte[] bytes = new byte[outbound.position()];
        outboundView.getBytes(0, bytes);
        return bytes;
    }
}
