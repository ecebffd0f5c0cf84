package dev.bourse.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot writes the day's ClOrdIDs in the index's own order, straight from the index: sorting
 * them first took a copy of the whole index beside it (50 bytes an id, kept between snapshots),
 * which an outside tester's soak saw as a third copy of the day in the exchange's heap.
 */
class SnapshotClOrdIdsTest
{
    private static final int IDS = 300_000;

    private static EngineState stateWithIds()
    {
        final EngineState state = new EngineState(new EngineConfig().preallocatedOrders(64).preallocatedLevels(64)
            .expectedClOrdIdsPerDay(IDS).maxClOrdIdsPerDay(IDS));
        state.clOrdIds.writeImmediately();
        // descending, so that the index's order is not the keys' order
        for (int n = IDS; n > 0; n--)
        {
            state.clOrdIds.put(1 + n % 3, n, 0, 0, 0);
        }
        return state;
    }

    @Test
    void writingASnapshotCopiesNoIds()
    {
        final EngineState state = stateWithIds();
        final long[] written = new long[1];
        final StateOutput counting = new StateOutput()
        {
            @Override
            public void putLong(final long value)
            {
                written[0] += Long.BYTES;
            }

            @Override
            public void putInt(final int value)
            {
                written[0] += Integer.BYTES;
            }

            @Override
            public void putByte(final byte value)
            {
                written[0]++;
            }
        };
        EngineSnapshot.write(state, counting); // loads the classes once
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        EngineSnapshot.write(state, counting);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(written[0] > IDS * 36L);
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated writing a snapshot of " + IDS + " ClOrdIDs");
    }

    @Test
    void theIdsComeBackInTheirOrderAndWriteTheSameBytes()
    {
        final EngineState state = stateWithIds();
        final byte[] bytes = EngineSnapshot.toBytes(state);
        final EngineState back = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(bytes), 0, bytes.length),
            new EngineConfig().preallocatedOrders(64).preallocatedLevels(64).expectedClOrdIdsPerDay(IDS).maxClOrdIdsPerDay(IDS));

        assertArrayEquals(bytes, EngineSnapshot.toBytes(back));
        final List<Long> order = new ArrayList<>();
        back.clOrdIds.forEach((account, w0, w1, w2, orderId) ->
        {
            if (order.size() < 3)
            {
                order.add(w0);
            }
        });
        assertEquals(List.of((long)IDS, IDS - 1L, IDS - 2L), order);
        assertEquals(IDS, back.clOrdIds.size());
        assertTrue(back.clOrdIds.contains(1 + 5 % 3, 5, 0, 0));
    }
}
