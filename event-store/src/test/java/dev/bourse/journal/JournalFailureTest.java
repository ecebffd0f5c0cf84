package dev.bourse.journal;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineListener;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventText;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.protocol.CommandWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal on a tiny size-limited filesystem (tmpfs) fills up under the engine: the engine
 * stops taking commands, rejects each with EXCHANGE_HALTED (never journaled, so never confused
 * with an acknowledged event), says why once in the log and in a counter, and everything that
 * was journaled before is intact and recoverable. Needs permission to mount (root, as in CI's
 * container); skipped otherwise.
 */
class JournalFailureTest
{
    @TempDir
    Path dir;

    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception
    {
        if (mountPoint != null)
        {
            // Chronicle unmaps released files on a background thread: wait for it, then unmount
            // (lazily if something still holds the mount, so no mount outlives the test).
            net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
            if (run("umount", mountPoint.toString()) != 0)
            {
                run("umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    void aFullDiskHaltsTheEngineAndEveryLaterCommandIsRejectedAsHalted() throws Exception
    {
        mountPoint = Files.createDirectories(dir.resolve("tiny"));
        if (run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint.toString()) != 0)
        {
            mountPoint = null;
            Assumptions.abort("cannot mount a tmpfs here (needs root)");
        }
        final Path journalDir = mountPoint.resolve("journal");
        final List<String> log = new ArrayList<>();
        final List<String> haltedRejects = new ArrayList<>();
        final List<String> halts = new ArrayList<>();
        final List<Long> unjournaled = new ArrayList<>();
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[1 << 14]), new UnsafeBuffer(new byte[1 << 12]));
        final AtomicCounter appendFailures = counters.newCounter("journal append failures");

        final EngineListener listener = new EngineListener()
        {
            @Override
            public void onHalted(final String reason, final Throwable cause)
            {
                halts.add(reason);
            }

            @Override
            public void onHaltedReject(final DirectBuffer buffer, final int offset, final int length)
            {
                haltedRejects.addAll(new EventText().events(buffer, offset, length));
            }

            @Override
            public void onUnjournaled(final DirectBuffer buffer, final int offset, final int length)
            {
                unjournaled.add(buffer.getLong(offset + 8, java.nio.ByteOrder.LITTLE_ENDIAN));
            }
        };
        long journaled;
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context()
            .dir(journalDir).rollCycle("daily").appendFailures(appendFailures).log(log::add).minFreeBytes(4 << 20)))
        {
            final MatchingEngine engine = new MatchingEngine(new EngineState(config()), journal, listener);
            final SteadyStateLoad load = new SteadyStateLoad(9);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            for (int step = 0, length; (length = load.setup(step, command)) > 0; step++)
            {
                engine.onCommand(command, 0, length);
            }
            int sent = 0;
            while (!engine.isHalted() && sent < 2_000_000)
            {
                final int length = load.next(command, engine.state().liveOrders());
                engine.onCommand(command, 0, length);
                load.syncOrderIds(engine.state().lastOrderId());
                sent++;
            }
            assertTrue(engine.isHalted(), "an 8 MiB filesystem must fill up to its last 4 MiB");
            assertTrue(journal.hasFailed());
            journaled = journal.entriesAppended();
            // every entry the engine made after the last one stored is handed back, in order, to be answered
            assertFalse(unjournaled.isEmpty());
            for (int i = 0; i < unjournaled.size(); i++)
            {
                assertEquals(journaled + 1 + i, unjournaled.get(i), "unjournaled entries follow the journaled ones without a gap");
            }
            assertEquals(engine.state().lastSequence(), unjournaled.get(unjournaled.size() - 1));

            for (int i = 0; i < 5; i++)
            {
                final int length = load.next(command, engine.state().liveOrders());
                engine.onCommand(command, 0, length);
            }
            assertEquals(journaled, journal.entriesAppended(), "nothing more was journaled");
            assertEquals(5, haltedRejects.stream().filter(l -> l.contains("EXCHANGE_HALTED")).count(), haltedRejects.toString());
        }
        assertEquals(1, halts.size(), halts.toString());
        assertTrue(halts.get(0).startsWith("journal append failed"), halts.get(0));
        assertEquals(1, log.size(), "said once: " + log);
        assertTrue(log.get(0).contains("engine stops taking commands"), log.get(0));
        assertTrue(appendFailures.get() >= 1);

        // What was journaled is whole: it replays to the state the engine had acknowledged.
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir))
        {
            final Recovery.Result result = Recovery.recover(journal, null, config(), log::add);
            assertEquals(journaled, result.state().lastSequence(), "every journaled entry replays, none is torn");
        }
    }

    private static EngineConfig config()
    {
        return new EngineConfig()
            .maxInstruments(SteadyStateLoad.INSTRUMENTS + 1)
            .preallocatedOrders(1 << 12)
            .preallocatedLevels(1_024)
            .expectedClOrdIdsPerDay(1 << 20)
            .conclude();
    }

    private static int run(final String... command) throws Exception
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final java.io.IOException e)
        {
            return -1;
        }
    }
}
