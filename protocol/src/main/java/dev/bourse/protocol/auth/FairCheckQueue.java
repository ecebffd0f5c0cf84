package dev.bourse.protocol.auth;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The queue of slow credential checks (PBKDF2), fair between sources: each key (a source address)
 * has its own small FIFO, and the checking threads take one check from each key in turn. A flood
 * of logons from one address therefore waits behind itself: a check from any other address waits
 * for at most one check per busy address, and is never refused because someone else is busy.
 * A key whose own FIFO is full is refused ({@link #submit} returns false): only the flooding
 * source sees "busy". Any thread may submit; the work runs on the queue's own daemon threads.
 * <p>
 * A flood keeps the checking threads busy, and on a small machine a busy thread takes a core
 * from the order path. So each thread may be held to a share of a core: after a check that took
 * t, it rests t x (1 - share) / share before the next one (never while there is nothing to do).
 */
public final class FairCheckQueue implements AutoCloseable
{
    private final int maxPerKey;
    private final int maxKeys;
    private final double cpuShare;
    private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();
    /** Keys with work, in the order they are served. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private final Thread[] threads;
    private final java.util.function.Consumer<Throwable> errorHandler;
    private int pending;
    private boolean closed;

    /**
     * @param maxPerKey checks one key may have waiting
     * @param maxKeys keys with checks waiting at once (a bound on memory, far above any honest need)
     */
    public FairCheckQueue(
        final String threadName, final int threadCount, final int maxPerKey, final int maxKeys,
        final java.util.function.Consumer<Throwable> errorHandler)
    {
        this(threadName, threadCount, maxPerKey, maxKeys, 1.0, errorHandler);
    }

    /** @param cpuShare the share of a core each checking thread may use while checks wait (0 to 1]. */
    public FairCheckQueue(
        final String threadName, final int threadCount, final int maxPerKey, final int maxKeys, final double cpuShare,
        final java.util.function.Consumer<Throwable> errorHandler)
    {
        if (threadCount < 1 || maxPerKey < 1 || maxKeys < 1 || !(cpuShare > 0 && cpuShare <= 1))
        {
            throw new IllegalArgumentException("check queue sizes must be positive: threads=" + threadCount + " maxPerKey=" + maxPerKey +
                " maxKeys=" + maxKeys + " cpuShare=" + cpuShare);
        }
        this.cpuShare = cpuShare;
        this.maxPerKey = maxPerKey;
        this.maxKeys = maxKeys;
        this.errorHandler = errorHandler;
        threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            threads[i] = new Thread(this::run, threadCount == 1 ? threadName : threadName + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Sets the Java priority of the checking threads (a slow check should not preempt more urgent work). */
    public FairCheckQueue threadPriority(final int priority)
    {
        for (final Thread thread : threads)
        {
            thread.setPriority(priority);
        }
        return this;
    }

    /** Queues a check for {@code key}; false if that key already has its fill waiting (or the queue is closed). */
    public synchronized boolean submit(final String key, final Runnable check)
    {
        if (closed)
        {
            return false;
        }
        ArrayDeque<Runnable> queue = queues.get(key);
        if (queue == null)
        {
            if (queues.size() >= maxKeys)
            {
                return false;
            }
            queue = new ArrayDeque<>(Math.min(maxPerKey, 16));
            queues.put(key, queue);
            turns.addLast(key);
        }
        else if (queue.size() >= maxPerKey)
        {
            return false;
        }
        queue.addLast(check);
        pending++;
        notify();
        return true;
    }

    /** Checks waiting (not running). */
    public synchronized int pending()
    {
        return pending;
    }

    /** Keys with checks waiting. */
    public synchronized int keys()
    {
        return queues.size();
    }

    private synchronized Runnable next() throws InterruptedException
    {
        while (turns.isEmpty() && !closed)
        {
            wait();
        }
        if (closed)
        {
            return null;
        }
        final String key = turns.pollFirst();
        final ArrayDeque<Runnable> queue = queues.get(key);
        final Runnable check = queue.pollFirst();
        pending--;
        if (queue.isEmpty())
        {
            queues.remove(key);
        }
        else
        {
            turns.addLast(key); // its next check waits for every other key's turn
        }
        return check;
    }

    private void run()
    {
        try
        {
            Runnable check;
            while ((check = next()) != null)
            {
                final long start = System.nanoTime();
                try
                {
                    check.run();
                }
                catch (final RuntimeException | Error e)
                {
                    errorHandler.accept(e);
                }
                if (cpuShare < 1)
                {
                    rest((long)((System.nanoTime() - start) * (1 - cpuShare) / cpuShare));
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Rests for up to {@code nanos}, but only while there is work waiting (a lone check is never held back). */
    private synchronized void rest(final long nanos) throws InterruptedException
    {
        final long end = System.nanoTime() + nanos;
        long left;
        while (!closed && !turns.isEmpty() && (left = end - System.nanoTime()) > 0)
        {
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    /** Stops the threads; checks still waiting are dropped. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            closed = true;
            queues.clear();
            turns.clear();
            pending = 0;
            notifyAll();
        }
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
    }
}
