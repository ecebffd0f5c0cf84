package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.protocol.auth.CredentialStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The session layer alone: a {@link FixSession} on a connection with no socket, driven by a fake
 * clock. What it writes is read back from the connection's outbound buffer; what it hands on is
 * recorded by the handler.
 */
class FixSessionTest
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final long START = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private long nowMs = START;
    private GatewayContext ctx;
    private GatewayCounters counters;
    private SessionSender sender;
    private SessionStore store;
    private FixSession session;
    private final List<String> handed = new ArrayList<>();
    private RuntimeException failNextApplicationMessage;
    /** Resetting Logons wait (as for commands not yet journaled) until the test calls {@link #resetNow}. */
    private boolean holdResets;
    /** The TLS port the handler names (-1: none). */
    private int tlsPort = -1;

    /** What the conductor does for a resetting Logon: the store restarts at 1 both ways, then the session answers. */
    private void resetNow()
    {
        store.reset(0);
        session.sequenceResetAccepted(nowMs);
    }

    private final FixSession.Handler handler = new FixSession.Handler()
    {
        @Override
        public void onLogonRequest(final FixSession s, final FixMessage logon, final String username, final char[] password)
        {
            handed.add("logon " + username + " " + new String(password));
        }

        @Override
        public void refuseLogon(final FixSession s, final Refusal refusal, final String username, final String text)
        {
            handed.add("refuse " + refusal.label + " " + text);
            s.logonRefused(text);
        }

        @Override
        public void onAbuse(final FixSession s, final Refusal refusal, final String detail)
        {
            handed.add("abuse " + refusal.label);
        }

        @Override
        public int tlsPort()
        {
            return tlsPort;
        }

        @Override
        public void onApplicationMessage(final FixSession s, final FixMessage message, final int msgSeqNum, final byte type)
        {
            if (failNextApplicationMessage != null)
            {
                final RuntimeException e = failNextApplicationMessage;
                failNextApplicationMessage = null;
                throw e;
            }
            handed.add("app " + (char)type + " " + msgSeqNum + " " + message.valueAsString(11));
        }

        @Override
        public void onLogout(final FixSession s)
        {
            handed.add("logout");
        }

        @Override
        public void close(final FixSession s, final String reason)
        {
            s.state = FixSession.State.CLOSED;
            handed.add("close " + reason);
        }

        @Override
        public void onMessageHandled(final FixSession s)
        {
        }

        @Override
        public void onSequenceResetRequest(final FixSession s)
        {
            handed.add("reset requested");
            if (!holdResets)
            {
                resetNow();
            }
        }

        @Override
        public void onHeld(final FixSession s)
        {
            handed.add("held");
        }

        @Override
        public void onTurnUsed(final FixSession s)
        {
            handed.add("turn used");
        }
    };

    @BeforeEach
    void setUp()
    {
        ctx = new GatewayContext().sessionDir(dir).credentials(new CredentialStore()).logonTimeoutMs(2_000).firstBytesTimeoutMs(1_000)
            .errorLog(line -> handed.add("log " + line)).conclude();
        counters = new GatewayCounters(ctx.countersManager());
        sender = new SessionSender(ctx.maxMessageSize(), "BOURSE".getBytes(StandardCharsets.US_ASCII), counters);
        sender.slowReaderHandler(s -> handler.close(s, "slow"));
        sender.now(nowMs);
        store = SessionStore.open(dir, "ALICE", 1 << 16);
        store.initialise(7, "alice");
        final Connection connection = new Connection(1, null, "test", ctx.maxMessageSize(), ctx.outboundBufferLimit(), nowMs);
        session = new FixSession(connection, ctx, sender, handler, new FixFramer(ctx.maxMessageSize()), new FixMessage(), counters, nowMs);
    }

    @AfterEach
    void tearDown()
    {
        store.close();
        counters.close();
    }

    private void advance(final long ms)
    {
        nowMs += ms;
        sender.now(nowMs);
    }

    /** A message from ALICE with this MsgSeqNum, SendingTime = the fake clock. */
    private void receive(final String type, final int seq, final String fields)
    {
        final byte[] bytes = FixClient.frame("35=" + type + "|49=ALICE|56=BOURSE|34=" + seq + "|52=" +
            TIME.format(Instant.ofEpochMilli(nowMs)) + "|" + fields);
        assertTrue(session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length));
        session.onInbound(nowMs);
    }

    /** A message framed exactly as given (the test writes the whole header itself). */
    private void receiveRaw(final String fields)
    {
        final byte[] bytes = FixClient.frame(fields);
        assertTrue(session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length));
        session.onInbound(nowMs);
    }

    /** The messages written since the last call, each as tag -> value (first value of a tag). */
    private List<Map<Integer, String>> sent()
    {
        final String all = new String(session.connection.outboundBytes(), StandardCharsets.ISO_8859_1);
        session.connection.discardOutbound();
        final List<Map<Integer, String>> messages = new ArrayList<>();
        Map<Integer, String> current = null;
        for (final String field : all.split("\u0001"))
        {
            final int eq = field.indexOf('=');
            if (eq < 0)
            {
                continue;
            }
            final int tag = Integer.parseInt(field.substring(0, eq));
            if (tag == 8)
            {
                current = new LinkedHashMap<>();
                messages.add(current);
            }
            current.putIfAbsent(tag, field.substring(eq + 1));
        }
        return messages;
    }

    private void logOn()
    {
        logOn(new TokenBucket(100, 100, 0));
    }

    private void logOn(final TokenBucket bucket)
    {
        receive("A", 1, "98=0|108=30|553=alice|554=pw|");
        assertEquals(List.of("logon alice pw"), handed);
        assertEquals(FixSession.State.AUTHENTICATING, session.state);
        handed.clear();
        session.logonAccepted(store, 1001, "alice", bucket, new TokenBucket(100, 100, 0), nowMs);
        final Map<Integer, String> ack = sent().get(0);
        assertEquals("A", ack.get(35));
        assertEquals("30", ack.get(108));
        assertEquals(2, store.nextInSeq());
    }

    /**
     * A TLS ClientHello on the plain port (a client with SocketUseSSL=Y on the wrong port) is refused
     * and closed as garbage is, but the reason says what it is and where TLS is (an outside probe's
     * "garbled data before logon" sent nobody to the TLS port).
     */
    @Test
    void aTlsHandshakeOnThePlainPortIsNamedWithTheTlsPort()
    {
        tlsPort = 9881;
        receiveBytes(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03);
        assertEquals(List.of("abuse garbled", "close a TLS handshake on the plain FIX port (TLS is on port 9881)"), handed);
        assertEquals(FixSession.State.CLOSED, session.state);
    }

    @Test
    void aTlsHandshakeOnThePlainPortWithoutTlsSaysTlsIsNotEnabled()
    {
        receiveBytes(0x16);
        assertEquals(List.of("abuse garbled", "close a TLS handshake on the plain FIX port (TLS is not enabled)"), handed);
    }

    @Test
    void otherGarbageBeforeLogonIsStillGarbage()
    {
        tlsPort = 9881;
        receiveBytes(0x16, 0x04, 0x01);
        assertEquals(List.of("abuse garbled", "close garbled data before logon"), handed);
    }

    private void receiveBytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        assertTrue(session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length));
        session.onInbound(nowMs);
    }

    @Test
    void aLogonIsHandedOnAndTheAcceptedSessionAnswersWithItsHeartbeatInterval()
    {
        logOn();
        assertTrue(session.isLoggedOn());
        receive("D", 2, "11=a1|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(List.of("app D 2 a1"), handed);
    }

    /** A probe's QuickFIX/J Logon with NoMsgTypes (384) of two entries was refused: "tag appears more than once (tag 372)". */
    @Test
    void aLogonWithANoMsgTypesGroupIsTaken()
    {
        receive("A", 1, "98=0|108=30|553=alice|554=pw|384=2|372=D|385=S|372=F|385=S|");
        assertEquals(List.of("logon alice pw"), handed);
    }

    /**
     * A MarketDataRequest or a QuoteRequest with two symbols, a NewOrderList with two orders: their
     * groups repeat Symbol and ClOrdID, and the answer is the unsupported type's BusinessMessageReject,
     * not a session Reject for a repeated tag. A repeated header field is still a session Reject.
     */
    @Test
    void anUnsupportedMessageWhoseGroupsRepeatSymbolOrClOrdIdGetsItsBusinessReject()
    {
        logOn();
        receive("V", 2, "262=md1|263=0|264=1|146=2|55=ACME|55=BETA|");
        Map<Integer, String> answer = sent().get(0);
        assertEquals("j", answer.get(35), answer.toString());
        assertEquals("3", answer.get(380));
        receive("E", 3, "66=l1|68=2|73=2|11=a|67=1|55=ACME|54=1|38=1|40=1|11=b|67=2|55=ACME|54=2|38=1|40=1|");
        answer = sent().get(0);
        assertEquals("j", answer.get(35), answer.toString());
        assertEquals("3", answer.get(380));
        receive("V", 4, "262=md2|263=0|264=1|52=20261204-00:00:00.000|146=1|55=ACME|");
        answer = sent().get(0);
        assertEquals("3", answer.get(35), "a header field twice: " + answer);
        assertEquals(5, store.nextInSeq());
    }

    /**
     * An application message of a type the exchange does not take (a QuoteRequest) is not session
     * level: over the rate it gets its BusinessMessageReject, "throttled", as PROTOCOL.md promises,
     * where a probe's session was logged out.
     */
    @Test
    void anUnsupportedApplicationMessageBeyondTheRateIsThrottledNotLoggedOut()
    {
        ctx.rateLimitOverLimit(GatewayContext.OverLimit.REJECT);
        logOn(new TokenBucket(1, 2, System.nanoTime()));
        for (int seq = 2; seq <= 3; seq++)
        {
            receive("R", seq, "131=q" + seq + "|146=1|55=ACME|");
            final Map<Integer, String> unsupported = sent().get(0);
            assertEquals("j", unsupported.get(35));
            assertEquals("3", unsupported.get(380));
        }
        receive("R", 4, "131=q4|146=1|55=ACME|");
        final Map<Integer, String> throttled = sent().get(0);
        assertEquals("j", throttled.get(35));
        assertEquals("4", throttled.get(45));
        assertEquals("throttled: message rate limit exceeded", throttled.get(58));
        assertTrue(session.isLoggedOn());
        assertFalse(session.connection.closeAfterFlush);
    }

    @Test
    void aFloodOfSessionLevelMessagesBeyondTheRateIsLoggedOutWhenOverLimitRejects()
    {
        ctx.rateLimitOverLimit(GatewayContext.OverLimit.REJECT);
        logOn(new TokenBucket(1, 3, System.nanoTime()));
        for (int seq = 2; seq <= 4; seq++)
        {
            receive("1", seq, "112=ping" + seq + "|");
            assertEquals("0", sent().get(0).get(35), "a heartbeat for each test request within the burst");
        }
        receive("1", 5, "112=ping5|");
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("message rate limit exceeded", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
        assertEquals(List.of("abuse throttled"), handed);
    }

    @Test
    void messagesBeyondTheRateWaitUnreadUntilTheBucketRefills()
    {
        final long[] nanos = {1_000_000_000L};
        ctx.nanoClock(() -> nanos[0]);
        logOn(new TokenBucket(1, 3, nanos[0]));
        for (int seq = 2; seq <= 6; seq++)
        {
            receive("1", seq, "112=ping" + seq + "|");
        }
        List<Map<Integer, String>> answers = sent();
        assertEquals(3, answers.size(), "the burst of 3 is answered, the rest waits: " + answers);
        assertEquals("ping4", answers.get(2).get(112));
        assertTrue(session.held);
        assertEquals(List.of("abuse throttled", "held"), handed);
        assertFalse(session.connection.closeAfterFlush, "held, not logged out");
        assertEquals(5, store.nextInSeq(), "messages 5 and 6 are not read yet");

        assertFalse(session.resumeIfDue(nowMs), "no token yet");
        nanos[0] += 1_000_000_000L;
        assertFalse(session.resumeIfDue(nowMs), "one token: message 5 answered, 6 waits again");
        answers = sent();
        assertEquals(1, answers.size());
        assertEquals("ping5", answers.get(0).get(112));
        nanos[0] += 1_000_000_000L;
        assertTrue(session.resumeIfDue(nowMs));
        assertEquals("ping6", sent().get(0).get(112));
        assertFalse(session.held);
        assertEquals(7, store.nextInSeq());
    }

    @Test
    void aBurstIsHandledATurnAtATimeAndTheRestWaitsInTheBuffer()
    {
        ctx.messagesPerTurn(2);
        logOn();
        for (int seq = 2; seq <= 6; seq++)
        {
            final byte[] bytes = FixClient.frame("35=D|49=ALICE|56=BOURSE|34=" + seq + "|52=" + TIME.format(Instant.ofEpochMilli(nowMs)) +
                "|11=b" + seq + "|55=ACME|54=1|38=10|40=2|44=1|");
            assertTrue(session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length)); // all five arrive in one read
        }
        session.onInbound(nowMs);
        assertEquals(List.of("app D 2 b2", "app D 3 b3", "turn used"), handed);
        handed.clear();
        session.onInbound(nowMs);
        assertEquals(List.of("app D 4 b4", "app D 5 b5", "turn used"), handed);
        handed.clear();
        session.onInbound(nowMs);
        assertEquals(List.of("app D 6 b6"), handed, "the last one, and the turn is not used up");
        assertEquals(7, store.nextInSeq());
    }

    @Test
    void aHeldSessionIsNotSentTestRequestsForTheSilenceItsLimitCauses()
    {
        final long[] nanos = {1_000_000_000L};
        ctx.nanoClock(() -> nanos[0]);
        logOn(new TokenBucket(1, 1, nanos[0]));
        receive("1", 2, "112=a|");
        receive("1", 3, "112=b|");
        sent();
        assertTrue(session.held);
        advance(31_000);
        session.connection.receive(new UnsafeBuffer(new byte[] {'8'}), 0, 1); // more bytes arrive from the client
        session.onInbound(nowMs);
        advance(10_000);
        session.onTimer(nowMs);
        final List<Map<Integer, String>> out = sent();
        assertTrue(out.isEmpty() || "0".equals(out.get(0).get(35)), "a heartbeat at most, no TestRequest: " + out);
    }

    @Test
    void sessionLevelMessagesAreStoredWithoutTheirBody()
    {
        logOn();
        final int before = store.nextOutSeq();
        receive("1", 2, "112=" + "x".repeat(900) + "|");
        assertEquals("0", sent().get(0).get(35));
        assertEquals(before + 1, store.nextOutSeq());
        final long position = store.find(before);
        assertTrue(position >= 0);
        assertEquals(0, SessionStore.bodyLength(store.messagesAt(position), position), "only its number and type are kept: resends gap-fill it");
    }

    /** The store rolled (a session whose numbers ran long): what rolled off is gap-filled, the rest resent as stored. */
    @Test
    void aResendRequestReachingPastWhatTheStoreStillHoldsGetsAGapFillThenTheRest()
    {
        store.close();
        store = SessionStore.open(dir.resolve("small"), "ALICE", 4096, 4096);
        store.initialise(7, "alice");
        logOn();
        for (int i = 0; i < 150; i++)
        {
            sender.header(store, (byte)'8', (byte)0).field(37, "ORDER-" + i).field(11, "C" + i);
            sender.send(session, store, (byte)'8', (byte)0);
        }
        sent();
        final int last = store.nextOutSeq() - 1;
        int oldest = last;
        while (store.find(oldest - 1) >= 0)
        {
            oldest--;
        }
        assertTrue(oldest > 10 && store.segmentsRolled() > 0, "the oldest rolled off: " + oldest);

        receive("2", 2, "7=1|16=0|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1 + last - oldest + 1, out.size(), "one gap fill, then each stored message");
        final Map<Integer, String> gapFill = out.get(0);
        assertEquals("4", gapFill.get(35));
        assertEquals("Y", gapFill.get(123));
        assertEquals("1", gapFill.get(34));
        assertEquals(String.valueOf(oldest), gapFill.get(36));
        for (int seq = oldest; seq <= last; seq++)
        {
            final Map<Integer, String> resent = out.get(1 + seq - oldest);
            assertEquals(String.valueOf(seq), resent.get(34));
            assertEquals("8", resent.get(35));
            assertEquals("Y", resent.get(43));
            assertEquals("ORDER-" + (seq - 2), resent.get(37), "message " + seq + " as it was sent");
        }
    }

    @Test
    void silenceGetsATestRequestAfterTheIntervalPlusAFifthThenLogout()
    {
        logOn();
        advance(30_000);
        assertEquals(1, session.onTimer(nowMs));
        assertEquals("0", sent().get(0).get(35), "a heartbeat after 30 s of nothing sent");
        advance(5_999);
        assertEquals(0, session.onTimer(nowMs), "not yet: 36 s of silence is the limit");
        advance(2);
        session.onTimer(nowMs);
        final Map<Integer, String> testRequest = sent().get(0);
        assertEquals("1", testRequest.get(35));
        advance(30_001);
        session.onTimer(nowMs);
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("heartbeat timeout", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void anyMessageAnswersAPendingTestRequest()
    {
        logOn();
        advance(36_001);
        session.onTimer(nowMs);
        assertEquals("1", sent().get(0).get(35));
        receive("0", 2, "112=TEST|");
        advance(30_000);
        session.onTimer(nowMs);
        assertFalse(session.connection.closeAfterFlush, "the heartbeat reset the timers");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheFirstBytesDeadline()
    {
        advance(1_000);
        assertEquals(0, session.onTimer(nowMs));
        advance(1);
        assertEquals(1, session.onTimer(nowMs));
        assertEquals(List.of("abuse first_bytes", "close nothing received within 1000 ms"), handed);
    }

    @Test
    void aLogonThatTricklesInIsClosedAtTheLogonDeadline()
    {
        final byte[] start = "8=FIX.4.4\u00019=".getBytes(StandardCharsets.US_ASCII);
        assertTrue(session.connection.receive(new UnsafeBuffer(start), 0, start.length));
        session.onInbound(nowMs);
        advance(1_500);
        assertEquals(0, session.onTimer(nowMs), "the first bytes came in time");
        advance(501);
        session.onTimer(nowMs);
        assertEquals(List.of("abuse logon", "close no Logon within 2000 ms"), handed);
    }

    @Test
    void aLogonStillBeingCheckedAtTheDeadlineIsAnsweredWithLogout()
    {
        receive("A", 1, "98=0|108=30|553=alice|554=pw|");
        handed.clear();
        advance(2_001);
        session.onTimer(nowMs);
        assertEquals(List.of("abuse logon"), handed);
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("Logon not confirmed within 2000 ms: the exchange did not answer in time, try again", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void aLogonWithoutItsRequiredFieldsIsHandedOnAsMalformed()
    {
        receive("A", 1, "98=0|553=alice|554=pw|");
        assertEquals(1, handed.size());
        // the Logout named every requirement at once, whichever was broken (an outside probe): it names the one
        assertTrue(handed.get(0).startsWith("refuse malformed Logon: HeartBtInt(108) missing: it must be 1.."), handed.toString());
        assertEquals("5", sent().get(0).get(35));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void eachBrokenLogonFieldIsNamedOnItsOwn()
    {
        final String[][] cases = {
            {"98=0|108=0|553=alice|554=pw|", "Logon: HeartBtInt(108) must be 1.."},
            {"98=0|108=abc|553=alice|554=pw|", "Logon: HeartBtInt(108) must be 1.."},
            {"98=1|108=30|553=alice|554=pw|", "Logon: EncryptMethod(98) must be 0"},
            {"108=30|553=alice|554=pw|", "Logon: EncryptMethod(98) missing: it must be 0"},
            {"98=0|108=30|554=pw|", "Logon: Username(553) missing"},
            {"98=0|108=30|553=alice|", "Logon: Password(554) missing"},
        };
        for (final String[] logon : cases)
        {
            handed.clear();
            receive("A", 1, logon[0]);
            final Map<Integer, String> logout = sent().get(0);
            assertEquals("5", logout.get(35), logon[0]);
            assertTrue(logout.get(58).startsWith(logon[1]), logon[0] + " -> " + logout.get(58));
            session = new FixSession(new Connection(1, null, "test", ctx.maxMessageSize(), ctx.outboundBufferLimit(), nowMs), ctx,
                sender, handler, new FixFramer(ctx.maxMessageSize()), new FixMessage(), counters, nowMs);
        }
    }

    @Test
    void aClientThatStopsReadingGetsALastLogoutInTheRoomKeptForIt()
    {
        logOn();
        int queued = 0;
        while (session.connection.enqueue(new UnsafeBuffer(new byte[1000]), 0, 1000))
        {
            queued++;
        }
        assertTrue(queued > 0);
        final int before = session.connection.pendingOutbound();
        session.logoutSlowReader("slow reader");
        assertTrue(session.connection.pendingOutbound() > before, "the Logout is queued behind what the client has not read");
        assertTrue(session.connection.pendingOutbound() <= session.connection.queueCap() + Connection.FINAL_MESSAGE_RESERVE);
        assertTrue(session.connection.closeAfterFlush);
        assertEquals("slow reader", session.connection.closeReason);
    }

    @Test
    void aGapIsRequestedOnceAndTheMessagesAboveItAreNotHandedOn()
    {
        logOn();
        receive("D", 4, "11=a4|55=ACME|54=1|38=10|40=2|44=1|");
        receive("D", 5, "11=a5|55=ACME|54=1|38=10|40=2|44=1|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), "one ResendRequest for the gap");
        assertEquals("2", out.get(0).get(35));
        assertEquals("2", out.get(0).get(7));
        assertTrue(handed.isEmpty());
        receive("D", 2, "11=a2|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(List.of("app D 2 a2"), handed);
        assertEquals(3, store.nextInSeq());
    }

    /** PossDupFlag and OrigSendingTime, as a message sent again after a ResendRequest carries them. */
    private String possDup()
    {
        return "43=Y|122=" + TIME.format(Instant.ofEpochMilli(nowMs - 1_000)) + "|";
    }

    private List<Map<Integer, String>> resendRequests()
    {
        return sent().stream().filter(m -> "2".equals(m.get(35))).toList();
    }

    @Test
    void aGapTheResendLeftPartlyUnfilledIsAskedForAgainWhenANewMessageFollows()
    {
        logOn();
        receive("D", 8, "11=a8|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals("2", sent().get(0).get(7), "the gap 2..7 is asked for");
        // the counterparty's answer fills 2..3 only, then it carries on with new orders
        receive("4", 2, possDup() + "123=Y|36=4|");
        assertEquals(4, store.nextInSeq());
        assertTrue(sent().isEmpty(), "its answer may still be coming");
        receive("D", 9, "11=a9|55=ACME|54=1|38=10|40=2|44=1|");
        List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("2", out.get(0).get(35));
        assertEquals("4", out.get(0).get(7), "asked again for what is still missing");
        assertEquals("0", out.get(0).get(16));
        receive("D", 10, "11=a10|55=ACME|54=1|38=10|40=2|44=1|");
        assertTrue(sent().isEmpty(), "one request per answer, not one per message");
        assertTrue(handed.isEmpty());
        // this time it resends everything
        receive("4", 4, possDup() + "123=Y|36=8|");
        for (int seq = 8; seq <= 10; seq++)
        {
            receive("D", seq, possDup() + "11=a" + seq + "|55=ACME|54=1|38=10|40=2|44=1|");
        }
        assertEquals(List.of("app D 8 a8", "app D 9 a9", "app D 10 a10"), handed);
        receive("D", 11, "11=a11|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(12, store.nextInSeq());
        assertTrue(sent().isEmpty(), "the gap is closed");
    }

    @Test
    void aResendThatNeverComesIsAskedForAgainEachHeartBtIntThenTheSessionIsLoggedOut()
    {
        logOn();
        receive("D", 5, "11=a5|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals("2", sent().get(0).get(7));
        for (int request = 2; request <= InboundGap.MAX_UNANSWERED; request++)
        {
            advance(30_000);
            session.onTimer(nowMs);
            assertEquals(List.of(), resendRequests(), "not before a HeartBtInt without an answer");
            advance(1);
            receive("0", 5 + request, ""); // alive, but still no resend
            session.onTimer(nowMs);
            final List<Map<Integer, String>> out = resendRequests();
            assertEquals(1, out.size(), out::toString);
            assertEquals("2", out.get(0).get(7));
        }
        advance(30_001);
        session.onTimer(nowMs);
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("MsgSeqNum 2 to 8 not resent: 3 ResendRequests unanswered", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void aResendThatIsComingInSlowlyIsNotAskedForAgain()
    {
        logOn();
        receive("D", 6, "11=a6|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals("2", sent().get(0).get(7));
        for (int seq = 2; seq <= 5; seq++)
        {
            advance(20_000);
            receive("0", seq, possDup());
            session.onTimer(nowMs);
        }
        assertEquals(List.of(), resendRequests(), "each part of the answer moved the expected number");
        assertEquals(6, store.nextInSeq());
    }

    @Test
    void aMalformedMessageAboveTheExpectedNumberRevealsTheGapAndIsRejectedOnceInItsTurn()
    {
        logOn();
        receive("1", 5, "112=|");
        List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("2", out.get(0).get(35), "the gap comes first, as FIX checks the MsgSeqNum first");
        assertEquals("2", out.get(0).get(7));
        assertEquals(2, store.nextInSeq());
        receive("4", 2, possDup() + "123=Y|36=5|");
        receive("1", 5, possDup() + "112=|");
        out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("3", out.get(0).get(35), "rejected when it comes again in its turn");
        assertEquals("5", out.get(0).get(45));
        assertEquals("112", out.get(0).get(371));
        assertEquals("4", out.get(0).get(373));
        assertEquals(6, store.nextInSeq());
        receive("1", 5, possDup() + "112=|");
        assertTrue(sent().isEmpty(), "a duplicate of it is ignored, not rejected a second time");
        receive("1", 6, "112=T6|");
        assertEquals("T6", sent().get(0).get(112));
    }

    @Test
    void aFaultyResendRequestAboveTheExpectedNumberRevealsTheGapFirst()
    {
        // it got a Reject at once, then the gap's ResendRequest (an outside probe); PROTOCOL.md says the gap comes first
        logOn();
        receive("2", 3, "7=abc|16=0|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("2", out.get(0).get(35));
        assertEquals("2", out.get(0).get(7));
        assertEquals(2, store.nextInSeq());
    }

    @Test
    void aDataFieldMayHoldSohWhereItsLengthFieldSaysItEnds()
    {
        // RawData "ab<SOH>cd" was split at the SOH and refused as an "invalid tag number" (an outside probe)
        logOn();
        receive("1", 2, "112=rd|95=5|96=ab|cd|");
        List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("0", out.get(0).get(35));
        assertEquals("rd", out.get(0).get(112));
        receive("1", 3, "112=x|95=4|96=ab|cd|");
        out = sent();
        assertEquals("3", out.get(0).get(35), "a value longer than its length field says: " + out);
        assertEquals("96", out.get(0).get(371));
        assertEquals("6", out.get(0).get(373));
        assertEquals(4, store.nextInSeq());
        receive("1", 4, "112=after|");
        assertEquals("after", sent().get(0).get(112));
    }

    /** A fuzzing probe's {@code 95=-3|96=abc} and a 96 with no 95 were read as ordinary text. */
    @Test
    void aDataFieldWithoutAWholePositiveLengthRightBeforeItIsRejected()
    {
        logOn();
        int seq = 2;
        for (final String fields : new String[] {"112=a|95=-3|96=abc|", "112=b|96=abc|", "112=c|95=x|96=abc|", "112=d|95=3|58=e|96=abc|"})
        {
            receive("1", seq++, fields);
            final List<Map<Integer, String>> out = sent();
            assertEquals("3", out.get(0).get(35), fields + ": " + out);
            assertEquals("96", out.get(0).get(371));
            assertEquals("6", out.get(0).get(373));
            assertTrue(out.get(0).get(58).startsWith("data field without its length field"), out.toString());
        }
        assertEquals(seq, store.nextInSeq());
    }

    /** A fuzzing probe's Parties with 453=5 and one entry, 453=-1 and 453=2^40, and a NoHops of 5 with one hop, were taken. */
    @Test
    void aRepeatingGroupWhoseCountIsWrongIsRejectedNamingItsCountField()
    {
        logOn();
        int seq = 2;
        final String[][] cases = {
            {"112=a|453=5|448=P1|447=D|452=1|", "453"},
            {"112=b|453=-1|448=P1|", "453"},
            {"112=c|453=1099511627776|448=P1|", "453"},
            {"112=d|453=1|448=P1|448=P2|", "453"},
            {"112=e|453=1|448=P1|802=2|523=S1|", "802"},
        };
        for (final String[] c : cases)
        {
            receive("1", seq++, c[0]);
            final List<Map<Integer, String>> out = sent();
            assertEquals("3", out.get(0).get(35), c[0] + ": " + out);
            assertEquals(c[1], out.get(0).get(371), c[0]);
            assertEquals("16", out.get(0).get(373), c[0]);
        }
        receive("1", seq++, "112=ok|453=2|448=P1|447=D|452=1|802=1|523=S|448=P2|");
        assertEquals("ok", sent().get(0).get(112), "a group as long as it says is taken");
        assertEquals(seq, store.nextInSeq());
    }

    @Test
    void aFlagThatIsNeitherYNorNAboveTheExpectedNumberRevealsTheGapFirst()
    {
        logOn();
        receive("1", 4, "43=X|112=T4|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("2", out.get(0).get(35));
        assertEquals(2, store.nextInSeq());
    }

    @Test
    void aHeaderFieldAfterABodyFieldIsRejectedWithReason14NamingIt()
    {
        logOn();
        final String now = TIME.format(Instant.ofEpochMilli(nowMs));
        receiveRaw("35=1|49=ALICE|56=BOURSE|34=2|112=x|52=" + now + "|");
        Map<Integer, String> reject = sent().get(0);
        assertEquals("3", reject.get(35));
        assertEquals("2", reject.get(45));
        assertEquals("52", reject.get(371), "the first header field found after a body field");
        assertEquals("1", reject.get(372));
        assertEquals("14", reject.get(373));
        assertEquals(3, store.nextInSeq(), "its number is used");
        receiveRaw("35=D|49=ALICE|56=BOURSE|52=" + now + "|11=a3|55=ACME|54=1|34=3|38=10|40=2|44=1|97=N|");
        reject = sent().get(0);
        assertEquals("34", reject.get(371), "a MsgSeqNum after the body is read, and is reported");
        assertEquals("3", reject.get(45));
        assertEquals("14", reject.get(373));
        assertTrue(handed.isEmpty(), "the order is not acted on");
        assertEquals(4, store.nextInSeq());
    }

    @Test
    void headerFieldsInAnyOrderWithinTheHeaderAreTaken()
    {
        logOn();
        final String now = TIME.format(Instant.ofEpochMilli(nowMs));
        receiveRaw("35=1|49=ALICE|115=DESK|56=BOURSE|128=ROUTE|34=2|43=N|97=N|52=" + now + "|369=1|627=1|628=HOP|629=" + now +
            "|630=r1|112=T2|");
        final Map<Integer, String> heartbeat = sent().get(0);
        assertEquals("0", heartbeat.get(35));
        assertEquals("T2", heartbeat.get(112));
    }

    @Test
    void aLogonWithResetSeqNumFlagDuringTheSessionResetsBothDirectionsAndIsAnsweredInKind()
    {
        logOn();
        receive("D", 2, "11=a2|55=ACME|54=1|38=10|40=2|44=1|");
        receive("0", 3, "");
        assertEquals(4, store.nextInSeq());
        handed.clear();
        receive("A", 1, "98=0|108=20|141=Y|");
        assertEquals(List.of("reset requested"), handed);
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("A", out.get(0).get(35));
        assertEquals("1", out.get(0).get(34), "the reply is message 1 of the new numbering");
        assertEquals("Y", out.get(0).get(141));
        assertEquals("20", out.get(0).get(108));
        assertEquals(2, store.nextInSeq());
        assertEquals(2, store.nextOutSeq());
        assertFalse(session.connection.closeAfterFlush);
        handed.clear();
        receive("D", 2, "11=b2|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(List.of("app D 2 b2"), handed, "both sides go on from 2");
        advance(20_000);
        session.onTimer(nowMs);
        assertEquals("2", sent().get(0).get(34), "the new HeartBtInt, and our numbers go on from 2");
    }

    /** A fuzzing probe's resetting Logon naming another user (with a wrong password) on bob's session was answered as a reset. */
    @Test
    void aResettingLogonNamingAnotherUserEndsTheSession()
    {
        logOn();
        handed.clear();
        receive("A", 1, "98=0|108=30|141=Y|553=mallory|554=wrong|");
        assertTrue(handed.isEmpty(), handed::toString);
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("Logon: Username(553) is not this session's user", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void aResettingLogonNamingTheSessionsOwnUserResets()
    {
        logOn();
        handed.clear();
        receive("A", 1, "98=0|108=30|141=Y|553=alice|554=pw|");
        assertEquals(List.of("reset requested"), handed);
    }

    @Test
    void whatFollowsAResettingLogonWaitsUntilTheResetIsDone()
    {
        logOn();
        holdResets = true;
        handed.clear();
        receive("A", 1, "98=0|108=30|141=Y|");
        receive("D", 2, "11=b2|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(List.of("reset requested"), handed, "the order, numbered anew, is not read yet");
        assertTrue(sent().isEmpty());
        assertTrue(session.isSequenceResetPending());
        resetNow();
        assertEquals("1", sent().get(0).get(34));
        session.onInbound(nowMs);
        assertEquals(List.of("reset requested", "app D 2 b2"), handed);
        assertEquals(3, store.nextInSeq());
    }

    @Test
    void aResetThatIsNotConfirmedInTimeEndsTheSession()
    {
        logOn();
        holdResets = true;
        receive("A", 1, "98=0|108=30|141=Y|");
        advance(2_001);
        session.onTimer(nowMs);
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("sequence reset not confirmed within 2000 ms", logout.get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    /**
     * An outside tester: a resetting Logon numbered 5 on a session expecting 3 was taken for a gap,
     * then asked for again after the gap fill; at logon the same Logon is refused.
     */
    @Test
    void aResettingLogonThatIsNotMessageOneEndsTheSessionAboveTheExpectedNumberToo()
    {
        logOn();
        receive("1", 2, "112=T1|");
        sent(); // its Heartbeat
        handed.clear();
        receive("A", 5, "98=0|108=30|141=Y|");
        assertTrue(handed.isEmpty(), handed::toString);
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("5", out.get(0).get(35), "a Logout, no ResendRequest: " + out);
        assertEquals("MsgSeqNum(34) must be 1 with ResetSeqNumFlag(141)=Y", out.get(0).get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void aLogonOnALoggedOnSessionWithoutAResetStillEndsIt()
    {
        logOn();
        receive("A", 2, "98=0|108=30|");
        assertEquals("Logon received on a logged-on session", sent().get(0).get(58));
        assertTrue(session.connection.closeAfterFlush);
    }

    @Test
    void aSendingTimeOffTheClockIsRejectedUnlessPossDup()
    {
        logOn();
        final String old = TIME.format(Instant.ofEpochMilli(nowMs - 600_000));
        final byte[] bytes = FixClient.frame("35=0|49=ALICE|56=BOURSE|34=2|52=" + old + "|");
        session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length);
        session.onInbound(nowMs);
        final List<Map<Integer, String>> out = sent();
        assertEquals("3", out.get(0).get(35));
        assertEquals("10", out.get(0).get(373));
        assertEquals("5", out.get(1).get(35));
    }

    @Test
    void aPossDupFlagOrGapFillFlagThatIsNeitherYNorNIsRejectedAndItsNumberUsed()
    {
        logOn();
        receive("1", 2, "43=X|112=T1|");
        Map<Integer, String> reject = sent().get(0);
        assertEquals("3", reject.get(35));
        assertEquals("43", reject.get(371));
        assertEquals("5", reject.get(373));
        receive("4", 3, "123=Z|36=10|");
        reject = sent().get(0);
        assertEquals("3", reject.get(35));
        assertEquals("123", reject.get(371));
        assertEquals(4, store.nextInSeq(), "not taken as a reset to 10: each used only its own number");
        receive("1", 4, "43=N|112=T2|");
        assertEquals("0", sent().get(0).get(35), "N is a PossDupFlag like any other");
    }

    @Test
    void aPossibleDuplicateFirstSentAfterItWasSentAgainIsRejected()
    {
        logOn();
        final String now = TIME.format(Instant.ofEpochMilli(nowMs));
        final String later = TIME.format(Instant.ofEpochMilli(nowMs + 60_000));
        final byte[] bytes = FixClient.frame("35=0|49=ALICE|56=BOURSE|34=2|43=Y|52=" + now + "|122=" + later + "|");
        session.connection.receive(new UnsafeBuffer(bytes), 0, bytes.length);
        session.onInbound(nowMs);
        final List<Map<Integer, String>> out = sent();
        assertEquals("3", out.get(0).get(35));
        assertEquals("122", out.get(0).get(371));
        assertEquals("10", out.get(0).get(373));
    }

    @Test
    void aMessageWhoseHandlingFailsEndsOnlyItsSessionAndIsNotParsedAgain()
    {
        logOn();
        failNextApplicationMessage = new IllegalStateException("boom");
        receive("D", 2, "11=a2|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals(1, counters.messageErrors.get());
        assertTrue(handed.stream().anyMatch(line -> line.startsWith("log ") && line.contains("boom")), handed.toString());
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertEquals("message could not be processed", logout.get(58));
        assertEquals(0, session.connection.inboundStart, "the failed message was consumed");
        assertEquals(0, session.connection.inbound.position());
        session.onInbound(nowMs);
        assertEquals(1, counters.messageErrors.get(), "and not processed a second time");
    }

    @Test
    void afterOurShutdownLogoutTheCounterpartysLogoutIsReadBeforeClosing()
    {
        logOn();
        session.logoutForShutdown("exchange shutting down");
        final Map<Integer, String> logout = sent().get(0);
        assertEquals("5", logout.get(35));
        assertFalse(session.connection.closeAfterFlush, "we wait for their Logout");
        receive("D", 2, "11=a2|55=ACME|54=1|38=10|40=2|44=1|");
        assertEquals("j", sent().get(0).get(35), "no new orders while logging out");
        receive("5", 3, "");
        assertTrue(session.connection.closeAfterFlush);
        assertEquals(4, store.nextInSeq(), "their Logout counts as received");
        assertTrue(sent().isEmpty(), "no second Logout");
    }

    @Test
    void aCounterpartyThatDoesNotAnswerOurLogoutIsDisconnectedAfterTheLogoutTimeout()
    {
        logOn();
        session.logoutForShutdown("disconnected by operations");
        assertEquals("5", sent().get(0).get(35));
        advance(FixSession.LOGOUT_REPLY_TIMEOUT_MS);
        session.onTimer(nowMs);
        assertFalse(session.connection.closeAfterFlush, "still waiting for their Logout");
        advance(1);
        assertEquals(1, session.onTimer(nowMs));
        assertTrue(session.connection.closeAfterFlush);
        assertEquals("no Logout reply within 2000 ms", session.connection.closeReason);
        assertTrue(sent().isEmpty(), "no second Logout");
    }

    @Test
    void aRefusedLogonIsAnsweredOnlyAfterTheHoldAndNothingMoreIsReadMeanwhile()
    {
        ctx.refusedLogonHoldMs(1_000);
        receive("A", 1, "98=0|108=30|553=alice|554=wrong|");
        assertEquals(List.of("logon alice wrong"), handed);
        session.logonRefusedLater("logon refused", nowMs);
        assertTrue(session.isRefusalPending());
        assertTrue(sent().isEmpty(), "no answer yet");
        receive("A", 2, "98=0|108=30|553=alice|554=again|");
        assertEquals(List.of("logon alice wrong"), handed, "nothing is read while the answer waits");

        assertEquals(0, session.onTimer(nowMs), "not due at once");
        advance(999);
        assertEquals(0, session.onTimer(nowMs));
        assertTrue(sent().isEmpty());
        assertFalse(session.connection.closeAfterFlush);
        advance(1);
        assertEquals(1, session.onTimer(nowMs));
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("5", out.get(0).get(35));
        assertEquals("logon refused", out.get(0).get(58));
        assertTrue(session.connection.closeAfterFlush, "closed once the Logout is written");
        assertFalse(session.isRefusalPending());
    }

    @Test
    void withoutAHoldARefusedLogonIsAnsweredAtOnce()
    {
        receive("A", 1, "98=0|108=30|553=alice|554=wrong|");
        session.logonRefusedLater("logon refused", nowMs);
        assertFalse(session.isRefusalPending());
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("5", out.get(0).get(35));
        assertTrue(session.connection.closeAfterFlush);
    }

    // ------------------------------------------------------------------ the last MsgSeqNum (an outside tester's overflow)

    private static final int LAST = Integer.MAX_VALUE;

    /** A new connection of the same session (the store is the test's), as after a reconnect. */
    private void reconnect()
    {
        final Connection connection = new Connection(2, null, "test", ctx.maxMessageSize(), ctx.outboundBufferLimit(), nowMs);
        session = new FixSession(connection, ctx, sender, handler, new FixFramer(ctx.maxMessageSize()), new FixMessage(), counters, nowMs);
        handed.clear();
    }

    /** The store as a restart finds it: closed, then opened with the checks of a start (a damaged one throws). */
    private void restartStore()
    {
        store.close();
        store = SessionStore.openFound(dir, "ALICE", 1 << 16);
    }

    private void assertExhaustedLogout(final String text)
    {
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("5", out.get(0).get(35), "a Logout, not an answer: " + out);
        assertEquals(text, out.get(0).get(58));
        assertTrue(session.connection.closeAfterFlush);
        assertEquals(LAST, store.nextInSeq(), "the expected number stays the last valid one, never wrapped");
    }

    /**
     * The tester's sequence: a SequenceReset-Reset to 2147483647, then a TestRequest there. It was
     * answered, the expected number wrapped to -2147483648, every later message was "too high", and
     * the exchange refused to restart over the session's state file.
     */
    @Test
    void aMessageAtTheLastMsgSeqNumIsNotActedOnAndLogsTheSessionOutAskingForAReset()
    {
        logOn();
        receive("4", 2, "36=" + LAST + "|");
        assertEquals(LAST, store.nextInSeq(), "NewSeqNo 2147483647 is a valid number");
        assertTrue(sent().isEmpty());
        receive("1", LAST, "112=pmax|");
        assertExhaustedLogout(SequenceLimit.INBOUND_EXHAUSTED);
        assertTrue(SequenceLimit.INBOUND_EXHAUSTED.contains("ResetSeqNumFlag(141)=Y"));

        restartStore(); // the tester's exchange refused to start here
        assertEquals(LAST, store.nextInSeq());
        assertTrue(store.nextOutSeq() > 0);

        reconnect();
        receive("A", 1, "98=0|108=30|553=alice|554=pw|141=Y|");
        assertEquals(List.of("logon alice pw"), handed);
        assertTrue(session.logonReset);
        store.reset(0); // what the conductor does for a Logon with ResetSeqNumFlag before accepting it
        session.logonAccepted(store, 1001, "alice", new TokenBucket(100, 100, 0), new TokenBucket(100, 100, 0), nowMs);
        final Map<Integer, String> ack = sent().get(0);
        assertEquals("A", ack.get(35));
        assertEquals("Y", ack.get(141));
        assertEquals("1", ack.get(34));
        assertEquals(2, store.nextInSeq());
        receive("1", 2, "112=again|");
        assertEquals("again", sent().get(0).get(112), "the session goes on from 2");
    }

    @Test
    void aGapFillToTheLastMsgSeqNumEndsTheSameWay()
    {
        logOn();
        receive("4", 2, "123=Y|36=" + LAST + "|");
        assertEquals(LAST, store.nextInSeq());
        receive("D", LAST, "11=last|55=ACME|54=1|38=10|40=2|44=1|");
        assertTrue(handed.isEmpty(), "the order is not acted on: " + handed);
        assertExhaustedLogout(SequenceLimit.INBOUND_EXHAUSTED);
    }

    @Test
    void aFaultyMessageAtTheLastMsgSeqNumIsNotRejectedButLogsOut()
    {
        logOn();
        receive("4", 2, "36=" + LAST + "|");
        receive("1", LAST, "112=|"); // a Reject would take the number
        assertExhaustedLogout(SequenceLimit.INBOUND_EXHAUSTED);
    }

    @Test
    void aBadFlagAtTheLastMsgSeqNumIsNotRejectedButLogsOut()
    {
        logOn();
        receive("4", 2, "36=" + LAST + "|");
        receive("1", LAST, "43=X|112=x|");
        assertExhaustedLogout(SequenceLimit.INBOUND_EXHAUSTED);
    }

    @Test
    void aPossibleDuplicateAtTheLastMsgSeqNumLogsOutToo()
    {
        logOn();
        receive("4", 2, "36=" + LAST + "|");
        receive("1", LAST, possDup() + "112=dup|");
        assertExhaustedLogout(SequenceLimit.INBOUND_EXHAUSTED);
    }

    /** A re-logon without ResetSeqNumFlag at 2147483647: answered (the credentials were fine), then logged out. */
    @Test
    void aLogonInSequenceAtTheLastMsgSeqNumIsAnsweredThenLoggedOut()
    {
        logOn();
        receive("4", 2, "36=" + LAST + "|");
        reconnect();
        receive("A", LAST, "98=0|108=30|553=alice|554=pw|");
        assertEquals(List.of("logon alice pw"), handed);
        session.logonAccepted(store, 1001, "alice", new TokenBucket(100, 100, 0), new TokenBucket(100, 100, 0), nowMs);
        final List<Map<Integer, String>> out = sent();
        assertEquals(2, out.size(), out::toString);
        assertEquals("A", out.get(0).get(35));
        assertEquals("5", out.get(1).get(35));
        assertEquals(SequenceLimit.INBOUND_EXHAUSTED, out.get(1).get(58));
        assertEquals(LAST, store.nextInSeq());
        assertTrue(session.connection.closeAfterFlush);
    }

    /** Our own numbers: near 2147483647 the session is logged out the same way, with room left for that Logout. */
    @Test
    void ourOwnNumbersNearTheLastMsgSeqNumLogTheSessionOut()
    {
        logOn();
        store.takeOver(0, LAST - SequenceLimit.OUTBOUND_HEADROOM + 1, 2); // as if some 2 billion messages had been sent
        receive("1", 2, "112=t|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("5", out.get(0).get(35));
        assertEquals(SequenceLimit.OUTBOUND_EXHAUSTED, out.get(0).get(58));
        assertEquals(String.valueOf(LAST - SequenceLimit.OUTBOUND_HEADROOM + 1), out.get(0).get(34));
        assertEquals(2, store.nextInSeq(), "not acted on: its number is not taken");
        assertTrue(store.nextOutSeq() > 0);

        reconnect();
        receive("A", 2, "98=0|108=30|553=alice|554=pw|");
        session.logonAccepted(store, 1001, "alice", new TokenBucket(100, 100, 0), new TokenBucket(100, 100, 0), nowMs);
        final List<Map<Integer, String>> relogon = sent();
        assertEquals("A", relogon.get(0).get(35));
        assertEquals(SequenceLimit.OUTBOUND_EXHAUSTED, relogon.get(1).get(58), "a Logon without a reset cannot go on: " + relogon);
    }

    @Test
    void aResendRequestIsNeverSentWithABeginSeqNoBelowOne()
    {
        logOn();
        sender.resendRequest(session, 0);
        sender.resendRequest(session, Integer.MIN_VALUE);
        assertTrue(sent().isEmpty());
    }

    @Test
    void theNextMsgSeqNumReadFromElsewhereNeverWraps()
    {
        assertEquals(LAST, SequenceLimit.after(LAST));
        assertEquals(LAST, SequenceLimit.after(LAST - 1));
        assertEquals(2, SequenceLimit.after(1));
    }

    // ------------------------------------------------------------------ a bad field before MsgSeqNum (an outside tester's)

    private String now()
    {
        return TIME.format(Instant.ofEpochMilli(nowMs));
    }

    private void assertRejected(final String fields, final int seq, final String refTag, final String reason)
    {
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), fields + ": " + out);
        final Map<Integer, String> reject = out.get(0);
        assertEquals("3", reject.get(35), fields + ": " + reject);
        assertEquals(String.valueOf(seq), reject.get(45));
        assertEquals(refTag, reject.get(371));
        assertEquals(reason, reject.get(373));
        assertEquals("1", reject.get(372));
        assertEquals(seq + 1, store.nextInSeq(), "its number is taken");
        assertFalse(session.connection.closeAfterFlush);
    }

    /** SenderCompID twice before 34 was dropped as "garbled (unparsable message without MsgSeqNum)"; after 34 it was rejected. */
    @Test
    void aSenderCompIdTwiceBeforeMsgSeqNumIsRejectedWithReason13AndTakesItsNumber()
    {
        logOn();
        final String fields = "35=1|49=ALICE|49=ALICE|56=BOURSE|34=2|52=" + now() + "|112=d|";
        receiveRaw(fields);
        assertRejected(fields, 2, "49", "13");
        assertTrue(handed.isEmpty(), "not garbled: " + handed);
        receive("1", 3, "112=next|");
        assertEquals("next", sent().get(0).get(112), "the next message expected is 3");
    }

    @Test
    void aTargetCompIdTwiceOrAnEmptyFieldBeforeMsgSeqNumIsRejectedAsAfterIt()
    {
        logOn();
        String fields = "35=1|49=ALICE|56=BOURSE|56=BOURSE|34=2|52=" + now() + "|112=d|";
        receiveRaw(fields);
        assertRejected(fields, 2, "56", "13");
        fields = "35=1|49=ALICE|56=BOURSE|9999=|34=3|52=" + now() + "|112=d|";
        receiveRaw(fields);
        assertRejected(fields, 3, "9999", "4");
        fields = "35=1|49=ALICE|56=BOURSE|34=4|9999=|52=" + now() + "|112=d|";
        receiveRaw(fields);
        assertRejected(fields, 4, "9999", "4"); // the same fault after 34: the same answer
        fields = "35=1|52=" + now() + "|52=" + now() + "|49=ALICE|56=BOURSE|34=5|112=d|";
        receiveRaw(fields);
        assertRejected(fields, 5, "52", "13");
        assertTrue(handed.isEmpty(), handed::toString);
    }

    @Test
    void aFaultBeforeAMsgSeqNumAboveTheExpectedOneRevealsTheGapFirst()
    {
        logOn();
        receiveRaw("35=1|49=ALICE|49=ALICE|56=BOURSE|34=4|52=" + now() + "|112=d|");
        final List<Map<Integer, String>> out = sent();
        assertEquals(1, out.size(), out::toString);
        assertEquals("2", out.get(0).get(35));
        assertEquals("2", out.get(0).get(7));
        assertEquals(2, store.nextInSeq());
    }

    @Test
    void aFaultyMessageWithoutAReadableMsgSeqNumIsStillDroppedAsGarbled()
    {
        logOn();
        receiveRaw("35=1|49=ALICE|49=ALICE|56=BOURSE|52=" + now() + "|112=d|");
        receiveRaw("35=1|49=ALICE|49=ALICE|56=BOURSE|34=x|52=" + now() + "|112=d|");
        assertTrue(sent().isEmpty());
        assertEquals(List.of("abuse garbled", "abuse garbled"), handed);
        assertEquals(2, store.nextInSeq());
    }
}
