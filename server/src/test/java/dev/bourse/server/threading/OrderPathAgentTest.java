package dev.bourse.server.threading;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order path wakes the support thread after a cycle in which the engine took commands, and only then. */
class OrderPathAgentTest
{
    @Test
    void theSupportThreadIsWokenAfterACycleThatJournaledSomethingAndNotWhenIdle() throws Exception
    {
        final int[] engineWork = {0};
        final Agent sequencer = new Agent()
        {
            @Override
            public int doWork()
            {
                return engineWork[0];
            }

            @Override
            public String roleName()
            {
                return "sequencer";
            }
        };
        final AtomicInteger wakes = new AtomicInteger();
        final OrderPathAgent orderPath = new OrderPathAgent(null, sequencer, wakes::incrementAndGet);

        assertEquals(0, orderPath.doWork());
        assertEquals(0, wakes.get(), "an idle cycle wakes nobody");

        engineWork[0] = 3;
        assertEquals(3, orderPath.doWork());
        assertEquals(1, wakes.get(), "one wake per cycle, however many commands it took");
    }
}
