package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixTime;
import dev.bourse.gateway.fix.FixWriter;
import dev.bourse.gateway.store.SessionStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.bourse.gateway.fix.FixTags.*;

/**
 * Writes FIX messages for sessions (artio's SessionProxy): the standard header, the store append
 * that gives a message its outbound MsgSeqNum and keeps it for resends, and the hand-over to the
 * connection. One instance per gateway; gateway thread only; allocation free.
 * <p>
 * A stored message is written in two steps: {@link #header} opens it (the caller then adds body
 * fields to {@link #writer()}), {@link #send} closes, stores and queues it.
 */
final class SessionSender
{
    /** What to do with a connection whose client stopped reading. */
    interface SlowReaderHandler
    {
        void onSlowReader(FixSession session);
    }

    private static final byte[] TEST_REQ_ID_VALUE = "TEST".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final FixWriter writer;
    private final byte[] ourCompId;
    private final GatewayCounters counters;
    private final UnsafeBuffer typeScratch = new UnsafeBuffer(new byte[4]);
    private SlowReaderHandler slowReaderHandler;
    private OutboundReservations reservations;
    private boolean possResend;
    private long nowMs;

    SessionSender(final int maxMessageSize, final byte[] ourCompId, final GatewayCounters counters)
    {
        this.writer = new FixWriter(Math.max(maxMessageSize, 1024) + 512);
        this.ourCompId = ourCompId;
        this.counters = counters;
    }

    void slowReaderHandler(final SlowReaderHandler handler)
    {
        this.slowReaderHandler = handler;
    }

    /** With session handover on: told of every stored message, to keep the numbers reserved ahead. */
    void reservations(final OutboundReservations reservations)
    {
        this.reservations = reservations;
    }

    /**
     * Marks what is written next PossResend (97=Y): reports sent again, under new numbers, to a
     * session taken over from another gateway, which may have sent them already.
     */
    void possResend(final boolean value)
    {
        this.possResend = value;
    }

    /** The time SendingTime says for what is written next (the duty cycle's clock reading). */
    void now(final long epochMs)
    {
        this.nowMs = epochMs;
    }

    long nowMs()
    {
        return nowMs;
    }

    /**
     * SendingTime is never earlier than the time of what the message reports: TransactTime comes from
     * the command clock (monotonic, set to the epoch once), SendingTime from the wall clock read each
     * duty cycle, and a step of the wall clock put a report's SendingTime 15 ms before its own
     * TransactTime (an outside tester).
     */
    void notBefore(final long epochMs)
    {
        if (epochMs > nowMs)
        {
            nowMs = epochMs;
        }
    }

    FixWriter writer()
    {
        return writer;
    }

    byte[] ourCompId()
    {
        return ourCompId;
    }

    // ------------------------------------------------------------------ stored messages

    /** Opens a stored message: standard header with MsgSeqNum = the store's next. */
    FixWriter header(final SessionStore store, final byte type0, final byte type1)
    {
        writer.begin().tag(MSG_TYPE).raw(msgType(type0, type1), 0, type1 == 0 ? 2 : 3)
            .field(SENDER_COMP_ID, ourCompId).field(TARGET_COMP_ID, store.compIdBytes()).field(MSG_SEQ_NUM, store.nextOutSeq());
        if (possResend)
        {
            writer.charField(POSS_RESEND, (byte)'Y');
            possResend = false; // one message at a time
        }
        writer.timestamp(SENDING_TIME, nowMs).markHeaderEnd();
        return writer;
    }

    /**
     * Closes the message opened with {@link #header}, stores it (advancing the outbound MsgSeqNum)
     * and queues it on the session if it is connected; a session that is away gets it on resend
     * after its next Logon.
     */
    void send(final FixSession session, final SessionStore store, final byte type0, final byte type1)
    {
        writer.finish();
        // SendingTime sits just before the header end: "52=" + 21 bytes + SOH
        final int timeOffset = writer.bodyOffset() - 1 - FixTime.LENGTH;
        // a session-level message is never resent (a gap fill stands for it): only its number and type
        // are kept, so a client asking for heartbeats with big TestReqIDs cannot grow the store by them
        store.append(store.nextOutSeq(), type0, type1, writer.buffer(), timeOffset, writer.buffer(), writer.bodyOffset(),
            isAdmin(type0, type1) ? 0 : writer.bodyLength());
        counters.messagesOut.incrementRelease();
        if (reservations != null)
        {
            reservations.onSent(store);
        }
        if (session != null)
        {
            transmit(session);
        }
    }

    /** Queues what the writer holds on the session's connection; a client that stopped reading is cut off. */
    void transmit(final FixSession session)
    {
        if (session.isClosed())
        {
            return;
        }
        final Connection connection = session.connection;
        if (!connection.enqueue(writer.buffer(), writer.offset(), writer.length()))
        {
            counters.slowReaders.incrementRelease();
            slowReaderHandler.onSlowReader(session);
            return;
        }
        session.lastSentMs = nowMs;
    }

    // ------------------------------------------------------------------ session-level messages

    void logonReply(final FixSession s, final int heartBtInt, final boolean reset)
    {
        header(s.store, LOGON, (byte)0).field(ENCRYPT_METHOD, 0).field(HEART_BT_INT, heartBtInt);
        if (reset)
        {
            writer.charField(RESET_SEQ_NUM_FLAG, (byte)'Y');
        }
        send(s, s.store, LOGON, (byte)0);
    }

    void logout(final FixSession s, final CharSequence text)
    {
        header(s.store, LOGOUT, (byte)0);
        if (text != null)
        {
            writer.field(TEXT, text);
        }
        send(s, s.store, LOGOUT, (byte)0);
    }

    /**
     * The Logout to a client cut off for not reading: stored like any message, queued in the room
     * the connection keeps beyond its limit (best effort: it arrives only if the client reads up to it).
     */
    void finalLogout(final FixSession s, final CharSequence text)
    {
        header(s.store, LOGOUT, (byte)0).field(TEXT, text);
        writer.finish();
        final int timeOffset = writer.bodyOffset() - 1 - FixTime.LENGTH;
        s.store.append(s.store.nextOutSeq(), LOGOUT, (byte)0, writer.buffer(), timeOffset, writer.buffer(), writer.bodyOffset(), 0);
        counters.messagesOut.incrementRelease();
        if (reservations != null)
        {
            reservations.onSent(s.store);
        }
        if (!s.isClosed() && s.connection.enqueueFinal(writer.buffer(), writer.offset(), writer.length()))
        {
            s.lastSentMs = nowMs;
        }
    }

    void heartbeat(final FixSession s, final FixMessage testRequest)
    {
        header(s.store, HEARTBEAT, (byte)0);
        if (testRequest != null)
        {
            final int id = testRequest.valueOffset(TEST_REQ_ID);
            if (id >= 0)
            {
                writer.field(TEST_REQ_ID, testRequest.buffer(), id, testRequest.valueLength(TEST_REQ_ID));
            }
        }
        send(s, s.store, HEARTBEAT, (byte)0);
    }

    void testRequest(final FixSession s)
    {
        header(s.store, TEST_REQUEST, (byte)0).field(TEST_REQ_ID, TEST_REQ_ID_VALUE);
        send(s, s.store, TEST_REQUEST, (byte)0);
    }

    /**
     * A ResendRequest from {@code from} to the end. The expected MsgSeqNum it is sent from is always 1
     * to 2147483647 ({@link SequenceLimit}); a BeginSeqNo below 1 is nothing a counterparty could
     * answer, and is never sent (a wrapped expected number asked for 7=-2147483648).
     */
    void resendRequest(final FixSession s, final int from)
    {
        if (from < 1)
        {
            return;
        }
        header(s.store, RESEND_REQUEST, (byte)0).field(BEGIN_SEQ_NO, from).field(END_SEQ_NO, 0);
        send(s, s.store, RESEND_REQUEST, (byte)0);
    }

    /** Session-level Reject (3). {@code m} may be null when the message could not be parsed. */
    void sessionReject(final FixSession s, final int refSeq, final FixMessage m, final int refTag, final int reason, final String text)
    {
        counters.sessionRejects.incrementRelease();
        header(s.store, REJECT, (byte)0).field(REF_SEQ_NUM, refSeq);
        if (refTag > 0)
        {
            writer.field(REF_TAG_ID, refTag);
        }
        if (m != null && m.fieldCount() > 2)
        {
            writer.field(REF_MSG_TYPE, m.buffer(), m.valueOffsetAt(2), m.valueLengthAt(2));
        }
        writer.field(SESSION_REJECT_REASON, reason).field(TEXT, text);
        send(s, s.store, REJECT, (byte)0);
    }

    /** BusinessMessageReject (j) answering {@code m}, with its ClOrdID as the reference when it has one. */
    void businessReject(final FixSession s, final FixMessage m, final int refSeq, final int reason, final CharSequence text)
    {
        header(s.store, BUSINESS_MESSAGE_REJECT, (byte)0).field(REF_SEQ_NUM, refSeq)
            .field(REF_MSG_TYPE, m.buffer(), m.valueOffsetAt(2), m.valueLengthAt(2));
        // the referenced message's own business-level id: a status request's is its OrdStatusReqID when it has one
        final int refTag = m.msgTypeLength() == 1 && m.msgType() == ORDER_STATUS_REQUEST && m.valueLength(ORD_STATUS_REQ_ID) > 0
            ? ORD_STATUS_REQ_ID : CL_ORD_ID;
        final int refId = m.valueOffset(refTag);
        if (refId >= 0 && m.valueLength(refTag) > 0)
        {
            writer.field(BUSINESS_REJECT_REF_ID, m.buffer(), refId, m.valueLength(refTag));
        }
        writer.field(BUSINESS_REJECT_REASON, reason).field(TEXT, text);
        send(s, s.store, BUSINESS_MESSAGE_REJECT, (byte)0);
    }

    /** Logout to a client that is not logged on: MsgSeqNum 1, nothing stored; the connection then closes. */
    void refuseLogon(final Connection connection, final String text, final String theirCompId)
    {
        if (theirCompId != null)
        {
            writer.begin().charField(MSG_TYPE, LOGOUT).field(SENDER_COMP_ID, ourCompId).field(TARGET_COMP_ID, theirCompId)
                .field(MSG_SEQ_NUM, 1).timestamp(SENDING_TIME, nowMs).markHeaderEnd().field(TEXT, text).finish();
            connection.enqueue(writer.buffer(), writer.offset(), writer.length());
        }
        connection.closeAfterFlush = true;
        connection.closeReason = text;
    }

    /**
     * The Logout refusing an authenticated Logon whose MsgSeqNum is too low: the session exists, so it
     * is numbered and stored as the session's next message (34=1 said nothing a client could check).
     */
    void refuseLogonInSession(final Connection connection, final String text, final SessionStore store)
    {
        header(store, LOGOUT, (byte)0).field(TEXT, text);
        send(null, store, LOGOUT, (byte)0);
        connection.enqueue(writer.buffer(), writer.offset(), writer.length());
        connection.closeAfterFlush = true;
        connection.closeReason = text;
    }

    // ------------------------------------------------------------------ resend

    /**
     * Answers a ResendRequest for [begin, end] from the store: application messages again with
     * PossDupFlag and OrigSendingTime, runs of session messages (and anything not stored, or rolled
     * off the store) as SequenceReset-GapFill.
     */
    void resend(final FixSession s, final int begin, final int end)
    {
        final SessionStore store = s.store;
        int gapStart = 0;
        for (int n = begin; n <= end; n++)
        {
            final long position = store.find(n);
            final DirectBuffer stored = store.messagesAt(position);
            final boolean admin = position < 0 || isAdmin(SessionStore.msgType0(stored, position), SessionStore.msgType1(stored, position));
            if (admin)
            {
                if (gapStart == 0)
                {
                    gapStart = n;
                }
                continue;
            }
            if (gapStart != 0)
            {
                gapFill(s, gapStart, n);
                gapStart = 0;
            }
            final byte t0 = SessionStore.msgType0(stored, position);
            final byte t1 = SessionStore.msgType1(stored, position);
            writer.begin().tag(MSG_TYPE).raw(msgType(t0, t1), 0, t1 == 0 ? 2 : 3)
                .field(SENDER_COMP_ID, ourCompId).field(TARGET_COMP_ID, store.compIdBytes()).field(MSG_SEQ_NUM, n)
                .charField(POSS_DUP_FLAG, (byte)'Y').timestamp(SENDING_TIME, nowMs)
                .field(ORIG_SENDING_TIME, stored, SessionStore.sendingTimeOffset(position), SessionStore.SENDING_TIME_LENGTH)
                .markHeaderEnd()
                .raw(stored, SessionStore.bodyOffset(position), SessionStore.bodyLength(stored, position))
                .finish();
            transmit(s);
        }
        if (gapStart != 0)
        {
            gapFill(s, gapStart, end + 1);
        }
    }

    private void gapFill(final FixSession s, final int seq, final int newSeq)
    {
        writer.begin().charField(MSG_TYPE, SEQUENCE_RESET).field(SENDER_COMP_ID, ourCompId).field(TARGET_COMP_ID, s.store.compIdBytes())
            .field(MSG_SEQ_NUM, seq).charField(POSS_DUP_FLAG, (byte)'Y').timestamp(SENDING_TIME, nowMs).timestamp(ORIG_SENDING_TIME, nowMs)
            .markHeaderEnd().charField(GAP_FILL_FLAG, (byte)'Y').field(NEW_SEQ_NO, newSeq).finish();
        transmit(s);
    }

    private static boolean isAdmin(final byte t0, final byte t1)
    {
        return t1 == 0 && (t0 == HEARTBEAT || t0 == TEST_REQUEST || t0 == RESEND_REQUEST || t0 == SEQUENCE_RESET ||
            t0 == LOGOUT || t0 == LOGON);
    }

    /** "t0[t1]" followed by SOH, as the raw value of tag 35. */
    private DirectBuffer msgType(final byte t0, final byte t1)
    {
        typeScratch.putByte(0, t0);
        if (t1 == 0)
        {
            typeScratch.putByte(1, (byte)1);
        }
        else
        {
            typeScratch.putByte(1, t1);
            typeScratch.putByte(2, (byte)1);
        }
        return typeScratch;
    }
}
