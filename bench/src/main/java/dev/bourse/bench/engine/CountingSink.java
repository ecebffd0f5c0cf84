package dev.bourse.bench.engine;

import dev.bourse.engine.EventSink;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's journal stand-in: counts entries and, when asked, stamps each one's completion
 * time into a preallocated array indexed by its position in the timed run. Engine thread only,
 * except {@link #completed()} which the load generator polls.
 */
public final class CountingSink implements EventSink
{
    private final AtomicLong completed = new AtomicLong();
    private long count;
    private long target = Long.MAX_VALUE;
    private long[] completionNanos;
    private volatile long lastNanos;
    private EventSink delegate;

    /** Entries also go to this sink first (a real journal), or to nobody when null. */
    public void delegate(final EventSink sink)
    {
        delegate = sink;
    }

    @Override
    public void onEndOfBatch()
    {
        if (delegate != null)
        {
            delegate.onEndOfBatch();
        }
    }

    /** Starts counting from zero; {@code completionNanos} may be null (throughput runs stamp only the last). */
    public void reset(final long target, final long[] completionNanos)
    {
        this.count = 0;
        this.target = target;
        this.completionNanos = completionNanos;
        this.lastNanos = 0;
        completed.set(0);
    }

    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (delegate != null && !delegate.onEntry(buffer, offset, length))
        {
            return false;
        }
        final long n = count;
        if (completionNanos != null && n < completionNanos.length)
        {
            completionNanos[(int)n] = System.nanoTime();
        }
        count = n + 1;
        if (count == target)
        {
            lastNanos = System.nanoTime();
        }
        completed.lazySet(count);
        return true;
    }

    public long completed()
    {
        return completed.get();
    }

    /** When the target-th entry arrived (0 before). */
    public long lastNanos()
    {
        return lastNanos;
    }
}
