package dev.bourse.server.cluster;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The schedule in cluster mode: three nodes, each {@code exchange start} in a JVM of its own, with
 * a segment whose closing call began this morning and GTD expiry every second. The leader's
 * scheduler sends the closing call (caught up at its start) and the expiries into the log, and
 * every node journals them; the followers send nothing. The leader is SIGKILLed: the new leader's
 * scheduler takes over (the expiries go on), and its catch-up of the closing call, which names a
 * phase the instrument has left, is refused rather than applied twice.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterSchedulerTest
{
    private static final String LEADS = "scheduler: this node leads";

    /** Kept when the test fails: every node's whole log (node<i>.log) is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    private LocalCluster cluster;

    @AfterEach
    void stopEverything()
    {
        if (cluster != null)
        {
            for (int node = 0; node < 3; node++)
            {
                System.out.println("---- node " + node + " ----");
                cluster.output(node).lines().filter(line -> line.contains("scheduler") || line.contains("role"))
                    .forEach(System.out::println);
            }
            final List<Path> aeronDirs = new ArrayList<>();
            for (int node = 0; node < 3; node++)
            {
                if (cluster.aeronDir(node) != null)
                {
                    aeronDirs.add(cluster.aeronDir(node));
                }
            }
            cluster.close();
            // the killed leader's too: left in /dev/shm, under a name no later run uses, it would stay there
            for (final Path dir : aeronDirs)
            {
                assertFalse(Files.exists(dir), "the nodes' Aeron directories are gone: " + dir);
            }
        }
    }

    @Test
    void theLeaderRunsTheScheduleAndTheNextLeaderTakesItOver() throws Exception
    {
        cluster = new LocalCluster(root.resolve("cluster"), 3, config(), jvmFlags(), "256m");
        cluster.restartNodesThatStopThemselves(System.out::println); // as a supervisor would (docs/CLUSTER.md)
        cluster.startAll(180);
        await(() -> journal(0).phaseChanges.size() == 1 && journal(0).expiries >= 2, 120,
            () -> "the closing call and GTD expiries journaled: " + journal(0));
        await(cluster::inStep, 60, () -> "every node in step: " + cluster.status());
        // read now, not at the start: the first election can hand leadership on within milliseconds
        final int leader = cluster.leader();
        for (int node = 0; node < 3; node++)
        {
            final Journal journal = journal(node);
            assertEquals(List.of(TradingPhase.CLOSING_CALL), journal.phaseChanges, "node " + node + ": the catch-up's closing call");
            assertEquals(1, journal.phaseCommands, "node " + node + ": one phase command, from one scheduler");
            assertEquals(node == leader, cluster.output(node).contains(LEADS), "node " + node + "'s scheduler runs only if it leads");
        }

        final long expiriesBefore = journal((leader + 1) % 3).expiries;
        cluster.kill(leader);
        final int newLeader = cluster.awaitLeader(30_000);
        assertTrue(newLeader >= 0 && newLeader != leader, "a new leader");
        await(() -> cluster.output(newLeader).contains(LEADS), 60, () -> "the new leader's scheduler started");
        // the catch-up finds the closing call begun (the journal says so) and sends nothing, where it sent one the engine refused
        await(() -> journal(newLeader).expiries >= expiriesBefore + 3 && cluster.output(newLeader).contains("scheduler: skipped catch-up:"),
            60, () -> "the expiries go on, and the catch-up of the closing call is skipped: " + journal(newLeader));
        await(cluster::inStep, 60, () -> "the survivors in step: " + cluster.status());
        for (int node = 0; node < 3; node++)
        {
            if (node == leader)
            {
                continue;
            }
            final Journal journal = journal(node);
            assertEquals(List.of(TradingPhase.CLOSING_CALL), journal.phaseChanges,
                "node " + node + ": the closing call once: " + journal);
            assertEquals(1, journal.phaseCommands, "node " + node + ": the old leader's closing call; the new one's catch-up sent nothing");
        }
    }

    /** What a node's journal holds of the schedule. */
    private static final class Journal
    {
        final List<TradingPhase> phaseChanges = new ArrayList<>();
        int phaseCommands;
        long expiries;

        @Override
        public String toString()
        {
            return "phase changes " + phaseChanges + ", phase commands " + phaseCommands + ", expiries " + expiries;
        }
    }

    private Journal journal(final int node)
    {
        final Journal journal = new Journal();
        final JournalEntryReader reader = new JournalEntryReader();
        final JournalEventListener listener = new JournalEventListener()
        {
            @Override
            public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
            {
                journal.phaseChanges.add(event.phase());
            }
        };
        try (ChronicleJournal opened = ChronicleJournal.openForReading(cluster.journalDir(node));
            ChronicleTailer tailer = opened.tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                assertEquals(JournalEntryReader.OK, reader.read(buffer, offset, length, listener), "a well-formed entry");
                final CommandType type = reader.header().commandType();
                if (type == CommandType.SET_TRADING_PHASE)
                {
                    journal.phaseCommands++;
                }
                else if (type == CommandType.EXPIRE_ORDERS)
                {
                    journal.expiries++;
                }
            }, Integer.MAX_VALUE);
        }
        return journal;
    }

    /**
     * A leader heartbeat timeout well above a busy host's stalls: three JVMs starting on two cores
     * made a 500 ms one elect twice at start. So did 2 s once with the 150 ms election timeout, in a
     * clean-clone CI run next to another exchange (a leader for 0.5 s, then another: the followers
     * wedged in Aeron's followerLogAwait), hence Aeron's own default of 1 s for the election here.
     * A segment whose closing call began at 06:00 and whose close is at 18:00, in a zone where it is
     * about noon now: the leader's scheduler, started in between, sends the closing call at once.
     */
    private static String config()
    {
        final int offsetHours = 12 - ZonedDateTime.now(ZoneOffset.UTC).getHour();
        return """
            cluster.leader-heartbeat-timeout = 2s
            cluster.leader-heartbeat-interval = 100ms
            cluster.election-timeout = 1s
            cluster.startup-canvass-timeout = 5s
            cluster.idle-strategy = backoff:1000
            cluster.log-term-length = 1048576
            engine.max-instruments = 16
            engine.preallocated-orders = 1024
            md.enabled = false
            query.enabled = false
            instruments = ACME
            instrument.ACME.reference-price = 100
            instrument.ACME.tick = 0.01
            accounts = 1001
            account.1001.cash = 1000000
            users = t1
            user.t1.account = 1001
            user.t1.password = trader-secret
            schedule.enabled = true
            schedule.trading-days = mon, tue, wed, thu, fri, sat, sun
            schedule.gtd-expiry-interval = 1s
            schedule.segments = main
            schedule.segment.main.instruments = ACME
            schedule.segment.main.closing-call = 06:00
            schedule.segment.main.close = 18:00
            """ + "schedule.time-zone = " + ZoneOffset.ofHours(offsetHours).getId() + "\n";
    }

    private static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>(LocalCluster.projectJvmFlags());
        flags.add("-XX:+UseSerialGC");
        return flags;
    }

    private static void await(final BooleanSupplier condition, final int seconds, final Supplier<String> what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not within " + seconds + " s: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
