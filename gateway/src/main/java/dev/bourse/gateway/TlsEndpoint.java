package dev.bourse.gateway;

import dev.bourse.protocol.tls.TlsSettings;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway's TLS port shares between its connections: the SSL context built from the
 * key store, the protocols, one small executor for the handshakes' delegated tasks (so the
 * order path never computes a key exchange or a signature itself; its queue is bounded, and a
 * connection that finds it full is refused, counted as {@link Refusal#TLS_BUSY}), and the pools
 * of ciphertext and decrypted-text buffers. Made on the gateway's construction; the buffers are
 * the gateway thread's.
 */
final class TlsEndpoint implements AutoCloseable
{
    private final TlsSettings settings;
    private final SSLContext context;
    /** The suites every engine offers (TlsSettings.cipherSuites), worked out once rather than per connection. */
    private final String[] cipherSuites;
    private final ThreadPoolExecutor executor;
    /** The executor given instead (tests), or null. */
    private final Executor given;
    private final BufferPool netBuffers;
    private final BufferPool appBuffers;
    private volatile Runnable wakeUp = () -> { };

    /** @param given runs the handshake tasks instead of the endpoint's own thread (null: its own) */
    TlsEndpoint(final TlsSettings settings, final SSLContext context, final int threads, final int queue, final int pooled,
        final Executor given)
    {
        this.given = given;
        this.settings = settings;
        this.context = context;
        cipherSuites = TlsSettings.cipherSuites(context).toArray(new String[0]);
        final SSLSession session = settings.newServerEngine(context, cipherSuites).getSession();
        netBuffers = new BufferPool(session.getPacketBufferSize(), pooled);
        appBuffers = new BufferPool(session.getApplicationBufferSize(), pooled);
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), runnable ->
        {
            final Thread thread = new Thread(runnable, "bourse-gateway-tls");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** A transport for a connection just accepted on the TLS port (gateway thread). */
    TlsTransport newTransport()
    {
        final SSLEngine engine = settings.newServerEngine(context, cipherSuites);
        try
        {
            engine.beginHandshake();
        }
        catch (final javax.net.ssl.SSLException e)
        {
            throw new IllegalStateException("TLS engine did not start: " + e.getMessage(), e);
        }
        return new TlsTransport(this, engine);
    }

    /** The cipher suites the TLS port offers. */
    String[] cipherSuites()
    {
        return cipherSuites.clone();
    }

    Executor executor()
    {
        return given != null ? given : executor;
    }

    BufferPool netBuffers()
    {
        return netBuffers;
    }

    BufferPool appBuffers()
    {
        return appBuffers;
    }

    Runnable wakeUp()
    {
        return wakeUp;
    }

    void wakeUp(final Runnable value)
    {
        wakeUp = value;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
