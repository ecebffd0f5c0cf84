package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixTime;
import dev.bourse.gateway.store.SessionStore;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static dev.bourse.gateway.fix.FixTags.*;

/**
 * The FIX 4.4 session layer of one connection (artio's Session): framing of what arrived, the
 * logon state, inbound and outbound sequence numbers, heartbeats and test requests, resend and
 * gap fill, sequence resets, sending-time checks, logout. Application messages and logon
 * decisions go to a {@link Handler}; everything it writes goes through the {@link SessionSender}.
 * Driven by the gateway thread with the time it is given, so it is tested with a fake clock and
 * no socket.
 * <p>
 * Longer than most classes here: it is one state machine (FIX 4.4's session rules, from the first
 * bytes and the Logon to the last Logout), and split up it would spread one protocol's rules
 * over several classes that each need all of its state.
 */
final class FixSession
{
    enum State
    {
        CONNECTED, AUTHENTICATING, LOGGED_ON, CLOSED
    }

    /** What the session layer hands on (the gateway's conductor, {@link Sessions}). */
    interface Handler
    {
        /** A well-formed Logon arrived on a new connection; the session is AUTHENTICATING until answered. */
        void onLogonRequest(FixSession session, FixMessage logon, String username, char[] password);

        /**
         * The Logon cannot be taken as it is ({@link Refusal#MALFORMED}): the handler refuses it
         * (audit, counters) with {@link #logonRefused}. {@code username} may be null.
         */
        void refuseLogon(FixSession session, Refusal refusal, String username, String text);

        /** Something a client did that is counted and logged (garbled data, a deadline missed); closing is the session's. */
        void onAbuse(FixSession session, Refusal refusal, String detail);

        /** An application message in sequence (MsgSeqNum already accepted). */
        void onApplicationMessage(FixSession session, FixMessage message, int msgSeqNum, byte type);

        /** The counterparty logged out (our Logout reply is queued). */
        void onLogout(FixSession session);

        /** The session has to go: mark it closed and release the connection (after flushing what is queued). */
        void close(FixSession session, String reason);

        /** A message was handled; the inbound sequence may have moved. */
        void onMessageHandled(FixSession session);

        /**
         * A Logon with ResetSeqNumFlag on the logged-on session: once the commands of the numbering
         * that ends are journaled, the handler resets the store (both directions) and calls
         * {@link #sequenceResetAccepted}; nothing more is read meanwhile.
         */
        void onSequenceResetRequest(FixSession session);

        /**
         * The session's next message is over its rate ({@link GatewayContext.OverLimit#QUEUE}): it
         * stays unread until {@link #resumeIfDue} finds a token; the handler calls that each cycle.
         */
        void onHeld(FixSession session);

        /**
         * Whether the session's next message is to wait, unread: its OrderMassCancelRequest is still
         * under way. What the client sent after it then follows it, as FIX processes a session's
         * messages in order (a second mass cancel was refused instead: a probe's risk tool sent
         * "cancel all AAPL" and "cancel all MSFT" back to back and kept its MSFT orders). The session
         * is held ({@link #onHeld}) and read on by {@link #resumeIfDue} once this is false.
         */
        default boolean holdsInbound(FixSession session)
        {
            return false;
        }

        /** The port FIX over TLS listens on, or -1 without one (named when a TLS client comes to the plain port). */
        default int tlsPort()
        {
            return -1;
        }

        /**
         * The session used up its turn ({@link GatewayContext#messagesPerTurn()} messages) with
         * more bytes waiting in its buffer: the handler calls {@link #onInbound} again in its next
         * cycle, after the other sessions had theirs.
         */
        void onTurnUsed(FixSession session);

        /**
         * A session taken over from another gateway was asked to resend from {@code begin}, below the
         * first number sent here (gap-filled): its missed reports are to be sent again.
         */
        default void onFirstResendAfterTakeover(FixSession session, int begin)
        {
        }

        /** Whether commands of this session are not yet journaled: their reports are still to come. */
        default boolean reportsOutstanding(FixSession session)
        {
            return false;
        }

        /**
         * The session's Logout waits for the reports of the commands it sent before: the handler
         * calls {@link #sendDeferredLogout} once none is outstanding (or after a bound).
         */
        default void onLogoutDeferred(FixSession session)
        {
            session.sendDeferredLogout();
        }
    }

    /** How long our Logout waits for the counterparty's (QuickFIX/J's LogoutTimeout default). */
    static final long LOGOUT_REPLY_TIMEOUT_MS = 2_000;
    private static final String NO_LOGOUT_REPLY = "no Logout reply within " + LOGOUT_REPLY_TIMEOUT_MS + " ms";

    final Connection connection;
    /** OrdStatusReqIDs waiting for their answers from the engine. */
    final StatusRequestIds statusRequestIds = new StatusRequestIds();
    private final GatewayContext ctx;
    private final SessionSender sender;
    private final Handler handler;
    private final FixFramer framer;
    private final FixMessage msg;
    private final GatewayCounters counters;

    State state = State.CONNECTED;
    long lastReceivedMs;
    long lastSentMs;
    long testRequestSentMs;
    /** When our Logout that waits for the counterparty's reply went out; 0 when none waits. */
    private long awaitingLogoutSinceMs;
    int heartbeatMs;
    boolean logoutSent;
    /** Our Logout waits for the reports of commands read before it ({@link #logoutAfterReports}). */
    private boolean logoutDeferred;
    private String deferredLogoutText;
    /** When the handler began to wait for them (its clock). */
    long logoutDeferredSinceMs;
    /** Set while an authenticated Logon's refusal waits: its Logout is the session's next message. */
    private SessionStore refusedInSession;

    /** The inbound gap asked to be resent. */
    private final InboundGap gap = new InboundGap();

    // once logged on
    SessionStore store;
    int sessionId;
    long accountId;
    String username;
    boolean cancelOnDisconnect;
    /** Another gateway took the session over: closed without cancel on disconnect. */
    boolean takenOver;
    TokenBucket bucket;
    /** The rate limit of the session's user, shared by all its CompIDs. */
    TokenBucket userBucket;

    /** Over its rate with messages waiting in its inbound buffer (queue mode): see {@link #resumeIfDue}. */
    boolean held;

    /** Its turn was used up with messages left in its buffer: queued for another (see {@link Handler#onTurnUsed}). */
    boolean turnQueued;

    /** Admission: a Logon naming a configured user is being checked; newcomers do not evict it. */
    boolean reserved;

    /** A Logon with ResetSeqNumFlag on the logged-on session waits for its reset since then (0: none waits). */
    private long sequenceResetRequestedMs;

    /** A refused Logon's answer, held back until {@link #refusalDueMs} (see {@link #logonRefusedLater}). */
    private String pendingRefusal;
    private long refusalDueMs;

    // the Logon being authenticated
    String logonCompId;
    int logonSeq;
    boolean logonReset;
    /** The journal sequence the gateway had read when this session's Logon arrived (its credentials are checked after). */
    long logonJournalSequence;
    int logonHeartBtInt;
    boolean logonCancelOnDisconnect;

    FixSession(
        final Connection connection, final GatewayContext ctx, final SessionSender sender, final Handler handler,
        final FixFramer framer, final FixMessage msg, final GatewayCounters counters, final long nowMs)
    {
        this.connection = connection;
        this.ctx = ctx;
        this.sender = sender;
        this.handler = handler;
        this.framer = framer;
        this.msg = msg;
        this.counters = counters;
        this.lastReceivedMs = nowMs;
        this.lastSentMs = nowMs;
    }

    public int sessionId()
    {
        return sessionId;
    }

    public boolean isLoggedOn()
    {
        return state == State.LOGGED_ON;
    }

    public boolean isClosed()
    {
        return state == State.CLOSED;
    }

    public String closeReason()
    {
        return connection.closeReason;
    }

    /** A TLS record of the handshake (a ClientHello): content type 22, then major version 3; one byte may be all there is yet. */
    static boolean isTlsHandshake(final UnsafeBuffer view, final int position, final int end)
    {
        return end > position && view.getByte(position) == 0x16 && (end - position < 2 || view.getByte(position + 1) == 0x03);
    }

    /** The reason a TLS handshake on the plain FIX port is refused with. */
    static String tlsOnPlainPort(final int tlsPort)
    {
        return "a TLS handshake on the plain FIX port (" + (tlsPort > 0 ? "TLS is on port " + tlsPort : "TLS is not enabled") + ")";
    }

    // ------------------------------------------------------------------ inbound

    /**
     * Processes the whole messages in the connection's inbound buffer. A message whose handling
     * throws is counted, its session is logged out and disconnected, and the others carry on: one
     * bad message can neither stop the gateway thread nor be parsed again and again.
     */
    void onInbound(final long nowMs)
    {
        final ByteBuffer in = connection.inbound;
        final UnsafeBuffer view = connection.inboundView;
        int position = connection.inboundStart;
        final int end = in.position();
        if (pendingRefusal != null)
        {
            return; // refused: nothing it sends now is read
        }
        if (sequenceResetRequestedMs != 0)
        {
            return; // what follows a resetting Logon is numbered anew: read once the reset is done
        }
        if (held)
        {
            // more bytes of a held session: it is alive, so no TestRequest for the silence we caused
            lastReceivedMs = nowMs;
            testRequestSentMs = 0;
            return;
        }
        final boolean queueOverLimit = bucket != null && ctx.rateLimitOverLimit() == GatewayContext.OverLimit.QUEUE;
        // a turn: a session with a backlog (a burst, a reconnect's full bucket) hands the thread on
        // after this many messages, so another session's order waits for a turn, not for the backlog
        int turnLeft = ctx.messagesPerTurn();
        while (position < end && state != State.CLOSED && state != State.AUTHENTICATING && !connection.closeAfterFlush &&
            sequenceResetRequestedMs == 0)
        {
            if (turnLeft == 0)
            {
                handler.onTurnUsed(this);
                break;
            }
            if (queueOverLimit && state == State.LOGGED_ON && !hasTokens())
            {
                // over the rate: the rest waits, unread, in the buffer and then in the socket
                held = true;
                lastReceivedMs = nowMs;
                testRequestSentMs = 0;
                counters.throttled.incrementRelease();
                handler.onAbuse(this, Refusal.MESSAGE_THROTTLED, "over the rate limit: reading paused until it refills");
                handler.onHeld(this);
                break;
            }
            if (state == State.LOGGED_ON && handler.holdsInbound(this))
            {
                held = true; // read on after the session's mass cancel: not a throttle, nothing counted
                lastReceivedMs = nowMs;
                testRequestSentMs = 0;
                handler.onHeld(this);
                break;
            }
            final int length = framer.frame(view, position, end - position);
            if (length == FixFramer.NEED_MORE || length == FixFramer.LENGTH_OVER_LIMIT && state == State.LOGGED_ON)
            {
                break;
            }
            turnLeft--;
            // before a Logon, a BodyLength over the limit is not waited for: nothing there is that big
            if (length == FixFramer.TOO_BIG || length == FixFramer.LENGTH_OVER_LIMIT)
            {
                counters.garbled.incrementRelease();
                if (state != State.LOGGED_ON)
                {
                    // counted and logged as the other garbage before a Logon (an abuse probe's 2,000 went unseen)
                    handler.onAbuse(this, Refusal.GARBLED_BEFORE_LOGON, "message exceeds the maximum size of " + ctx.maxMessageSize() + " bytes");
                }
                logoutAndClose("message exceeds the maximum size of " + ctx.maxMessageSize() + " bytes");
                position = end;
                break;
            }
            if (length == FixFramer.WRONG_BEGIN_STRING)
            {
                counters.garbled.incrementRelease();
                if (state != State.LOGGED_ON)
                {
                    handler.onAbuse(this, Refusal.GARBLED_BEFORE_LOGON, "BeginString is not FIX.4.4");
                    handler.close(this, "BeginString is not FIX.4.4");
                }
                else
                {
                    logoutAndClose("BeginString(8) must be FIX.4.4");
                }
                position = end;
                break;
            }
            if (length == FixFramer.GARBLED || length == FixFramer.BAD_CHECKSUM)
            {
                counters.garbled.incrementRelease();
                if (state != State.LOGGED_ON)
                {
                    // a client set up for TLS (SocketUseSSL) on the plain port is told apart from garbage: its operator needs the port
                    final String why = connection.tls == null && isTlsHandshake(view, position, end)
                        ? tlsOnPlainPort(handler.tlsPort()) : "garbled data before logon";
                    handler.onAbuse(this, Refusal.GARBLED_BEFORE_LOGON, why);
                    handler.close(this, why);
                    position = end;
                    break;
                }
                handler.onAbuse(this, Refusal.GARBLED, length == FixFramer.BAD_CHECKSUM ? "bad checksum" : "garbled");
                if (length == FixFramer.BAD_CHECKSUM)
                {
                    position += framer.lastFrameLength();
                }
                else
                {
                    final int next = FixFramer.nextStart(view, position + 1, end);
                    position = next < 0 ? end : next;
                }
                continue;
            }
            counters.messagesIn.incrementRelease();
            try
            {
                onMessage(view, position, length, nowMs);
            }
            catch (final RuntimeException e)
            {
                counters.messageErrors.incrementRelease();
                ctx.errorLog().accept("gateway: message on connection " + connection.id + " failed, session disconnected: " + e);
                logoutAndClose("message could not be processed");
            }
            position += length;
        }
        compact(position, end);
    }

    private boolean hasTokens()
    {
        final long nowNanos = ctx.nanoClock().nanoTime();
        return bucket.hasToken(nowNanos) && userBucket.hasToken(nowNanos);
    }

    /**
     * A held session reads on once its bucket and its user's have a token again.
     *
     * @return true if it is no longer held (resumed, or closed meanwhile).
     */
    boolean resumeIfDue(final long nowMs)
    {
        if (state != State.LOGGED_ON || connection.closeAfterFlush)
        {
            held = false;
            return true;
        }
        if ((bucket != null && !hasTokens()) || handler.holdsInbound(this))
        {
            return false;
        }
        held = false;
        onInbound(nowMs);
        return !held;
    }

    private void compact(final int position, final int end)
    {
        final ByteBuffer in = connection.inbound;
        if (position >= end)
        {
            in.clear();
            connection.inboundStart = 0;
        }
        else if (position > 0 && (in.remaining() < ctx.maxMessageSize() || state == State.AUTHENTICATING))
        {
            final int remaining = end - position;
            connection.inboundView.putBytes(0, connection.inboundView, position, remaining);
            in.position(remaining);
            connection.inboundStart = 0;
        }
        else
        {
            connection.inboundStart = position;
        }
    }

    private static boolean isCompIdTag(final int tag)
    {
        return tag == SENDER_COMP_ID || tag == TARGET_COMP_ID;
    }

    /** The CompID tag, of those parsed, whose value is not the session's; 0 if none. */
    private int wrongCompIdTag()
    {
        if (msg.has(SENDER_COMP_ID) && !msg.valueEquals(SENDER_COMP_ID, store.compIdBytes()))
        {
            return SENDER_COMP_ID;
        }
        return msg.has(TARGET_COMP_ID) && !msg.valueEquals(TARGET_COMP_ID, sender.ourCompId()) ? TARGET_COMP_ID : 0;
    }

    private void onMessage(final UnsafeBuffer buffer, final int offset, final int length, final long nowMs)
    {
        lastReceivedMs = nowMs;
        testRequestSentMs = 0;
        final int parsed = msg.parse(buffer, offset, length);
        if (state == State.CONNECTED)
        {
            if (parsed != FixMessage.OK && parsed != FixMessage.MSG_TYPE_NOT_THIRD && msg.msgTypeLength() == 1 &&
                msg.msgType() == LOGON && msg.fieldCount() > 2 && msg.tagAt(2) == MSG_TYPE)
            {
                // a Logon with a malformed field (8013= without a value) is told what, as one with a bad value
                // is, where it names a CompID to answer (a probe's got a silent close)
                logonCompId = answerableSenderCompId();
                final int tag = msg.errorTag();
                handler.refuseLogon(this, Refusal.MALFORMED, null, "Logon: " + parseProblem(parsed) + (tag > 0 ? " (tag " + tag + ")" : ""));
                return;
            }
            if (parsed != FixMessage.OK || msg.msgTypeLength() != 1 || msg.msgType() != LOGON)
            {
                handler.onAbuse(this, Refusal.GARBLED_BEFORE_LOGON, "first message is not a valid Logon");
                handler.close(this, "first message is not a valid Logon");
                return;
            }
            onLogon(nowMs);
            return;
        }
        if (parsed == FixMessage.MSG_TYPE_NOT_THIRD)
        {
            // FIX: a message whose first three fields are not 8, 9 and 35 is garbled: ignored, its MsgSeqNum not taken,
            // so the client's next message may reuse it (a session Reject took the number and the client's resend was "too low")
            counters.garbled.incrementRelease();
            handler.onAbuse(this, Refusal.GARBLED, "MsgType(35) is not the third field");
            return;
        }
        // read even when parsing stopped at a fault before it: the Reject is the same wherever 34 sits
        final long seqValue = msg.msgSeqNum();
        if (seqValue == FixMessage.NO_VALUE || seqValue < 1 || seqValue > Integer.MAX_VALUE)
        {
            if (parsed != FixMessage.OK)
            {
                counters.garbled.incrementRelease();
                handler.onAbuse(this, Refusal.GARBLED, "unparsable message without MsgSeqNum");
                return;
            }
            logoutAndClose("MsgSeqNum(34) missing or invalid");
            return;
        }
        final int seq = (int)seqValue;
        final int expected = store.nextInSeq();
        if (parsed != FixMessage.OK)
        {
            // FIX checks the CompIDs before the fields: a message from another CompID (or none), read as far as its
            // CompIDs, is that problem whatever else is wrong with it (a probe's 49=INTRUDER with an empty field
            // was rejected for the field, and took one of the session's numbers with the session going on)
            final boolean emptyCompId = parsed == FixMessage.EMPTY_VALUE && isCompIdTag(msg.errorTag());
            final int wrongCompId = emptyCompId ? msg.errorTag() : wrongCompIdTag();
            if (wrongCompId != 0)
            {
                final boolean typeKnown = msg.fieldCount() > 2 && msg.tagAt(2) == MSG_TYPE;
                sender.sessionReject(this, seq, typeKnown ? msg : null, wrongCompId, emptyCompId ? REJECT_TAG_WITHOUT_VALUE
                    : REJECT_COMP_ID_PROBLEM, emptyCompId ? parseProblem(parsed) : "CompID problem");
                logoutAndClose("CompID problem");
                return;
            }
        }
        if (parsed != FixMessage.OK)
        {
            // FIX checks the MsgSeqNum first: one above the expected reveals a gap, and the message comes
            // again in the resend, to be rejected then, in its turn; one below is a duplicate or too low
            if (seq > expected)
            {
                onTooHigh(seq, expected, nowMs);
                return;
            }
            if (seq < expected)
            {
                tooLow(seq, expected);
                return;
            }
            if (!takeInbound(expected))
            {
                return;
            }
            final int reason = parsed == FixMessage.EMPTY_VALUE ? REJECT_TAG_WITHOUT_VALUE :
                parsed == FixMessage.HEADER_TAG_AFTER_BODY ? REJECT_TAG_ORDER : parsed == FixMessage.REPEATED_TAG ? REJECT_TAG_APPEARS_MORE_THAN_ONCE :
                parsed == FixMessage.TOO_MANY_FIELDS ? REJECT_OTHER :
                parsed == FixMessage.DATA_LENGTH_MISMATCH || parsed == FixMessage.DATA_WITHOUT_LENGTH ? REJECT_INCORRECT_DATA_FORMAT :
                parsed == FixMessage.WRONG_GROUP_COUNT ? REJECT_INCORRECT_NUM_IN_GROUP : REJECT_INVALID_TAG_NUMBER;
            // the MsgType is known when the fault came after it: the Reject names it (RefMsgType 372), as for any other
            final boolean typeKnown = msg.fieldCount() > 2 && msg.tagAt(2) == MSG_TYPE;
            sender.sessionReject(this, seq, typeKnown ? msg : null, msg.errorTag(), reason, parseProblem(parsed));
            handler.onMessageHandled(this);
            return;
        }
        if (!msg.valueEquals(SENDER_COMP_ID, store.compIdBytes()) || !msg.valueEquals(TARGET_COMP_ID, sender.ourCompId()))
        {
            final int tag = msg.valueEquals(SENDER_COMP_ID, store.compIdBytes()) ? TARGET_COMP_ID : SENDER_COMP_ID;
            if (msg.has(tag))
            {
                sender.sessionReject(this, seq, msg, tag, REJECT_COMP_ID_PROBLEM, "CompID problem");
            }
            else
            {
                sender.sessionReject(this, seq, msg, tag, REJECT_REQUIRED_TAG_MISSING,
                    (tag == SENDER_COMP_ID ? "SenderCompID(49)" : "TargetCompID(56)") + " missing");
            }
            logoutAndClose("CompID problem");
            return;
        }
        final byte type = msg.msgTypeLength() == 1 ? msg.msgType() : 0;
        final int badFlag = !isBoolean(POSS_DUP_FLAG) ? POSS_DUP_FLAG : !isBoolean(POSS_RESEND) ? POSS_RESEND
            : type == SEQUENCE_RESET && !isBoolean(GAP_FILL_FLAG) ? GAP_FILL_FLAG : 0;
        // above the expected MsgSeqNum the gap comes first (below); a SequenceReset's mode decides whether its number counts
        if (badFlag != 0 && (seq <= expected || type == SEQUENCE_RESET))
        {
            // a Y/N flag with another value: which way the message was meant is unknown, so it is rejected, not guessed
            if (seq == expected && !takeInbound(expected))
            {
                return;
            }
            sender.sessionReject(this, seq, msg, badFlag, REJECT_VALUE_INCORRECT,
                (badFlag == POSS_DUP_FLAG ? "PossDupFlag(43)" : badFlag == POSS_RESEND ? "PossResend(97)" : "GapFillFlag(123)")
                + " must be Y or N");
            handler.onMessageHandled(this);
            return;
        }
        if (type == SEQUENCE_RESET && msg.getChar(GAP_FILL_FLAG) != 'Y')
        {
            onSequenceResetReset(seq);
            return;
        }
        if (type == LOGON && seq == 1 && msg.getChar(RESET_SEQ_NUM_FLAG) == 'Y' && msg.getChar(POSS_DUP_FLAG) != 'Y' && !logoutSent)
        {
            // FIX 4.4 lets either side reset both numberings during a session this way: message 1 of the new one
            onResetLogon(nowMs);
            return;
        }
        if (type == LOGON && seq != 1 && msg.getChar(RESET_SEQ_NUM_FLAG) == 'Y' && msg.getChar(POSS_DUP_FLAG) != 'Y')
        {
            // refused as at logon, whatever the expected number: taken for a gap, it was asked for again after the gap
            // fill, the session stuck until the client resent a resetting Logon, which no engine does (an outside tester)
            logoutAndClose("MsgSeqNum(34) must be 1 with ResetSeqNumFlag(141)=Y");
            return;
        }
        if (seq > expected)
        {
            if (type == LOGOUT)
            {
                onLogout();
                return;
            }
            if (type == RESEND_REQUEST && resendRequestIsWellFormed())
            {
                // served at once, as FIX asks; a faulty one is rejected when it comes again in the resend, as other
                // messages above the expected number are (an outside probe got the Reject before the gap's ResendRequest)
                onResendRequest(seq);
            }
            onTooHigh(seq, expected, nowMs);
            return;
        }
        final boolean possDup = msg.getChar(POSS_DUP_FLAG) == 'Y';
        if (seq < expected)
        {
            if (possDup)
            {
                // a duplicate is ignored, but one without a valid OrigSendingTime, or first sent after it was sent
                // again, is rejected (373=1, 6 or 10), as FIX's session test cases and QuickFIX/J do; the number is not taken
                checkSendingTime(seq, true, nowMs);
                return;
            }
            tooLow(seq, expected);
            return;
        }
        if (!takeInbound(expected))
        {
            return;
        }
        if (checkSendingTime(seq, possDup, nowMs))
        {
            dispatch(seq, type);
        }
        handler.onMessageHandled(this);
    }

    /**
     * Takes the expected MsgSeqNum for the message received at it. At the last number there is, or
     * with our own numbers near it, nothing is taken and the session is logged out instead
     * ({@link SequenceLimit}): the stored expected number stays a valid one, and the message is not
     * acted on. Returns whether the message goes on.
     */
    private boolean takeInbound(final int expected)
    {
        final String exhausted = SequenceLimit.inboundProblem(expected, store);
        if (exhausted != null)
        {
            logoutAndClose(exhausted);
            handler.onMessageHandled(this);
            return false;
        }
        store.nextInSeq(expected + 1);
        return true;
    }

    /** Below the expected MsgSeqNum: a PossDupFlag duplicate is ignored, anything else ends the session (here: a parse fault's). */
    private void tooLow(final int seq, final int expected)
    {
        if (msg.getChar(POSS_DUP_FLAG) != 'Y')
        {
            logoutAndClose("MsgSeqNum too low, expecting " + expected + " but received " + seq);
        }
    }

    /** Absent, or Y or N as FIX's Boolean type allows. */
    private boolean isBoolean(final int tag)
    {
        if (!msg.has(tag))
        {
            return true;
        }
        final byte value = msg.getChar(tag);
        return value == 'Y' || value == 'N';
    }

    private void dispatch(final int seq, final byte type)
    {
        if (!isOrderMessage(type) && type != LOGOUT && !withinRate())
        {
            if (isUnsupportedApplicationMessage(type))
            {
                // an application message, if one not traded here: over the rate it is answered as the traded ones are
                sender.businessReject(this, msg, seq, BUSINESS_REJECT_OTHER, "throttled: message rate limit exceeded");
            }
            else
            {
                logOutOverTheRate();
            }
            return;
        }
        if (isOrderMessage(type) && msg.has(DELIVER_TO_COMP_ID) && !msg.valueEquals(DELIVER_TO_COMP_ID, sender.ourCompId()))
        {
            // a message for a firm beyond the exchange: acting on it here would do what its sender did not ask for (a probe's
            // order "for OTHER" was executed); an exchange routes to no one, which FIX's reason 7 says
            sender.businessReject(this, msg, seq, BUSINESS_REJECT_DELIVER_TO_FIRM_NOT_AVAILABLE,
                "DeliverToCompID(128): this exchange does not route messages to third parties");
            return;
        }
        switch (type)
        {
            case HEARTBEAT:
            case REJECT:
            // taken without an answer, as a session Reject is: a client that answers message types it has no
            // handler for with a BusinessMessageReject (QuickFIX/J does) would bounce ours back for ever
            case BUSINESS_MESSAGE_REJECT:
                break;
            case TEST_REQUEST:
                if (msg.has(TEST_REQ_ID))
                {
                    sender.heartbeat(this, msg);
                }
                else
                {
                    sender.sessionReject(this, seq, msg, TEST_REQ_ID, REJECT_REQUIRED_TAG_MISSING, "TestReqID(112) required");
                }
                break;
            case RESEND_REQUEST:
                onResendRequest(seq);
                break;
            case SEQUENCE_RESET:
                onGapFill(seq);
                break;
            case LOGOUT:
                onLogout();
                break;
            case LOGON:
                logoutAndClose("Logon received on a logged-on session");
                break;
            case NEW_ORDER_SINGLE:
            case ORDER_CANCEL_REQUEST:
            case ORDER_CANCEL_REPLACE_REQUEST:
            case ORDER_MASS_CANCEL_REQUEST:
            case ORDER_STATUS_REQUEST:
                if (logoutSent)
                {
                    sender.businessReject(this, msg, seq, BUSINESS_REJECT_OTHER, "the session is logging out");
                }
                else
                {
                    handler.onApplicationMessage(this, msg, seq, type);
                }
                break;
            default:
                if (msg.isFix44MsgType())
                {
                    sender.businessReject(this, msg, seq, BUSINESS_REJECT_UNSUPPORTED_MESSAGE_TYPE, "unsupported message type");
                }
                else
                {
                    sender.sessionReject(this, seq, msg, MSG_TYPE, REJECT_INVALID_MSG_TYPE, "invalid MsgType");
                }
                break;
        }
    }

    /**
     * A session-level message (heartbeat, test or resend request, reject, gap fill) or one of a type
     * the exchange does not take takes a token of the session's and its user's rate, like an
     * application message (which {@link OrderEntry} rejects one by one when over it). No honest
     * client sends session-level messages faster than the rate, and FIX has no reject for them, so a
     * session that floods them is logged out: it cannot make the gateway write (and store) answers
     * without bound. An application message of a type not taken here gets its BusinessMessageReject
     * over the rate too, "throttled", as PROTOCOL.md promises for anything that is not session level.
     */
    private boolean withinRate()
    {
        final long nowNanos = ctx.nanoClock().nanoTime();
        if (bucket == null || (bucket.tryTake(nowNanos) && userBucket.tryTake(nowNanos)))
        {
            return true;
        }
        counters.throttled.incrementRelease();
        return false;
    }

    private void logOutOverTheRate()
    {
        handler.onAbuse(this, Refusal.MESSAGE_THROTTLED, "session-level messages beyond the rate limit: logged out");
        logoutAndClose("message rate limit exceeded");
    }

    /** A MsgType FIX 4.4 defines for the application (a QuoteRequest, say) that the exchange does not take. */
    private boolean isUnsupportedApplicationMessage(final byte type)
    {
        return type != HEARTBEAT && type != TEST_REQUEST && type != RESEND_REQUEST && type != REJECT && type != SEQUENCE_RESET
            && type != LOGON && msg.isFix44MsgType();
    }

    private static String parseProblem(final int parsed)
    {
        switch (parsed)
        {
            case FixMessage.EMPTY_VALUE:
                return "tag specified without a value";
            case FixMessage.TOO_MANY_FIELDS:
                return "too many fields";
            case FixMessage.REPEATED_TAG:
                return "tag appears more than once";
            case FixMessage.HEADER_TAG_AFTER_BODY:
                return "tag specified out of required order: a header field after the body";
            case FixMessage.DATA_LENGTH_MISMATCH:
                return "data field's value is not as long as the length field before it says";
            case FixMessage.DATA_WITHOUT_LENGTH:
                return "data field without its length field right before it, holding a whole number above 0";
            case FixMessage.WRONG_GROUP_COUNT:
                return "incorrect NumInGroup count for repeating group";
            default:
                return "invalid tag number";
        }
    }

    // What headerTimeProblem finds, with the field, SessionRejectReason and Text of each
    private static final int TIME_OK = 0;
    private static final int TIME_SENT_MISSING = 1;
    private static final int TIME_SENT_FORMAT = 2;
    private static final int TIME_ORIG_MISSING = 3;
    private static final int TIME_ORIG_FORMAT = 4;
    private static final int TIME_ORIG_AFTER_SENT = 5;
    private static final int TIME_INACCURATE = 6;
    private static final int[] TIME_PROBLEM_TAG = {0, SENDING_TIME, SENDING_TIME, ORIG_SENDING_TIME, ORIG_SENDING_TIME, ORIG_SENDING_TIME, SENDING_TIME};
    private static final int[] TIME_PROBLEM_REASON = {0, REJECT_REQUIRED_TAG_MISSING, REJECT_INCORRECT_DATA_FORMAT,
        REJECT_REQUIRED_TAG_MISSING, REJECT_INCORRECT_DATA_FORMAT, REJECT_SENDING_TIME_ACCURACY, REJECT_SENDING_TIME_ACCURACY};
    private static final String[] TIME_PROBLEM_TEXT = {null, "SendingTime(52) missing", "SendingTime(52) is not a UTCTimestamp",
        "OrigSendingTime(122) required with PossDupFlag", "OrigSendingTime(122) is not a UTCTimestamp",
        "OrigSendingTime(122) is after SendingTime(52)", "SendingTime accuracy problem"};

    /**
     * The message's SendingTime, and with PossDupFlag its OrigSendingTime, as FIX checks them (a
     * resent message's SendingTime is not held to the clock, and it cannot have been first sent
     * after it was sent again): {@link #TIME_OK} or an index into the TIME_PROBLEM tables. One check
     * for every message, the Logon's too.
     */
    private int headerTimeProblem(final boolean possDup, final long nowMs)
    {
        final int offset = msg.valueOffset(SENDING_TIME);
        if (offset < 0)
        {
            return TIME_SENT_MISSING;
        }
        final long sent = FixTime.parse(msg.buffer(), offset, msg.valueLength(SENDING_TIME));
        if (sent == FixTime.INVALID)
        {
            return TIME_SENT_FORMAT;
        }
        if (possDup)
        {
            if (!msg.has(ORIG_SENDING_TIME))
            {
                return TIME_ORIG_MISSING;
            }
            final long original = FixTime.parse(msg.buffer(), msg.valueOffset(ORIG_SENDING_TIME), msg.valueLength(ORIG_SENDING_TIME));
            return original == FixTime.INVALID ? TIME_ORIG_FORMAT : original > sent ? TIME_ORIG_AFTER_SENT : TIME_OK;
        }
        return Math.abs(sent - nowMs) > ctx.sendingTimeToleranceMs() ? TIME_INACCURATE : TIME_OK;
    }

    private boolean checkSendingTime(final int seq, final boolean possDup, final long nowMs)
    {
        final int problem = headerTimeProblem(possDup, nowMs);
        if (problem == TIME_OK)
        {
            return true;
        }
        sender.sessionReject(this, seq, msg, TIME_PROBLEM_TAG[problem], TIME_PROBLEM_REASON[problem], TIME_PROBLEM_TEXT[problem]);
        if (problem == TIME_INACCURATE)
        {
            logoutAndClose(TIME_PROBLEM_TEXT[problem]);
        }
        return false;
    }

    // ------------------------------------------------------------------ logon and logout

    /**
     * What is wrong with a Logon's header, checked as every message's is (SendingTime, PossDupFlag
     * and OrigSendingTime: a probe's Logons with 43=Q, or 43=Y without 122, were taken), or null.
     * A Logon has no session to Reject in yet: the caller refuses it with a Logout saying this.
     */
    private String logonHeaderProblem(final long nowMs)
    {
        if (!isBoolean(POSS_DUP_FLAG))
        {
            return "PossDupFlag(43) must be Y or N";
        }
        if (!isBoolean(POSS_RESEND))
        {
            return "PossResend(97) must be Y or N";
        }
        final boolean possDup = msg.getChar(POSS_DUP_FLAG) == 'Y';
        int problem = headerTimeProblem(possDup, nowMs);
        if (problem == TIME_OK && possDup)
        {
            problem = headerTimeProblem(false, nowMs); // a Logon is never resent (only gap filled): its SendingTime meets the clock too
        }
        return TIME_PROBLEM_TEXT[problem];
    }

    /** The refused Logon's SenderCompID if a Logout can go back to it (short, printable), else null. */
    private String answerableSenderCompId()
    {
        final int offset = msg.valueOffset(SENDER_COMP_ID);
        final int length = offset < 0 ? 0 : msg.valueLength(SENDER_COMP_ID);
        return length > 0 && length <= 64 && FixMessage.isVisibleAscii(msg.buffer(), offset, length) ? msg.valueAsString(SENDER_COMP_ID) : null;
    }

    private void onLogon(final long nowMs)
    {
        final int senderOffset = msg.valueOffset(SENDER_COMP_ID);
        final int user = msg.valueOffset(USERNAME);
        final boolean senderValid = senderOffset >= 0 && SessionStore.isValidCompId(msg.buffer(), senderOffset, msg.valueLength(SENDER_COMP_ID));
        if (!senderValid || !msg.valueEquals(TARGET_COMP_ID, sender.ourCompId()))
        {
            // the Logout saying why goes back to the SenderCompID given, if it is one a client could have (short, printable):
            // a probe's FIRM.DESK1 and wrong TargetCompID were closed without a word
            logonCompId = answerableSenderCompId();
            handler.refuseLogon(this, Refusal.MALFORMED, user < 0 ? null : msg.valueAsString(USERNAME),
                !senderValid ? "SenderCompID(49) must be 1 to 32 characters of A-Z, a-z, 0-9, _ and -" :
                "TargetCompID(56) must be " + new String(sender.ourCompId(), java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        logonCompId = msg.valueAsString(SENDER_COMP_ID);
        final long seq = msg.getLong(MSG_SEQ_NUM);
        final long heartBtInt = msg.getLong(HEART_BT_INT);
        final byte encrypt = msg.getChar(ENCRYPT_METHOD);
        final int password = msg.valueOffset(PASSWORD);
        // each problem named on its own: one list of every requirement left a client guessing which it had broken (an outside probe)
        final String fieldProblem =
            seq == FixMessage.NO_VALUE || seq < 1 || seq > Integer.MAX_VALUE ? "MsgSeqNum(34) must be a whole number from 1" :
            heartBtInt == FixMessage.NO_VALUE || heartBtInt < 1 || heartBtInt > ctx.maxHeartbeatIntervalSeconds() ?
                (msg.has(HEART_BT_INT) ? "HeartBtInt(108) must be 1.." : "HeartBtInt(108) missing: it must be 1..")
                + ctx.maxHeartbeatIntervalSeconds() + " seconds" :
            encrypt != '0' || msg.valueLength(ENCRYPT_METHOD) != 1 ?
                (msg.has(ENCRYPT_METHOD) ? "EncryptMethod(98) must be 0" : "EncryptMethod(98) missing: it must be 0") :
            user < 0 ? "Username(553) missing" :
            password < 0 ? "Password(554) missing" : null;
        if (fieldProblem != null)
        {
            handler.refuseLogon(this, Refusal.MALFORMED, user < 0 ? null : msg.valueAsString(USERNAME), "Logon: " + fieldProblem);
            return;
        }
        if (msg.valueLength(USERNAME) > 64 || msg.valueLength(PASSWORD) > 128)
        {
            // named as given: the audit keeps its first characters (SECURITY.md), so padding a name does not hide it
            handler.refuseLogon(this, Refusal.MALFORMED, msg.valueAsString(USERNAME), msg.valueLength(USERNAME) > 64
                ? "Username(553) longer than 64 characters" : "Password(554) longer than 128 characters");
            return;
        }
        final String headerProblem = logonHeaderProblem(nowMs);
        if (headerProblem != null)
        {
            // FIX checks every message's header, the Logon's too; a Logon has no session to Reject in yet
            handler.refuseLogon(this, Refusal.MALFORMED, msg.valueAsString(USERNAME), headerProblem);
            return;
        }
        if (!isBoolean(RESET_SEQ_NUM_FLAG))
        {
            handler.refuseLogon(this, Refusal.MALFORMED, msg.valueAsString(USERNAME), "ResetSeqNumFlag(141) must be Y or N");
            return;
        }
        final byte codFlag = msg.getChar(CANCEL_ON_DISCONNECT);
        if (msg.has(CANCEL_ON_DISCONNECT) && codFlag != 'Y' && codFlag != 'N')
        {
            handler.refuseLogon(this, Refusal.MALFORMED, msg.valueAsString(USERNAME),
                "CancelOnDisconnect(" + CANCEL_ON_DISCONNECT + ") must be Y or N");
            return;
        }
        logonCancelOnDisconnect = codFlag == 'Y' || (codFlag == 0 && ctx.cancelOnDisconnect());
        logonSeq = (int)seq;
        logonHeartBtInt = (int)heartBtInt;
        logonReset = msg.getChar(RESET_SEQ_NUM_FLAG) == 'Y';
        if (logonReset && seq != 1)
        {
            // FIX: a Logon that resets the sequence numbers is message 1 of the new sequence
            handler.refuseLogon(this, Refusal.MALFORMED, msg.valueAsString(USERNAME),
                "MsgSeqNum(34) must be 1 with ResetSeqNumFlag(141)=Y");
            return;
        }
        final char[] pw = new char[msg.valueLength(PASSWORD)];
        for (int i = 0; i < pw.length; i++)
        {
            pw[i] = (char)(msg.buffer().getByte(password + i) & 0xFF);
        }
        state = State.AUTHENTICATING;
        handler.onLogonRequest(this, msg, msg.valueAsString(USERNAME), pw);
    }

    /**
     * A Logon with ResetSeqNumFlag=Y and MsgSeqNum 1 on the logged-on session: checked as a Logon is
     * (its credentials are the session's already), then handed on; see {@link #sequenceResetAccepted}.
     */
    private void onResetLogon(final long nowMs)
    {
        if (!withinRate())
        {
            logOutOverTheRate(); // a session-level message like the others: resets (each journaled) cannot come faster than the rate
            return;
        }
        final long heartBtInt = msg.getLong(HEART_BT_INT);
        if (heartBtInt == FixMessage.NO_VALUE || heartBtInt < 1 || heartBtInt > ctx.maxHeartbeatIntervalSeconds() ||
            msg.getChar(ENCRYPT_METHOD) != '0' || msg.valueLength(ENCRYPT_METHOD) != 1)
        {
            logoutAndClose("Logon needs HeartBtInt(108) 1.." + ctx.maxHeartbeatIntervalSeconds() + " and EncryptMethod(98)=0");
            return;
        }
        final String headerProblem = logonHeaderProblem(nowMs);
        if (headerProblem != null)
        {
            logoutAndClose(headerProblem);
            return;
        }
        if (msg.has(USERNAME) && username != null && !msg.valueEquals(USERNAME, username.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        {
            // the credentials are not asked for again, but another user's name is no reset of this one's session (a probe's was taken silently)
            logoutAndClose("Logon: Username(553) is not this session's user");
            return;
        }
        logonHeartBtInt = (int)heartBtInt;
        logonReset = true;
        sequenceResetRequestedMs = Math.max(1, nowMs);
        handler.onSequenceResetRequest(this);
    }

    /**
     * The store was reset (both directions at 1, its messages dropped): the reply is a Logon with
     * ResetSeqNumFlag=Y as message 1, the counterparty's next message is 2, and reading goes on.
     */
    void sequenceResetAccepted(final long nowMs)
    {
        sequenceResetRequestedMs = 0;
        heartbeatMs = logonHeartBtInt * 1000;
        gap.reset();
        statusRequestIds.clear(); // their MsgSeqNums are the old numbering's: the new one's would find them
        lastReceivedMs = nowMs;
        testRequestSentMs = 0;
        sender.logonReply(this, logonHeartBtInt, true);
        store.nextInSeq(2);
        handler.onMessageHandled(this);
    }

    /** True while a resetting Logon on the logged-on session waits for its reset. */
    boolean isSequenceResetPending()
    {
        return sequenceResetRequestedMs != 0;
    }

    /**
     * The Logon was accepted: binds the session to its store and account, answers the Logon and,
     * if the counterparty is ahead, asks for what is missing.
     */
    void logonAccepted(
        final SessionStore store, final long accountId, final String username, final TokenBucket bucket, final TokenBucket userBucket,
        final long nowMs)
    {
        final int expected = store.nextInSeq();
        this.store = store;
        this.sessionId = store.sessionId();
        this.accountId = accountId;
        this.username = username;
        this.heartbeatMs = logonHeartBtInt * 1000;
        this.cancelOnDisconnect = logonCancelOnDisconnect;
        this.bucket = bucket;
        this.userBucket = userBucket;
        this.reserved = false;
        this.state = State.LOGGED_ON;
        this.lastReceivedMs = nowMs;
        sender.logonReply(this, logonHeartBtInt, logonReset);
        final String outboundExhausted = SequenceLimit.outboundProblem(store);
        if (outboundExhausted != null)
        {
            logoutAndClose(outboundExhausted); // a Logon without ResetSeqNumFlag: our numbers cannot go on
        }
        else if (logonSeq > expected)
        {
            gap.onLogonAhead(logonSeq, expected, nowMs);
            sender.resendRequest(this, expected);
        }
        else if (!takeInbound(expected))
        {
            return; // a Logon at 2147483647 without ResetSeqNumFlag: answered, then logged out
        }
        handler.onMessageHandled(this);
    }

    /**
     * The Logon was refused: the Logout (and the close) come after {@code refusedLogonHoldMs},
     * nothing more is read meanwhile, and the connection keeps counting against its address's
     * budget of connections not logged on. An attacker that reconnects when it is answered gets one
     * try per hold per connection it may hold, instead of as many as the gateway can refuse.
     */
    void logonRefusedLater(final String text, final long nowMs)
    {
        final long hold = ctx.refusedLogonHoldMs();
        if (hold <= 0)
        {
            logonRefused(text);
            return;
        }
        state = State.CONNECTED;
        reserved = false;
        pendingRefusal = text;
        refusalDueMs = nowMs + hold;
    }

    /** True while a refused Logon's answer is held back. */
    boolean isRefusalPending()
    {
        return pendingRefusal != null;
    }

    /** When a refused Logon's held-back answer is due (meaningful while {@link #isRefusalPending()}). */
    long refusalDueMs()
    {
        return refusalDueMs;
    }

    /** The Logon was refused: Logout with the reason (if it named a valid CompID), then close. */
    void logonRefused(final String text)
    {
        state = State.CONNECTED;
        reserved = false;
        if (refusedInSession != null)
        {
            sender.refuseLogonInSession(connection, text, refusedInSession);
            refusedInSession = null;
        }
        else
        {
            sender.refuseLogon(connection, text, logonCompId);
        }
    }

    /** The refusal that follows is of an authenticated Logon of this session (too low a MsgSeqNum): numbered in it. */
    void refuseInSession(final SessionStore store)
    {
        refusedInSession = store;
    }

    /**
     * A client that stopped reading is cut off: a last Logout saying so goes into the room kept
     * for it beyond the outbound limit (it arrives if the client ever reads that far), then the
     * connection closes.
     */
    void logoutSlowReader(final String text)
    {
        if (state == State.LOGGED_ON && !logoutSent)
        {
            sender.finalLogout(this, text);
            logoutSent = true;
        }
        connection.closeAfterFlush = true;
        connection.closeReason = text;
    }

    private void onLogout()
    {
        logoutAfterReports(null, "logout");
        handler.onLogout(this);
    }

    /** Sends Logout with a reason (if logged on) and closes once it is flushed. */
    void logoutAndClose(final String text)
    {
        if (state == State.LOGGED_ON && !logoutSent)
        {
            logoutAfterReports(text, text);
            return;
        }
        connection.closeAfterFlush = true;
        connection.closeReason = text;
    }

    /**
     * Nothing more is read; the Logout goes out once the reports of the commands read before it
     * have (a Logout is a session's last word: a client that closes on it, as QuickFIX/J does, lost
     * the acks of orders it sent in the same write, which came after it: an outside probe).
     */
    private void logoutAfterReports(final String text, final String closeReason)
    {
        connection.closeAfterFlush = true;
        connection.closeReason = closeReason;
        if (logoutSent || logoutDeferred)
        {
            return;
        }
        if (handler.reportsOutstanding(this))
        {
            logoutDeferred = true;
            deferredLogoutText = text;
            handler.onLogoutDeferred(this);
            return;
        }
        sender.logout(this, text);
        logoutSent = true;
    }

    /** Whether the Logout waits for reports still to come (the connection stays open meanwhile). */
    boolean isLogoutDeferred()
    {
        return logoutDeferred;
    }

    /** The deferred Logout: the reports it waited for are queued before it. */
    void sendDeferredLogout()
    {
        if (!logoutDeferred)
        {
            return;
        }
        logoutDeferred = false;
        if (state == State.LOGGED_ON && !logoutSent)
        {
            sender.logout(this, deferredLogoutText);
            logoutSent = true;
        }
        deferredLogoutText = null;
    }

    /**
     * A clean stop: Logout to a logged-on session; the counterparty's Logout reply is read before
     * closing, for at most {@link #LOGOUT_REPLY_TIMEOUT_MS} (then {@link #onTimer} closes it).
     */
    void logoutForShutdown(final String text)
    {
        if (state == State.LOGGED_ON && !logoutSent)
        {
            sender.logout(this, text);
            logoutSent = true;
            awaitingLogoutSinceMs = Math.max(1, lastSentMs);
        }
        else if (state != State.LOGGED_ON)
        {
            connection.closeAfterFlush = true;
            connection.closeReason = text;
        }
    }

    // ------------------------------------------------------------------ sequence management

    /** A message above the expected MsgSeqNum (dropped: the counterparty sends it again); see {@link InboundGap}. */
    private void onTooHigh(final int seq, final int expected, final long nowMs)
    {
        final int from = gap.onTooHigh(seq, expected, msg.getChar(POSS_DUP_FLAG) != 'Y', nowMs);
        if (from > 0)
        {
            sender.resendRequest(this, from);
        }
    }

    /**
     * An open gap whose resend has not moved for a HeartBtInt (the time a TestRequest's answer
     * gets) is asked for again, and after a few requests without an answer the session is logged
     * out ({@link InboundGap}). Returns true if it did something.
     */
    private boolean checkResend(final long nowMs)
    {
        if (store == null)
        {
            return false;
        }
        final int expected = store.nextInSeq();
        final int from = gap.onTimer(expected, nowMs, heartbeatMs);
        if (from == InboundGap.GIVE_UP)
        {
            logoutAndClose("MsgSeqNum " + expected + " to " + gap.requestedUpTo() + " not resent: " + gap.unanswered()
                + " ResendRequests unanswered");
            return true;
        }
        if (from > 0)
        {
            sender.resendRequest(this, from);
            return true;
        }
        return false;
    }

    /** Whether {@link #onResendRequest} would serve this ResendRequest rather than reject it. */
    private boolean resendRequestIsWellFormed()
    {
        final long begin = msg.getLong(BEGIN_SEQ_NO);
        final long end = msg.getLong(END_SEQ_NO);
        return begin != FixMessage.NO_VALUE && end != FixMessage.NO_VALUE && begin >= 1 && (end == 0 || end >= begin)
            && begin <= store.nextOutSeq() - 1;
    }

    private void onResendRequest(final int seq)
    {
        final long begin = msg.getLong(BEGIN_SEQ_NO);
        final long endRequested = msg.getLong(END_SEQ_NO);
        final int last = store.nextOutSeq() - 1;
        final int missing = !msg.has(BEGIN_SEQ_NO) ? BEGIN_SEQ_NO : !msg.has(END_SEQ_NO) ? END_SEQ_NO : 0;
        if (missing != 0)
        {
            sender.sessionReject(this, seq, msg, missing, REJECT_REQUIRED_TAG_MISSING,
                (missing == BEGIN_SEQ_NO ? "BeginSeqNo(7)" : "EndSeqNo(16)") + " missing");
            return;
        }
        if (begin == FixMessage.NO_VALUE || endRequested == FixMessage.NO_VALUE)
        {
            sender.sessionReject(this, seq, msg, begin == FixMessage.NO_VALUE ? BEGIN_SEQ_NO : END_SEQ_NO,
                REJECT_INCORRECT_DATA_FORMAT, begin == FixMessage.NO_VALUE ? "BeginSeqNo(7) must be a whole number from 1 to 2147483647"
                : "EndSeqNo(16) must be a whole number from 0 to 2147483647"); // a 19-digit number is as out of range as a word
            return;
        }
        if (begin < 1)
        {
            sender.sessionReject(this, seq, msg, BEGIN_SEQ_NO, REJECT_VALUE_INCORRECT, "BeginSeqNo(7) must be at least 1");
            return;
        }
        if (endRequested != 0 && endRequested < begin)
        {
            sender.sessionReject(this, seq, msg, END_SEQ_NO, REJECT_VALUE_INCORRECT, "EndSeqNo(16) must be 0 or at least BeginSeqNo(7)");
            return;
        }
        if (begin > last)
        {
            // nothing of it was ever sent: say so rather than leave the counterparty waiting for a resend
            sender.sessionReject(this, seq, msg, BEGIN_SEQ_NO, REJECT_VALUE_INCORRECT,
                "BeginSeqNo(7) is after the last message sent, " + last);
            return;
        }
        final int end = endRequested == 0 || endRequested > last ? last : (int)endRequested;
        if (begin <= end)
        {
            sender.resend(this, (int)begin, end);
        }
        if (store.firstNumberHere() > 0)
        {
            handler.onFirstResendAfterTakeover(this, (int)begin); // whatever it asks for: the takeover's replay starts
        }
    }

    private void onGapFill(final int seq)
    {
        final long newSeq = msg.getLong(NEW_SEQ_NO);
        if (!msg.has(NEW_SEQ_NO))
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_REQUIRED_TAG_MISSING, "NewSeqNo(36) missing");
            return;
        }
        if (newSeq == FixMessage.NO_VALUE)
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_INCORRECT_DATA_FORMAT, "NewSeqNo(36) must be a whole number up to 2147483647");
            return;
        }
        if (newSeq <= seq || newSeq > Integer.MAX_VALUE)
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_VALUE_INCORRECT, "NewSeqNo(36) must be above MsgSeqNum");
            return;
        }
        store.nextInSeq((int)newSeq);
    }

    private void onSequenceResetReset(final int seq)
    {
        final long newSeq = msg.getLong(NEW_SEQ_NO);
        final int expected = store.nextInSeq();
        if (!msg.has(NEW_SEQ_NO))
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_REQUIRED_TAG_MISSING, "NewSeqNo(36) missing");
            return;
        }
        if (newSeq == FixMessage.NO_VALUE)
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_INCORRECT_DATA_FORMAT, "NewSeqNo(36) must be a whole number up to 2147483647");
            return;
        }
        if (newSeq < expected || newSeq > Integer.MAX_VALUE)
        {
            sender.sessionReject(this, seq, msg, NEW_SEQ_NO, REJECT_VALUE_INCORRECT, newSeq < expected ? "NewSeqNo(36) below the expected MsgSeqNum"
                : "NewSeqNo(36) above the largest MsgSeqNum, 2147483647");
            return;
        }
        store.nextInSeq((int)newSeq);
        handler.onMessageHandled(this);
    }

    // ------------------------------------------------------------------ timers

    /** Logon timeout, heartbeats and test requests; returns 1 if it did something. */
    int onTimer(final long nowMs)
    {
        if (connection.closeAfterFlush)
        {
            return 0;
        }
        if (pendingRefusal != null)
        {
            if (nowMs < refusalDueMs)
            {
                return 0;
            }
            final String text = pendingRefusal;
            pendingRefusal = null;
            logonRefused(text);
            return 1;
        }
        if (state == State.CONNECTED || state == State.AUTHENTICATING)
        {
            final long connectedFor = nowMs - connection.connectedAtMs;
            if (state == State.CONNECTED && !connection.bytesReceived && connectedFor > ctx.firstBytesTimeoutMs())
            {
                handler.onAbuse(this, Refusal.FIRST_BYTES_TIMEOUT, null);
                handler.close(this, "nothing received within " + ctx.firstBytesTimeoutMs() + " ms");
                return 1;
            }
            if (connectedFor > ctx.logonTimeoutMs())
            {
                handler.onAbuse(this, Refusal.LOGON_TIMEOUT, state == State.AUTHENTICATING ? "credentials still being checked" : null);
                if (state == State.AUTHENTICATING)
                {
                    // it named a CompID: tell it why, and that the wait was ours (e.g. a cluster without a leader), not its
                    logonRefused("Logon not confirmed within " + ctx.logonTimeoutMs()
                        + " ms: the exchange did not answer in time, try again");
                }
                else
                {
                    handler.close(this, "no Logon within " + ctx.logonTimeoutMs() + " ms");
                }
                return 1;
            }
            return 0;
        }
        if (state != State.LOGGED_ON)
        {
            return 0;
        }
        if (sequenceResetRequestedMs != 0 && nowMs - sequenceResetRequestedMs > ctx.logonTimeoutMs())
        {
            // the last numbering's commands never all reached the journal (it failed?): no reset on a guess
            logoutAndClose("sequence reset not confirmed within " + ctx.logonTimeoutMs() + " ms");
            return 1;
        }
        if (awaitingLogoutSinceMs != 0 && nowMs - awaitingLogoutSinceMs > LOGOUT_REPLY_TIMEOUT_MS)
        {
            // a counterparty that never answers our Logout is not left logged on until its heartbeats stop
            logoutAndClose(NO_LOGOUT_REPLY);
            return 1;
        }
        if (testRequestSentMs != 0 && nowMs - testRequestSentMs > heartbeatMs)
        {
            handler.onAbuse(this, Refusal.HEARTBEAT_TIMEOUT, null);
            logoutAndClose("heartbeat timeout");
            return 1;
        }
        if (checkResend(nowMs))
        {
            return 1;
        }
        if (testRequestSentMs == 0 && nowMs - lastReceivedMs > heartbeatMs + heartbeatMs / 5)
        {
            sender.testRequest(this);
            testRequestSentMs = nowMs;
            return 1;
        }
        if (nowMs - lastSentMs >= heartbeatMs)
        {
            sender.heartbeat(this, null);
            return 1;
        }
        return 0;
    }
}
