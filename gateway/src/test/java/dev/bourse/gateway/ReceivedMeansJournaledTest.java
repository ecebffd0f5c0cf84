package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.engine.EventText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A FIX message counts as received only once its command is journaled. The gateway reads an
 * order and moves its inbound MsgSeqNum on, but the engine holds the command; the process is
 * killed with SIGKILL. After the restart the exchange asks for that message again, the client
 * resends it, and the order exists exactly once.
 */
class ReceivedMeansJournaledTest
{
    @TempDir
    Path dir;

    private Process child;
    private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

    @AfterEach
    void tearDown()
    {
        if (child != null)
        {
            child.destroyForcibly();
        }
    }

    @Test
    void anOrderReadButNotJournaledBeforeACrashIsAskedForAgainAndExecutedOnce() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path sessions = dir.resolve("sessions");
        final Path stall = dir.resolve("stall");
        Files.createDirectories(sessions);
        final int port = freePort();

        startChild(journal, sessions, port, stall);
        try (FixClient alice = new FixClient(port, "ALICE"))
        {
            alice.logonOk("alice");                                                    // in 1
            alice.send("D", "11=a1|55=ACME|54=1|38=10|40=2|44=100|");                 // in 2: journaled
            assertEquals("0", alice.expect("8").get(150));
            Files.createFile(stall);
            awaitLine("STALLED");
            alice.send("D", "11=a2|55=ACME|54=1|38=20|40=2|44=100|");                 // in 3: read, not journaled
            awaitNextInSeq(sessions, 4);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);                    // SIGKILL
        }
        Files.delete(stall);

        startChild(journal, sessions, port, stall);
        try (FixClient alice = new FixClient(port, "ALICE"))
        {
            alice.nextSeq = 4;
            alice.logonOk("alice");
            final Map<Integer, String> resendRequest = alice.expect("2");
            assertEquals("3", resendRequest.get(7), "the exchange asks again for the message it never journaled");
            // the client resends 3 (PossDup); its Logon, 4, is an admin message it gap-fills
            alice.sendPossDup(3, "D", "11=a2|55=ACME|54=1|38=20|40=2|44=100|");
            final Map<Integer, String> ack = alice.expect("8");
            assertEquals("a2", ack.get(11));
            assertEquals("0", ack.get(150));
        }
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        child = null;
        assertEquals(1, countAccepted(journal, "clOrdId=a1"), "a1 once");
        assertEquals(1, countAccepted(journal, "clOrdId=a2"), "a2 once: asked for again, executed once");
    }

    private void awaitLine(final String expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (String line; ; )
        {
            line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "the child did not say " + expected);
            if (line.equals(expected))
            {
                return;
            }
        }
    }

    private static void awaitNextInSeq(final Path sessions, final int expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (SessionStore store = SessionStore.open(sessions, "ALICE", 1 << 16))
        {
            while (store.nextInSeq() < expected)
            {
                assertTrue(System.nanoTime() < deadline, "the gateway did not read message " + (expected - 1));
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private static long countAccepted(final Path journalDir, final String fragment)
    {
        final List<String> lines = new ArrayList<>();
        final EventText text = new EventText();
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); JournalTailer tailer = journal.tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) -> lines.addAll(text.events(buffer, offset, length)), Integer.MAX_VALUE);
        }
        return lines.stream().filter(l -> l.startsWith("OrderAccepted") && (l.contains(fragment + "|") || l.endsWith(fragment))).count();
    }

    private void startChild(final Path journal, final Path sessions, final int port, final Path stall) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx256m");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StallableExchangeChild.class.getName());
        command.add(journal.toString());
        command.add(sessions.toString());
        command.add(Integer.toString(port));
        command.add(stall.toString());
        child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        final List<String> seen = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; )
        {
            if (line.startsWith("READY "))
            {
                final Thread pump = new Thread(() -> out.lines().forEach(lines::add), "child-output");
                pump.setDaemon(true);
                pump.start();
                return;
            }
            seen.add(line);
        }
        fail("the child exchange did not start: " + String.join("\n", seen));
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
