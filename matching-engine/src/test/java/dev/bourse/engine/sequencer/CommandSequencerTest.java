package dev.bourse.engine.sequencer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class CommandSequencerTest
{
    /** Records (producer, number) pairs from 12-byte commands. */
    private static final class Recorder implements CommandHandler
    {
        final List<long[]> seen = new ArrayList<>();
        int batches;
        int empty;
        volatile boolean started;
        volatile boolean stopped;
        volatile CountDownLatch gate;

        @Override
        public void onCommand(final DirectBuffer buffer, final int offset, final int length)
        {
            final CountDownLatch g = gate;
            if (g != null)
            {
                try
                {
                    g.await();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            if (length == 0)
            {
                empty++;
                return;
            }
            seen.add(new long[] {buffer.getInt(offset), buffer.getLong(offset + 4)});
        }

        @Override
        public void onEndOfBatch()
        {
            batches++;
        }

        @Override
        public void onStart()
        {
            started = true;
        }

        @Override
        public void onShutdown()
        {
            stopped = true;
        }
    }

    @Test
    void everyCommandFromEveryProducerArrivesOnceInEachProducersOrder() throws Exception
    {
        final Recorder recorder = new Recorder();
        final int producers = 3;
        final int perProducer = 50_000;
        final CommandSequencer sequencer = new CommandSequencer(1024, "yielding", recorder).start();
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                final UnsafeBuffer command = new UnsafeBuffer(new byte[12]);
                for (long n = 0; n < perProducer; n++)
                {
                    command.putInt(0, producer);
                    command.putLong(4, n);
                    while (!sequencer.tryPublish(command, 0, 12))
                    {
                        Thread.yield();
                    }
                }
            });
            threads[p].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        sequencer.drainAndStop(30, TimeUnit.SECONDS);

        assertTrue(recorder.started);
        assertTrue(recorder.stopped);
        assertEquals(producers * perProducer, recorder.seen.size());
        final long[] next = new long[producers];
        for (final long[] command : recorder.seen)
        {
            assertEquals(next[(int)command[0]]++, command[1], "producer " + command[0] + " out of order");
        }
        assertTrue(recorder.batches > 0);
    }

    @Test
    void aFullRingIsReportedInsteadOfBlockingTheProducer() throws Exception
    {
        final Recorder recorder = new Recorder();
        recorder.gate = new CountDownLatch(1);
        final CommandSequencer sequencer = new CommandSequencer(8, "sleeping", recorder).start();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[12]);
        int published = 0;
        while (sequencer.tryPublish(command, 0, 12))
        {
            published++;
            assertTrue(published <= 8 + 1, "ring of 8 took more than it can hold");
        }
        assertEquals(CommandSequencer.RING_FULL, sequencer.tryClaim());
        assertEquals(8, sequencer.occupancy());

        recorder.gate.countDown();
        recorder.gate = null;
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        assertEquals(published, recorder.seen.size());
    }

    @Test
    void aClaimThatCannotBeEncodedIsCommittedEmptyAndSkipped()
    {
        final Recorder recorder = new Recorder();
        final CommandSequencer sequencer = new CommandSequencer(8, "sleeping-1ms", recorder).start();
        final long claim = sequencer.tryClaim();
        sequencer.commit(claim, -1);
        final UnsafeBuffer tooLong = new UnsafeBuffer(new byte[sequencer.slotCapacity() + 1]);
        assertFalse(sequencer.tryPublish(tooLong, 0, tooLong.capacity()));
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        assertEquals(1, recorder.empty);
        assertTrue(recorder.seen.isEmpty());
    }

    @Test
    void ringSizeMustBeAPowerOfTwoAndWaitStrategiesAreNamed()
    {
        assertThrows(IllegalArgumentException.class, () -> new CommandSequencer(1000, "sleeping", new Recorder()));
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new CommandSequencer(1024, "spinning-wheel", new Recorder()));
        assertTrue(e.getMessage().contains("sleeping"), e.getMessage());
        for (final String name : IdleStrategies.NAMES.split(",\\s*"))
        {
            assertNotNull(IdleStrategies.of(name), name);
        }
    }

    @Test
    void theConsumerCanRunInsideAnotherDutyCycle() throws Exception
    {
        // shared threading: the producer's own thread drains the ring, no thread of the sequencer's
        final Recorder recorder = new Recorder();
        final CommandSequencer sequencer = new CommandSequencer(16, "backoff", recorder);
        final org.agrona.concurrent.Agent agent = sequencer.agent();
        agent.onStart();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[12]);
        for (int i = 0; i < 5; i++)
        {
            command.putLong(0, 0);
            command.putLong(4, i);
            assertTrue(sequencer.tryPublish(command, 0, 12));
        }
        assertEquals(5, agent.doWork());
        assertEquals(1, recorder.batches, "what one duty cycle drains is one batch");
        assertEquals(0, agent.doWork());
        assertEquals(5, recorder.seen.size());
        assertThrows(IllegalStateException.class, sequencer::start);
        sequencer.drainAndStop(1, TimeUnit.SECONDS);
        agent.onClose();
        assertTrue(recorder.stopped);
    }

    @Test
    void publishedCommandsAreShownAheadOfTheirTurnAndStillArriveOnceInOrder()
    {
        final List<Long> handled = new ArrayList<>();
        final List<Long> shownAhead = new ArrayList<>();
        final CommandHandler handler = new CommandHandler()
        {
            @Override
            public void onCommand(final DirectBuffer buffer, final int offset, final int length)
            {
                handled.add(buffer.getLong(offset));
            }

            @Override
            public void onLookahead(final DirectBuffer buffer, final int offset, final int length)
            {
                final long number = buffer.getLong(offset);
                assertEquals(8, length, "a published command's own length");
                assertTrue(handled.isEmpty() || number > handled.get(handled.size() - 1), "shown before its turn: " + number);
                shownAhead.add(number);
            }

            @Override
            public void onEndOfBatch()
            {
            }
        };
        final CommandSequencer sequencer = new CommandSequencer(64, "backoff", handler);
        final org.agrona.concurrent.Agent agent = sequencer.agent();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[8]);
        final int published = 21;
        for (long i = 0; i < published; i++)
        {
            command.putLong(0, i);
            assertTrue(sequencer.tryPublish(command, 0, 8));
        }
        // claimed and being written, not yet published: never shown
        final long claim = sequencer.tryClaim();
        sequencer.buffer(claim).putLong(0, -1);

        assertEquals(published, assertDoesNotThrowWork(agent));
        assertEquals(published, handled.size());
        for (int i = 0; i < published; i++)
        {
            assertEquals(i, handled.get(i));
        }
        assertFalse(shownAhead.contains(-1L), "an unpublished slot was shown");
        assertTrue(shownAhead.size() >= published - 1 - published / CommandSequencer.LOOKAHEAD_GROUP,
            "every command but the last of the batch is shown ahead once per group: " + shownAhead);
        sequencer.commit(claim, 8);
        assertEquals(1, assertDoesNotThrowWork(agent));
        assertEquals(-1L, handled.get(published));
    }

    private static int assertDoesNotThrowWork(final org.agrona.concurrent.Agent agent)
    {
        return assertDoesNotThrow(agent::doWork);
    }
}
