package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sequence numbers and stored outbound messages survive a restart of the gateway (its session
 * directory), reports for what happened while it was down are delivered, and nothing is reported
 * twice. The journal here is the real Chronicle Queue one.
 */
class RestartTest
{
    private TestExchange exchange;

    @AfterEach
    void tearDown() throws IOException
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void sequenceNumbersAndStoredMessagesSurviveACleanRestart() throws IOException
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false), 1024, true);
        final FixClient alice = new FixClient(exchange.port(), "ALICE");
        alice.logonOk("alice");                                              // in 1, out 1
        alice.send("D", "11=a1|55=ACME|54=1|38=100|40=2|44=100|");          // in 2, out 2
        final Map<Integer, String> accepted = alice.expect("8");
        alice.send("5", "");                                                 // in 3, out 3
        alice.expect("5");
        assertTrue(alice.awaitClosed());
        alice.close();

        exchange.restartGateway(true);

        // bob trades with alice's order while she is away
        try (FixClient bob = new FixClient(exchange.port(), "BOB"))
        {
            bob.logonOk("bob");
            bob.send("D", "11=b1|55=ACME|54=2|38=30|40=2|44=100|");
            bob.expect("8");
            assertEquals("F", bob.expect("8").get(150));
        }

        try (FixClient back = new FixClient(exchange.port(), "ALICE"))
        {
            back.nextSeq = 4;
            final Map<Integer, String> logon = back.logonOk("alice");
            // out 4 is the fill stored while she was away; nothing from before the restart was stored again
            assertEquals("5", logon.get(34));
            back.send("2", "7=2|16=0|");
            final Map<Integer, String> resentAck = back.expect("8");
            assertEquals("2", resentAck.get(34));
            assertEquals("Y", resentAck.get(43));
            assertEquals(accepted.get(17), resentAck.get(17));
            assertEquals(accepted.get(52), resentAck.get(122));
            final Map<Integer, String> gapFill = back.expect("4");
            assertEquals("3", gapFill.get(34));
            assertEquals("4", gapFill.get(36));
            final Map<Integer, String> fill = back.expect("8");
            assertEquals("4", fill.get(34));
            assertEquals("F", fill.get(150));
            assertEquals("70", fill.get(151));
            assertEquals("6", back.expect("4").get(36));
            assertTrue(back.sync().isEmpty());
        }
    }

    @Test
    void aGatewayThatGoesAwayWithoutLogoutResumesTheSessionFromItsFiles() throws IOException
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false), 1024, true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.logonOk("alice");
            alice.send("D", "11=a1|55=ACME|54=1|38=100|40=2|44=100|");
            alice.expect("8");
            alice.sync();
            exchange.restartGateway(false);
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.nextSeq = 4;
            final Map<Integer, String> logon = alice.logonOk("alice");
            assertEquals("4", logon.get(34));
            alice.send("F", "11=a2|41=a1|55=ACME|54=1|");
            final Map<Integer, String> canceled = alice.next();
            alice.sync();
            assertEquals("4", canceled.get(150));
            assertEquals("5", canceled.get(34));
            assertTrue(alice.sync().isEmpty(), "the acceptance was not reported a second time");
        }
        // the same engine session id after the restart: the cancel found the order through the session's account
        assertEquals(1, exchange.countEvents("OrderCanceled", "sessionId=1|"));
    }

    @Test
    void aSequenceResetDuringTheSessionHoldsAfterTheGatewayWentAway() throws IOException
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false), 1024, true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.logonOk("alice");
            for (int i = 1; i <= 6; i++)
            {
                alice.send("D", "11=a" + i + "|55=ACME|54=1|38=5|40=2|44=100|");           // in 2..7
            }
            alice.nextSeq = 1;
            alice.send("A", "98=0|108=30|141=Y|");                                            // in 1 anew
            assertEquals("1", alice.expect("A").get(34));
            alice.send("D", "11=b1|55=ACME|54=1|38=5|40=2|44=100|");                           // in 2
            assertEquals("b1", alice.expect("8").get(11));
            assertTrue(alice.sync().isEmpty());                                                  // in 3
            exchange.restartGateway(false);
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            // the journal holds MsgSeqNums up to 7 of the old numbering: they must not count after the reset
            alice.nextSeq = 4;
            final Map<Integer, String> logon = alice.logonOk("alice");
            assertEquals("4", logon.get(34), "ours go on from the reply (1), the order's report (2) and the heartbeat (3)");
            alice.send("D", "11=b2|55=ACME|54=1|38=5|40=2|44=100|");
            assertEquals("b2", alice.expect("8").get(11));
        }
    }

    @Test
    void aSessionThatLoggedOnWithResetSeqNumFlagStartsOverAfterARestartToo() throws IOException
    {
        exchange = new TestExchange(ctx -> { }, 1024, true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.logonOk("alice");
            alice.sync();
        }
        exchange.restartGateway(true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertEquals("1", alice.expect("A").get(34));
        }
    }

    @Test
    void aGatewayOnANewSessionDirectoryGivesNewSessionsIdsTheJournalHasNotUsed() throws IOException
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false), 1024, true);
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.logonOk("alice");
            alice.send("D", "11=a1|55=ACME|54=1|38=100|40=2|44=100|");
            alice.expect("8");
        }
        final java.nio.file.Path lost = java.nio.file.Files.createTempDirectory("bourse-gateway-new-sessions");
        try
        {
            // an operator's action on a session id nobody uses (a block before a logon) is no session in use
            exchange.publishAudit(dev.bourse.protocol.sbe.AuditType.OPERATOR, 99_999);
            exchange.restartGateway(true, lost); // its session directory lost: the journal still names session 1
            try (FixClient bob = new FixClient(exchange.port(), "BOB"))
            {
                bob.logonOk("bob");
                bob.send("D", "11=b1|55=ACME|54=1|38=100|40=2|44=99|");
                bob.expect("8");
            }
            assertEquals(1, exchange.countEvents("OrderAccepted", "clOrdId=a1", "sessionId=1|"));
            assertEquals(1, exchange.countEvents("OrderAccepted", "clOrdId=b1", "sessionId=2|"),
                "bob's new session is not given alice's engine session id");
        }
        finally
        {
            exchange.close();
            exchange = null;
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(lost))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
