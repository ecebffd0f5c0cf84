package dev.bourse.gateway;

import dev.bourse.protocol.CommandWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Order entry through the gateway over sockets: what each application message answers,
 * ownership, cancel on disconnect, throttling, a full ring and a client that stops reading.
 */
class OrderEntryTest
{
    private static final String BUY_100 = "55=ACME|54=1|38=100|40=2|44=100|";
    private TestExchange exchange;

    private void start(final Consumer<GatewayContext> configure) throws IOException
    {
        exchange = new TestExchange(configure);
    }

    private FixClient logOn(final String compId, final String user) throws IOException
    {
        if (exchange == null)
        {
            start(ctx -> { });
        }
        final FixClient client = new FixClient(exchange.port(), compId);
        client.logonOk(user);
        return client;
    }

    /**
     * The next ExecutionReport past the cancels (cancel-on-disconnect's) journaled after a resetting
     * Logon arrived, which come first, read again under the new numbering (PossResend).
     */
    private static Map<Integer, String> afterReplayedCancels(final FixClient client) throws IOException
    {
        Map<Integer, String> er = client.expect("8");
        while ("Y".equals(er.get(97)) && "4".equals(er.get(150)))
        {
            er = client.expect("8");
        }
        return er;
    }

    @AfterEach
    void tearDown() throws IOException
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    /**
     * SendingTime (52) comes from the wall clock, TransactTime (60) from the command clock; a wall
     * clock behind the other put a report's SendingTime 15 ms before its own TransactTime (an
     * outside tester). A report is never sent before the time of what it reports.
     */
    @Test
    void aReportsSendingTimeIsNeverBeforeItsTransactTime() throws IOException
    {
        // the wall clock the session layer reads, ten seconds behind the command clock
        start(ctx -> ctx.epochClock(() -> System.currentTimeMillis() - 10_000));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=o1|" + BUY_100);
            final Map<Integer, String> report = alice.expect("8");
            final java.time.format.DateTimeFormatter fix = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS");
            final java.time.LocalDateTime sending = java.time.LocalDateTime.parse(report.get(52), fix);
            final java.time.LocalDateTime transact = java.time.LocalDateTime.parse(report.get(60), fix);
            assertFalse(sending.isBefore(transact), "SendingTime " + report.get(52) + " before TransactTime " + report.get(60));
        }
    }

    @Test
    void executionReportsCarryEveryRequiredField() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            alice.send("D", "11=a1|" + BUY_100 + "59=1|");
            final Map<Integer, String> accepted = alice.expect("8");
            assertEquals("a1", accepted.get(11));
            assertEquals("0", accepted.get(150));
            assertEquals("0", accepted.get(39));
            assertEquals("ACME", accepted.get(55));
            assertEquals("1", accepted.get(54));
            assertEquals("100", accepted.get(38));
            assertEquals("100", accepted.get(151));
            assertEquals("0", accepted.get(14));
            assertEquals("0", accepted.get(6));
            assertEquals("1", accepted.get(59));
            assertNotNull(accepted.get(37));
            assertNotNull(accepted.get(17));

            bob.send("D", "11=b1|55=ACME|54=2|38=30|40=1|");
            bob.expect("8");
            final Map<Integer, String> taker = bob.expect("8");
            assertEquals("F", taker.get(150));
            assertEquals("2", taker.get(39));
            assertEquals("100", taker.get(31));
            assertEquals("30", taker.get(32));
            assertEquals("0", taker.get(151));
            assertEquals("30", taker.get(14));

            final Map<Integer, String> maker = alice.expect("8");
            assertEquals("F", maker.get(150));
            assertEquals("1", maker.get(39));
            assertEquals("70", maker.get(151));
            assertEquals("30", maker.get(14));
            assertEquals("100", maker.get(6));
            assertNotEquals(taker.get(17), maker.get(17), "each side of a trade has its own ExecID");

            // the rest fills at another price after a replace: AvgPx is the volume-weighted average
            alice.send("G", "11=a2|41=a1|55=ACME|54=1|38=100|40=2|44=101|");
            assertEquals("5", alice.expect("8").get(150));
            bob.send("D", "11=b2|55=ACME|54=2|38=70|40=2|44=101|");
            bob.expect("8");
            final Map<Integer, String> filled = alice.expect("8");
            assertEquals("2", filled.get(39));
            assertEquals("a2", filled.get(11));
            assertEquals("101", filled.get(31));
            assertEquals("100", filled.get(14));
            assertEquals("0", filled.get(151));
            assertEquals("100.7", filled.get(6));
        }
    }

    @Test
    void aGoodTillDateOrderTakesAnExpireTimeOrAnExpireDateOfTheMarketsZone() throws IOException
    {
        start(ctx -> ctx.marketZone(java.time.ZoneId.of("Europe/Paris")));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=g1|" + BUY_100 + "59=6|126=20991231-12:00:00.000|");
            assertEquals("20991231-12:00:00.000", alice.expect("8").get(126));

            // the last day it trades, a Paris date: it expires at that day's end, 23:00 UTC in winter
            alice.send("D", "11=g2|" + BUY_100 + "59=6|432=20991231|");
            final Map<Integer, String> byDate = alice.expect("8");
            assertEquals("0", byDate.get(150));
            assertEquals("20991231-23:00:00.000", byDate.get(126));

            alice.send("D", "11=g3|" + BUY_100 + "59=6|432=2099-12-31|");
            final Map<Integer, String> malformed = alice.expect("3");
            assertEquals("432", malformed.get(371));
            assertEquals("6", malformed.get(373));

            // past what the engine's nanoseconds since 1970 hold: refused as a value out of range, by date or by time alike
            // (a date was acknowledged with an ExpireTime in 2262 the client never sent: an outside probe)
            alice.send("D", "11=g6|" + BUY_100 + "59=6|432=99991231|");
            final Map<Integer, String> lateDate = alice.expect("3");
            assertEquals("432", lateDate.get(371));
            assertEquals("5", lateDate.get(373), lateDate.toString());
            alice.send("D", "11=g7|" + BUY_100 + "59=6|126=99991231-23:59:59|");
            final Map<Integer, String> lateTime = alice.expect("3");
            assertEquals("126", lateTime.get(371));
            assertEquals("5", lateTime.get(373), lateTime.toString());

            alice.send("D", "11=g4|" + BUY_100 + "59=6|");
            final Map<Integer, String> missing = alice.expect("3");
            assertEquals("126", missing.get(371));
            assertEquals("1", missing.get(373));

            // the Replaced report says what the order still is: GTD, with its expiry
            alice.send("G", "11=g5|41=g1|55=ACME|54=1|38=50|40=2|44=100|");
            final Map<Integer, String> replaced = alice.expect("8");
            assertEquals("5", replaced.get(150));
            assertEquals("6", replaced.get(59));
            assertEquals("20991231-12:00:00.000", replaced.get(126));
        }
    }

    @Test
    void aCancelOrReplaceWithoutSymbolOrSideOrAReplaceWithoutOrdTypeGetsASessionReject() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=r1|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));

            final String[][] requests = {
                {"F", "11=c1|41=r1|54=1|", "55"},
                {"F", "11=c2|41=r1|55=ACME|", "54"},
                {"G", "11=c3|41=r1|54=1|38=50|40=2|44=100|", "55"},
                {"G", "11=c4|41=r1|55=ACME|38=50|40=2|44=100|", "54"},
                // OrdType is required on a replace as on a new order (FIX 4.4); one without it was carried out
                {"G", "11=c6|41=r1|55=ACME|54=1|38=50|44=100|", "40"},
                {"G", "11=c7|41=r1|55=ACME|54=1|38=50|99=100|", "40"},
            };
            for (final String[] request : requests)
            {
                alice.send(request[0], request[1]);
                final Map<Integer, String> reject = alice.expect("3");
                assertEquals(request[2], reject.get(371), request[1]);
                assertEquals("1", reject.get(373), request[1]);
                assertEquals(request[0], reject.get(372), request[1]);
            }

            // the order is untouched: a cancel that names it properly still works
            alice.send("F", "11=c5|41=r1|55=ACME|54=1|");
            assertEquals("4", alice.expect("8").get(150));
        }
    }

    /**
     * A Side, OrdType or TimeInForce FIX 4.4 defines but this exchange does not trade (sell short,
     * pegged, good till crossing) rejects the order with an ExecutionReport its order system can
     * match (OrdRejReason 11); a value FIX 4.4 does not define is a session Reject (373=5). A probe
     * with a strict QuickFIX/J client saw session Rejects for both.
     */
    @Test
    void anUnsupportedFix44ValueRejectsTheOrderAnUndefinedOneTheMessage() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            final String[][] unsupported = {
                {"u1", "55=ACME|54=1|38=10|40=2|44=100|59=5|", "TimeInForce(59) 5 is not supported", "1"},
                {"u2", "55=ACME|54=1|38=10|40=P|", "OrdType(40) P is not supported", "1"},
                {"u3", "55=ACME|54=5|38=10|40=2|44=100|", "Side(54) 5 is not supported", "5"},
            };
            for (final String[] order : unsupported)
            {
                alice.send("D", "11=" + order[0] + "|" + order[1]);
                final Map<Integer, String> er = alice.expect("8");
                assertEquals(order[0], er.get(11));
                assertEquals("8", er.get(150));
                assertEquals("8", er.get(39));
                assertEquals("11", er.get(103), er.toString());
                assertEquals(order[3], er.get(54));
                assertTrue(er.get(58).startsWith(order[2]), er.get(58));
            }
            for (final String[] undefined : new String[][]{{"55=ACME|54=1|38=10|40=2|44=100|59=9|", "59"},
                {"55=ACME|54=1|38=10|40=Z|", "40"}, {"55=ACME|54=X|38=10|40=2|44=100|", "54"}})
            {
                alice.send("D", "11=x1|" + undefined[0]);
                final Map<Integer, String> reject = alice.expect("3");
                assertEquals("5", reject.get(373));
                assertEquals(undefined[1], reject.get(371));
            }
            alice.send("D", "11=u4|55=NOPE|54=1|38=10|40=2|44=100|");
            assertEquals("1", alice.expect("8").get(103), "unknown symbol");

            // each refusal is journaled (an ORDER_REFUSED audit: reason, ClOrdID, instrument, the message's MsgSeqNum), so the
            // audit trail and the account's activity hold it; a query-side probe found them in neither. A session Reject is not.
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED") == 4, "four refusals journaled");
            assertEquals(1, exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED", "detail=23", "clOrdId=u1", "instrumentId=1"));
            assertEquals(1, exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED", "detail=22", "clOrdId=u2"));
            assertEquals(1, exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED", "detail=21", "clOrdId=u3", "accountId=1001"));
            assertEquals(1, exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED", "detail=1", "clOrdId=u4", "instrumentId=0"));
            assertEquals(0, exchange.countEvents("AuditRecorded", "clOrdId=x1"));
        }
    }

    /**
     * A NewOrderSingle sent again (PossResend, or PossDupFlag at a new MsgSeqNum) whose first copy
     * is a live order is answered with that order's status, as FIX 4.4 asks of a possible resend;
     * unmarked, or once the order has ended, it is a duplicate as before.
     */
    @Test
    void aResentOrderWhoseFirstCopyArrivedIsAnsweredWithThatOrdersStatus() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=r1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);
            for (final boolean possDupFlag : new boolean[]{false, true})
            {
                alice.sendResent(possDupFlag, "D", "11=r1|" + BUY_100);
                final Map<Integer, String> status = alice.expect("8");
                assertEquals("I", status.get(150), status.toString());
                assertEquals("0", status.get(39));
                assertEquals(orderId, status.get(37));
                assertEquals("r1", status.get(11));
                assertEquals("100", status.get(151));
            }
            alice.send("D", "11=r1|" + BUY_100);
            Map<Integer, String> er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("6", er.get(103), "an unmarked copy is a duplicate");

            alice.send("F", "11=r2|41=r1|55=ACME|54=1|");
            assertEquals("4", alice.expect("8").get(150));
            alice.sendResent(false, "D", "11=r1|" + BUY_100);
            er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("6", er.get(103), "the order has ended: a duplicate");
            // a resend whose first copy never arrived is an order
            alice.sendResent(false, "D", "11=r3|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));
        }
    }

    /** A Price or StopPx that is missing and one that is there but malformed are told apart, as their reasons are. */
    @Test
    void aMissingPriceAndAMalformedOneAreToldApart() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            final String[][] cases = {
                {"55=ACME|54=1|38=10|40=2|", "1", "Price(44) required for limit and stop limit orders"},
                {"55=ACME|54=1|38=10|40=2|44=1.8e2|", "6", "Price(44) must be a decimal"},
                // a price too large for a long: the text says the limit (an outside tester's 30 digits were told the format)
                {"55=ACME|54=1|38=10|40=2|44=999999999999999999999999999999|", "6",
                    "Price(44) must be a decimal of digits with an optional . and leading -, up to 4 decimal places, at most 922337203685477"},
                {"55=ACME|54=1|38=10|40=3|", "1", "StopPx(99) required for stop and stop limit orders"},
                {"55=ACME|54=1|38=10|40=3|99=+100|", "6", "StopPx(99) must be a decimal"},
                {"55=ACME|54=1|38=12345678901234567890123|40=2|44=100|", "6", "OrderQty(38) must be a positive whole number of at most 18 digits"},
            };
            for (final String[] c : cases)
            {
                alice.send("D", "11=p1|" + c[0]);
                final Map<Integer, String> reject = alice.expect("3");
                assertEquals(c[1], reject.get(373), reject.toString());
                assertTrue(reject.get(58).startsWith(c[2]), reject.get(58));
            }
        }
    }

    /**
     * A fill of a session's resting order while its resetting Logon (ResetSeqNumFlag) is being
     * checked is reported after the Logon's reply, under the new numbering: it was stored under the
     * numbering the reset gave up and lost (an outside probe's CumQty went from 5 to 7). The user's
     * password hash is slow on purpose (seconds), so the fill falls inside the check.
     */
    @Test
    void aFillWhileAResettingLogonIsCheckedIsReportedAfterItsReply() throws IOException
    {
        start(ctx -> ctx.cancelOnDisconnect(false));
        exchange.credentials.add(new dev.bourse.protocol.auth.Credential("slow",
            dev.bourse.protocol.auth.PasswordHash.hash(TestExchange.PASSWORD.toCharArray(), 3_000_000), 1001));
        try (FixClient slow = new FixClient(exchange.port(), "SLOW"))
        {
            slow.logon("slow", TestExchange.PASSWORD);
            slow.expect("A");
            slow.send("D", "11=s1|55=ACME|54=2|38=10|40=2|44=100|");
            assertEquals("0", slow.expect("8").get(150));
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED") == 1, "slow disconnected");
        try (FixClient bob = logOn("BOB", "bob"); FixClient slow = new FixClient(exchange.port(), "SLOW"))
        {
            slow.send("A", "98=0|108=30|141=Y|553=slow|554=" + TestExchange.PASSWORD + "|");
            // the Logon is read and its password check under way (a check in flight is tracked): then bob's order
            TestExchange.await(() -> exchange.ctx.credentialGuard().tracked() > 0, "slow's Logon in its check");
            bob.send("D", "11=b1|55=ACME|54=1|38=4|40=2|44=100|");
            assertEquals("0", bob.expect("8").get(150));
            assertEquals("F", bob.expect("8").get(150), "bob's fill");
            final Map<Integer, String> logon = slow.expect("A");
            assertEquals("Y", logon.get(141));
            assertEquals("1", logon.get(34));
            final Map<Integer, String> fill = slow.expect("8");
            assertEquals("F", fill.get(150), fill.toString());
            assertEquals("s1", fill.get(11));
            assertEquals("4", fill.get(32));
            assertEquals("6", fill.get(151));
            assertEquals("Y", fill.get(97), "read again from the journal: PossResend");
            assertEquals("2", fill.get(34), "the first message of the new numbering after the Logon");
        }
    }

    /**
     * A session trades for its user's account: a request whose Account (1) names another is refused,
     * not booked to the session's account (an outside probe's order for account 1002 was filled in 1001).
     */
    @Test
    void aRequestNamingAnotherAccountIsRefused() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "1=1002|11=n1|" + BUY_100);
            Map<Integer, String> er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("15", er.get(103), "unknown account");
            assertTrue(er.get(58).startsWith("Account(1) must be this session's account, 1001"), er.get(58));

            alice.send("D", "1=1001|11=n2|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150), "its own account may be named");

            alice.send("F", "1=CLIENT7|11=n3|41=n2|55=ACME|54=1|");
            final Map<Integer, String> cancelReject = alice.expect("9");
            assertEquals("n3", cancelReject.get(11));
            assertTrue(cancelReject.get(58).startsWith("Account(1)"), cancelReject.get(58));
            alice.send("H", "1=1002|11=n2|55=ACME|54=1|");
            assertEquals("j", alice.expect("j").get(35));
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=ORDER_REFUSED", "detail=2") == 2,
                "the refused order and cancel journaled, not the status request");
            alice.send("F", "11=n4|41=n2|55=ACME|54=1|");
            assertEquals("4", alice.expect("8").get(150), "the order was untouched");

            // refused before any lookup: the OrderID it named is not echoed as if it were confirmed (an outside tester)
            alice.send("G", "1=1002|11=n5|37=999999|55=ACME|54=1|38=5|40=2|44=100|");
            final Map<Integer, String> replaceReject = alice.expect("9");
            assertEquals("NONE", replaceReject.get(37), replaceReject.toString());
            assertEquals("8", replaceReject.get(39));
            assertEquals("2", replaceReject.get(102));
        }
    }

    /**
     * An order for a firm beyond the exchange (DeliverToCompID 128) is not the exchange's to act on:
     * a session Reject naming the tag (a probe's order "for OTHER" was executed). 128 naming the
     * exchange itself, and OnBehalfOfCompID (115), which only says who the sender acts for, are taken.
     */
    @Test
    void anOrderToBeDeliveredToAnotherFirmIsRejected() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "128=OTHER|11=dt1|55=ACME|54=1|38=10|40=2|44=100|");
            final Map<Integer, String> reject = alice.expect("j");
            assertEquals("D", reject.get(372));
            assertEquals("7", reject.get(380), "DeliverTo firm not available");
            assertEquals("dt1", reject.get(379));
            alice.send("D", "128=BOURSE|115=DESK7|11=dt2|55=ACME|54=1|38=10|40=2|44=100|");
            final Map<Integer, String> er = alice.expect("8");
            assertEquals("dt2", er.get(11));
            assertEquals("0", er.get(150));
        }
    }

    /**
     * A replace keeps the order's TimeInForce: naming another is refused (ORDER_MISMATCH), naming
     * its own goes through; a probe's DAY order was acknowledged as replaced to GTC and then expired.
     */
    @Test
    void aReplaceNamingAnotherTimeInForceIsRefused() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=t1|55=ACME|54=1|38=10|40=2|44=100|59=0|");
            assertEquals("0", alice.expect("8").get(150));
            alice.send("G", "11=t2|41=t1|55=ACME|54=1|38=10|40=2|44=100|59=1|");
            Map<Integer, String> reject = alice.expect("9");
            assertEquals("ORDER_MISMATCH", reject.get(58));
            assertEquals("0", reject.get(39), "the order's own status: still new");
            alice.send("G", "11=t3|41=t1|55=ACME|54=1|38=10|40=2|44=100|59=5|");
            reject = alice.expect("9");
            assertTrue(reject.get(58).startsWith("TimeInForce(59) 5 is not supported"), reject.get(58));
            alice.send("G", "11=t4|41=t1|55=ACME|54=1|38=10|40=2|44=100|59=9|");
            assertEquals("59", alice.expect("3").get(371));
            alice.send("G", "11=t5|41=t1|55=ACME|54=1|38=8|40=2|44=100|59=0|");
            final Map<Integer, String> replaced = alice.expect("8");
            assertEquals("5", replaced.get(150));
            assertEquals("0", replaced.get(59));
        }
    }

    /**
     * A replace keeps an iceberg's MaxFloor, a GTD order's ExpireTime and post-only (ExecInst 6):
     * naming another is refused (ORDER_MISMATCH), where it was not read and the client was told
     * "replaced"; naming the order's own goes through.
     */
    @Test
    void aReplaceNamingAnotherMaxFloorExpireTimeOrExecInstIsRefused() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=m1|55=ACME|54=1|38=100|40=2|44=100|59=6|126=20991231-23:00:00|111=10|");
            assertEquals("0", alice.expect("8").get(150));
            for (final String other : new String[] {"111=20|", "1138=20|", "126=20991231-23:30:00|", "432=20991231|", "18=6|"})
            {
                alice.send("G", "11=m2|41=m1|55=ACME|54=1|38=90|40=2|44=100|" + other);
                final Map<Integer, String> reject = alice.expect("9");
                assertEquals("ORDER_MISMATCH", reject.get(58), other);
                assertEquals("0", reject.get(39), other);
            }
            alice.send("G", "11=m3|41=m1|55=ACME|54=1|38=90|40=2|44=100|111=x|");
            assertEquals("111", alice.expect("3").get(371));
            alice.send("G", "11=m5|41=m1|55=ACME|54=1|38=90|40=2|44=100|18=G|");
            final Map<Integer, String> allOrNone = alice.expect("9");
            assertTrue(allOrNone.get(58).startsWith("ExecInst(18) G is not supported"), allOrNone.toString());
            alice.send("G", "11=m4|41=m1|55=ACME|54=1|38=90|40=2|44=100|59=6|126=20991231-23:00:00|111=10|");
            final Map<Integer, String> replaced = alice.expect("8");
            assertEquals("5", replaced.get(150));
            assertEquals("10", replaced.get(111));
        }
    }

    @Test
    void engineRejectsComeBackAsRejectedExecutionReportsWithAReason() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=r1|55=ACME|54=1|38=1|40=2|44=100.005|");
            Map<Integer, String> er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("8", er.get(39));
            assertEquals("BAD_TICK", er.get(58));
            assertEquals("99", er.get(103));

            alice.send("D", "11=r2|55=ACME|54=1|38=1|40=2|44=500|");
            er = alice.expect("8");
            assertEquals("OUTSIDE_PRICE_BAND", er.get(58));
            assertEquals("3", er.get(103));

            alice.send("D", "11=r3|55=NOPE|54=1|38=1|40=2|44=100|");
            er = alice.expect("8");
            assertEquals("1", er.get(103));
            assertEquals("NOPE", er.get(55));

            alice.send("D", "11=r4|55=ACME|54=1|38=1|40=2|44=100|");
            assertEquals("0", alice.expect("8").get(150));
            alice.send("D", "11=r4|55=ACME|54=1|38=1|40=2|44=100|");
            er = alice.expect("8");
            assertEquals("DUPLICATE_CLORDID", er.get(58));
            assertEquals("6", er.get(103));

            // fields that do not fit the order are refused, not dropped
            alice.send("D", "11=r5|55=ACME|54=1|38=1|40=2|44=100|99=101|");
            er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("INVALID_STOP_PRICE", er.get(58), "a StopPx on a limit order");
            alice.send("D", "11=r6|55=ACME|54=1|38=1|40=2|44=100|59=0|126=20991231-00:00:00|");
            er = alice.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("INVALID_EXPIRE_TIME", er.get(58), "an ExpireTime on a DAY order");
            alice.send("D", "11=r7|55=ACME|54=1|38=1|40=2|44=100|60=garbage|");
            final Map<Integer, String> badTime = alice.expect("3");
            assertEquals("60", badTime.get(371));
            assertEquals("6", badTime.get(373));

            // a cancel reusing a live order's ClOrdID is refused, and says what the order it names is
            alice.send("F", "11=r4|41=r4|55=ACME|54=1|");
            final Map<Integer, String> reject = alice.expect("9");
            assertNotEquals("NONE", reject.get(37));
            assertEquals("0", reject.get(39), "the named order is live and unfilled");
            assertEquals("6", reject.get(102));
            // the same named by OrderID alone: OrigClOrdID is the ClOrdID the order carries, not NONE
            alice.send("F", "11=r4|37=" + reject.get(37) + "|55=ACME|54=1|");
            final Map<Integer, String> byOrderId = alice.expect("9");
            assertEquals(reject.get(37), byOrderId.get(37));
            assertEquals("r4", byOrderId.get(41), "FIX 4.4: the ClOrdID of the previous accepted order");
            // one naming no live order: no OrderID, no status
            alice.send("F", "11=r4|41=nothing|55=ACME|54=1|");
            final Map<Integer, String> none = alice.expect("9");
            assertEquals("NONE", none.get(37));
            assertEquals("8", none.get(39), "OrdStatus 8 beside OrderID NONE");
            assertEquals("6", none.get(102));
        }
    }

    @Test
    void postOnlyImmediateOrCancelFillOrKillAndSelfTradePreventionAreReachable() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            alice.send("D", "11=a1|55=ACME|54=2|38=10|40=2|44=100|");
            alice.expect("8");

            bob.send("D", "11=p1|55=ACME|54=1|38=5|40=2|44=100|18=6|");
            Map<Integer, String> er = bob.expect("8");
            assertEquals("8", er.get(150));
            assertEquals("WOULD_CROSS_POST_ONLY", er.get(58));

            // instructions the engine does not carry out are refused, never acknowledged and ignored (an outside probe's
            // all-or-none and MinQty orders were partly filled)
            for (final String instruction : new String[] {"18=G|", "18=6 G|", "18=Z|", "110=50|"})
            {
                bob.send("D", "11=x1|55=ACME|54=1|38=50|40=2|44=100|" + instruction);
                er = bob.expect("8");
                assertEquals("8", er.get(150), instruction);
                assertEquals("11", er.get(103), instruction);
                assertTrue(er.get(58).contains("is not supported"), instruction + ": " + er.get(58));
            }
            bob.send("D", "11=x2|55=ACME|54=1|38=1|40=2|44=90|110=0|");
            assertEquals("0", bob.expect("8").get(150), "MinQty 0 asks for nothing");

            bob.send("D", "11=f1|55=ACME|54=1|38=50|40=2|44=100|59=4|");
            er = bob.expect("8");
            assertEquals("FOK_NOT_FILLABLE", er.get(58));

            bob.send("D", "11=i1|55=ACME|54=1|38=15|40=2|44=100|59=3|");
            assertEquals("0", bob.expect("8").get(150));
            assertEquals("F", bob.expect("8").get(150));
            er = bob.expect("8");
            assertEquals("4", er.get(150));
            assertEquals("IOC_REMAINDER", er.get(58));
            assertEquals("10", er.get(14));
            assertEquals("F", alice.expect("8").get(150), "alice's order was the maker");

            // alice trades against herself: cancel the aggressor
            alice.send("D", "11=a2|55=ACME|54=2|38=10|40=2|44=101|");
            alice.expect("8");
            alice.send("D", "11=a3|55=ACME|54=1|38=10|40=2|44=101|2964=1|");
            assertEquals("0", alice.expect("8").get(150));
            er = alice.expect("8");
            assertEquals("4", er.get(150));
            assertEquals("a3", er.get(11));
            assertEquals("SELF_TRADE_PREVENTION", er.get(58));
        }
    }

    /**
     * Status requests sent in one write are all outstanding at once: each answer echoes its own
     * OrdStatusReqID (an outside tester's 17th took the first one's place, whose answer then came
     * without it), and beyond what the gateway keeps a request is refused saying why, never
     * answered without its id. An id longer than 64 characters is refused too.
     */
    @Test
    void aBurstOfStatusRequestsGetsEachItsOwnIdOrARefusal() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=q1|" + BUY_100);
            alice.expect("8");
            final int burst = StatusRequestIds.SLOTS + 20;
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < burst; i++)
            {
                bytes.write(FixClient.frame(alice.header("H", alice.nextSeq++) + "11=q1|790=id" + i + "|55=ACME|54=1|"));
            }
            alice.sendRaw(bytes.toByteArray());
            final java.util.Set<String> echoed = new java.util.HashSet<>();
            int refused = 0;
            for (int i = 0; i < burst; i++)
            {
                final Map<Integer, String> m = alice.next();
                if ("8".equals(m.get(35)))
                {
                    assertEquals("I", m.get(150));
                    assertNotNull(m.get(790), "an answer without its OrdStatusReqID: " + m);
                    assertTrue(echoed.add(m.get(790)), "echoed twice: " + m);
                }
                else
                {
                    assertEquals("j", m.get(35), m.toString());
                    assertTrue(m.get(58).startsWith("too many status requests with OrdStatusReqID(790) unanswered"), m.get(58));
                    refused++;
                }
            }
            assertTrue(echoed.size() >= StatusRequestIds.SLOTS || refused == 0, echoed.size() + " answered, " + refused + " refused");

            alice.send("H", "11=q1|790=" + "x".repeat(65) + "|55=ACME|54=1|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("790", reject.get(371));
            assertEquals("5", reject.get(373));
            alice.send("H", "11=q1|790=" + "y".repeat(64) + "|55=ACME|54=1|");
            assertEquals("y".repeat(64), alice.expect("8").get(790));

            // a status request's BusinessMessageReject names it by its OrdStatusReqID (FIX 4.4's BusinessRejectRefID), not the ClOrdID
            alice.send("H", "11=nothing|37=999999999999|790=REQ-J|55=NOSUCH|54=1|");
            final Map<Integer, String> rejected = alice.expect("j");
            assertEquals("H", rejected.get(372));
            assertEquals("REQ-J", rejected.get(379));
            // and frees the id's place: more such rejects than places, then a request with an id is still answered
            for (int i = 0; i < StatusRequestIds.SLOTS + 5; i++)
            {
                alice.send("H", "11=nothing|37=999999999999|790=J" + i + "|55=NOSUCH|54=1|");
                assertEquals("J" + i, alice.expect("j").get(379));
            }
            alice.send("H", "11=q1|790=after|55=ACME|54=1|");
            assertEquals("after", alice.expect("8").get(790));
        }
    }

    /** Only 0 to 3, one character: "x" was taken as no value given (the account's default) and "01" refused. */
    @Test
    void selfMatchPreventionTakesOnlyItsFourValues() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            for (final String bad : new String[] {"x", "A", "01", "4", "-1"})
            {
                alice.send("D", "11=s" + bad.hashCode() + "|55=ACME|54=1|38=10|40=2|44=99|2964=" + bad + "|");
                final Map<Integer, String> reject = alice.expect("3");
                assertEquals("2964", reject.get(371), bad);
                assertEquals("5", reject.get(373), bad);
            }
            alice.send("D", "11=s3|55=ACME|54=1|38=10|40=2|44=99|2964=3|");
            assertEquals("0", alice.expect("8").get(150));
        }
    }

    @Test
    void cancelReplaceStatusAndMassCancelOnOwnOrders() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);

            alice.send("G", "11=a2|41=a1|55=ACME|54=1|38=60|40=2|44=99.5|");
            Map<Integer, String> er = alice.expect("8");
            assertEquals("5", er.get(150));
            assertEquals("a2", er.get(11));
            assertEquals("a1", er.get(41));
            assertEquals("99.5", er.get(44));
            assertEquals("60", er.get(151));
            assertEquals(orderId, er.get(37));

            alice.send("H", "11=a2|37=" + orderId + "|55=ACME|54=1|");
            er = alice.expect("8");
            assertEquals("I", er.get(150));
            assertEquals("0", er.get(39));
            assertEquals("60", er.get(151));
            assertNull(er.get(790), "no OrdStatusReqID asked, none echoed");
            // FIX 4.4: the answer echoes the request's OrdStatusReqID (an outside probe found it dropped), known order or not
            alice.send("H", "11=a2|790=REQ-42|55=ACME|54=1|");
            er = alice.expect("8");
            assertEquals("I", er.get(150));
            assertEquals("REQ-42", er.get(790));
            alice.send("H", "11=nothing|790=REQ-43|55=ACME|54=1|");
            er = alice.expect("8");
            assertEquals("8", er.get(39), "unknown order");
            assertEquals("REQ-43", er.get(790));
            alice.send("H", "11=nothing|37=999999999999|790=REQ-44|55=ACME|54=1|");
            er = alice.expect("8");
            assertEquals("8", er.get(39), "an OrderID that cannot be ours, answered by the gateway");
            assertEquals("REQ-44", er.get(790));

            alice.send("F", "11=a3|41=a2|55=ACME|54=1|");
            er = alice.expect("8");
            assertEquals("4", er.get(150));
            assertEquals("4", er.get(39));
            assertEquals("a3", er.get(11));
            assertEquals("a2", er.get(41));

            // the canceled order is gone: cancel again is too late (CxlRejReason 0), naming it and how it ended
            alice.send("F", "11=a4|41=a2|55=ACME|54=1|");
            Map<Integer, String> reject = alice.expect("9");
            assertEquals("0", reject.get(102));
            assertEquals("1", reject.get(434));
            assertEquals("TOO_LATE_TO_CANCEL", reject.get(58));
            assertEquals(orderId, reject.get(37));
            assertEquals("4", reject.get(39));
            // an OrigClOrdID no order of the account ever carried is unknown (CxlRejReason 1)
            alice.send("F", "11=a5|41=never|55=ACME|54=1|");
            reject = alice.expect("9");
            assertEquals("1", reject.get(102));
            assertEquals("UNKNOWN_ORDER", reject.get(58));

            alice.send("D", "11=b1|55=ACME|54=1|38=1|40=2|44=90|");
            alice.send("D", "11=b2|55=BETA|54=1|38=1|40=2|44=40|");
            alice.expect("8");
            alice.expect("8");
            alice.send("q", "11=m1|530=1|55=ACME|");
            assertEquals("b1", alice.expect("8").get(11));
            Map<Integer, String> report = alice.expect("r");
            assertEquals("1", report.get(531));
            assertEquals("1", report.get(533));
            alice.send("q", "11=m2|530=7|");
            assertEquals("b2", alice.expect("8").get(11));
            report = alice.expect("r");
            assertEquals("7", report.get(531));
            assertEquals("1", report.get(533));

            alice.send("q", "11=m3|530=3|");
            report = alice.expect("r");
            assertEquals("0", report.get(531));
            assertEquals("3", report.get(530), "the request's MassCancelRequestType is echoed");

            // an iceberg's peak in FIX 5.0's DisplayQty (1138) is taken as MaxFloor (111); the two must agree
            alice.send("D", "11=i1|55=ACME|54=1|38=100|40=2|44=90|1138=10|");
            final Map<Integer, String> iceberg = alice.expect("8");
            assertEquals("0", iceberg.get(150), iceberg.toString());
            assertEquals("10", iceberg.get(111), "the peak, as MaxFloor");
            alice.send("D", "11=i2|55=ACME|54=1|38=100|40=2|44=90|111=10|1138=20|");
            final Map<Integer, String> disagree = alice.expect("3");
            assertEquals("1138", disagree.get(371));
            assertEquals("5", disagree.get(373));
            // as OrderQty: a negative peak is a value out of range (5), one that is no whole number a format error (6)
            alice.send("D", "11=i3|55=ACME|54=1|38=100|40=2|44=90|111=-5|");
            final Map<Integer, String> negative = alice.expect("3");
            assertEquals("111", negative.get(371));
            assertEquals("5", negative.get(373), negative.toString());
            alice.send("D", "11=i4|55=ACME|54=1|38=100|40=2|44=90|111=5.5|");
            final Map<Integer, String> fraction = alice.expect("3");
            assertEquals("111", fraction.get(371));
            assertEquals("6", fraction.get(373), fraction.toString());

            // by symbol without a Symbol: the conditionally required field is missing (a session Reject), not unknown
            alice.send("q", "11=m4|530=1|");
            final Map<Integer, String> missing = alice.expect("3");
            assertEquals("55", missing.get(371));
            assertEquals("1", missing.get(373));
            assertEquals("q", missing.get(372));
        }
    }

    /**
     * FIX 4.4's MassCancelRejectReason (532) is one character: a strict QuickFIX/J client threw away
     * every refused mass cancel's report (532=99), so its client never learnt of the refusal. A
     * MassCancelRequestType FIX 4.4 does not define is a session Reject (it was echoed in an invalid
     * report); one it defines but the exchange does not take, and a Side no order here has, are
     * refused with the report.
     */
    @Test
    void massCancelRefusalsAreValidFix44() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("q", "11=q1|530=3|460=5|");
            Map<Integer, String> report = alice.expect("r");
            assertEquals("3", report.get(530));
            assertEquals("0", report.get(531));
            assertEquals("0", report.get(532), "mass cancel not supported (of that type): one character");

            alice.send("q", "11=q2|530=1|55=NOPE|");
            report = alice.expect("r");
            assertEquals("1", report.get(532), "unknown security");

            alice.send("q", "11=q3|530=7|54=5|");
            report = alice.expect("r");
            assertEquals("0", report.get(531));
            assertEquals("0", report.get(532));
            assertTrue(report.get(58).startsWith("Side(54) 5 is not traded here"), report.get(58));

            alice.send("q", "11=q4|530=9|");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("530", reject.get(371));
            assertEquals("5", reject.get(373));

            alice.send("q", "11=q5|55=ACME|");
            reject = alice.expect("3");
            assertEquals("530", reject.get(371));
            assertEquals("1", reject.get(373));

            alice.send("q", "11=q6|530=7|54=X|");
            reject = alice.expect("3");
            assertEquals("54", reject.get(371));
            assertEquals("5", reject.get(373));

            alice.send("q", "11=q7|530=7|");
            assertEquals("7", alice.expect("r").get(531), "and the session goes on");
        }
    }

    /** A status request naming a Symbol not listed here is answered with a BusinessMessageReject that names the request's MsgSeqNum. */
    @Test
    void aStatusRequestForAnUnlistedSymbolIsABusinessRejectWithItsRefSeqNumEvenForAKnownClOrdId() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=s1|55=ACME|54=1|38=10|40=2|44=100|");
            assertEquals("0", alice.expect("8").get(150));
            final int seq = alice.nextSeq;
            alice.send("H", "11=s1|55=ZZZZ|54=1|");
            final Map<Integer, String> reject = alice.expect("j");
            assertEquals("H", reject.get(372));
            assertEquals(Integer.toString(seq), reject.get(45));
            assertEquals("unknown order", reject.get(58));
            assertEquals("2", reject.get(380), "FIX 4.4's Unknown Security");
            alice.send("H", "11=s1|55=ZZZZ|54=1|37=1|");
            assertEquals("2", alice.expect("j").get(380), "by OrderID too");
            alice.send("H", "11=s1|55=ACME|54=2|");
            final Map<Integer, String> otherSide = alice.expect("8");
            assertEquals("8", otherSide.get(39), "another side: not the order asked about");
            assertEquals("2", otherSide.get(54));
        }
    }

    @Test
    void aCancelOrReplaceNamingAnotherSideOrSymbolIsRefusedAndRefusalsCarryTheOrdersIdAndStatus() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);
            bob.send("D", "11=b1|55=ACME|54=2|38=30|40=2|44=100|");
            assertEquals("1", alice.expect("8").get(39), "partly filled");

            // a replace to the other side: refused, the buy order is left as it was
            alice.send("G", "11=a2|41=a1|55=ACME|54=2|38=100|40=2|44=100|");
            Map<Integer, String> reject = alice.expect("9");
            assertEquals("ORDER_MISMATCH", reject.get(58));
            assertEquals("2", reject.get(434));
            assertEquals("99", reject.get(102));
            assertEquals(orderId, reject.get(37));
            assertEquals("1", reject.get(39), "OrdStatus is the order's: partly filled");

            // a cancel naming another instrument, or one the exchange does not list
            alice.send("F", "11=a3|41=a1|55=BETA|54=1|");
            reject = alice.expect("9");
            assertEquals("ORDER_MISMATCH", reject.get(58));
            assertEquals("1", reject.get(434));
            alice.send("F", "11=a4|41=a1|55=NOPE|54=1|");
            assertEquals("ORDER_MISMATCH", alice.expect("9").get(58));

            // any refusal of a found order names it and its status
            alice.send("G", "11=a5|41=a1|55=ACME|54=1|38=20|40=2|44=100|");
            reject = alice.expect("9");
            assertEquals("REPLACE_BELOW_FILLED", reject.get(58));
            assertEquals(orderId, reject.get(37));
            assertEquals("1", reject.get(39));

            // a replace naming a market order: the engine refuses it (a replace keeps the order's type), with the order's status
            alice.send("G", "11=a5m|41=a1|55=ACME|54=1|38=100|40=1|");
            reject = alice.expect("9");
            assertEquals("ORDER_MISMATCH", reject.get(58));
            assertEquals(orderId, reject.get(37));
            assertEquals("1", reject.get(39));
            // an OrdType FIX 4.4 defines but no order here has (pegged): refused as a replace, in an OrderCancelReject
            alice.send("G", "11=a5p|41=a1|55=ACME|54=1|38=100|40=P|44=100|");
            reject = alice.expect("9");
            assertEquals("a5p", reject.get(11));
            assertEquals("2", reject.get(434));
            assertTrue(reject.get(58).startsWith("OrdType(40) P is not traded here"), reject.get(58));
            // a Side FIX 4.4 defines that no order here has (sell short) names none of ours: a cancel's reject, a status request's BMR
            alice.send("F", "11=a5s|41=a1|55=ACME|54=5|");
            reject = alice.expect("9");
            assertEquals("a5s", reject.get(11));
            assertEquals("1", reject.get(434));
            assertTrue(reject.get(58).startsWith("Side(54) 5 is not traded here"), reject.get(58));
            alice.send("H", "11=a1|55=ACME|54=5|");
            final Map<Integer, String> businessReject = alice.expect("j");
            assertEquals("H", businessReject.get(372));
            assertTrue(businessReject.get(58).startsWith("Side(54) 5 is not traded here"), businessReject.get(58));
            // an OrdType or Side FIX 4.4 does not define at all is a malformed field
            alice.send("G", "11=a5z|41=a1|55=ACME|54=1|38=100|40=Z|44=100|");
            final Map<Integer, String> malformed = alice.expect("3");
            assertEquals("5", malformed.get(373));
            assertEquals("40", malformed.get(371));
            alice.send("F", "11=a5x|41=a1|55=ACME|54=X|");
            final Map<Integer, String> malformedSide = alice.expect("3");
            assertEquals("5", malformedSide.get(373));
            assertEquals("54", malformedSide.get(371));

            alice.send("H", "11=a1|55=ACME|54=1|");
            final Map<Integer, String> status = alice.expect("8");
            assertEquals("1", status.get(54), "still a buy");
            assertEquals("70", status.get(151));

            // naming the order's own side and symbol is what FIX asks for, and it goes through
            alice.send("F", "11=a6|41=a1|55=ACME|54=1|");
            assertEquals("4", alice.expect("8").get(150));
        }
    }

    @Test
    void aPriceOnAMarketOrStopOrderIsRefusedNotDropped() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=m1|55=ACME|54=1|38=10|40=1|44=50|59=3|");
            Map<Integer, String> report = alice.expect("8");
            assertEquals("8", report.get(150));
            assertEquals("m1", report.get(11));
            assertTrue(report.get(58).contains("Price(44) is not allowed"), report.toString());
            alice.send("D", "11=s1|55=ACME|54=1|38=10|40=3|99=101|44=101|");
            report = alice.expect("8");
            assertEquals("8", report.get(150));
            assertTrue(report.get(58).contains("Price(44) is not allowed"), report.toString());
            alice.send("D", "11=s2|55=ACME|54=1|38=10|40=3|99=101|");
            assertEquals("0", alice.expect("8").get(150), "a stop without a price is taken");
        }
    }

    @Test
    void aCancelOrReplaceFromAnotherSessionOfTheAccountIsAnsweredToItsSenderAndToTheOrdersSession() throws IOException
    {
        try (FixClient desk1 = logOn("ALICE", "alice"); FixClient desk2 = logOn("ALICE2", "alice"))
        {
            desk1.send("D", "11=o1|" + BUY_100);
            final String orderId = desk1.expect("8").get(37);

            desk2.send("G", "11=r1|41=o1|55=ACME|54=1|38=80|40=2|44=100|");
            final Map<Integer, String> replaced = desk2.expect("8");
            assertEquals("5", replaced.get(150), "the sender hears its replace was carried out");
            assertEquals("r1", replaced.get(11));
            assertEquals("o1", replaced.get(41));
            assertEquals(orderId, replaced.get(37));
            assertEquals("80", replaced.get(151));
            final Map<Integer, String> ownersCopy = desk1.expect("8");
            assertEquals("5", ownersCopy.get(150), "so does the session that entered the order");
            assertEquals(replaced.get(17), ownersCopy.get(17), "one execution, one ExecID");

            desk2.send("F", "11=c1|41=r1|55=ACME|54=1|");
            final Map<Integer, String> canceled = desk2.expect("8");
            assertEquals("4", canceled.get(150));
            assertEquals("c1", canceled.get(11));
            assertEquals("r1", canceled.get(41));
            assertEquals("4", desk1.expect("8").get(150));

            // the session's own requests are answered once
            desk1.send("D", "11=o2|" + BUY_100);
            desk1.expect("8");
            desk1.send("F", "11=c2|41=o2|55=ACME|54=1|");
            assertEquals("4", desk1.expect("8").get(150));
            assertTrue(desk1.sync().stream().noneMatch(m -> "8".equals(m.get(35))), "nothing came twice");
            assertTrue(desk2.sync().stream().noneMatch(m -> "8".equals(m.get(35))), "the other session heard nothing of desk1's own");
        }
    }

    @Test
    void aStatusRequestForAnUnknownOrderIsAnsweredAsFixSaysWithExecTypeIAndOrdStatusRejected() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);

            // no such ClOrdID: an ExecutionReport that names what the request named
            alice.send("H", "11=zz|55=ACME|54=2|");
            Map<Integer, String> status = alice.expect("8");
            assertEquals("I", status.get(150));
            assertEquals("8", status.get(39));
            assertEquals("5", status.get(103), "OrdRejReason unknown order");
            assertEquals("NONE", status.get(37));
            assertEquals("zz", status.get(11));
            assertEquals("ACME", status.get(55));
            assertEquals("2", status.get(54));
            assertEquals("0", status.get(151));
            assertEquals("0", status.get(14));

            // another account's order is unknown to bob, and nothing about it shows
            bob.send("H", "37=" + orderId + "|11=x|55=ACME|54=1|");
            status = bob.expect("8");
            assertEquals("8", status.get(39));
            assertEquals("NONE", status.get(37));
            assertEquals("0", status.get(151));

            // FIX 4.4 requires Symbol and Side: without either it is a session Reject (373=1)
            alice.send("H", "11=zz|55=ACME|");
            Map<Integer, String> reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("54", reject.get(371));
            alice.send("H", "11=zz|54=1|");
            reject = alice.expect("3");
            assertEquals("1", reject.get(373));
            assertEquals("55", reject.get(371));
            // a report for an unknown order needs a listed Symbol: another is a BusinessMessageReject
            alice.send("H", "11=zz|55=NOPE|54=1|");
            assertEquals("H", alice.expect("j").get(372));

            // the live order's own status is as before
            alice.send("H", "11=a1|55=ACME|54=1|");
            status = alice.expect("8");
            assertEquals("0", status.get(39));
            assertEquals(orderId, status.get(37));
        }
    }

    @Test
    void endOfDayExpiresDayOrdersWithExecTypeExpired() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100 + "59=0|");
            alice.expect("8");
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            final int length = new CommandWriter().endOfDay(command, 0, 1, 1);
            assertTrue(exchange.sequencer.tryPublish(command, 0, length));
            final Map<Integer, String> er = alice.expect("8");
            assertEquals("C", er.get(150));
            assertEquals("C", er.get(39));
        }
    }

    // ------------------------------------------------------------------ ownership

    /** What a reply says, without the fields that differ between any two messages. */
    private static Map<Integer, String> content(final Map<Integer, String> m)
    {
        final Map<Integer, String> copy = new HashMap<>(m);
        for (final int tag : new int[] {9, 10, 11, 34, 52, 60})
        {
            copy.remove(tag);
        }
        return copy;
    }

    @Test
    void anotherAccountsOrderIsIndistinguishableFromAnOrderThatDoesNotExist() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String aliceOrder = alice.expect("8").get(37);

            bob.send("F", "11=x1|41=a1|37=" + aliceOrder + "|55=ACME|54=1|");
            final Map<Integer, String> foreign = bob.expect("9");
            bob.send("F", "11=x2|41=a1|37=987654|55=ACME|54=1|");
            final Map<Integer, String> missing = bob.expect("9");
            assertEquals("NONE", foreign.get(37));
            assertEquals("UNKNOWN_ORDER", foreign.get(58));
            assertEquals("1", foreign.get(102));
            assertEquals(content(missing), content(foreign));

            // by ClOrdID only: bob's own namespace, alice's a1 is not found
            bob.send("F", "11=x3|41=a1|55=ACME|54=1|");
            assertEquals(content(missing), content(bob.expect("9")));

            bob.send("G", "11=x4|41=a1|37=" + aliceOrder + "|55=ACME|54=1|38=1|40=2|44=1|");
            final Map<Integer, String> replace = bob.expect("9");
            bob.send("G", "11=x5|41=a1|37=987654|55=ACME|54=1|38=1|40=2|44=1|");
            assertEquals(content(bob.expect("9")), content(replace));
            assertEquals("2", replace.get(434));

            bob.send("H", "11=a1|37=" + aliceOrder + "|55=ACME|54=1|");
            final Map<Integer, String> status = content(bob.expect("8"));
            bob.send("H", "11=a1|37=987654|55=ACME|54=1|");
            final Map<Integer, String> unknown = content(bob.expect("8"));
            status.remove(17); // ExecIDs are unique
            unknown.remove(17);
            assertEquals(unknown, status);
            assertEquals("8", status.get(39));
            assertEquals("unknown order", status.get(58));

            bob.send("q", "11=x6|530=7|");
            assertEquals("0", bob.expect("r").get(533));

            // alice heard nothing and her order is untouched
            assertTrue(alice.sync().isEmpty());
            alice.send("H", "11=a1|37=" + aliceOrder + "|55=ACME|54=1|");
            final Map<Integer, String> mine = alice.expect("8");
            assertEquals("I", mine.get(150));
            assertEquals("100", mine.get(151));
        }
    }

    // ------------------------------------------------------------------ cancel on disconnect

    @Test
    void aDroppedConnectionCancelsTheSessionsRestingOrders() throws IOException
    {
        try (FixClient bob = logOn("BOB", "bob"))
        {
            try (FixClient alice = logOn("ALICE", "alice"))
            {
                alice.send("D", "11=a1|" + BUY_100);
                alice.expect("8");
            }
            TestExchange.await(() -> exchange.countEvents("OrderCanceled", "reason=CANCEL_ON_DISCONNECT") == 1, "cancel on disconnect");
            bob.send("D", "11=b1|55=ACME|54=2|38=10|40=2|44=100|");
            assertEquals("0", bob.expect("8").get(150));
            assertTrue(bob.sync().isEmpty(), "nothing left to trade with");
        }
        // alice learns of it when she is back: the cancel was stored for her session
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.nextSeq = 3;
            alice.logonOk("alice");
            alice.send("2", "7=3|16=0|");
            final Map<Integer, String> canceled = alice.expect("8");
            assertEquals("4", canceled.get(150));
            assertEquals("CANCEL_ON_DISCONNECT", canceled.get(58));
        }
    }

    @Test
    void cancelOnDisconnectIsChosenPerSessionAtLogon() throws IOException
    {
        start(ctx -> ctx.cancelOnDisconnect(false));
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"); FixClient bob = new FixClient(exchange.port(), "BOB"))
        {
            alice.send("A", "98=0|108=30|8013=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            bob.send("A", "98=0|108=30|553=bob|554=" + TestExchange.PASSWORD + "|");
            bob.expect("A");
            alice.send("D", "11=a1|" + BUY_100);
            alice.expect("8");
            bob.send("D", "11=b1|55=ACME|54=1|38=5|40=2|44=99|");
            bob.expect("8");
        }
        TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED") == 2, "both disconnected");
        TestExchange.await(() -> exchange.countEvents("MassCancelDone", "reason=CANCEL_ON_DISCONNECT") == 1, "alice's cancel");
        assertEquals(1, exchange.countEvents("OrderCanceled", "reason=CANCEL_ON_DISCONNECT"));
        assertEquals(1, exchange.countEvents("OrderCanceled", "accountId=1001"));
        assertEquals(0, exchange.countEvents("OrderCanceled", "accountId=1002"));

        try (FixClient carol = new FixClient(exchange.port(), "CAROL"))
        {
            carol.send("A", "98=0|108=30|8013=maybe|553=carol|554=" + TestExchange.PASSWORD + "|");
            assertTrue(carol.expect("5").get(58).contains("8013"));
        }
    }

    @Test
    void cancelOnDisconnectGoesInSlicesAndALogonWaitsForItsEnd() throws IOException
    {
        start(ctx -> ctx.cancelOnDisconnectSlice(4));
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.send("A", "98=0|108=30|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            for (int i = 0; i < 10; i++)
            {
                alice.send("D", "11=r" + i + "|" + BUY_100);
                alice.expect("8");
            }
        }
        // at once again: the logon is held until the last slice is journaled, so its new order stays
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            assertEquals(3, exchange.countEvents("MassCancelDone", "reason=CANCEL_ON_DISCONNECT"), "slices of 4, 4 and 2");
            assertEquals(1, exchange.countEvents("MassCancelDone", "moreRemaining=FALSE"));
            assertEquals(10, exchange.countEvents("OrderCanceled", "reason=CANCEL_ON_DISCONNECT"));
            alice.send("D", "11=after|" + BUY_100);
            // the cancels journaled after the resetting Logon arrived come first, read again (PossResend) under the new numbering
            Map<Integer, String> er = alice.expect("8");
            while (!"after".equals(er.get(11)))
            {
                assertEquals("4", er.get(150), er.toString());
                assertEquals("Y", er.get(97), er.toString());
                er = alice.expect("8");
            }
            assertEquals("0", er.get(39));
            alice.send("5", "");
            alice.expect("5");
        }
        TestExchange.await(() -> exchange.countEvents("MassCancelDone", "reason=CANCEL_ON_DISCONNECT") == 4, "the second cancel");
        assertEquals(11, exchange.countEvents("OrderCanceled", "reason=CANCEL_ON_DISCONNECT"), "every order canceled once");
    }

    @Test
    void aMassCancelGoesInSlicesAndIsReportedOnceWithItsTotal() throws IOException
    {
        start(ctx -> ctx.cancelOnDisconnectSlice(4));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            for (int i = 0; i < 10; i++)
            {
                alice.send("D", "11=r" + i + "|" + BUY_100);
                alice.expect("8");
            }
            alice.send("q", "11=all|530=7|");
            for (int i = 0; i < 10; i++)
            {
                final Map<Integer, String> canceled = alice.expect("8");
                assertEquals("4", canceled.get(150), "each order's cancel as it goes");
                assertEquals("r" + i, canceled.get(11));
            }
            final Map<Integer, String> report = alice.expect("r");
            assertEquals("all", report.get(11), "the request's ClOrdID");
            assertEquals("7", report.get(531));
            assertEquals("10", report.get(533), "the total of all slices");
            assertEquals(3, exchange.countEvents("MassCancelDone", "reason=MASS_CANCEL"), "slices of 4, 4 and 2");
            assertEquals(10, exchange.countEvents("OrderCanceled", "reason=MASS_CANCEL"));

            // nothing left: one slice, reported at once; the session carries on
            alice.send("q", "11=none|530=7|");
            assertEquals("0", alice.expect("r").get(533));
            alice.send("D", "11=after|" + BUY_100);
            assertEquals("0", alice.expect("8").get(39));
        }
    }

    /**
     * A probe's risk tool sent "cancel all ACME" and "cancel all BETA" back to back: the second was
     * refused while the first was still going in slices, and its orders stayed live.
     */
    @Test
    void whatASessionSendsBehindAMassCancelWaitsForItsEndSoASecondOneIsCarriedOutAndANewOrderStays() throws IOException
    {
        start(ctx -> ctx.cancelOnDisconnectSlice(4));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            for (int i = 0; i < 10; i++)
            {
                alice.send("D", "11=r" + i + "|" + BUY_100);
                alice.expect("8");
            }
            for (int i = 0; i < 2; i++)
            {
                alice.send("D", "11=b" + i + "|55=BETA|54=1|38=1|40=2|44=40|");
                alice.expect("8");
            }
            alice.send("q", "11=acme|530=1|55=ACME|");
            alice.send("q", "11=beta|530=1|55=BETA|");
            alice.send("D", "11=after|" + BUY_100);
            for (int i = 0; i < 10; i++)
            {
                final Map<Integer, String> canceled = alice.expect("8");
                assertEquals("4", canceled.get(150), canceled.toString());
                assertEquals("r" + i, canceled.get(11));
            }
            Map<Integer, String> report = alice.expect("r");
            assertEquals("acme", report.get(11));
            assertEquals("10", report.get(533));
            for (int i = 0; i < 2; i++)
            {
                final Map<Integer, String> canceled = alice.expect("8");
                assertEquals("4", canceled.get(150), canceled.toString());
                assertEquals("b" + i, canceled.get(11));
            }
            report = alice.expect("r");
            assertEquals("beta", report.get(11), report.toString());
            assertEquals("2", report.get(533), "the second request is carried out, not refused");
            final Map<Integer, String> after = alice.expect("8");
            assertEquals("after", after.get(11), "the order sent after both is read after them");
            assertEquals("0", after.get(39));
            assertEquals(12, exchange.countEvents("OrderCanceled", "reason=MASS_CANCEL"), "the new order is not canceled");
        }
    }

    @Test
    void aMassCancelOfThousandsOfOrdersCompletesForAClientThatReadsLate() throws Exception
    {
        // 3,000 reports, five times the outbound limit (loopback's socket buffers hold them too, so this checks the
        // slices and the total; bench abuse's mass-cancel-request, 100k orders, shows the pacing)
        start(ctx -> ctx.cancelOnDisconnectSlice(256).outboundBufferLimit(128 * 1024).rateLimitPerSecond(1_000_000)
            .rateLimitBurst(100_000));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            final int orders = 3_000;
            for (int i = 0; i < orders; i++)
            {
                alice.send("D", "11=r" + i + "|55=ACME|54=1|38=1|40=2|44=" + (90 + i % 9) + "|59=1|");
                if (i % 500 == 499)
                {
                    for (int k = 0; k < 500; k++)
                    {
                        assertEquals("0", alice.expect("8").get(150));
                    }
                }
            }
            alice.send("q", "11=all|530=7|");
            TestExchange.await(() -> exchange.countEvents("OrderCanceled", "reason=MASS_CANCEL") >= 256, "the first slice");
            Thread.sleep(300); // reads late; the next slices wait for it
            for (int i = 0; i < orders; i++)
            {
                assertEquals("4", alice.expect("8").get(150));
            }
            assertEquals(String.valueOf(orders), alice.expect("r").get(533));
        }
    }

    // ------------------------------------------------------------------ flow control

    @Test
    void aBurstOfManyTurnsIsAllAnsweredWithNothingMoreFromTheClientAndAnotherSessionIsServedMeanwhile() throws IOException
    {
        // one message per turn: a burst read in one go is finished by queued turns, not by new bytes
        start(ctx -> ctx.messagesPerTurn(1));
        try (FixClient alice = logOn("ALICE", "alice"); FixClient bob = logOn("BOB", "bob"))
        {
            final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= 300; i++)
            {
                burst.write(FixClient.frame(alice.header("D", alice.nextSeq++) + "11=b" + i + "|" + BUY_100));
            }
            alice.sendRaw(burst.toByteArray());
            bob.send("D", "11=bob1|" + BUY_100);
            assertEquals("0", bob.expect("8").get(150));
            for (int i = 1; i <= 300; i++)
            {
                final Map<Integer, String> er = alice.expect("8");
                assertEquals("0", er.get(150));
                assertEquals("b" + i, er.get(11), "in the order sent");
            }
        }
    }

    @Test
    void messagesBeyondTheRateLimitAreRejectedWithAReasonWhenOverLimitRejects() throws IOException
    {
        start(ctx -> ctx.rateLimitPerSecond(1).rateLimitBurst(3).rateLimitOverLimit(GatewayContext.OverLimit.REJECT));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            final StringBuilder burst = new StringBuilder();
            final List<byte[]> messages = new ArrayList<>();
            for (int i = 1; i <= 5; i++)
            {
                messages.add(FixClient.frame(alice.header("D", alice.nextSeq++) + "11=t" + i + "|" + BUY_100));
            }
            messages.add(FixClient.frame(alice.header("F", alice.nextSeq++) + "11=t6|41=t1|55=ACME|54=1|"));
            final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (final byte[] m : messages)
            {
                all.write(m);
            }
            alice.sendRaw(all.toByteArray());
            int accepted = 0;
            int throttled = 0;
            Map<Integer, String> cancelReject = null;
            for (int i = 0; i < 6; i++)
            {
                final Map<Integer, String> m = alice.next();
                if ("9".equals(m.get(35)))
                {
                    cancelReject = m;
                }
                else if ("0".equals(m.get(150)))
                {
                    accepted++;
                }
                else
                {
                    assertEquals("8", m.get(39));
                    assertTrue(m.get(58).startsWith("throttled"), m.get(58));
                    throttled++;
                }
            }
            assertEquals(3, accepted);
            assertEquals(2, throttled);
            assertNotNull(cancelReject);
            assertTrue(cancelReject.get(58).startsWith("throttled"));
            assertEquals(3, exchange.gateway.sessions().throttledCount());
        }
    }

    @Test
    void aFullRingGetsNewOrdersABusyRejectInsteadOfBlocking() throws IOException
    {
        exchange = new TestExchange(ctx -> { }, 8);
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON|") == 1, "logon journaled");
            exchange.engineStalled = true;
            final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= 12; i++)
            {
                all.write(FixClient.frame(alice.header("D", alice.nextSeq++) + "11=o" + i + "|55=ACME|54=1|38=1|40=2|44=100|"));
            }
            alice.sendRaw(all.toByteArray());
            int busy = 0;
            for (int i = 0; i < 4; i++)
            {
                final Map<Integer, String> er = alice.expect("8");
                assertEquals("8", er.get(39));
                assertEquals("exchange busy, try again", er.get(58));
                busy++;
            }
            // the gateway thread is not stuck: session messages are still answered while the engine is
            assertTrue(alice.sync().stream().allMatch(m -> "exchange busy, try again".equals(m.get(58))));

            exchange.engineStalled = false;
            final long rejected = exchange.gateway.sessions().busyRejects();
            assertTrue(rejected >= 4, "busy rejects: " + rejected);
            TestExchange.await(() -> exchange.countEvents("OrderAccepted") == 12 - rejected, "the others are accepted");
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWithoutDisturbingOthers() throws IOException
    {
        // rate limits out of the way: the client is to be caught for not reading, not for its rate of test requests
        start(ctx -> ctx.maxMessageSize(1024).outboundBufferLimit(8192).rateLimitPerSecond(10_000_000).rateLimitBurst(10_000_000));
        try (FixClient bob = logOn("BOB", "bob"); FixClient slow = new FixClient(exchange.port(), "CAROL", 4096))
        {
            slow.logonOk("carol");
            final String bigId = "x".repeat(900);
            boolean cut = false;
            for (int i = 0; i < 100_000 && !cut; i++)
            {
                try
                {
                    slow.send("1", "112=" + bigId + "|");
                }
                catch (final IOException e)
                {
                    cut = true;
                }
                if (i % 1000 == 0)
                {
                    cut |= exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED", "accountId=1003") == 1;
                }
            }
            assertTrue(cut, "the slow reader was disconnected");
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=DISCONNECTED", "accountId=1003") == 1,
                "disconnect audit");
            assertEquals(1, exchange.gateway.sessions().slowReaderDisconnects());

            bob.send("D", "11=b1|55=ACME|54=1|38=1|40=2|44=100|");
            assertEquals("0", bob.expect("8").get(150));
            assertTrue(bob.sync().isEmpty());
        }
    }

    @Test
    void cancelReplaceAndStatusCanNameTheOrderByOrderIdAlone() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);
            alice.send("H", "37=" + orderId + "|55=ACME|54=1|");
            final Map<Integer, String> status = alice.expect("8");
            assertEquals("I", status.get(150));
            assertEquals("a1", status.get(11), "the status names the order's own ClOrdID");
            alice.send("G", "11=a2|37=" + orderId + "|55=ACME|54=1|38=50|40=2|44=100|");
            final Map<Integer, String> replaced = alice.expect("8");
            assertEquals("5", replaced.get(150));
            assertEquals("50", replaced.get(38));
            alice.send("F", "11=a3|37=" + orderId + "|55=ACME|54=1|");
            final Map<Integer, String> canceled = alice.expect("8");
            assertEquals("4", canceled.get(150));
            assertEquals(orderId, canceled.get(37));
            alice.send("F", "11=a4|55=ACME|54=1|");
            final Map<Integer, String> reject = alice.expect("3");
            assertEquals("41", reject.get(371), "without OrderID the OrigClOrdID is required");
        }
    }

    @Test
    void anOrderIdThatCannotBeOursNamesAnUnknownOrderNotNoOrder() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            final String orderId = alice.expect("8").get(37);

            // OrderID is a String in FIX: "abc" names an order, one that is not ours
            alice.send("F", "11=c1|37=abc|55=ACME|54=1|");
            final Map<Integer, String> cancel = alice.expect("9");
            assertEquals("NONE", cancel.get(37));
            assertEquals("8", cancel.get(39));
            assertEquals("1", cancel.get(434));
            assertEquals("1", cancel.get(102), "unknown order");
            assertEquals("UNKNOWN_ORDER", cancel.get(58));
            alice.send("F", "11=c2|37=987654|55=ACME|54=1|");
            assertEquals(content(alice.expect("9")), content(cancel), "answered as the engine answers an order it does not know");

            // with the OrigClOrdID of a live order beside it, still unknown: not the order the OrigClOrdID names
            alice.send("F", "11=c3|41=a1|37=abc|55=ACME|54=1|");
            assertEquals("1", alice.expect("9").get(102));
            alice.send("G", "11=c4|41=a1|37=abc|55=ACME|54=1|38=50|40=2|44=100|");
            final Map<Integer, String> replace = alice.expect("9");
            assertEquals("2", replace.get(434));
            assertEquals("1", replace.get(102));
            assertEquals("8", replace.get(39));
            assertEquals("a1", replace.get(41));

            alice.send("H", "37=abc|55=ACME|54=1|");
            final Map<Integer, String> status = content(alice.expect("8"));
            alice.send("H", "37=987654|55=ACME|54=1|");
            final Map<Integer, String> engines = content(alice.expect("8"));
            status.remove(17); // ExecIDs are unique
            engines.remove(17);
            assertEquals(engines, status);
            assertEquals("I", status.get(150));
            assertEquals("8", status.get(39));
            assertEquals("NONE", status.get(37));
            alice.send("H", "11=a1|37=abc|55=ACME|54=1|");
            assertEquals("8", alice.expect("8").get(39), "not the status of the order a1 names");
            alice.send("H", "37=abc|55=NOSUCH|54=1|");
            final Map<Integer, String> unlisted = alice.expect("j");
            assertEquals("H", unlisted.get(372));
            assertEquals("unknown order", unlisted.get(58));

            assertTrue(alice.sync().isEmpty());
            alice.send("H", "37=" + orderId + "|55=ACME|54=1|");
            final Map<Integer, String> mine = alice.expect("8");
            assertEquals("0", mine.get(39), "the order is untouched");
            assertEquals("100", mine.get(151));
        }
    }

    @Test
    void afterAJournalFailureEveryOrderGetsItsRejectOverFix() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));
            exchange.failJournal();
            alice.send("D", "11=a2|" + BUY_100);
            alice.send("D", "11=a3|" + BUY_100);
            alice.send("F", "11=a4|41=a1|55=ACME|54=1|");
            for (final String clOrdId : new String[] {"a2", "a3"})
            {
                final Map<Integer, String> rejected = alice.expect("8");
                assertEquals("8", rejected.get(150));
                assertEquals(clOrdId, rejected.get(11));
                assertEquals("EXCHANGE_HALTED", rejected.get(58));
            }
            final Map<Integer, String> cancelReject = alice.expect("9");
            assertEquals("a4", cancelReject.get(11));
            assertEquals("EXCHANGE_HALTED", cancelReject.get(58));
        }
    }

    /**
     * A new CompID whose message store cannot be created (a full gateway.session-dir here: a file
     * where its directory goes) is refused with a Logout, where its Logon went unanswered until its
     * timeout and the exception cut the gateway's duty cycle short (an outside probe); the logged-on
     * session trades on.
     */
    @Test
    void aLogonWhoseSessionStoreCannotBeCreatedIsRefusedAndOthersTradeOn() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            java.nio.file.Files.writeString(exchange.sessionDir.resolve("BOB"), "in the way");
            try (FixClient bob = new FixClient(exchange.port(), "BOB"))
            {
                bob.logon("bob", TestExchange.PASSWORD);
                final Map<Integer, String> logout = bob.expect("5");
                assertEquals("logon refused: the exchange cannot store this session's messages now; try again later", logout.get(58));
            }
            alice.send("D", "11=a1|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));
        }
    }

    /**
     * A session that left while the engine was halted logs on again: its cancel-on-disconnect was
     * refused (nothing is journaled), and its Logon waited for that cancel to finish, for good: an
     * outside tester's firm was answered "Logon not confirmed ... try again" at every Logon after a
     * disk-full halt, and could not even ask for its orders' status.
     */
    @Test
    void aSessionThatLeftWhileHaltedLogsOnAgain() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            alice.send("D", "11=a1|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));
            exchange.failJournal();
            alice.send("D", "11=a2|" + BUY_100);
            assertEquals("EXCHANGE_HALTED", alice.expect("8").get(58));
        }
        try (FixClient again = new FixClient(exchange.port(), "ALICE"))
        {
            again.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            assertEquals("Y", again.expect("A").get(141));
            again.send("D", "11=a3|" + BUY_100);
            final Map<Integer, String> rejected = again.expect("8");
            assertEquals("a3", rejected.get(11));
            assertEquals("EXCHANGE_HALTED", rejected.get(58));
        }
    }

    /** A probe's Logon while halted also got a BusinessMessageReject (45=0, 372=0) for its own audit record. */
    @Test
    void aLogonWhileHaltedGetsNoRejectForTheAuditItsLogonMakesOnlyForWhatItSends() throws IOException
    {
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            exchange.failJournal();
            alice.send("D", "11=a1|" + BUY_100);
            assertEquals("EXCHANGE_HALTED", alice.expect("8").get(58));
            try (FixClient bob = logOn("BOB", "bob"))
            {
                bob.send("D", "11=b1|" + BUY_100);
                final Map<Integer, String> rejected = bob.expect("8");
                assertEquals("b1", rejected.get(11));
                assertEquals("EXCHANGE_HALTED", rejected.get(58));
                assertTrue(bob.skipped.stream().noneMatch(m -> "j".equals(m.get(35))), "no reject of a message bob never sent: " +
                    bob.skipped);
            }
        }
    }

    @Test
    void aSessionsLogonAuditIsJournaledBeforeItsFirstOrderEvenWhenTheRingIsFull() throws IOException
    {
        exchange = new TestExchange(ctx -> { }, 8);
        try (FixClient bob = logOn("BOB", "bob"); FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON|") == 1, "bob's logon journaled");
            exchange.engineStalled = true;
            // bob fills the ring: what does not fit is refused as busy
            final java.io.ByteArrayOutputStream orders = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= 12; i++)
            {
                orders.write(FixClient.frame(bob.header("D", bob.nextSeq++) + "11=b" + i + "|55=ACME|54=1|38=1|40=2|44=100|"));
            }
            bob.sendRaw(orders.toByteArray());
            assertEquals("exchange busy, try again", bob.expect("8").get(58));
            // alice's logon audit cannot go in yet: it waits, and her order may not pass it
            alice.logonOk("alice");
            alice.send("D", "11=a1|" + BUY_100);
            assertEquals("exchange busy, try again", alice.expect("8").get(58));
            exchange.engineStalled = false;
            TestExchange.await(() -> exchange.countEvents("AuditRecorded", "auditType=LOGON|", "accountId=1001") == 1, "alice's logon");
            alice.send("D", "11=a2|" + BUY_100);
            assertEquals("0", alice.expect("8").get(150));
            final java.util.List<String> events = exchange.journalEvents();
            int logon = -1;
            int firstOrder = -1;
            for (int i = 0; i < events.size(); i++)
            {
                final String line = events.get(i);
                if (logon < 0 && line.startsWith("AuditRecorded") && line.contains("accountId=1001|"))
                {
                    logon = i;
                }
                if (firstOrder < 0 && line.startsWith("OrderAccepted") && line.contains("accountId=1001|"))
                {
                    firstOrder = i;
                }
            }
            assertTrue(logon >= 0 && logon < firstOrder, "logon audit " + logon + " before alice's first order " + firstOrder);
        }
    }

    @Test
    void messagesBeyondTheRateLimitWaitAndAreAllAnsweredInOrderAsItRefills() throws IOException
    {
        final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        start(ctx -> ctx.rateLimitPerSecond(1).rateLimitBurst(3).nanoClock(nanos::get));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= 5; i++)
            {
                all.write(FixClient.frame(alice.header("D", alice.nextSeq++) + "11=t" + i + "|" + BUY_100));
            }
            all.write(FixClient.frame(alice.header("F", alice.nextSeq++) + "11=t6|41=t1|55=ACME|54=1|"));
            alice.sendRaw(all.toByteArray());
            for (int i = 1; i <= 3; i++)
            {
                final Map<Integer, String> er = alice.expect("8");
                assertEquals("t" + i, er.get(11));
                assertEquals("0", er.get(150));
            }
            TestExchange.await(() -> exchange.gateway.sessions().throttledCount() == 1, "alice held at her rate");
            nanos.addAndGet(3_000_000_000L); // three more tokens: the three waiting messages
            for (int i = 4; i <= 5; i++)
            {
                final Map<Integer, String> er = alice.expect("8");
                assertEquals("t" + i, er.get(11));
                assertEquals("0", er.get(150), "queued, not rejected: " + er);
            }
            final Map<Integer, String> canceled = alice.expect("8");
            assertEquals("t6", canceled.get(11));
            assertEquals("4", canceled.get(150), "the cancel waited its turn too: " + canceled);
        }
    }

    @Test
    void reconnectingDoesNotRefillTheRateLimitOfAQueueingSession() throws IOException
    {
        final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        start(ctx -> ctx.rateLimitPerSecond(1).rateLimitBurst(3).nanoClock(nanos::get));
        try (FixClient alice = logOn("ALICE", "alice"))
        {
            for (int i = 0; i < 3; i++)
            {
                alice.send("D", "11=first" + i + "|" + BUY_100);
                assertEquals("0", alice.expect("8").get(150));
            }
        }
        try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
        {
            alice.nextSeq = 1;
            alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
            alice.expect("A");
            alice.send("D", "11=second|" + BUY_100);
            TestExchange.await(() -> exchange.gateway.sessions().throttledCount() == 1, "the new connection starts with the old, empty bucket");
            nanos.addAndGet(1_000_000_000L);
            final Map<Integer, String> er = afterReplayedCancels(alice);
            assertEquals("second", er.get(11));
            assertEquals("0", er.get(150));
        }
    }

    @Test
    void reconnectingDoesNotRefillTheRateLimit() throws IOException
    {
        start(ctx -> ctx.rateLimitPerSecond(1).rateLimitBurst(3).rateLimitOverLimit(GatewayContext.OverLimit.REJECT));
        int accepted = 0;
        for (int connection = 0; connection < 3; connection++)
        {
            try (FixClient alice = new FixClient(exchange.port(), "ALICE"))
            {
                alice.nextSeq = 1;
                alice.send("A", "98=0|108=30|141=Y|553=alice|554=" + TestExchange.PASSWORD + "|");
                alice.expect("A");
                for (int i = 0; i < 3; i++)
                {
                    alice.send("D", "11=c" + connection + "o" + i + "|" + BUY_100);
                    if ("0".equals(alice.expect("8").get(150)))
                    {
                        accepted++;
                    }
                }
            }
        }
        assertTrue(accepted <= 5, "a burst of 3 and about a token a second, whatever the reconnects: " + accepted + " accepted");
    }
}
