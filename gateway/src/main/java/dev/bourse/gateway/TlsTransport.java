package dev.bourse.gateway;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;

/**
 * TLS on one connection, over its non-blocking socket: a JDK {@link SSLEngine} between the socket
 * and the plain-text buffers the session layer reads and writes ({@link Connection}). Nothing
 * here blocks the gateway thread: the handshake's delegated tasks (key exchange, signatures, the
 * slow part) run on the {@link TlsEndpoint}'s executor while the thread serves everyone else, and
 * the connection resumes when a task's completion wakes it ({@link #needsService}). Ciphertext
 * in and out and decrypted text not yet taken live in pooled buffers, so steady-state traffic
 * allocates nothing of ours. Any TLS failure (plain text on the TLS port, an old protocol,
 * garbage, a client that refused the handshake with an alert) is kept as {@link #failure()}: the connection is then closed and nothing else touched.
 * Gateway thread only, except the task flag.
 */
final class TlsTransport
{
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TlsEndpoint endpoint;
    private final SSLEngine engine;
    private final Runnable runTasks = this::runTasks;
    /** Ciphertext from the socket not yet unwrapped (filled from position 0 to position). */
    private ByteBuffer netIn;
    /** Ciphertext for the socket not yet written (filled from position 0 to position). */
    private ByteBuffer netOut;
    /** Decrypted bytes the session's inbound buffer had no room for yet (filled from 0 to position). */
    private ByteBuffer appIn;
    private volatile boolean taskRunning;
    private volatile boolean taskDone;
    private boolean handshaking = true;
    /** More input can be unwrapped or delivered without a new socket read (the session's buffer was full). */
    private boolean inputStalled;
    private boolean inboundClosed;
    private String failure;
    private Refusal failureReason;
    private int lastRead;

    TlsTransport(final TlsEndpoint endpoint, final SSLEngine engine)
    {
        this.endpoint = endpoint;
        this.engine = engine;
        netIn = endpoint.netBuffers().acquire();
        netOut = endpoint.netBuffers().acquire();
        appIn = endpoint.appBuffers().acquire();
    }

    /** Why the TLS layer failed (one line, from the peer's bytes: log it made printable), or null. */
    String failure()
    {
        return failure;
    }

    Refusal failureReason()
    {
        return failureReason;
    }

    /** Ciphertext bytes the last {@link #read} took from the socket. */
    int lastRead()
    {
        return lastRead;
    }

    boolean isHandshaking()
    {
        return handshaking;
    }

    /** Ciphertext waiting for the socket. */
    int pendingNetOut()
    {
        return netOut == null ? 0 : netOut.position();
    }

    /** The gateway thread should call {@link #service} this cycle even without a socket event. */
    boolean needsService(final ByteBuffer inbound)
    {
        return failure == null && (taskDone || (inputStalled && inbound.hasRemaining()));
    }

    /**
     * Reads what the socket has, moves the handshake on and decrypts into {@code inbound};
     * the number of plain bytes delivered, or -1 at the end of the stream or on a failure.
     */
    int read(final SocketChannel channel, final ByteBuffer inbound)
    {
        if (failure != null || netIn == null)
        {
            return -1;
        }
        final int read;
        try
        {
            read = netIn.hasRemaining() ? channel.read(netIn) : 0;
        }
        catch (final IOException e)
        {
            return -1;
        }
        lastRead = read;
        if (read < 0)
        {
            return -1;
        }
        final int delivered = service(channel, inbound);
        return delivered < 0 || inboundClosed ? -1 : delivered;
    }

    /** Moves the handshake and decryption on without a socket read; the plain bytes delivered, or -1. */
    int service(final SocketChannel channel, final ByteBuffer inbound)
    {
        taskDone = false;
        if (failure != null || netIn == null)
        {
            return -1;
        }
        try
        {
            if (handshaking && !handshake(channel))
            {
                return failure != null ? -1 : 0; // refused (the handshake queue full), or waiting for bytes or a task
            }
            unwrap(channel);
            if (failure != null)
            {
                return -1;
            }
        }
        catch (final SSLException e)
        {
            fail(channel, handshaking ? handshakeRefusal(e.getMessage()) : Refusal.TLS_AFTER_HANDSHAKE, e.getMessage());
            return -1;
        }
        return deliver(inbound);
    }

    /**
     * Encrypts the plain bytes of {@code plain} (position to limit; consumed as encrypted) and
     * writes ciphertext as far as the socket takes it; false on a failure.
     */
    boolean write(final SocketChannel channel, final ByteBuffer plain)
    {
        if (failure != null || netOut == null)
        {
            return false;
        }
        try
        {
            if (handshaking)
            {
                handshake(channel);
                if (handshaking || failure != null)
                {
                    return failure == null && flushNet(channel) >= 0; // the session's bytes wait for the handshake
                }
            }
            while (plain.hasRemaining())
            {
                final SSLEngineResult result = engine.wrap(plain, netOut);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
                {
                    if (flushNet(channel) <= 0)
                    {
                        break; // the socket is full: the rest waits for the next cycle
                    }
                }
                else if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                {
                    return false;
                }
                else if (result.bytesConsumed() == 0)
                {
                    break;
                }
            }
            return flushNet(channel) >= 0;
        }
        catch (final SSLException e)
        {
            fail(channel, handshaking ? handshakeRefusal(e.getMessage()) : Refusal.TLS_AFTER_HANDSHAKE, e.getMessage());
            return false;
        }
    }

    /** Writes what ciphertext is queued; the bytes written, or -1 on an error. */
    int flushNet(final SocketChannel channel)
    {
        if (netOut == null || netOut.position() == 0 || channel == null)
        {
            return 0;
        }
        netOut.flip();
        try
        {
            return channel.write(netOut);
        }
        catch (final IOException e)
        {
            return -1;
        }
        finally
        {
            netOut.compact();
        }
    }

    /** Sends close_notify, as far as the socket takes it at once (the connection is closing). */
    void closeOutbound(final SocketChannel channel)
    {
        if (netOut == null || failure != null)
        {
            return;
        }
        try
        {
            engine.closeOutbound();
            engine.wrap(EMPTY, netOut);
            flushNet(channel);
        }
        catch (final SSLException | RuntimeException e)
        {
            // closing anyway
        }
    }

    /** Gives the buffers back; a task still running finds the transport released and does nothing. */
    void release()
    {
        if (netIn != null)
        {
            endpoint.netBuffers().release(netIn);
            endpoint.netBuffers().release(netOut);
            endpoint.appBuffers().release(appIn);
            netIn = null;
            netOut = null;
            appIn = null;
        }
    }

    /** Moves the handshake on as far as it goes now; true once it is finished. */
    private boolean handshake(final SocketChannel channel) throws SSLException
    {
        while (true)
        {
            switch (engine.getHandshakeStatus())
            {
                case NEED_TASK:
                    if (!taskRunning)
                    {
                        taskRunning = true;
                        try
                        {
                            endpoint.executor().execute(runTasks);
                        }
                        catch (final RejectedExecutionException e)
                        {
                            taskRunning = false;
                            fail(channel, Refusal.TLS_BUSY, "handshake queue full");
                        }
                    }
                    return false;
                case NEED_WRAP:
                {
                    final SSLEngineResult result = engine.wrap(EMPTY, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && flushNet(channel) <= 0)
                    {
                        return false;
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        flushNet(channel);
                        throw new SSLException("closed during the handshake");
                    }
                    if (flushNet(channel) < 0)
                    {
                        throw new SSLException("write failed during the handshake");
                    }
                    break;
                }
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                {
                    netIn.flip();
                    final int recordStart = netIn.position();
                    final SSLEngineResult result;
                    try
                    {
                        result = engine.unwrap(netIn, appIn);
                    }
                    catch (final SSLException e)
                    {
                        throw TlsAlerts.fromPeer(netIn, recordStart, e); // a client that refused us is not plain text
                    }
                    finally
                    {
                        netIn.compact();
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW)
                    {
                        checkRecordFits();
                        return false; // a record's rest is still on its way
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLException("peer closed the connection during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
                    {
                        inputStalled = true;
                        return false;
                    }
                    break;
                }
                default: // FINISHED, NOT_HANDSHAKING
                    handshaking = false;
                    return true;
            }
        }
    }

    /** Decrypts every whole record waiting, as far as {@link #appIn} has room. */
    private void unwrap(final SocketChannel channel) throws SSLException
    {
        inputStalled = false;
        while (netIn.position() > 0)
        {
            netIn.flip();
            final SSLEngineResult result;
            try
            {
                result = engine.unwrap(netIn, appIn);
            }
            finally
            {
                netIn.compact();
            }
            final SSLEngineResult.Status status = result.getStatus();
            if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW)
            {
                checkRecordFits();
                return;
            }
            if (status == SSLEngineResult.Status.BUFFER_OVERFLOW)
            {
                inputStalled = true;
                return;
            }
            if (status == SSLEngineResult.Status.CLOSED)
            {
                inboundClosed = true; // close_notify: the end of the stream
                return;
            }
            if (result.bytesConsumed() == 0)
            {
                return; // nothing moved: wait for more bytes rather than loop
            }
            final SSLEngineResult.HandshakeStatus handshakeStatus = engine.getHandshakeStatus();
            if (handshakeStatus != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING &&
                handshakeStatus != SSLEngineResult.HandshakeStatus.FINISHED)
            {
                if (!"TLSv1.3".equals(engine.getSession().getProtocol()))
                {
                    // before 1.3 a handshake after the handshake is the client renegotiating: each one a full key exchange
                    // on the shared handshake thread, as often as it likes (an outside probe ran 50 on one logged-on
                    // connection); refused as Jetty refuses it on HTTPS. TLS 1.3 has no renegotiation, only key updates.
                    fail(channel, Refusal.TLS_RENEGOTIATION, "client-initiated renegotiation refused");
                    return;
                }
                handshaking = true; // a post-handshake message of TLS 1.3 (a key update)
                if (!handshake(channel))
                {
                    return;
                }
            }
        }
    }

    /**
     * A record that does not fit a full buffer, or that announces more than the buffer holds, is
     * larger than TLS allows: the peer is not speaking TLS (waiting for its rest would wait for ever).
     */
    private void checkRecordFits() throws SSLException
    {
        if (!netIn.hasRemaining() || engine.getSession().getPacketBufferSize() > netIn.capacity())
        {
            throw new SSLException("record larger than TLS allows");
        }
    }

    /** Copies decrypted bytes into the session's buffer as far as it has room; the number copied. */
    private int deliver(final ByteBuffer inbound)
    {
        final int waiting = appIn.position();
        if (waiting == 0)
        {
            return 0;
        }
        final int n = Math.min(waiting, inbound.remaining());
        if (n == 0)
        {
            inputStalled = true;
            return 0;
        }
        appIn.flip();
        final int limit = appIn.limit();
        appIn.limit(n);
        inbound.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        if (appIn.position() > 0)
        {
            inputStalled = true;
        }
        return n;
    }

    /** A client certificate missing ("Empty client certificate chain") or refused (ClientCertificateCheck's reasons) has its own. */
    static Refusal handshakeRefusal(final String message)
    {
        return dev.bourse.protocol.tls.TlsSettings.isClientCertificateRefusal(message) ? Refusal.TLS_CLIENT_CERTIFICATE : Refusal.TLS_HANDSHAKE;
    }

    private void fail(final SocketChannel channel, final Refusal reason, final String message)
    {
        if (failure != null)
        {
            return;
        }
        failureReason = reason;
        failure = message == null ? "TLS failure" : message;
        try
        {
            // the alert the engine has queued for the peer (say, protocol_version), if the socket takes it
            engine.closeOutbound();
            engine.wrap(EMPTY, netOut);
            flushNet(channel);
        }
        catch (final SSLException | RuntimeException e)
        {
            // the connection is closed anyway
        }
    }

    /** The executor's thread: runs the handshake's delegated tasks, then wakes the gateway thread. */
    private void runTasks()
    {
        try
        {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null)
            {
                task.run(); // a task's failure is rethrown by the engine's next wrap or unwrap
            }
        }
        finally
        {
            taskRunning = false;
            taskDone = true;
            endpoint.wakeUp().run();
        }
    }
}
