package dev.bourse.readmodels;

import dev.bourse.journal.JournalTailer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints written a slice at a time, so that the projection thread answers queries while it
 * writes one: the same bytes as written at once (and as {@link DataOutputStream} writes them, the
 * format older checkpoints have), the orders in OrderID order however their rows were reused, and
 * a query answered between slices while no entry is applied until the checkpoint is written.
 */
class CheckpointSlicesTest
{
    @TempDir
    Path dir;

    @Test
    void theCheckpointsOutputWritesWhatDataOutputStreamWrites() throws IOException
    {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final ByteArrayOutputStream actual = new ByteArrayOutputStream();
        final DataOutputStream reference = new DataOutputStream(expected);
        final CheckpointOutput out = new CheckpointOutput().reset(Channels.newChannel(actual));
        final UnsafeBuffer id = new UnsafeBuffer(new byte[20]);
        id.putBytes(0, "ORD-1".getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer high = new UnsafeBuffer(new byte[20]);
        high.putByte(0, (byte)0x41);
        high.putByte(1, (byte)0xC3);
        for (int round = 0; round < 30_000; round++) // past the buffer's megabyte, so flushes happen mid-value
        {
            reference.writeLong(round * 0x0102030405060708L);
            out.writeLong(round * 0x0102030405060708L);
            reference.writeInt(-round);
            out.writeInt(-round);
            reference.writeByte(round);
            out.writeByte(round);
            reference.writeBoolean(round % 3 == 0);
            out.writeBoolean(round % 3 == 0);
            reference.writeShort(round);
            out.writeShort(round);
            reference.writeUTF("h\u00e9llo \u20ac\u0000" + round);
            out.writeUTF("h\u00e9llo \u20ac\u0000" + round);
            reference.writeUTF("ORD-1");
            assertTrue(out.writeAscii(id, 0, 5));
            assertFalse(out.writeAscii(high, 0, 2), "a byte above 127 is left to writeUTF");
            reference.write(new byte[]{1, 2, 3}, 1, 2);
            out.write(new byte[]{1, 2, 3}, 1, 2);
        }
        out.flush();
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
        final CRC32 crc = new CRC32();
        crc.update(expected.toByteArray());
        assertEquals(crc.getValue(), out.checksum());
        assertEquals(expected.size(), out.written());
    }

    @Test
    void rowsComeInKeyOrderWhateverTheirRowsAndHoweverSmallTheSlices()
    {
        final KeyedRows rows = new KeyedRows(16, 512);
        final SplittableRandom random = new SplittableRandom(5);
        final HashSet<Long> keys = new HashSet<>();
        while (keys.size() < 3 * RowsInKeyOrder.RUN + 123) // several runs to merge
        {
            final long key = 1 + random.nextLong(1L << 40);
            if (keys.add(key))
            {
                rows.create(key);
            }
            if (keys.size() % 7 == 0 && random.nextBoolean()) // rows freed and reused in another key's order
            {
                final Long gone = keys.iterator().next();
                keys.remove(gone);
                rows.close(gone);
                rows.releaseClosed();
            }
        }
        final long[] sorted = keys.stream().mapToLong(Long::longValue).sorted().toArray();
        for (final int slice : new int[]{1, 7, 1_000, Integer.MAX_VALUE})
        {
            final RowsInKeyOrder ordered = new RowsInKeyOrder(rows);
            int calls = 0;
            while (!ordered.ready())
            {
                assertTrue(ordered.prepare(slice) <= Math.max(slice, RowsInKeyOrder.RUN / 8), "about the slice asked for");
                calls++;
            }
            assertTrue(slice == Integer.MAX_VALUE ? calls == 1 : calls > 3, slice + ": " + calls);
            assertEquals(sorted.length, ordered.count());
            for (final long key : sorted)
            {
                assertEquals(rows.find(key), ordered.nextRow(), "the row of key " + key);
            }
            assertEquals(-1, ordered.nextRow());
        }
    }

    @Test
    void keysThatCannotBePackedAreSortedAndLookedUpInstead()
    {
        final KeyedRows rows = new KeyedRows(16, 64);
        final long[] keys = {Long.MAX_VALUE - 1, -5, 17, 3};
        for (final long key : keys)
        {
            rows.create(key);
        }
        final RowsInKeyOrder ordered = new RowsInKeyOrder(rows);
        assertTrue(ordered.ready());
        final long[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (final long key : sorted)
        {
            assertEquals(rows.find(key), ordered.nextRow());
        }
        assertEquals(-1, ordered.nextRow());
    }

    @Test
    void aCheckpointWrittenInSlicesIsTheOneWrittenAtOnce() throws IOException
    {
        final Workload workload = new Workload(31).run(20_000);
        final ReadModels models = workload.project();
        assertTrue(models.liveOrders() > 100, "a book to write: " + models.liveOrders());
        final ByteArrayOutputStream sliced = new ByteArrayOutputStream();
        final CheckpointOutput out = new CheckpointOutput().reset(Channels.newChannel(sliced));
        final StateWriter writer = models.stateWriter(out);
        int slices = 1;
        while (!writer.writeSome(3))
        {
            slices++;
        }
        out.flush();
        assertTrue(slices > models.liveOrders() / 3, slices + " slices");
        assertArrayEquals(RestartAndRebuildTest.bytes(models), sliced.toByteArray());
    }

    @Test
    void queriesAreAnsweredWhileACheckpointIsWrittenAndNoEntryIsAppliedUntilItIsDone() throws Exception
    {
        final Workload workload = new Workload(32).run(20_000);
        final long entries = workload.journal.size();
        final CheckpointStore checkpoints = new CheckpointStore(dir);
        final ProjectionAgent agent = new ProjectionAgent(new ReadModels(), JournalSource.of(workload.journal), new ReadModelCounters(),
            checkpoints, entries / 2, 100, 1_024, line -> fail(line)).checkpointSlice(5);
        agent.onStart();
        while (!agent.checkpointInProgress())
        {
            assertTrue(agent.doWork() > 0, "a checkpoint starts halfway through the journal");
        }
        final ReadModels models = agent.models();
        final long applied = models.entriesApplied();
        assertTrue(applied >= entries / 2 && applied < entries, applied + " of " + entries);
        final Query query = Query.now(m -> Response.error(418, "teapot", "answered", m.position()));
        assertTrue(agent.submit(query));
        agent.doWork();
        assertTrue(query.result().isDone(), "answered between two slices");
        assertEquals(418, query.result().get(1, TimeUnit.SECONDS).status());
        assertTrue(agent.checkpointInProgress(), "the checkpoint is not written yet");
        assertEquals(0, agent.counters().checkpointsWritten());
        assertEquals(applied, models.entriesApplied(), "no entry applied while the checkpoint is written");

        while (agent.counters().checkpointsWritten() == 0)
        {
            agent.doWork();
            assertTrue(models.entriesApplied() == applied || !agent.checkpointInProgress());
        }
        while (models.entriesApplied() < entries)
        {
            agent.doWork();
        }
        checkpoints.awaitDurable();
        final ReadModels atCheckpoint = new ReadModels();
        try (JournalTailer tailer = workload.journal.tailer())
        {
            while (atCheckpoint.entriesApplied() < applied && tailer.poll(atCheckpoint, 1) > 0)
            {
                // up to where the checkpoint was taken
            }
        }
        assertArrayEquals(RestartAndRebuildTest.bytes(atCheckpoint), RestartAndRebuildTest.bytes(checkpoints.load(line -> fail(line))));
        assertEquals(atCheckpoint.sequence(), CheckpointStore.newestSequence(dir), "the checkpoint's sequence, its checksum verified");
        agent.onClose();
        assertArrayEquals(RestartAndRebuildTest.bytes(workload.project()),
            RestartAndRebuildTest.bytes(new CheckpointStore(dir).load(line -> fail(line))), "the last checkpoint, at close");
    }
}
