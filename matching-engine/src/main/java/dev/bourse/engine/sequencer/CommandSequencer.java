package dev.bourse.engine.sequencer;

import com.lmax.disruptor.*;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sequencer: a multi-producer Disruptor ring of fixed-size command slots consumed by one
 * engine thread. Producers claim a slot without blocking ({@link #tryClaim()} returns -1 when
 * the ring is full, so a gateway can answer "busy" instead of stalling), encode the command in
 * place, and {@link #commit} it. The ring order is the engine's command order.
 */
public final class CommandSequencer implements CommandPublisher, AutoCloseable
{
    /** {@link #tryClaim()} result when the ring is full. */
    public static final long RING_FULL = NO_CLAIM;

    private final Disruptor<CommandSlot> disruptor;
    private final RingBuffer<CommandSlot> ring;
    private final int capacity;
    private final Consumer consumer;
    private volatile boolean started;

    /**
     * @param ringSize power of two.
     * @param waitStrategy see {@link WaitStrategies}.
     */
    public CommandSequencer(final int ringSize, final String waitStrategy, final CommandHandler handler)
    {
        this(ringSize, WaitStrategies.of(waitStrategy), handler, runnable ->
        {
            final Thread thread = new Thread(runnable, "bourse-engine");
            thread.setDaemon(true);
            return thread;
        });
    }

    public CommandSequencer(
        final int ringSize, final WaitStrategy waitStrategy, final CommandHandler handler, final ThreadFactory threadFactory)
    {
        if (Integer.bitCount(ringSize) != 1 || ringSize < 2)
        {
            throw new IllegalArgumentException("ring size must be a power of two >= 2: " + ringSize);
        }
        this.capacity = ringSize;
        disruptor = new Disruptor<>(CommandSlot::new, ringSize, threadFactory, ProducerType.MULTI, waitStrategy);
        consumer = new Consumer(handler);
        disruptor.handleEventsWith(consumer);
        disruptor.setDefaultExceptionHandler(new FatalExceptionHandler());
        ring = disruptor.getRingBuffer();
    }

    public CommandSequencer start()
    {
        disruptor.start();
        started = true;
        return this;
    }

    /** Claims the next slot, or returns {@link #RING_FULL}. Every claimed slot must be committed. */
    @Override
    public long tryClaim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException e)
        {
            return RING_FULL;
        }
    }

    /** Claims the next slot, waiting (spinning) while the ring is full: for operators and tools, never the gateway. */
    public long claim()
    {
        return ring.next();
    }

    /** The buffer of a claimed slot; encode at offset 0, at most {@link #slotCapacity()} bytes. */
    @Override
    public MutableDirectBuffer buffer(final long claim)
    {
        return ring.get(claim).buffer;
    }

    @Override
    public int slotCapacity()
    {
        return ring.get(0).buffer.capacity();
    }

    /**
     * Publishes a claimed slot. A length of 0 (or less) publishes an empty slot the engine skips:
     * use it when encoding failed, since the claim cannot be taken back.
     */
    @Override
    public void commit(final long claim, final int length)
    {
        ring.get(claim).length = Math.max(0, length);
        ring.publish(claim);
    }

    /** Copies an encoded command into the ring; false if it is full (or the command too long). */
    public boolean tryPublish(final org.agrona.DirectBuffer command, final int offset, final int length)
    {
        if (length > slotCapacity())
        {
            return false;
        }
        final long claim = tryClaim();
        if (claim == RING_FULL)
        {
            return false;
        }
        buffer(claim).putBytes(0, command, offset, length);
        commit(claim, length);
        return true;
    }

    /** Slots in use (published or claimed and not yet processed). */
    public long occupancy()
    {
        return capacity - ring.remainingCapacity();
    }

    public int capacity()
    {
        return capacity;
    }

    /** Sequence of the last processed command (the engine's progress through the ring). */
    public long cursor()
    {
        return ring.getCursor();
    }

    /**
     * Waits until every published command is processed, then stops the engine thread. Tracks the
     * consumer's own sequence rather than Disruptor's backlog check, which reports no backlog when
     * the engine thread has not started running yet and would drop what was already published.
     */
    public void drainAndStop(final long timeout, final TimeUnit unit)
    {
        if (!started)
        {
            return;
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (disruptor.getSequenceValueFor(consumer) < ring.getCursor() && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        disruptor.halt();
        consumer.awaitShutdown(deadline);
        started = false;
    }

    @Override
    public void close()
    {
        drainAndStop(30, TimeUnit.SECONDS);
    }

    private static final class Consumer implements EventHandler<CommandSlot>
    {
        private final CommandHandler handler;
        private final java.util.concurrent.CountDownLatch shutdown = new java.util.concurrent.CountDownLatch(1);

        Consumer(final CommandHandler handler)
        {
            this.handler = handler;
        }

        /** Waits (bounded) for the engine thread to run the handler's onShutdown, e.g. a final journal flush. */
        void awaitShutdown(final long deadlineNanos)
        {
            try
            {
                shutdown.await(Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onEvent(final CommandSlot slot, final long sequence, final boolean endOfBatch)
        {
            handler.onCommand(slot.buffer, 0, slot.length);
            if (endOfBatch)
            {
                handler.onEndOfBatch();
            }
        }

        @Override
        public void onStart()
        {
            handler.onStart();
        }

        @Override
        public void onShutdown()
        {
            try
            {
                handler.onShutdown();
            }
            finally
            {
                shutdown.countDown();
            }
        }
    }
}
