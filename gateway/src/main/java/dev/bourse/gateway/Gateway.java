package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.journal.JournalTailer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The FIX gateway as a unit a server wires up: give it a concluded {@link GatewayContext}, the
 * engine's {@link CommandSequencer} and a {@link JournalTailer} positioned at the start of the
 * journal (it learns symbols from InstrumentAdded and skips reports it already produced), then
 * {@link #start()}. {@link #stop} sends Logout to every session; {@link #close()} releases
 * everything.
 */
public final class Gateway implements AutoCloseable
{
    private final SessionManager sessions;
    private final GatewayAgent agent;
    private final AgentRunner runner;
    private final ThreadPoolExecutor authExecutor;
    private final JournalTailer tailer;
    private boolean closed;

    /**
     * Binds the port (so "port in use" surfaces here as an {@link java.io.UncheckedIOException}
     * with a one-line message) but does not start the thread.
     */
    public Gateway(final GatewayContext ctx, final CommandSequencer sequencer, final JournalTailer tailer, final ErrorHandler errorHandler)
    {
        ctx.conclude();
        this.tailer = tailer;
        authExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64), r ->
        {
            final Thread thread = new Thread(r, "bourse-gateway-auth");
            thread.setDaemon(true);
            return thread;
        });
        sessions = new SessionManager(ctx, sequencer, tailer, SystemEpochClock.INSTANCE, new SystemNanoClock(), authExecutor);
        try
        {
            agent = new GatewayAgent(ctx, sessions);
        }
        catch (final RuntimeException e)
        {
            sessions.close();
            authExecutor.shutdownNow();
            throw e;
        }
        runner = new AgentRunner(ctx.idleStrategy(), errorHandler, null, agent);
    }

    public Gateway(final GatewayContext ctx, final CommandSequencer sequencer, final JournalTailer tailer)
    {
        this(ctx, sequencer, tailer, Throwable::printStackTrace);
    }

    public Gateway start()
    {
        AgentRunner.startOnThread(runner);
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port()
    {
        return agent.port();
    }

    /** For tests and metrics: read only from the gateway thread or after it stopped. */
    public SessionManager sessions()
    {
        return sessions;
    }

    /** Stops intake and sends Logout to every session, waiting up to {@code timeoutMs} for them to flush. */
    public void stop(final String reason, final long timeoutMs)
    {
        agent.requestLogout(reason);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!agent.isDrained() && System.nanoTime() < deadline && !runner.isClosed())
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        runner.close();
        sessions.drainPending();
        authExecutor.shutdownNow();
        sessions.close();
        tailer.close();
    }
}
