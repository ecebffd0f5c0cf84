package dev.bourse.journal;

import dev.bourse.engine.EngineSnapshot;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine runs in a child JVM under continuous load ({@link CrashChild}); this test tails the
 * journal from outside, kills the child with SIGKILL at random points, restarts it, and checks
 * that every entry it had observed survived, nothing is duplicated, snapshot recovery equals a
 * full replay, and the restarted engine continues with the next sequence and order ids.
 */
class CrashRecoveryTest
{
    private static final int KILLS = 5;
    private static final Pattern RECOVERED = Pattern.compile("RECOVERED sequence=(\\d+) orderId=(\\d+) .*");

    @TempDir
    Path dir;

    private Process child;
    private final List<String> childOutput = new ArrayList<>();

    @AfterEach
    void killChild()
    {
        if (child != null && child.isAlive())
        {
            child.destroyForcibly();
        }
    }

    @Test
    void killedAtRandomPointsTheEngineRecoversEverythingObservedAndContinues() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Path journalDir = dir.resolve("journal");
        final Path snapshotDir = dir.resolve("snapshots");
        final Long2LongHashMap observedCrcBySequence = new Long2LongHashMap(-1);
        final long[] maxObserved = {0};
        final CRC32 crc = new CRC32();
        final JournalHandler observer = (position, buffer, offset, length) ->
        {
            final long sequence = buffer.getLong(offset + 8);
            crc.reset();
            for (int i = 0; i < length; i++)
            {
                crc.update(buffer.getByte(offset + i));
            }
            if (observedCrcBySequence.put(sequence, crc.getValue()) != -1)
            {
                fail("sequence " + sequence + " observed twice");
            }
            if (sequence != maxObserved[0] + 1)
            {
                fail("observed sequence " + sequence + " after " + maxObserved[0]);
            }
            maxObserved[0] = sequence;
        };

        ChronicleJournal reader = null;
        JournalTailer tailer = null;
        final List<long[]> recoveries = new ArrayList<>(); // {recovered sequence, observed before the kill}
        try
        {
            for (int run = 1; run <= KILLS + 1; run++)
            {
                final BlockingQueue<String> lines = startChild(journalDir, snapshotDir, run);
                final long started = System.nanoTime();
                final long recoveredSequence = awaitRecovered(lines);
                System.out.printf("run %d: recovered sequence %d (%d observed before the kill) in %d ms, seed %d%n",
                    run, recoveredSequence, maxObserved[0], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), seed);
                recoveries.add(new long[]{recoveredSequence, maxObserved[0]});
                assertTrue(recoveredSequence >= maxObserved[0], "run " + run + " recovered " + recoveredSequence
                    + " but " + maxObserved[0] + " had been observed (seed " + seed + ")");
                awaitLine(lines, "READY");
                if (reader == null)
                {
                    reader = ChronicleJournal.openForReading(journalDir);
                    tailer = reader.tailerFromStart();
                }
                // Let it run to a random point past what it recovered, then kill it mid-flight.
                final long killAfter = recoveredSequence + 2_000 + random.nextInt(12_000);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (maxObserved[0] < killAfter)
                {
                    if (tailer.poll(observer, 1_000) == 0)
                    {
                        assertTrue(System.nanoTime() < deadline, () -> "no progress past " + maxObserved[0] + ": " + output());
                        assertTrue(child.isAlive(), () -> "child died: " + output());
                        Thread.onSpinWait();
                    }
                }
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                // the start's checks before Chronicle opens the files never refuse what a kill leaves (a file cut short among them)
                assertEquals(null, JournalFiles.damagedHeader(journalDir), "run " + run + " killed (seed " + seed + ")");
                while (tailer.poll(observer, 10_000) > 0)
                {
                    // everything that reached the journal before the kill
                }
            }
        }
        finally
        {
            if (tailer != null)
            {
                tailer.close();
            }
            if (reader != null)
            {
                reader.close();
            }
        }

        // Each restart recovered exactly what had been journaled when the previous run died.
        for (int run = 1; run < recoveries.size(); run++)
        {
            assertTrue(recoveries.get(run)[0] >= recoveries.get(run)[1], "run " + (run + 1));
        }

        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir))
        {
            final Recovery.Result full = Recovery.recover(journal, null, CrashChild.config(), line -> { });
            final Recovery.Result fromSnapshot = Recovery.recover(journal, new SnapshotStore(snapshotDir, 2), CrashChild.config(), line -> { });
            assertTrue(fromSnapshot.source().startsWith("snapshot"), fromSnapshot.source());
            assertArrayEquals(EngineSnapshot.toBytes(full.state()), EngineSnapshot.toBytes(fromSnapshot.state()),
                "snapshot + tail differs from a full replay");
            assertEquals(maxObserved[0], full.state().lastSequence(), "the journal holds exactly what was observed");

            // Every observed entry is in the journal, byte for byte; order ids only ever increase.
            final OrderIds orderIds = new OrderIds();
            final long[] checked = {0};
            try (ChronicleTailer all = journal.tailerFromStart())
            {
                while (all.poll((position, buffer, offset, length) ->
                {
                    final long sequence = buffer.getLong(offset + 8);
                    crc.reset();
                    for (int i = 0; i < length; i++)
                    {
                        crc.update(buffer.getByte(offset + i));
                    }
                    assertEquals(observedCrcBySequence.get(sequence), crc.getValue(), "entry " + sequence + " changed");
                    orderIds.read(buffer, offset, length);
                    checked[0]++;
                }, 10_000) > 0)
                {
                    // checking
                }
            }
            assertEquals(maxObserved[0], checked[0], "one entry per sequence, none duplicated");
            for (int run = 1; run < recoveries.size(); run++)
            {
                final long restartedAt = recoveries.get(run)[0];
                assertTrue(orderIds.acceptedAfter(restartedAt) > 0, "run " + (run + 1) + " accepted new orders");
            }
        }
    }

    private BlockingQueue<String> startChild(final Path journalDir, final Path snapshotDir, final int run) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx512m");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(journalDir.toString());
        command.add(snapshotDir.toString());
        command.add(Integer.toString(run));
        child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line; (line = in.readLine()) != null; )
                {
                    lines.add(line);
                    synchronized (childOutput)
                    {
                        if (childOutput.size() < 200)
                        {
                            childOutput.add(line);
                        }
                    }
                }
            }
            catch (final java.io.IOException ignore)
            {
                // the child was killed
            }
        }, "child-output");
        pump.setDaemon(true);
        pump.start();
        return lines;
    }

    private String output()
    {
        synchronized (childOutput)
        {
            return String.join("\n", childOutput);
        }
    }

    private long awaitRecovered(final BlockingQueue<String> lines) throws InterruptedException
    {
        final String line = awaitLine(lines, "RECOVERED");
        final Matcher matcher = RECOVERED.matcher(line);
        assertTrue(matcher.matches(), line);
        return Long.parseLong(matcher.group(1));
    }

    private String awaitLine(final BlockingQueue<String> lines, final String prefix) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline)
        {
            final String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix))
            {
                return line;
            }
        }
        return fail("child never printed " + prefix + ": " + output());
    }

    /** Order ids of OrderAccepted events: strictly increasing across the whole journal. */
    private static final class OrderIds implements JournalEventListener
    {
        private final JournalEntryReader reader = new JournalEntryReader();
        private final List<long[]> accepted = new ArrayList<>(); // {sequence, orderId}
        private long lastOrderId;

        void read(final DirectBuffer buffer, final int offset, final int length)
        {
            assertEquals(JournalEntryReader.OK, reader.read(buffer, offset, length, this));
        }

        @Override
        public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
        {
            assertTrue(e.orderId() > lastOrderId, "order id " + e.orderId() + " after " + lastOrderId);
            lastOrderId = e.orderId();
            accepted.add(new long[]{header.sequence(), e.orderId()});
        }

        long acceptedAfter(final long sequence)
        {
            return accepted.stream().filter(a -> a[0] > sequence).count();
        }
    }
}
