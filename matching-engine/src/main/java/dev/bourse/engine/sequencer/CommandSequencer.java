package dev.bourse.engine.sequencer;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.bourse.protocol.CommandWriter;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sequencer: a multi-producer Disruptor ring of fixed-size command slots, drained by one
 * consumer into the engine. Producers claim a slot without blocking ({@link #tryClaim()} returns
 * {@link #RING_FULL}, so a gateway can answer "busy" instead of stalling), encode the command in
 * place, and {@link #commit} it. The ring order is the engine's command order.
 * <p>
 * The Disruptor only orders the slots (claim, publish, availability). The commands live in one
 * contiguous, cache-line-aligned buffer where a slot's address follows from its sequence: the
 * engine thread reads what a producer on another core wrote in order, where the hardware
 * prefetcher sees it coming, while an object per slot cost a chain of dependent misses (entry,
 * buffer object, bytes).
 * <p>
 * The consumer is a Disruptor {@link EventPoller} inside an Agrona {@link Agent}, so where it runs
 * is the caller's choice (the threading mode): {@link #agent()} composes it into another duty
 * cycle (shared mode: the gateway's thread reads a socket, publishes, drains the ring into the
 * engine and writes the ack without a hand-off), {@link #start()} gives it a thread of its own with
 * its own idle strategy (dedicated mode).
 */
public final class CommandSequencer implements CommandPublisher, AutoCloseable
{
    /** {@link #tryClaim()} result when the ring is full. */
    public static final long RING_FULL = NO_CLAIM;

    /** Most commands one duty cycle drains before the batch ends (and the journal writes it). */
    public static final int MAX_BATCH = 4096;

    /**
     * The handler is shown published commands in groups of this many before it handles them
     * ({@link CommandHandler#onLookahead}). The cache misses of one group's reads overlap each
     * other, so a group costs about one miss instead of one per command (Java has no prefetch
     * instruction: a plain read that misses holds up the core once its reorder window fills, so
     * the reads must be close together).
     */
    static final int LOOKAHEAD_GROUP = 8;

    /** Bytes per slot: two cache lines, the longest command. */
    static final int SLOT_LENGTH = CommandWriter.MAX_COMMAND_LENGTH;

    /** The most slots: their bytes are one buffer, indexed by an int. */
    public static final int MAX_RING_SIZE = 1 << 23;

    private final RingBuffer<CommandSlot> ring;
    private final EventPoller<CommandSlot> poller;
    private final int capacity;
    private final int mask;
    /** Every slot's bytes: slot i at i * {@link #SLOT_LENGTH}. */
    private final UnsafeBuffer slots;
    /** Each slot as a buffer of its own, for producers that encode at offset 0. */
    private final UnsafeBuffer[] slotViews;
    /** Each slot's command length, written before the slot is published. */
    private final int[] lengths;
    private final SequencerAgent agent;
    private final IdleStrategy idleStrategy;
    private final ThreadFactory threadFactory;
    private AgentRunner runner;
    private volatile boolean composed;
    private volatile boolean running;

    /**
     * @param ringSize     power of two.
     * @param idleStrategy for a thread of its own, see {@link IdleStrategies}.
     */
    public CommandSequencer(final int ringSize, final String idleStrategy, final CommandHandler handler)
    {
        this(ringSize, IdleStrategies.of(idleStrategy), handler, runnable ->
        {
            final Thread thread = new Thread(runnable, "bourse-engine");
            thread.setDaemon(true);
            return thread;
        });
    }

    public CommandSequencer(
        final int ringSize, final IdleStrategy idleStrategy, final CommandHandler handler, final ThreadFactory threadFactory)
    {
        if (Integer.bitCount(ringSize) != 1 || ringSize < 2 || ringSize > MAX_RING_SIZE)
        {
            throw new IllegalArgumentException("ring size must be a power of two from 2 to " + MAX_RING_SIZE + ": " + ringSize);
        }
        this.capacity = ringSize;
        this.mask = ringSize - 1;
        this.slots = new UnsafeBuffer(BufferUtil.allocateDirectAligned(ringSize * SLOT_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        this.slotViews = new UnsafeBuffer[ringSize];
        for (int i = 0; i < ringSize; i++)
        {
            slotViews[i] = new UnsafeBuffer(slots, i * SLOT_LENGTH, SLOT_LENGTH);
        }
        this.lengths = new int[ringSize];
        this.idleStrategy = idleStrategy;
        this.threadFactory = threadFactory;
        // The consumer never waits on the ring (it polls), so the wait strategy only matters to
        // producers, which signal it on publish: the lite strategy signals only when someone waits.
        ring = RingBuffer.createMultiProducer(CommandSlot::new, ringSize, new LiteBlockingWaitStrategy());
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        agent = new SequencerAgent(handler);
    }

    /**
     * The consumer as an Agent for the caller's duty cycle (shared threading). Its doWork drains
     * what has been published, up to {@link #MAX_BATCH}, then ends the batch.
     */
    public Agent agent()
    {
        if (runner != null)
        {
            throw new IllegalStateException("the sequencer already runs on a thread of its own");
        }
        composed = true;
        running = true;
        return agent;
    }

    /** Runs the consumer on a thread of its own (dedicated threading). */
    public CommandSequencer start()
    {
        return start(Throwable::printStackTrace);
    }

    public CommandSequencer start(final ErrorHandler errorHandler)
    {
        if (composed)
        {
            throw new IllegalStateException("the sequencer's agent is composed into another duty cycle");
        }
        runner = new AgentRunner(idleStrategy, errorHandler, null, agent);
        AgentRunner.startOnThread(runner, threadFactory);
        running = true;
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

    /**
     * Claims the next slot, waiting (spinning) while the ring is full: for operators and tools on
     * their own threads, never for the thread that drains the ring.
     */
    public long claim()
    {
        return ring.next();
    }

    /** The buffer of a claimed slot; encode at offset 0, at most {@link #slotCapacity()} bytes. */
    @Override
    public MutableDirectBuffer buffer(final long claim)
    {
        return slotViews[(int)claim & mask];
    }

    @Override
    public int slotCapacity()
    {
        return SLOT_LENGTH;
    }

    /**
     * Publishes a claimed slot. A length of 0 (or less) publishes an empty slot the engine skips:
     * use it when encoding failed, since the claim cannot be taken back.
     */
    @Override
    public void commit(final long claim, final int length)
    {
        lengths[(int)claim & mask] = Math.max(0, length);
        ring.publish(claim);
    }

    /** Copies an encoded command into the ring; false if it is full (or the command too long). */
    public boolean tryPublish(final DirectBuffer command, final int offset, final int length)
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

    /** Sequence of the last published (or claimed) slot. */
    public long cursor()
    {
        return ring.getCursor();
    }

    /** Sequence of the last slot the engine processed. */
    public long processed()
    {
        return poller.getSequence().get();
    }

    /**
     * Waits until every published command is processed (by whichever thread runs the agent), then
     * stops the sequencer's own thread if it has one. Bounded by the timeout.
     */
    public void drainAndStop(final long timeout, final TimeUnit unit)
    {
        if (!running)
        {
            return;
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (processed() < ring.getCursor() && System.nanoTime() < deadline && !agent.failed)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (runner != null)
        {
            runner.close();
            runner = null;
        }
        running = false;
    }

    @Override
    public void close()
    {
        drainAndStop(30, TimeUnit.SECONDS);
    }

    private final class SequencerAgent implements Agent, EventPoller.Handler<CommandSlot>
    {
        private final CommandHandler handler;
        private int drained;
        private volatile boolean failed;

        SequencerAgent(final CommandHandler handler)
        {
            this.handler = handler;
        }

        @Override
        public void onStart()
        {
            handler.onStart();
        }

        @Override
        public int doWork() throws Exception
        {
            drained = 0;
            try
            {
                poller.poll(this);
            }
            catch (final Exception | Error e)
            {
                failed = true;
                throw e;
            }
            if (drained > 0)
            {
                handler.onEndOfBatch();
            }
            return drained;
        }

        @Override
        public boolean onEvent(final CommandSlot slot, final long sequence, final boolean endOfBatch)
        {
            final int index = (int)sequence & mask;
            if (!endOfBatch && drained % LOOKAHEAD_GROUP == 0)
            {
                for (int ahead = 0; ahead < LOOKAHEAD_GROUP; ahead++)
                {
                    lookahead(sequence + ahead);
                }
            }
            handler.onCommand(slots, index * SLOT_LENGTH, lengths[index]);
            return ++drained < MAX_BATCH;
        }

        /** Only a published slot is shown: until then a producer may be writing it. */
        private void lookahead(final long sequence)
        {
            if (ring.isAvailable(sequence))
            {
                final int index = (int)sequence & mask;
                handler.onLookahead(slots, index * SLOT_LENGTH, lengths[index]);
            }
        }

        @Override
        public void onClose()
        {
            handler.onShutdown();
        }

        @Override
        public String roleName()
        {
            return "bourse-engine";
        }
    }
}
