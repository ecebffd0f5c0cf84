package dev.bourse.server.threading;

import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PinnedThreadsTest
{
    /** OpenHFT never lends CPU 0 (its default reservable set is every CPU but 0): the thread pins itself. */
    @Test
    void aThreadAskedForTheFirstCpuRunsOnItAlone() throws Exception
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "CPU affinity is set on Linux");
        final int first = Affinity.getAffinity().nextSetBit(0);
        assumeTrue(first >= 0, "this process may run on some CPU");
        final AtomicReference<BitSet> seen = new AtomicReference<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        final Thread thread = PinnedThreads.factory("pinned-test", first, log::add).newThread(() -> seen.set(Affinity.getAffinity()));
        thread.start();
        thread.join(10_000);
        final BitSet expected = new BitSet();
        expected.set(first);
        assertEquals(expected, seen.get(), "log: " + log);
        assertTrue(log.isEmpty(), log.toString());
    }
}
