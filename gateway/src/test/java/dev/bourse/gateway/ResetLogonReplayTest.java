package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The reset divides at the Logon's arrival (PROTOCOL.md): a resetting Logon's divide, step by step.
 * The gateway runs composed (as in shared threading) on a thread the test pauses, and while paused
 * the test takes the duty cycle's steps itself in the order it wants: the Logons read, a fill
 * journaled and reported, the password checks' results taken.
 */
class ResetLogonReplayTest
{
    private static final String SELL_10 = "55=ACME|54=2|38=10|40=2|44=100|";
    private TestExchange exchange;
    private Gateway gateway;
    private GatewayAgent agent;
    private Driver driver;

    @BeforeEach
    void start() throws IOException
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false));
        openGateway(new GatewayContext().journalPollLimit());
    }

    /** The gateway under test in place of the test exchange's own one, reading at most {@code journalPollLimit} entries a cycle. */
    private void openGateway(final int journalPollLimit) throws IOException
    {
        exchange.gateway.close();
        final GatewayContext ctx = new GatewayContext().port(0).bindAddress("127.0.0.1").sessionDir(exchange.sessionDir)
            .credentials(exchange.credentials).idleStrategy("backoff").logonTimeoutMs(10_000).cancelOnDisconnect(false)
            .journalPollLimit(journalPollLimit);
        gateway = new Gateway(ctx, exchange.sequencer, exchange.tailer(), exchange.gatewayErrors::add).startComposed();
        exchange.gateway = gateway;
        agent = gateway.agent();
        gateway.acceptConnections();
        driver = new Driver(agent, exchange);
    }

    @AfterEach
    void stop() throws IOException
    {
        driver.close();
        exchange.close();
    }

    /** The tester's case: the Logon read, then the fill journaled and reported while the password is checked. */
    @Test
    void aFillJournaledWhileTheResettingLogonIsCheckedFollowsItsReply() throws IOException
    {
        restingSellThenGone("ALICE", "alice", "a1");
        try (FixClient bob = logOn("BOB", "bob"); FixClient alice = new FixClient(gateway.port(), "ALICE"))
        {
            driver.pause();
            resettingLogonRead(alice, "alice");
            buyFilled(bob, 10, 1);
            takeCheckResults(1);
            driver.resume();
            assertFillReplayedAfterReply(alice, "a1");
        }
    }

    /**
     * Two resetting Logons checked at once: the first one's replay rewinds the reports tailer, and
     * the second one's divide was read from the rewound tailer: its fill, stored under the numbering
     * the reset gave up, was neither replayed nor sent.
     */
    @Test
    void aFillJournaledWhileTwoResettingLogonsAreCheckedFollowsEachReply() throws IOException
    {
        restingSellThenGone("ALICE", "alice", "a1");
        restingSellThenGone("CAROL", "carol", "c1");
        try (FixClient bob = logOn("BOB", "bob"); FixClient carol = new FixClient(gateway.port(), "CAROL");
            FixClient alice = new FixClient(gateway.port(), "ALICE"))
        {
            driver.pause();
            resettingLogonRead(carol, "carol"); // checked first (one check thread, one address: in turn)
            resettingLogonRead(alice, "alice");
            buyFilled(bob, 20, 2);
            takeCheckResults(2); // both in one cycle: carol's replay first, then alice's Logon is completed
            driver.resume();
            assertFillReplayedAfterReply(carol, "c1");
            assertFillReplayedAfterReply(alice, "a1");
        }
    }

    /**
     * The boundary: the fill journaled and reported in a cycle before the one that reads the Logon
     * (a new connection's Logon is read only once the gateway has taken the connection, however early
     * it reached the socket) is before the divide: given up, not replayed; the order's status tells it.
     */
    @Test
    void aFillReportedBeforeTheResettingLogonIsReadIsGivenUp() throws IOException
    {
        restingSellThenGone("ALICE", "alice", "a1");
        try (FixClient bob = logOn("BOB", "bob"))
        {
            driver.pause();
            buyFilled(bob, 4, 1); // a partial fill: the order stays in the book, its status can be asked for
            try (FixClient alice = new FixClient(gateway.port(), "ALICE"))
            {
                resettingLogonRead(alice, "alice");
                takeCheckResults(1);
                driver.resume();
                final Map<Integer, String> reply = alice.expect("A");
                assertEquals("1", reply.get(34));
                assertEquals(List.of(), alice.sync(), "nothing of the numbering given up");
                alice.send("H", "11=a1|" + "55=ACME|54=2|");
                final Map<Integer, String> status = alice.expect("8");
                assertEquals("I", status.get(150));
                assertEquals("1", status.get(39), "partly filled, as the status says: " + status);
                assertEquals("4", status.get(14));
                assertNotEquals("Y", status.get(97));
            }
        }
    }

    /**
     * A replay reads entries reported before again: the gauge of where reporting has got to (which a
     * stop waits on, and an operator watches) never follows the rewound reader back, and the fill
     * still follows the Logon's reply.
     */
    @Test
    void theReportedSequenceNeverGoesBackWhileAReplayReadsAgain() throws IOException
    {
        driver.close();
        openGateway(1); // one entry a cycle: the replay's first cycle reads one of the entries read before
        restingSellThenGone("ALICE", "alice", "a1");
        try (FixClient bob = logOn("BOB", "bob"); FixClient alice = new FixClient(gateway.port(), "ALICE"))
        {
            driver.pause();
            resettingLogonRead(alice, "alice");
            buy(bob, 1, 99, 0); // two entries after the divide: a replay's first entry is one reported before
            buyFilled(bob, 10, 1);
            long reported = gateway.reportedSequence();
            takeCheckResults(1); // the replay rewinds to the Logon's divide, before bob's entries
            while (agent.pollReports() > 0)
            {
                final long now = gateway.reportedSequence();
                assertTrue(now >= reported, "reading again does not take the gauge back from " + reported + " to " + now);
                reported = now;
            }
            driver.resume();
            assertFillReplayedAfterReply(alice, "a1");
        }
    }

    // ------------------------------------------------------------------ steps

    private FixClient logOn(final String compId, final String user) throws IOException
    {
        final FixClient client = new FixClient(gateway.port(), compId);
        client.logonOk(user);
        return client;
    }

    /** A session with a resting sell order, then disconnected (no cancel on disconnect): its store is offline. */
    private void restingSellThenGone(final String compId, final String user, final String clOrdId) throws IOException
    {
        final long gone = exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED");
        try (FixClient client = logOn(compId, user))
        {
            client.send("D", "11=" + clOrdId + "|" + SELL_10);
            assertEquals("0", client.expect("8").get(150));
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED") == gone + 1, compId + " disconnected");
    }

    /** The gateway thread paused: reads the sockets until the resetting Logon is parsed and its check under way. */
    private void resettingLogonRead(final FixClient client, final String user) throws IOException
    {
        client.send("A", "98=0|108=30|141=Y|553=" + user + "|554=" + TestExchange.PASSWORD + "|");
        readUntil(() ->
        {
            for (final FixSession s : gateway.sessions().connections())
            {
                if (s.state == FixSession.State.AUTHENTICATING && client.compId.equals(s.logonCompId))
                {
                    return true;
                }
            }
            return false;
        }, "the Logon of " + user + " read");
    }

    /** Bob's buy read, matched and journaled, and its entry reported (bob gets his reports), all before the checks end. */
    private void buyFilled(final FixClient bob, final int quantity, final int fills) throws IOException
    {
        buy(bob, quantity, 100, fills);
    }

    private void buy(final FixClient bob, final int quantity, final int price, final int fills) throws IOException
    {
        final long before = exchange.sequencer.cursor();
        bob.send("D", "11=b" + quantity + "|55=ACME|54=1|38=" + quantity + "|40=2|44=" + price + "|");
        readUntil(() -> exchange.sequencer.cursor() > before, "bob's order read");
        TestExchange.await(() -> exchange.sequencer.processed() >= exchange.sequencer.cursor(), "bob's order journaled");
        while (agent.pollReports() > 0)
        {
            // reporting
        }
        agent.flush();
        assertEquals("0", bob.expect("8").get(150));
        for (int i = 0; i < fills; i++)
        {
            assertEquals("F", bob.expect("8").get(150), "bob's fill");
        }
    }

    /** Waits until the password checks are done, then takes their results in one cycle's step. */
    private void takeCheckResults(final int count)
    {
        TestExchange.await(() -> gateway.sessions().authenticator().resultsWaiting() == count, "the checks done");
        agent.pollSessions();
    }

    private void readUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            agent.pollInput();
            LockSupport.parkNanos(100_000);
        }
    }

    private static void assertFillReplayedAfterReply(final FixClient client, final String clOrdId) throws IOException
    {
        final Map<Integer, String> reply = client.expect("A");
        assertEquals("Y", reply.get(141));
        assertEquals("1", reply.get(34));
        final List<Map<Integer, String>> after = client.sync();
        assertFalse(after.isEmpty(), client.compId + ": the fill journaled after its Logon was read is reported");
        final Map<Integer, String> fill = after.get(0);
        assertEquals("8", fill.get(35), fill.toString());
        assertEquals("F", fill.get(150), fill.toString());
        assertEquals(clOrdId, fill.get(11));
        assertEquals("10", fill.get(32));
        assertEquals("Y", fill.get(97), "read again from the journal: PossResend");
        assertEquals("2", fill.get(34), "the first message of the new numbering after the Logon");
        assertEquals(1, after.size(), "once: " + after);
    }

    /** Runs the gateway's duty cycle on a thread of its own until paused; while paused the test takes its steps. */
    private static final class Driver implements AutoCloseable
    {
        private final Thread thread;
        private volatile boolean pauseRequested;
        private volatile boolean paused;
        private volatile boolean stopped;

        Driver(final GatewayAgent agent, final TestExchange exchange)
        {
            thread = new Thread(() ->
            {
                while (!stopped)
                {
                    if (pauseRequested)
                    {
                        paused = true;
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    paused = false;
                    try
                    {
                        if (agent.doWork() == 0)
                        {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                    catch (final RuntimeException e)
                    {
                        exchange.gatewayErrors.add(e);
                    }
                }
            }, "test-gateway");
            thread.setDaemon(true);
            thread.start();
        }

        void pause()
        {
            pauseRequested = true;
            TestExchange.await(() -> paused, "the gateway thread paused");
        }

        void resume()
        {
            pauseRequested = false;
            TestExchange.await(() -> !paused, "the gateway thread running");
        }

        @Override
        public void close()
        {
            stopped = true;
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
