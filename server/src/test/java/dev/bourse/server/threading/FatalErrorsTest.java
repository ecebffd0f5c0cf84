package dev.bourse.server.threading;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error on the order path stops the process, where the thread died and left a process that
 * took connections and answered nothing (an outside probe filled the disk under the session
 * store: a SIGBUS arrived as an InternalError); an exception is logged and the duty cycle goes on.
 */
class FatalErrorsTest
{
    @Test
    void anErrorOnTheOrderPathThreadStopsTheProcessNamingTheLikelyCause() throws Exception
    {
        final BlockingQueue<String> halted = new ArrayBlockingQueue<>(4);
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        final FatalErrors fatal = new FatalErrors(log::add, halted::add);
        final AtomicInteger cycles = new AtomicInteger();
        final Agent agent = new Agent()
        {
            @Override
            public int doWork()
            {
                if (cycles.incrementAndGet() == 3)
                {
                    throw new InternalError("a fault occurred in a recent unsafe memory access operation in compiled Java code");
                }
                return 0;
            }

            @Override
            public String roleName()
            {
                return "test-order-path";
            }
        };
        try (AgentRunner runner = PinnedThreads.start("test-order-path", agent, new SleepingMillisIdleStrategy(1), -1,
            Thread.NORM_PRIORITY, 0, fatal.handler("bourse-order-path"), log::add))
        {
            final String line = halted.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "the process is stopped");
            assertTrue(line.startsWith("fatal: bourse-order-path died of java.lang.InternalError"), line);
            assertTrue(line.contains("most likely the disk under data.dir, the journal or gateway.session-dir is full"), line);
            assertTrue(line.contains("exit status " + FatalErrors.EXIT_STATUS), line);
            assertTrue(log.contains(line), "the line is logged as well: " + log);
        }
    }

    @Test
    void anExceptionIsLoggedAndTheDutyCycleGoesOn()
    {
        final List<String> halted = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final FatalErrors fatal = new FatalErrors(log::add, halted::add);
        fatal.handler("gateway").onError(new IllegalStateException("a session's bad day"));
        assertEquals(List.of("gateway: java.lang.IllegalStateException: a session's bad day"), log);
        assertTrue(halted.isEmpty());

        fatal.handler("engine").onError(new OutOfMemoryError("Java heap space"));
        assertEquals(1, halted.size());
        assertTrue(halted.get(0).startsWith("fatal: engine died of java.lang.OutOfMemoryError: Java heap space; the exchange stops"),
            halted.get(0));
    }
}
