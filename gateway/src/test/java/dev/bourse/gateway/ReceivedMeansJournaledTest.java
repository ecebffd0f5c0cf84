package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private ExchangeChildProcess child;

    @AfterEach
    void tearDown() throws InterruptedException
    {
        if (child != null)
        {
            child.kill();
        }
    }

    @Test
    void anOrderReadButNotJournaledBeforeACrashIsAskedForAgainAndExecutedOnce() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path sessions = dir.resolve("sessions");
        final Path stall = dir.resolve("stall");
        Files.createDirectories(sessions);
        final int port = ExchangeChildProcess.freePort();

        child = ExchangeChildProcess.start(journal, sessions, port, stall, false);
        try (FixClient alice = new FixClient(port, "ALICE"))
        {
            alice.logonOk("alice");                                                    // in 1
            alice.send("D", "11=a1|55=ACME|54=1|38=10|40=2|44=100|");                 // in 2: journaled
            assertEquals("0", alice.expect("8").get(150));
            Files.createFile(stall);
            child.awaitLine("STALLED");
            alice.send("D", "11=a2|55=ACME|54=1|38=20|40=2|44=100|");                 // in 3: read, not journaled
            awaitNextInSeq(sessions, 4);
            child.kill();                                                              // SIGKILL
        }
        Files.delete(stall);

        child = ExchangeChildProcess.start(journal, sessions, port, stall, false);
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
        child.kill();
        child = null;
        assertEquals(1, countAccepted(journal, "clOrdId=a1"), "a1 once");
        assertEquals(1, countAccepted(journal, "clOrdId=a2"), "a2 once: asked for again, executed once");
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
        return ExchangeChildProcess.journalEvents(journalDir).stream()
            .filter(l -> l.startsWith("OrderAccepted") && (l.contains(fragment + "|") || l.endsWith(fragment))).count();
    }
}
