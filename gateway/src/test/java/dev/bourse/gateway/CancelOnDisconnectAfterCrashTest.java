package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A session that chose cancel-on-disconnect and was logged on when the exchange was killed with
 * SIGKILL loses its orders when the exchange comes back, as it would have at a disconnect: the
 * journal shows it logged on, so the restarted gateway journals its DISCONNECTED and cancels its
 * orders before it takes a connection. A session that chose to keep its orders keeps them, and
 * is journaled disconnected too.
 */
class CancelOnDisconnectAfterCrashTest
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
    void aSessionLoggedOnAtACrashHasItsOrdersCanceledWhenTheExchangeComesBack() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path sessions = dir.resolve("sessions");
        final Path stall = dir.resolve("stall");
        Files.createDirectories(sessions);
        final int port = ExchangeChildProcess.freePort();

        child = ExchangeChildProcess.start(journal, sessions, port, stall, true);
        try (FixClient alice = new FixClient(port, "ALICE"); FixClient bob = new FixClient(port, "BOB"))
        {
            alice.logonOk("alice");                                                   // cancel-on-disconnect by default
            alice.send("D", "11=a1|55=ACME|54=1|38=10|40=2|44=100|");
            assertEquals("0", alice.expect("8").get(150));
            alice.send("D", "11=a2|55=ACME|54=1|38=20|40=2|44=99|");
            assertEquals("0", alice.expect("8").get(150));
            bob.send("A", "98=0|108=30|8013=N|553=bob|554=" + TestExchange.PASSWORD + "|"); // keeps his orders
            bob.expect("A");
            bob.send("D", "11=b1|55=ACME|54=2|38=5|40=2|44=110|");
            assertEquals("0", bob.expect("8").get(150));
            child.kill();                                                            // SIGKILL, both logged on
        }
        child = null;
        final List<String> atCrash = ExchangeChildProcess.journalEvents(journal);
        assertEquals(0, count(atCrash, l -> l.contains("auditType=DISCONNECTED")), "the crash journaled nothing");
        assertEquals(0, count(atCrash, l -> l.contains("OrderCanceled")));

        child = ExchangeChildProcess.start(journal, sessions, port, stall, true);
        final List<String> after = awaitJournal(journal, events -> count(events, l -> l.contains("OrderCanceled")) >= 2
            && count(events, l -> l.contains("MassCancelDone")) >= 1, "alice's orders canceled after the restart");
        final List<String> disconnects = after.stream().filter(l -> l.contains("auditType=DISCONNECTED")).toList();
        assertEquals(2, disconnects.size(), "both sessions journaled disconnected: " + disconnects);
        assertTrue(disconnects.stream().allMatch(l -> l.contains("detail=1|")), "marked as found logged on at the restart: " + disconnects);
        assertTrue(after.stream().filter(l -> l.contains("MassCancelDone")).allMatch(l -> l.contains("reason=CANCEL_ON_DISCONNECT")));
        assertEquals(2, count(after, l -> l.contains("OrderCanceled") && l.contains("accountId=1001|")), "alice's two orders");
        assertEquals(0, count(after, l -> l.contains("OrderCanceled") && l.contains("accountId=1002|")), "bob chose to keep his");

        // alice logs on again (her logon waited for nothing: the cancel is done) and her orders are gone
        try (FixClient alice = new FixClient(port, "ALICE"))
        {
            alice.nextSeq = 4;
            alice.logonOk("alice");
            alice.send("F", "11=a3|41=a1|55=ACME|54=1|");
            final java.util.Map<Integer, String> reject = alice.expect("9");
            assertEquals("a3", reject.get(11));
        }
        // she went away and the gateway saw it: a second restart finds nobody logged on and owes nothing
        awaitJournal(journal, events -> count(events, l -> l.contains("auditType=DISCONNECTED") && l.contains("detail=0|")) >= 1,
            "alice's second session's disconnect");
        child.kill();
        final List<String> beforeSecond = ExchangeChildProcess.journalEvents(journal);
        child = ExchangeChildProcess.start(journal, sessions, port, stall, true);
        try (FixClient carol = new FixClient(port, "CAROL"))
        {
            carol.logonOk("carol");                                                   // the restarted gateway has read the journal
        }
        final List<String> second = awaitJournal(journal, events -> count(events, l -> l.contains("auditType=LOGON")
            && l.contains("username=carol")) >= 1, "carol's logon");
        assertEquals(count(beforeSecond, l -> l.contains("OrderCanceled")), count(second, l -> l.contains("OrderCanceled")));
        assertEquals(2, count(second, l -> l.contains("auditType=DISCONNECTED") && l.contains("detail=1|")),
            "no session found logged on at the second restart");
    }

    private static long count(final List<String> events, final Predicate<String> which)
    {
        return events.stream().filter(which).count();
    }

    private static List<String> awaitJournal(final Path journal, final Predicate<List<String>> condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final List<String> events = ExchangeChildProcess.journalEvents(journal);
            if (condition.test(events))
            {
                return events;
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ": " + events.subList(Math.max(0, events.size() - 20),
                events.size()));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
