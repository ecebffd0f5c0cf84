package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The FIX 4.4 session layer, rule by rule, over real sockets with a bare client that can also
 * send exactly the wrong thing.
 */
class SessionLayerTest
{
    private TestExchange exchange;

    private TestExchange exchange(final Consumer<GatewayContext> configure) throws IOException
    {
        exchange = new TestExchange(configure);
        return exchange;
    }

    private FixClient connect(final String compId) throws IOException
    {
        if (exchange == null)
        {
            exchange(ctx -> { });
        }
        return new FixClient(exchange.port(), compId);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    // ------------------------------------------------------------------ logon

    @Test
    void logonIsAnsweredWithLogonAndHeartBtIntAndRecordedAsAnAudit() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            final Map<Integer, String> logon = alice.logonOk("alice");
            assertEquals("BOURSE", logon.get(49));
            assertEquals("ALICE", logon.get(56));
            assertEquals("1", logon.get(34));
            assertEquals("0", logon.get(98));
            assertEquals("30", logon.get(108));
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON|", "accountId=1001") == 1, "logon audit");
        }
    }

    /**
     * An order sent right behind its Logon, before the answer, is journaled after the session's LOGON
     * audit: the journal is the audit trail, and the order came second (it was processed with the
     * messages queued behind the Logon before the audit was made: an outside probe saw it after a restart).
     */
    @Test
    void anOrderSentBehindItsLogonIsJournaledAfterTheLogonAudit() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logon("alice", TestExchange.PASSWORD);
            alice.send("D", "11=behind|55=ACME|54=1|38=100|40=2|44=100|59=1|");
            alice.expect("A");
            alice.expect("8");
            final List<String> events = exchange.journalEvents();
            int logon = -1;
            int order = -1;
            for (int i = 0; i < events.size(); i++)
            {
                logon = logon < 0 && events.get(i).contains("auditType=LOGON|") ? i : logon;
                order = order < 0 && events.get(i).startsWith("OrderAccepted") && events.get(i).contains("behind") ? i : order;
            }
            assertTrue(logon >= 0 && order > logon, "LOGON audit at " + logon + ", the order at " + order + ": " + events);
        }
    }

    /** The count a CompID refusal carries is the user's CompIDs (SECURITY.md): an outside probe found 0. */
    @Test
    void aCompIdOfAnotherUserIsRefusedAndAuditedWithTheUsersCompIdCount() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
        }
        try (FixClient bob = connect("BOB"))
        {
            bob.logonOk("bob");
        }
        try (FixClient bob = connect("ALICE"))
        {
            bob.logon("bob", TestExchange.PASSWORD);
            assertEquals("logon refused: CompID belongs to another user", bob.expect("5").get(58)); // bob's password was right
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON_FAILED", "username=bob",
            "detail=" + ((5 << 16) | 1) + "|") == 1, "the refusal audited with code 5 and bob's one CompID");
    }

    @Test
    void aWrongPasswordGetsLogoutWithoutDetailAndIsAudited() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logon("alice", "wrong");
            final Map<Integer, String> logout = alice.expect("5");
            assertEquals("logon refused", logout.get(58));
            assertTrue(alice.awaitClosed());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON_FAILED") == 1, "failed logon audit");
        // the password never reaches the journal
        assertTrue(exchange.journalEvents().stream().noneMatch(line -> line.contains("wrong")));
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() throws IOException
    {
        try (FixClient mallory = connect("MALLORY"))
        {
            mallory.logon("mallory", TestExchange.PASSWORD);
            assertEquals("logon refused", mallory.expect("5").get(58));
            assertTrue(mallory.awaitClosed());
        }
    }

    @Test
    void repeatedFailedLogonsLockTheUsernameForThatAddressOnlyEvenForTheRightPassword() throws IOException
    {
        exchange(ctx -> ctx.lockoutFailures(3).lockoutDurationMs(60_000));
        for (int i = 0; i < 3; i++)
        {
            try (FixClient alice = connect("ALICE"))
            {
                alice.logon("alice", "wrong" + i);
                alice.expect("5");
                assertTrue(alice.awaitClosed());
            }
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.logon("alice", TestExchange.PASSWORD);
            assertEquals("logon refused", alice.expect("5").get(58), "the same answer as a wrong password");
            assertTrue(alice.awaitClosed());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOCKED_OUT") == 1, "lockout audit");
        // from another address the right password works: the lock cannot be turned against its owner
        try (FixClient alice = FixClient.from("127.0.0.2", exchange.port(), "ALICE"))
        {
            alice.logonOk("alice");
        }
        // another user is not affected
        try (FixClient bob = connect("BOB"))
        {
            bob.logonOk("bob");
        }
    }

    @Test
    void aFirstMessageThatIsNotLogonClosesTheConnection() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("D", "11=x|55=ACME|54=1|38=1|40=2|44=100|");
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void garbageBeforeLogonClosesTheConnection() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void noLogonWithinTheTimeoutClosesTheConnection() throws IOException
    {
        exchange(ctx -> ctx.logonTimeoutMs(200));
        try (FixClient idle = connect("IDLE"))
        {
            assertTrue(idle.awaitClosed());
        }
    }

    @Test
    void logonNeedsHeartBtIntUsernameAndPassword() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertTrue(alice.expect("5").get(58).contains("HeartBtInt(108)"));
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void aLogonsSendingTimeIsCheckedAsEveryMessagesIs() throws IOException
    {
        final String logonBody = "98=0|108=30|553=alice|554=" + TestExchange.PASSWORD + "|";
        try (FixClient alice = connect("ALICE"))
        {
            alice.sendRaw(FixClient.frame("35=A|49=ALICE|56=BOURSE|34=1|52=20200101-10:00:00.000|" + logonBody));
            assertTrue(alice.expect("5").get(58).contains("SendingTime accuracy problem"));
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.sendRaw(FixClient.frame("35=A|49=ALICE|56=BOURSE|34=1|" + logonBody));
            assertTrue(alice.expect("5").get(58).contains("SendingTime(52) missing"));
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.sendRaw(FixClient.frame("35=A|49=ALICE|56=BOURSE|34=1|52=yesterday|" + logonBody));
            assertTrue(alice.expect("5").get(58).contains("not a UTCTimestamp"));
            assertTrue(alice.awaitClosed());
        }
        // and its PossDupFlag and OrigSendingTime (a probe's Logons with 43=Q, or 43=Y and no 122, were taken)
        final String now = FixClient.now();
        final String[][] headers = {
            {"43=Q|52=" + now + "|", "PossDupFlag(43) must be Y or N"},
            {"97=X|52=" + now + "|", "PossResend(97) must be Y or N"},
            {"43=Y|52=" + now + "|", "OrigSendingTime(122) required with PossDupFlag"},
            {"43=Y|52=" + now + "|122=soon|", "OrigSendingTime(122) is not a UTCTimestamp"},
            {"43=Y|52=20200101-10:00:00.000|122=" + now + "|", "OrigSendingTime(122) is after SendingTime(52)"}};
        for (final String[] header : headers)
        {
            try (FixClient alice = connect("ALICE"))
            {
                alice.sendRaw(FixClient.frame("35=A|49=ALICE|56=BOURSE|34=1|" + header[0] + logonBody));
                assertEquals(header[1], alice.expect("5").get(58), header[0]);
                assertTrue(alice.awaitClosed());
            }
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice"); // a Logon stamped now is taken
        }
    }

    @Test
    void aLogonNeedsEncryptMethodZeroAndAResetFlagOfYOrN() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "108=30|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertTrue(alice.expect("5").get(58).contains("EncryptMethod(98) missing: it must be 0"));
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|108=30|141=X|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertEquals("ResetSeqNumFlag(141) must be Y or N", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    /** PossResend (97) is a Y/N flag as PossDupFlag is: another value was read as N (an outside tester's 97=X order, a duplicate). */
    @Test
    void possResendOtherThanYOrNIsRejectedAndTheSessionGoesOn() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=D|49=ALICE|56=BOURSE|34=" + alice.nextSeq++ + "|52=" + FixClient.now() + "|97=X|"
                + "11=pr1|55=ACME|54=1|38=10|40=2|44=99|"));
            final java.util.Map<Integer, String> reject = alice.expect("3");
            assertEquals("97", reject.get(371));
            assertEquals("5", reject.get(373));
            assertEquals("PossResend(97) must be Y or N", reject.get(58));
            alice.send("D", "11=pr1|55=ACME|54=1|38=10|40=2|44=99|");
            assertEquals("0", alice.expect("8").get(150), "the rejected message made no order: its ClOrdID is free");
        }
    }

    @Test
    void aCompIdBelongsToTheUserWhoFirstLoggedOnWithIt() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
        }
        try (FixClient bob = connect("ALICE"))
        {
            bob.nextSeq = 100;
            bob.logon("bob", TestExchange.PASSWORD);
            assertTrue(bob.expect("5").get(58).contains("another user"));
            assertTrue(bob.awaitClosed());
        }
    }

    @Test
    void aUserCannotInventCompIdsWithoutLimit() throws IOException
    {
        exchange(ctx -> ctx.maxCompIdsPerUser(2));
        for (final String compId : new String[] {"ALICE1", "ALICE2"})
        {
            try (FixClient alice = connect(compId))
            {
                alice.logonOk("alice");
            }
        }
        try (FixClient alice = connect("ALICE3"))
        {
            alice.logon("alice", TestExchange.PASSWORD);
            assertTrue(alice.expect("5").get(58).contains("CompIDs already"));
            assertTrue(alice.awaitClosed());
        }
        // known ones still work
        TestExchange.await(() -> exchange.gateway.sessions().connectionCount() == 0, "connections closed");
        try (FixClient alice = connect("ALICE1"))
        {
            alice.nextSeq = 2;
            alice.logonOk("alice");
        }
    }

    @Test
    void aSecondConnectionForALoggedOnSessionIsRefused() throws IOException
    {
        try (FixClient first = connect("ALICE"); FixClient second = connect("ALICE"))
        {
            first.logonOk("alice");
            second.nextSeq = 2;
            second.logon("alice", TestExchange.PASSWORD);
            assertTrue(second.expect("5").get(58).contains("already logged on"));
            assertTrue(second.awaitClosed());
            assertTrue(first.sync().isEmpty(), "the first connection is untouched");
        }
    }

    @Test
    void maxSessionsRefusesFurtherLogonsWithAReason() throws IOException
    {
        exchange(ctx -> ctx.maxSessions(2));
        try (FixClient alice = connect("ALICE"); FixClient bob = connect("BOB"))
        {
            alice.logonOk("alice");
            bob.logonOk("bob");
            try (FixClient carol = connect("CAROL"))
            {
                carol.logon("carol", TestExchange.PASSWORD);
                assertEquals("logon refused: session limit reached, try again later", carol.expect("5").get(58));
                assertTrue(carol.awaitClosed());
            }
            assertTrue(alice.sync().isEmpty());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON_FAILED", "username=carol") == 1,
            "the refused logon is audited");
        // the slots free up when sessions leave
        TestExchange.await(() -> exchange.gateway.sessions().openConnections() == 0, "connections closed");
        try (FixClient carol = connect("CAROL"))
        {
            carol.logonOk("carol");
        }
    }

    @Test
    void resetSeqNumFlagOnLogonRestartsBothDirectionsAtOne() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sync();
            alice.send("5", "");
            alice.expect("5");
            assertTrue(alice.awaitClosed());
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            final Map<Integer, String> logon = alice.expect("A");
            assertEquals("1", logon.get(34));
            assertEquals("Y", logon.get(141));
            assertTrue(alice.sync().isEmpty());
        }
    }

    @Test
    void aLogonWithResetSeqNumFlagDuringTheSessionRestartsBothDirections() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            for (int i = 1; i <= 3; i++)
            {
                alice.send("D", "11=a" + i + "|55=ACME|54=1|38=5|40=2|44=100|");
            }
            alice.nextSeq = 1; // straight behind the orders: their commands may still be on their way to the journal
            alice.send("A", "98=0|108=30|141=Y|");
            final Map<Integer, String> logon = alice.expect("A");
            assertEquals("1", logon.get(34), "the reply is message 1 of the new numbering");
            assertEquals("Y", logon.get(141));
            assertEquals(3, alice.skipped.stream().filter(m -> "8".equals(m.get(35))).count(), "every order answered before it");
            alice.send("D", "11=b1|55=ACME|54=1|38=5|40=2|44=100|");
            final Map<Integer, String> ack = alice.expect("8");
            assertEquals("b1", ack.get(11));
            assertEquals("2", ack.get(34));
            assertTrue(alice.sync().isEmpty());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON|", "detail=3|") == 1,
            "the reset audited (bit 1), with the session's cancel-on-disconnect (bit 2)");
    }

    @Test
    void aLogonBelowTheExpectedMsgSeqNumIsRefused() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sync();
        }
        TestExchange.await(() -> exchange.gateway.sessions().connectionCount() == 0, "first connection closed");
        try (FixClient alice = connect("ALICE"))
        {
            alice.logon("alice", TestExchange.PASSWORD);
            final Map<Integer, String> logout = alice.expect("5");
            assertTrue(logout.get(58).contains("MsgSeqNum too low, expecting 3"));
            // the session's next number (after its Logon reply and the Heartbeat), not 34=1 (a strict QuickFIX/J probe)
            assertEquals("3", logout.get(34), logout.toString());
            assertTrue(alice.awaitClosed());
        }
    }

    // ------------------------------------------------------------------ heartbeats and timeouts

    @Test
    void testRequestIsAnsweredWithAHeartbeatCarryingItsId() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("1", "112=ping-42|");
            final Map<Integer, String> heartbeat = alice.expect("0");
            assertEquals("ping-42", heartbeat.get(112));
            // TestReqID is required: without it there is nothing to echo
            alice.send("1", "");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("112", reject.get(371));
            assertEquals("1", reject.get(373));
        }
    }

    @Test
    void aSilentClientGetsATestRequestThenLogoutOnHeartbeatTimeout() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|108=1|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            final Map<Integer, String> testRequest = alice.expect("1");
            assertNotNull(testRequest.get(112));
            final Map<Integer, String> logout = alice.expect("5");
            assertEquals("heartbeat timeout", logout.get(58));
            assertTrue(alice.awaitClosed());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED") == 1, "disconnect audit");
    }

    @Test
    void theGatewaySendsHeartbeatsWhenItHasNothingElseToSay() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|108=1|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            // answering its TestRequests keeps the session up; the gateway's own heartbeats arrive meanwhile
            int heartbeats = 0;
            while (heartbeats < 2)
            {
                final Map<Integer, String> m = alice.next();
                if ("1".equals(m.get(35)))
                {
                    alice.send("0", "112=" + m.get(112) + "|");
                }
                else if ("0".equals(m.get(35)))
                {
                    heartbeats++;
                }
            }
        }
    }

    // ------------------------------------------------------------------ logout

    @Test
    void logoutIsAnsweredWithLogoutThenTheConnectionClosesAndIsAudited() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("5", "58=bye|");
            alice.expect("5");
            assertTrue(alice.awaitClosed());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGOUT|") == 1, "logout audit");
    }

    /**
     * The LOGOUT audit carries the last MsgSeqNum the gateway consumed, so what it answered itself
     * (here a Heartbeat, in a cluster takeover the business rejects sent while logging out) counts
     * as received in the journal: a gateway taking the session over asked for those again, and an
     * order rejected while logging out was then executed (an outside probe).
     */
    @Test
    void theLogoutAuditCarriesTheLastInboundMsgSeqNum() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("0", "");
            alice.send("5", "58=bye|");
            alice.expect("5");
            assertTrue(alice.awaitClosed());
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGOUT|") == 1, "logout audit");
        final java.util.List<String> headers = new java.util.ArrayList<>();
        final dev.bourse.engine.EventText text = new dev.bourse.engine.EventText();
        try (dev.bourse.journal.JournalTailer tailer = exchange.tailer())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                if (text.events(buffer, offset, length).stream().anyMatch(line -> line.contains("auditType=LOGOUT|")))
                {
                    headers.add(text.header());
                }
            }, Integer.MAX_VALUE);
        }
        assertEquals(1, headers.size(), headers.toString());
        assertTrue(headers.get(0).endsWith("|msgSeqNum=3"), headers.get(0));
    }

    // ------------------------------------------------------------------ malformed messages: Reject (3)

    @Test
    void aTagWithoutValueIsRejectedWithReason4AndRefTagId() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("D", "11=o1|58=|55=ACME|54=1|38=1|40=2|44=100|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("2", reject.get(45));
            assertEquals("58", reject.get(371));
            assertEquals("4", reject.get(373));
            assertEquals("D", reject.get(372), "RefMsgType: the fault came after the MsgType");
            // the rejected message consumed its MsgSeqNum: the session goes on without a gap
            assertTrue(alice.sync().isEmpty());
            alice.send("1", "112=R1|112=R2|");
            final Map<Integer, String> repeated = alice.expect("3");
            assertEquals("13", repeated.get(373));
            assertEquals("1", repeated.get(372));
            // a resend range that ends before it begins
            alice.send("2", "7=5|16=2|");
            final Map<Integer, String> badRange = alice.expect("3");
            assertEquals("16", badRange.get(371));
            assertEquals("5", badRange.get(373));
        }
    }

    @Test
    void requiredFieldsMissingOrWrongAreRejectedNamingTheTag() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");

            alice.send("D", "55=ACME|54=1|38=1|40=2|44=100|");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("11", reject.get(371));
            assertEquals("1", reject.get(373));
            assertEquals("D", reject.get(372));

            alice.send("D", "11=o2|55=ACME|54=Z|38=1|40=2|44=100|"); // not a FIX 4.4 Side (9, cross short exempt, is: rejected as an order)
            reject = alice.expect("3");
            assertEquals("54", reject.get(371));
            assertEquals("5", reject.get(373));

            alice.send("D", "11=o3|55=ACME|54=1|38=abc|40=2|44=100|");
            reject = alice.expect("3");
            assertEquals("38", reject.get(371));
            assertEquals("6", reject.get(373));

            // FIX's Qty is a float: a whole number written with a fraction of zeros is that number; another fraction is a bad format
            alice.send("D", "11=o3f|55=ACME|54=1|38=2.5|40=2|44=100|");
            reject = alice.expect("3");
            assertEquals("38", reject.get(371));
            assertEquals("6", reject.get(373));
            alice.send("D", "11=o3w|55=ACME|54=1|38=2.00|40=2|44=100|");
            final Map<Integer, String> accepted = alice.expect("8");
            assertEquals("o3w", accepted.get(11));
            assertEquals("0", accepted.get(150));
            assertEquals("2", accepted.get(38));

            // a negative quantity is a number out of range (5), like zero, not a bad format
            alice.send("D", "11=o3n|55=ACME|54=1|38=-5|40=2|44=100|");
            reject = alice.expect("3");
            assertEquals("38", reject.get(371));
            assertEquals("5", reject.get(373));

            alice.send("D", "11=o4|55=ACME|54=1|38=1|40=2|44=1.00001|");
            reject = alice.expect("3");
            assertEquals("44", reject.get(371));
            assertEquals("6", reject.get(373));

            // FIX's float format has a '-' sign and no '+'
            alice.send("D", "11=o4|55=ACME|54=1|38=1|40=2|44=+100|");
            reject = alice.expect("3");
            assertEquals("44", reject.get(371));
            assertEquals("6", reject.get(373));

            alice.send("D", "11=o5|55=ACME|54=1|38=1|40=2|44=100|59=9|"); // not a FIX 4.4 TimeInForce
            reject = alice.expect("3");
            assertEquals("59", reject.get(371));

            alice.send("D", "11=an-id-much-longer-than-twenty|55=ACME|54=1|38=1|40=2|44=100|");
            reject = alice.expect("3");
            assertEquals("11", reject.get(371));
            assertTrue(alice.sync().isEmpty());
        }
    }

    @Test
    void aMissingOrWrongSendingTimeIsRejected() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=2|112=x|"));
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("52", reject.get(371));
            assertEquals("1", reject.get(373));

            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=3|52=2024-01-01 10:00|112=x|"));
            reject = alice.expect("3");
            assertEquals("52", reject.get(371));
            assertEquals("6", reject.get(373));
        }
    }

    @Test
    void aSendingTimeFarFromNowIsRejectedAndTheSessionLoggedOut() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=2|52=20200101-10:00:00.000|112=x|"));
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("10", reject.get(373));
            assertEquals("SendingTime accuracy problem", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void aMissingCompIdIsARequiredTagMissingAndTheSessionLoggedOut() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|34=2|52=" + FixClient.now() + "|112=x|"));
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("56", reject.get(371));
            assertEquals("TargetCompID(56) missing", reject.get(58));
            assertEquals("CompID problem", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void aWrongCompIdIsRejectedAndTheSessionLoggedOut() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=OTHER|34=2|52=" + FixClient.now() + "|112=x|"));
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("9", reject.get(373));
            assertEquals("56", reject.get(371));
            assertEquals("CompID problem", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    /**
     * FIX checks the CompIDs before the fields: a message from another CompID with an empty field was
     * rejected for the field alone, took one of the session's numbers, and the session went on (an
     * outside tester). Now it is the CompID problem, with its Logout, as a well-formed one is.
     */
    @Test
    void aWrongCompIdIsTheProblemEvenInAMessageWithAFaultyField() throws IOException
    {
        for (final String body : List.of(
            "35=1|49=INTRUDER|56=BOURSE|34=2|52=" + FixClient.now() + "|112=x|58=|",
            "35=1|49=ALICE|56=OTHERVENUE|34=2|52=" + FixClient.now() + "|112=x|112=y|"))
        {
            try (FixClient alice = connect("ALICE"))
            {
                alice.logonOk("alice");
                alice.sendRaw(FixClient.frame(body));
                final Map<Integer, String> reject = alice.expect("3");
                assertEquals("9", reject.get(373), body);
                assertEquals(body.contains("INTRUDER") ? "49" : "56", reject.get(371), body);
                assertEquals("CompID problem", alice.expect("5").get(58), body);
                assertTrue(alice.awaitClosed(), body);
            }
            exchange.close();
            exchange = null;
        }
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=|56=BOURSE|34=2|52=" + FixClient.now() + "|112=x|"));
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("4", reject.get(373));
            assertEquals("49", reject.get(371));
            assertEquals("CompID problem", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    /** A client's BusinessMessageReject is taken without an answer: two engines answering each other's would loop. */
    @Test
    void aClientsBusinessMessageRejectIsNotAnswered() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("j", "45=1|372=8|380=0|58=client bmr|");
            alice.send("1", "112=after|");
            final Map<Integer, String> next = alice.next();
            assertEquals("0", next.get(35), "the next message is the TestRequest's Heartbeat, nothing for the j before it: " + next);
            assertEquals("after", next.get(112));
            assertEquals("2", next.get(34), "no message was sent for the j");
        }
    }

    @Test
    void aFieldTheGatewayReadsMustNotAppearTwiceButGroupMembersMay() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            // two prices: which one the client meant is a guess, so nothing is placed
            alice.send("D", "11=o1|55=ACME|54=1|38=1|40=2|44=100|44=101|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("2", reject.get(45));
            assertEquals("44", reject.get(371));
            assertEquals("13", reject.get(373));
            assertTrue(alice.sync().isEmpty(), "the rejected message consumed its MsgSeqNum");
            // a Parties group repeats its members' tags: that is the group, and the order is placed
            alice.send("D", "11=o2|55=ACME|54=1|38=1|40=2|44=100|453=2|448=DESK1|447=D|452=1|448=TRADER7|447=D|452=11|");
            assertEquals("0", alice.expect("8").get(150));
        }
    }

    @Test
    void aHeaderFieldAfterTheBodyIsRejectedAsOutOfOrder() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=" + alice.nextSeq++ + "|112=x|52=" + FixClient.now() + "|"));
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("2", reject.get(45));
            assertEquals("52", reject.get(371));
            assertEquals("14", reject.get(373));
            assertTrue(alice.skipped.isEmpty(), "not answered as a TestRequest: " + alice.skipped);
            assertTrue(alice.sync().isEmpty());
        }
    }

    /**
     * FIX's session test cases: a message whose first three fields are not BeginString, BodyLength
     * and MsgType is garbled, ignored without taking its MsgSeqNum (a probe: it got a Reject 373=14,
     * its number was used up, and the client's next message with that number was "too low").
     */
    @Test
    void aMessageWhoseMsgTypeIsNotTheThirdFieldIsGarbled() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sendRaw(FixClient.frame("49=ALICE|35=1|56=BOURSE|34=2|52=" + FixClient.now() + "|112=x|"));
            alice.sendRaw(FixClient.frame("49=ALICE|56=BOURSE|34=2|52=" + FixClient.now() + "|112=y|"));
            alice.send("1", "112=z|");
            final Map<Integer, String> heartbeat = alice.expect("0");
            assertEquals("z", heartbeat.get(112), "the same MsgSeqNum, 2, taken as the next");
            assertTrue(alice.skipped.isEmpty(), "no Reject, no ResendRequest: " + alice.skipped);
            assertEquals(2, exchange.gateway.sessions().garbledCount());
        }
    }

    @Test
    void anUnsupportedMessageTypeGetsABusinessMessageReject() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("V", "262=md1|263=0|264=1|");
            final Map<Integer, String> reject = alice.expect("j");
            assertEquals("V", reject.get(372));
            assertEquals("3", reject.get(380));
            assertEquals("2", reject.get(45));
        }
    }

    @Test
    void aMsgTypeFixDoesNotDefineGetsASessionRejectAndAUserDefinedOneABusinessReject() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("ZZ", "");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("11", reject.get(373));
            assertEquals("ZZ", reject.get(372));
            assertEquals("2", reject.get(45));
            alice.send("~", "");
            reject = alice.expect("3");
            assertEquals("11", reject.get(373));
            alice.send("U7", "");
            final Map<Integer, String> business = alice.expect("j");
            assertEquals("3", business.get(380));
            assertEquals("U7", business.get(372));
            alice.send("AE", ""); // TradeCaptureReport: FIX 4.4's, not taken here
            assertEquals("3", alice.expect("j").get(380));
        }
    }

    @Test
    void aResendRequestOrSequenceResetWithoutItsNumbersNamesTheMissingTag() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("2", "16=0|");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("7", reject.get(371));
            alice.send("2", "7=1|");
            reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("16", reject.get(371));
            alice.send("4", "123=Y|");
            reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("36", reject.get(371));
        }
    }

    @Test
    void aBadChecksumOrGarbledFrameIsDroppedAndTheGapLaterRequested() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            final byte[] message = FixClient.frame(alice.header("1", alice.nextSeq++) + "112=x|");
            message[message.length - 2] = (byte)(message[message.length - 2] == '0' ? '1' : '0');
            alice.sendRaw(message);
            // a BodyLength that does not match the bytes: the trailer is not where it says
            alice.sendRaw("8=FIX.4.4\u00019=5\u000135=1\u000149=ALICE\u000110=000\u0001".getBytes());
            // seq 2 never arrived as far as the gateway knows: the next message reveals the gap
            alice.send("1", "112=z|");
            final Map<Integer, String> resend = alice.expect("2");
            assertEquals("2", resend.get(7));
            assertEquals("0", resend.get(16));
            assertEquals(2, exchange.gateway.sessions().garbledCount());
        }
    }

    /**
     * A BodyLength larger than the message: its trailer arrives before the bytes it declares, so it
     * is garbled, ignored, and the messages after it are read (a probe: the gateway waited for the
     * declared bytes, took the next messages as their body, and logged the quiet session out).
     */
    @Test
    void aMessageEndingBeforeItsBodyLengthIsGarbledAndTheNextIsRead() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            final String body = alice.header("1", alice.nextSeq).replace('|', '\u0001') + "112=garbled\u0001";
            final String head = "8=FIX.4.4\u00019=" + (body.length() + 300) + "\u0001";
            int sum = 0;
            for (final char c : (head + body).toCharArray())
            {
                sum += c;
            }
            // the same MsgSeqNum again next: the garbled one does not count
            alice.sendRaw((head + body + String.format("10=%03d\u0001", sum & 0xFF)).getBytes());
            alice.send("1", "112=after|");
            final Map<Integer, String> heartbeat = alice.expect("0");
            assertEquals("after", heartbeat.get(112));
            assertEquals(1, exchange.gateway.sessions().garbledCount());
        }
    }

    /**
     * A Logout is the session's last word: orders read before it (here in the same write) are
     * answered first, whether the client logs out or is logged out for an error (a probe's raw
     * client got the Logout first and the acks after it, which a client closing on Logout never reads).
     */
    @Test
    void theLogoutComesAfterTheReportsOfEverythingReadBeforeIt() throws IOException
    {
        for (final boolean clientLogsOut : new boolean[] {true, false})
        {
            // a session of its own each time: its numbers outlive the connection
            try (FixClient alice = connect(clientLogsOut ? "ALICE" : "BOB"))
            {
                alice.logonOk(clientLogsOut ? "alice" : "bob");
                final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < 20; i++)
                {
                    all.write(FixClient.frame(alice.header("D", alice.nextSeq++) + "11=L" + clientLogsOut + i +
                        "|55=ACME|54=1|38=1|40=2|44=100|"));
                }
                // the client's Logout, or a message numbered too low, which the gateway logs out for
                all.write(FixClient.frame(clientLogsOut ? alice.header("5", alice.nextSeq++) : alice.header("0", 2)));
                alice.sendRaw(all.toByteArray());
                int reports = 0;
                while (true)
                {
                    final Map<Integer, String> m = alice.next();
                    if ("5".equals(m.get(35)))
                    {
                        break;
                    }
                    assertEquals("8", m.get(35), "only reports before the Logout: " + m);
                    reports++;
                }
                assertEquals(20, reports, "every order's ack came before the Logout");
                assertTrue(alice.awaitClosed());
            }
        }
    }

    @Test
    void anOversizedMessageGetsLogoutAndDisconnect() throws IOException
    {
        exchange(ctx -> ctx.maxMessageSize(512));
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("1", "112=" + "x".repeat(600) + "|");
            final Map<Integer, String> logout = alice.expect("5");
            assertTrue(logout.get(58).contains("maximum size of 512"));
            assertTrue(alice.awaitClosed());
        }
        // before a Logon it is garbage like any other: closed, and counted (an abuse probe's 2,000 went unseen)
        final long garbledBefore = exchange.gateway.sessions().garbledCount();
        try (FixClient mallory = connect("MALLORY"))
        {
            mallory.sendRaw("8=FIX.4.4\u00019=100000\u000135=A\u000149=MALLORY\u000156=BOURSE\u0001".getBytes());
            assertTrue(mallory.awaitClosed());
        }
        assertEquals(garbledBefore + 1, exchange.gateway.sessions().garbledCount());
    }

    /**
     * A Logon whose SenderCompID the gateway does not take (a dot in it), or whose TargetCompID is
     * not the exchange's, gets a Logout saying which, sent back to that SenderCompID (a probe's were
     * closed without a word).
     */
    @Test
    void aLogonWithCompIdsNotTakenGetsALogoutSayingWhich() throws IOException
    {
        exchange(ctx -> { });
        try (FixClient dotted = new FixClient(exchange.port(), "FIRM.DESK1"))
        {
            dotted.logon("alice", TestExchange.PASSWORD);
            final Map<Integer, String> logout = dotted.expect("5");
            assertEquals("FIRM.DESK1", logout.get(56));
            assertTrue(logout.get(58).startsWith("SenderCompID(49) must be 1 to 32 characters"), logout.get(58));
            assertTrue(dotted.awaitClosed());
        }
        try (FixClient misdirected = new FixClient(exchange.port(), "ALICE"))
        {
            misdirected.sendRaw(FixClient.frame("35=A|49=ALICE|56=ELSEWHERE|34=1|52=" + FixClient.now()
                + "|98=0|108=30|553=alice|554=" + TestExchange.PASSWORD + "|"));
            final Map<Integer, String> logout = misdirected.expect("5");
            assertEquals("ALICE", logout.get(56));
            assertEquals("TargetCompID(56) must be BOURSE", logout.get(58));
            assertTrue(misdirected.awaitClosed());
        }
    }

    /** A username over 64 characters is refused saying so (a probe got "Logon needs ... Username(553)", which it had sent). */
    @Test
    void aLogonWithAnOverlongUsernameIsRefusedSayingSo() throws IOException
    {
        exchange(ctx -> { });
        try (FixClient alice = connect("ALICE"))
        {
            alice.logon("a".repeat(100), TestExchange.PASSWORD);
            assertEquals("Username(553) longer than 64 characters", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    /** A Logon with a tag without a value gets a Logout saying so, as one with a bad value does (a probe's got a silent close). */
    @Test
    void aLogonWithAnEmptyFieldIsRefusedSayingSo() throws IOException
    {
        exchange(ctx -> { });
        try (FixClient alice = connect("ALICE"))
        {
            alice.send("A", "98=0|108=30|8013=|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertEquals("Logon: tag specified without a value (tag 8013)", alice.expect("5").get(58));
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void aResettingLogonThatIsNotMessageOneIsRefused() throws IOException
    {
        exchange(ctx -> { });
        try (FixClient alice = connect("ALICE"))
        {
            alice.nextSeq = 5;
            alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertTrue(alice.expect("5").get(58).contains("MsgSeqNum(34) must be 1"));
            assertTrue(alice.awaitClosed());
        }
    }

    @Test
    void aMessageOfAnotherFixVersionGetsLogoutAndDisconnect() throws IOException
    {
        exchange(ctx -> { });
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            final String body = "35=1\u000149=ALICE\u000156=BOURSE\u000134=2\u000152=20261202-15:00:00.000\u0001112=T\u0001";
            final String head = "8=FIX.4.2\u00019=" + body.length() + "\u0001";
            int sum = 0;
            for (final char c : (head + body).toCharArray())
            {
                sum += c;
            }
            alice.sendRaw((head + body + String.format("10=%03d\u0001", sum % 256)).getBytes());
            assertTrue(alice.expect("5").get(58).contains("BeginString(8) must be FIX.4.4"));
            assertTrue(alice.awaitClosed());
        }
    }

    /**
     * A BodyLength above the limit on a short message (one digit wrong) is a wrong BodyLength like
     * any other: dropped as garbled once its trailer shows where it ends, and the session carries on
     * (a probe's session was logged out for it, and with cancel on disconnect lost its orders). Only
     * the limit's worth of bytes with no trailer is a message too big.
     */
    @Test
    void aBodyLengthAboveTheLimitOnAShortMessageIsGarbledOnlyAHugeOneIsTooBig() throws IOException
    {
        exchange(ctx -> ctx.maxMessageSize(512));
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            final long garbled = exchange.gateway.sessions().garbledCount();
            alice.sendRaw(("8=FIX.4.4\u00019=6500\u000135=1\u000149=ALICE\u000156=BOURSE\u000134=99\u000152=" + FixClient.now()
                + "\u0001112=wrong\u000110=000\u0001").getBytes());
            alice.send("1", "112=after|");
            assertEquals("after", alice.expect("0").get(112), "the next message is read");
            assertEquals(garbled + 1, exchange.gateway.sessions().garbledCount());

            alice.sendRaw(("8=FIX.4.4\u00019=99999999\u000135=1\u0001" + "x".repeat(600)).getBytes());
            assertTrue(alice.expect("5").get(58).contains("maximum size"));
            assertTrue(alice.awaitClosed());
        }
        // before a Logon it is not waited for
        try (FixClient mallory = connect("MALLORY"))
        {
            mallory.sendRaw("8=FIX.4.4\u00019=99999999\u000135=A\u0001".getBytes());
            assertTrue(mallory.awaitClosed());
        }
    }

    // ------------------------------------------------------------------ sequence numbers

    @Test
    void anInboundGapIsRequestedAndHealedByGapFillAndPossDupResend() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            // seq 2 and 3 are lost; the order at 4 reveals the gap and is not processed yet
            alice.nextSeq = 4;
            alice.send("D", "11=o4|55=ACME|54=1|38=5|40=2|44=100|");
            final Map<Integer, String> resend = alice.expect("2");
            assertEquals("2", resend.get(7));
            assertEquals("0", resend.get(16));

            // the client gap-fills 2..3 and resends 4 as a possible duplicate
            final String original = FixClient.now();
            alice.sendRaw(FixClient.frame("35=4|49=ALICE|56=BOURSE|34=2|43=Y|52=" + FixClient.now() + "|122=" + original +
                "|123=Y|36=4|"));
            alice.sendRaw(FixClient.frame("35=D|49=ALICE|56=BOURSE|34=4|43=Y|52=" + FixClient.now() + "|122=" + original +
                "|11=o4|55=ACME|54=1|38=5|40=2|44=100|"));
            final Map<Integer, String> ack = alice.expect("8");
            assertEquals("o4", ack.get(11));
            assertEquals("0", ack.get(150));

            // the same message once more is a duplicate: ignored
            alice.sendRaw(FixClient.frame("35=D|49=ALICE|56=BOURSE|34=4|43=Y|52=" + FixClient.now() + "|122=" + original +
                "|11=o4|55=ACME|54=1|38=5|40=2|44=100|"));
            alice.nextSeq = 5;
            assertTrue(alice.sync().isEmpty(), "duplicate ignored");
            assertEquals(1, exchange.countEvents("OrderAccepted"));
        }
    }

    @Test
    void aGapTheClientsResendLeftPartlyUnfilledIsAskedForAgain() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.nextSeq = 8;
            alice.send("D", "11=o8|55=ACME|54=1|38=5|40=2|44=100|");
            assertEquals("2", alice.expect("2").get(7));
            // an answer that fills 2..3 only, then new orders
            alice.sendRaw(FixClient.frame("35=4|49=ALICE|56=BOURSE|34=2|43=Y|" + FixClient.sendingAndOrigSendingTime() +
                "|123=Y|36=4|"));
            alice.send("D", "11=o9|55=ACME|54=1|38=5|40=2|44=100|");
            final Map<Integer, String> again = alice.expect("2");
            assertEquals("4", again.get(7), "what is still missing is asked for, not left to silence the session");
            assertEquals("0", again.get(16));
            alice.sendRaw(FixClient.frame("35=4|49=ALICE|56=BOURSE|34=4|43=Y|" + FixClient.sendingAndOrigSendingTime() +
                "|123=Y|36=10|"));
            alice.send("D", "11=o10|55=ACME|54=1|38=5|40=2|44=100|");
            assertEquals("o10", alice.expect("8").get(11));
        }
    }

    @Test
    void aMalformedMessageAboveTheExpectedNumberGetsTheGapAskedForFirst() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.nextSeq = 5;
            alice.send("1", "112=|");
            final Map<Integer, String> resend = alice.expect("2");
            assertEquals("2", resend.get(7));
            assertTrue(alice.skipped.isEmpty(), "no Reject before the gap is known: " + alice.skipped);
            alice.sendRaw(FixClient.frame("35=4|49=ALICE|56=BOURSE|34=2|43=Y|" + FixClient.sendingAndOrigSendingTime() +
                "|123=Y|36=5|"));
            alice.sendPossDup(5, "1", "112=|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("5", reject.get(45));
            assertEquals("112", reject.get(371));
            assertEquals("4", reject.get(373));
            alice.nextSeq = 6;
            assertTrue(alice.sync().isEmpty(), "one Reject, and the session goes on from 6");
        }
    }

    @Test
    void aMsgSeqNumTooLowWithoutPossDupEndsTheSession() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.sync();
            alice.nextSeq = 2;
            alice.send("1", "112=again|");
            assertTrue(alice.expect("5").get(58).contains("MsgSeqNum too low"));
            assertTrue(alice.awaitClosed());
        }
    }

    /**
     * A duplicate below the expected MsgSeqNum is ignored; without OrigSendingTime, or with one after
     * its SendingTime, it is rejected (373=1, 373=10), as FIX's session test cases say, and the
     * session goes on with its number untaken (a probe saw both ignored silently).
     */
    @Test
    void aPossDupBelowTheExpectedNumberIsIgnoredUnlessItsOrigSendingTimeIsWrong() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("1", "112=first|");
            alice.expect("0");
            alice.sendPossDup(2, "1", "112=dup|");
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=2|43=Y|52=" + FixClient.now() + "|112=noorig|"));
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("122", reject.get(371));
            assertEquals("2", reject.get(45));
            alice.sendRaw(FixClient.frame("35=1|49=ALICE|56=BOURSE|34=2|43=Y|52=20261201-10:00:00.000|122=20261201-10:00:01.000|112=later|"));
            reject = alice.expect("3");
            assertEquals("10", reject.get(373));
            alice.send("1", "112=next|");
            assertEquals("next", alice.expect("0").get(112), "the duplicate was ignored and the session goes on at 3");
            assertTrue(alice.skipped.stream().noneMatch(m -> "dup".equals(m.get(112))), "no answer to the duplicate");
        }
    }

    /** A sequence number that is no number is an incorrect data format (373=6), as for any other int field (a probe saw 373=5). */
    @Test
    void aSequenceNumberFieldThatIsNoNumberIsAnIncorrectDataFormat() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("4", "123=Y|36=abc|");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("6", reject.get(373));
            assertEquals("36", reject.get(371));
            alice.send("2", "7=abc|16=0|");
            reject = alice.expect("3");
            assertEquals("6", reject.get(373));
            assertEquals("7", reject.get(371));
            alice.send("2", "7=0|16=0|");
            reject = alice.expect("3");
            assertEquals("5", reject.get(373), "a number, but out of range");
        }
    }

    @Test
    void sequenceResetInResetModeMovesTheExpectedNumberForward() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("4", "36=10|");
            alice.nextSeq = 10;
            assertTrue(alice.sync().isEmpty());
            // moving it backwards is refused
            alice.send("4", "36=5|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("36", reject.get(371));
            assertEquals("5", reject.get(373));
        }
    }

    @Test
    void resendRequestReplaysApplicationMessagesAsPossDupAndGapFillsAdminMessages() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");                                          // out 1: Logon
            alice.send("D", "11=o1|55=ACME|54=1|38=5|40=2|44=100|");         // out 2: ER new
            final Map<Integer, String> ack = alice.expect("8");
            assertEquals("2", ack.get(34));
            alice.sync();                                                    // out 3: Heartbeat
            alice.send("D", "11=o2|55=ACME|54=1|38=5|40=2|44=99|");          // out 4: ER new
            alice.expect("8");

            alice.send("2", "7=1|16=0|");
            final Map<Integer, String> fill1 = alice.expect("4");
            assertEquals("1", fill1.get(34));
            assertEquals("Y", fill1.get(123));
            assertEquals("2", fill1.get(36));
            assertEquals("Y", fill1.get(43));

            final Map<Integer, String> again = alice.expect("8");
            assertEquals("2", again.get(34));
            assertEquals("Y", again.get(43));
            assertEquals(ack.get(52), again.get(122), "OrigSendingTime is the first SendingTime");
            assertEquals("o1", again.get(11));
            assertEquals(ack.get(17), again.get(17));

            final Map<Integer, String> fill3 = alice.expect("4");
            assertEquals("3", fill3.get(34));
            assertEquals("4", fill3.get(36));

            final Map<Integer, String> second = alice.expect("8");
            assertEquals("4", second.get(34));
            assertEquals("o2", second.get(11));
            assertTrue(alice.skipped.isEmpty());

            // a bounded range
            alice.send("2", "7=2|16=2|");
            final Map<Integer, String> only = alice.next();
            assertEquals("8", only.get(35));
            assertEquals("2", only.get(34));
            assertTrue(alice.sync().isEmpty());
        }
    }

    @Test
    void aResendRequestWithABadRangeIsRejected() throws IOException
    {
        try (FixClient alice = connect("ALICE"))
        {
            alice.logonOk("alice");
            alice.send("2", "16=0|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("7", reject.get(371));

            // a range that starts after the last message the exchange sent (the Logon and that Reject: 2)
            alice.send("2", "7=50|16=0|");
            final Map<Integer, String> beyond = alice.expect("3");
            assertEquals("7", beyond.get(371));
            assertEquals("5", beyond.get(373));
            assertEquals("BeginSeqNo(7) is after the last message sent, 2", beyond.get(58));
            assertTrue(alice.sync().isEmpty(), "nothing else came");
        }
    }

    @Test
    void rejectsAndLogoutsLeaveOtherSessionsAlone() throws IOException
    {
        try (FixClient alice = connect("ALICE"); FixClient bob = connect("BOB"))
        {
            alice.logonOk("alice");
            bob.logonOk("bob");
            alice.sendRaw("8=FIX.4.4\u00019=5\u000135=D\u0001garbage-garbage-garbage".getBytes());
            alice.send("D", "11=o1|55=ACME|54=1|38=5|40=2|44=100|");
            bob.send("D", "11=b1|55=ACME|54=2|38=5|40=2|44=101|");
            assertEquals("b1", bob.expect("8").get(11));
            final List<Map<Integer, String>> bobSaw = bob.sync();
            assertTrue(bobSaw.isEmpty(), "bob sees nothing of alice: " + bobSaw);
        }
    }
}
