package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixTime;
import dev.bourse.gateway.fix.FixWriter;
import dev.bourse.gateway.store.GatewayState;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The FIX session layer and order entry, independent of sockets: bytes in through
 * {@link #onInbound}, bytes out queued on each {@link Session}, commands out to the sequencer,
 * execution reports in from the journal tailer ({@link ExecutionReports}). Gateway thread only.
 */
public final class SessionManager implements AutoCloseable
{

    private final GatewayContext ctx;
    private final CommandSequencer sequencer;
    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final Authenticator authenticator;
    private final GatewayState gatewayState;
    private final byte[] ourCompId;
    private final FixFramer framer;
    private final FixMessage msg = new FixMessage();
    final FixWriter writer;
    private final CommandWriter commands = new CommandWriter();
    private final PendingCommands pending = new PendingCommands(4096, CommandWriter.MAX_COMMAND_LENGTH);
    private final AsciiSequenceView clOrdIdView = new AsciiSequenceView();
    private final AsciiSequenceView origClOrdIdView = new AsciiSequenceView();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
    final Instruments instruments = new Instruments();
    final ExecutionReports reports;

    private final List<Session> connections = new ArrayList<>();
    private final List<Session> closed = new ArrayList<>();
    private final Int2ObjectHashMap<Session> online = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<SessionStore> storesById = new Int2ObjectHashMap<>();
    private final Map<String, SessionStore> storesByCompId = new HashMap<>();
    private final Map<String, Integer> compIdsByUser = new HashMap<>();
    private int nextConnectionId = 1;
    private long nowMs;
    private long lastTimerCheckMs;

    // counters (gateway thread only; read them for tests and metrics)
    long garbled;
    long sessionRejects;
    long busyRejects;
    long throttled;
    long slowReaders;

    public SessionManager(
        final GatewayContext ctx,
        final CommandSequencer sequencer,
        final JournalTailer tailer,
        final EpochClock clock,
        final NanoClock nanoClock,
        final Executor authExecutor)
    {
        ctx.conclude();
        this.ctx = ctx;
        this.sequencer = sequencer;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.ourCompId = ctx.compId().getBytes(StandardCharsets.US_ASCII);
        this.framer = new FixFramer(ctx.maxMessageSize());
        this.writer = new FixWriter(Math.max(ctx.maxMessageSize(), 1024) + 512);
        this.authenticator = new Authenticator(ctx.credentials(), authExecutor, ctx.lockoutFailures(), ctx.lockoutDurationMs());
        this.gatewayState = new GatewayState(ctx.sessionDir());
        loadStores();
        this.reports = new ExecutionReports(this, tailer, gatewayState);
        this.nowMs = clock.time();
    }

    private void loadStores()
    {
        try (Stream<Path> dirs = Files.list(ctx.sessionDir()))
        {
            for (final Path dir : (Iterable<Path>)dirs::iterator)
            {
                if (Files.isDirectory(dir) && Files.exists(dir.resolve("state")))
                {
                    final SessionStore store = SessionStore.open(ctx.sessionDir(), dir.getFileName().toString(), 1 << 20);
                    if (store.isInitialised())
                    {
                        storesById.put(store.sessionId(), store);
                        storesByCompId.put(store.compId(), store);
                        compIdsByUser.merge(store.username(), 1, Integer::sum);
                        gatewayState.sessionIdSeen(store.sessionId());
                    }
                    else
                    {
                        store.close();
                    }
                }
            }
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException("cannot read FIX session directory " + ctx.sessionDir() + ": " + e.getMessage(), e);
        }
    }

    public List<Session> connections()
    {
        return connections;
    }

    /** Sessions closed since the agent last looked; it closes their sockets and clears the list. */
    public List<Session> closedSessions()
    {
        return closed;
    }

    public int connectionCount()
    {
        return connections.size();
    }

    public long busyRejects()
    {
        return busyRejects;
    }

    public long throttledCount()
    {
        return throttled;
    }

    /** Connections cut because their client stopped reading. */
    public long slowReaderDisconnects()
    {
        return slowReaders;
    }

    public long sessionRejects()
    {
        return sessionRejects;
    }

    public long garbledCount()
    {
        return garbled;
    }

    // ------------------------------------------------------------------ connections

    /** A new connection (channel may be null for in-process use). */
    public Session open(final java.nio.channels.SocketChannel channel)
    {
        nowMs = clock.time();
        final Session session = new Session(nextConnectionId++, channel, ctx.maxMessageSize(), ctx.outboundBufferLimit(), nowMs);
        connections.add(session);
        return session;
    }

    /** Feeds bytes (tests and fuzzing) as if read from the socket; returns false if they did not fit. */
    public boolean receive(final Session session, final DirectBuffer src, final int offset, final int length)
    {
        final java.nio.ByteBuffer in = session.inbound;
        if (in.remaining() < length)
        {
            return false;
        }
        session.inboundView.putBytes(in.position(), src, offset, length);
        in.position(in.position() + length);
        onInbound(session);
        return true;
    }

    /** Processes whatever whole messages sit in the session's inbound buffer. */
    public void onInbound(final Session s)
    {
        nowMs = clock.time();
        final java.nio.ByteBuffer in = s.inbound;
        final UnsafeBuffer view = s.inboundView;
        int position = s.inboundStart;
        final int end = in.position();
        while (position < end && s.state != Session.State.CLOSED && s.state != Session.State.AUTHENTICATING && !s.closeAfterFlush)
        {
            final int length = framer.frame(view, position, end - position);
            if (length == FixFramer.NEED_MORE)
            {
                break;
            }
            if (length == FixFramer.TOO_BIG)
            {
                logoutAndClose(s, "message exceeds the maximum size of " + ctx.maxMessageSize() + " bytes");
                position = end;
                break;
            }
            if (length == FixFramer.GARBLED || length == FixFramer.BAD_CHECKSUM)
            {
                garbled++;
                if (s.state != Session.State.LOGGED_ON)
                {
                    close(s, "garbled data before logon");
                    position = end;
                    break;
                }
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
            onMessage(s, view, position, length);
            position += length;
        }
        // compact
        if (position >= end)
        {
            in.clear();
            s.inboundStart = 0;
        }
        else if (position > 0 && (in.remaining() < ctx.maxMessageSize() || s.state == Session.State.AUTHENTICATING))
        {
            final int remaining = end - position;
            view.putBytes(0, view, position, remaining);
            in.position(remaining);
            s.inboundStart = 0;
        }
        else
        {
            s.inboundStart = position;
        }
    }

    private void onMessage(final Session s, final DirectBuffer buffer, final int offset, final int length)
    {
        s.lastReceivedMs = nowMs;
        s.testRequestSentMs = 0;
        final int parsed = msg.parse(buffer, offset, length);
        if (s.state == Session.State.CONNECTED)
        {
            if (parsed != FixMessage.OK || msg.msgTypeLength() != 1 || msg.msgType() != 'A')
            {
                close(s, "first message is not a valid Logon");
                return;
            }
            onLogon(s);
            return;
        }
        final long seqValue = msg.getLong(34);
        if (seqValue == FixMessage.NO_VALUE || seqValue < 1 || seqValue > Integer.MAX_VALUE)
        {
            if (parsed != FixMessage.OK)
            {
                garbled++;
                return;
            }
            logoutAndClose(s, "MsgSeqNum(34) missing or invalid");
            return;
        }
        final int seq = (int)seqValue;
        final int expected = s.store.nextInSeq();
        if (parsed != FixMessage.OK)
        {
            if (seq == expected)
            {
                s.store.nextInSeq(expected + 1);
            }
            final int reason = parsed == FixMessage.EMPTY_VALUE ? 4 : parsed == FixMessage.MSG_TYPE_NOT_THIRD ? 14 :
                parsed == FixMessage.TOO_MANY_FIELDS ? 99 : 0;
            sessionReject(s, seq, null, msg.errorTag(), reason, parseProblem(parsed));
            return;
        }
        if (!msg.valueEquals(49, s.store.compIdBytes()) || !msg.valueEquals(56, ourCompId))
        {
            sessionReject(s, seq, msg, msg.valueEquals(49, s.store.compIdBytes()) ? 56 : 49, 9, "CompID problem");
            logoutAndClose(s, "CompID problem");
            return;
        }
        final byte type = msg.msgTypeLength() == 1 ? msg.msgType() : 0;
        if (type == '4' && msg.getChar(123) != 'Y')
        {
            onSequenceResetReset(s, seq);
            return;
        }
        if (seq > expected)
        {
            if (type == '5')
            {
                onLogout(s);
                return;
            }
            if (type == '2')
            {
                onResendRequest(s, seq);
            }
            if (s.resendRequestedUpTo < seq)
            {
                sendResendRequest(s, expected);
                s.resendRequestedUpTo = seq;
            }
            return;
        }
        final boolean possDup = msg.getChar(43) == 'Y';
        if (seq < expected)
        {
            if (!possDup)
            {
                logoutAndClose(s, "MsgSeqNum too low");
            }
            return;
        }
        s.store.nextInSeq(expected + 1);
        if (!checkSendingTime(s, seq, possDup))
        {
            return;
        }
        if (type == 0)
        {
            businessReject(s, seq, 3, "unsupported message type", null, 0, 0);
            return;
        }
        switch (type)
        {
            case '0':
            case '3':
                break;
            case '1':
                onTestRequest(s);
                break;
            case '2':
                onResendRequest(s, seq);
                break;
            case '4':
                onGapFill(s, seq);
                break;
            case '5':
                onLogout(s);
                break;
            case 'A':
                logoutAndClose(s, "Logon received on a logged-on session");
                break;
            case 'D':
            case 'F':
            case 'G':
            case 'q':
            case 'H':
                onApplication(s, seq, type);
                break;
            default:
                businessReject(s, seq, 3, "unsupported message type", null, 0, 0);
                break;
        }
    }

    private static String parseProblem(final int parsed)
    {
        switch (parsed)
        {
            case FixMessage.EMPTY_VALUE:
                return "tag specified without a value";
            case FixMessage.TOO_MANY_FIELDS:
                return "too many fields";
            case FixMessage.MSG_TYPE_NOT_THIRD:
                return "MsgType(35) must be the third field";
            default:
                return "invalid tag number";
        }
    }

    private boolean checkSendingTime(final Session s, final int seq, final boolean possDup)
    {
        final int offset = msg.valueOffset(52);
        if (offset < 0)
        {
            sessionReject(s, seq, msg, 52, 1, "SendingTime(52) missing");
            return false;
        }
        final long sent = FixTime.parse(msg.buffer(), offset, msg.valueLength(52));
        if (sent == FixTime.INVALID)
        {
            sessionReject(s, seq, msg, 52, 6, "SendingTime(52) is not a UTCTimestamp");
            return false;
        }
        if (possDup)
        {
            if (!msg.has(122))
            {
                sessionReject(s, seq, msg, 122, 1, "OrigSendingTime(122) required with PossDupFlag");
                return false;
            }
            return true;
        }
        if (Math.abs(sent - nowMs) > ctx.sendingTimeToleranceMs())
        {
            sessionReject(s, seq, msg, 52, 10, "SendingTime accuracy problem");
            logoutAndClose(s, "SendingTime accuracy problem");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ logon / logout

    private void onLogon(final Session s)
    {
        final int sender = msg.valueOffset(49);
        if (sender < 0 || !SessionStore.isValidCompId(msg.buffer(), sender, msg.valueLength(49)) || !msg.valueEquals(56, ourCompId))
        {
            close(s, "Logon with invalid CompIDs");
            return;
        }
        final long seq = msg.getLong(34);
        final long heartBtInt = msg.getLong(108);
        final byte encrypt = msg.getChar(98);
        final int user = msg.valueOffset(553);
        final int password = msg.valueOffset(554);
        if (seq == FixMessage.NO_VALUE || seq < 1 || seq > Integer.MAX_VALUE ||
            heartBtInt == FixMessage.NO_VALUE || heartBtInt < 1 || heartBtInt > ctx.maxHeartbeatIntervalSeconds() ||
            (encrypt != 0 && encrypt != '0') || user < 0 || password < 0 || msg.valueLength(553) > 64 || msg.valueLength(554) > 128)
        {
            refuseLogon(s, "Logon needs MsgSeqNum, HeartBtInt(108) 1.." + ctx.maxHeartbeatIntervalSeconds() +
                ", EncryptMethod(98)=0, Username(553) and Password(554)", msg.valueAsString(49));
            return;
        }
        final byte codFlag = msg.getChar(GatewayTags.CANCEL_ON_DISCONNECT);
        if (msg.has(GatewayTags.CANCEL_ON_DISCONNECT) && codFlag != 'Y' && codFlag != 'N')
        {
            refuseLogon(s, "CancelOnDisconnect(" + GatewayTags.CANCEL_ON_DISCONNECT + ") must be Y or N", msg.valueAsString(49));
            return;
        }
        s.logonCancelOnDisconnect = codFlag == 'Y' || (codFlag == 0 && ctx.cancelOnDisconnect());
        s.logonCompId = msg.valueAsString(49);
        s.logonSeq = (int)seq;
        s.logonHeartBtInt = (int)heartBtInt;
        s.logonReset = msg.getChar(141) == 'Y';
        final String username = msg.valueAsString(553);
        if (authenticator.isLockedOut(username, nowMs))
        {
            audit(0, 0, AuditType.LOCKED_OUT, 0, username);
            refuseLogon(s, "logon refused", s.logonCompId);
            return;
        }
        final char[] pw = new char[msg.valueLength(554)];
        for (int i = 0; i < pw.length; i++)
        {
            pw[i] = (char)(msg.buffer().getByte(password + i) & 0xFF);
        }
        s.state = Session.State.AUTHENTICATING;
        if (!authenticator.submit(s, username, pw))
        {
            s.state = Session.State.CONNECTED;
            refuseLogon(s, "logon refused: gateway busy", s.logonCompId);
        }
    }

    private void onAuthenticated(final Authenticator.Result result)
    {
        final Session s = result.session();
        if (s.state != Session.State.AUTHENTICATING)
        {
            return;
        }
        s.state = Session.State.CONNECTED;
        final String username = result.username();
        if (result.credential() == null)
        {
            final int failures = authenticator.recordFailure(username, nowMs);
            audit(0, 0, AuditType.LOGON_FAILED, failures, username);
            refuseLogon(s, "logon refused", s.logonCompId);
            return;
        }
        authenticator.recordSuccess(username);
        SessionStore store = storesByCompId.get(s.logonCompId);
        if (store == null)
        {
            if (compIdsByUser.getOrDefault(username, 0) >= ctx.maxCompIdsPerUser())
            {
                audit(0, result.credential().accountId(), AuditType.LOGON_FAILED, 0, username);
                refuseLogon(s, "logon refused: this user has " + ctx.maxCompIdsPerUser() + " CompIDs already", s.logonCompId);
                return;
            }
            compIdsByUser.merge(username, 1, Integer::sum);
            store = SessionStore.open(ctx.sessionDir(), s.logonCompId, 1 << 20);
            store.initialise(gatewayState.allocateSessionId(), username);
            storesById.put(store.sessionId(), store);
            storesByCompId.put(store.compId(), store);
        }
        else if (!store.username().equals(username))
        {
            audit(0, result.credential().accountId(), AuditType.LOGON_FAILED, 0, username);
            refuseLogon(s, "logon refused: CompID belongs to another user", s.logonCompId);
            return;
        }
        if (online.containsKey(store.sessionId()))
        {
            refuseLogon(s, "logon refused: session already logged on", s.logonCompId);
            return;
        }
        if (s.logonReset)
        {
            store.reset();
        }
        final int expected = store.nextInSeq();
        if (s.logonSeq < expected)
        {
            refuseLogon(s, "MsgSeqNum too low, expecting " + expected + " but received " + s.logonSeq, s.logonCompId);
            return;
        }
        s.store = store;
        s.sessionId = store.sessionId();
        s.accountId = result.credential().accountId();
        s.username = username;
        s.heartbeatMs = s.logonHeartBtInt * 1000;
        s.cancelOnDisconnect = s.logonCancelOnDisconnect;
        s.bucket = new TokenBucket(ctx.rateLimitPerSecond(), ctx.rateLimitBurst(), nanoClock.nanoTime());
        s.state = Session.State.LOGGED_ON;
        online.put(s.sessionId, s);

        header(s.store, 'A', (byte)0);
        writer.field(98, 0).field(108, s.logonHeartBtInt);
        if (s.logonReset)
        {
            writer.charField(141, (byte)'Y');
        }
        send(s, s.store, 'A', (byte)0);
        if (s.logonSeq > expected)
        {
            sendResendRequest(s, expected);
            s.resendRequestedUpTo = s.logonSeq;
        }
        else
        {
            store.nextInSeq(expected + 1);
        }
        audit(s.sessionId, s.accountId, AuditType.LOGON, 0, username);
        // messages that arrived behind the Logon while it was checked
        onInbound(s);
    }

    /** Logout to a client that is not logged on, with MsgSeqNum 1 and nothing stored; then close. */
    private void refuseLogon(final Session s, final String text, final String theirCompId)
    {
        if (theirCompId != null)
        {
            writer.begin().charField(35, (byte)'5').field(49, ourCompId).field(56, theirCompId)
                .field(34, 1).timestamp(52, nowMs).markHeaderEnd().field(58, text).finish();
            s.enqueue(writer.buffer(), writer.offset(), writer.length());
        }
        s.closeAfterFlush = true;
        s.closeReason = text;
    }

    private void onLogout(final Session s)
    {
        if (!s.logoutSent)
        {
            header(s.store, '5', (byte)0);
            send(s, s.store, '5', (byte)0);
            s.logoutSent = true;
        }
        s.closeAfterFlush = true;
        s.closeReason = "logout";
        audit(s.sessionId, s.accountId, AuditType.LOGOUT, 0, s.username);
    }

    /** Sends Logout with a reason and closes once it is flushed. */
    public void logoutAndClose(final Session s, final String text)
    {
        if (s.state == Session.State.LOGGED_ON && !s.logoutSent)
        {
            header(s.store, '5', (byte)0);
            writer.field(58, text);
            send(s, s.store, '5', (byte)0);
            s.logoutSent = true;
        }
        s.closeAfterFlush = true;
        s.closeReason = text;
    }

    /** Marks the session closed; the agent closes the socket. Cancel on disconnect and the audit happen here. */
    public void close(final Session s, final String reason)
    {
        if (s.state == Session.State.CLOSED)
        {
            return;
        }
        final boolean wasLoggedOn = s.state == Session.State.LOGGED_ON;
        s.state = Session.State.CLOSED;
        if (s.closeReason == null)
        {
            s.closeReason = reason;
        }
        connections.remove(s);
        closed.add(s);
        if (wasLoggedOn)
        {
            online.remove(s.sessionId);
            if (!s.logoutSent || !"logout".equals(s.closeReason))
            {
                audit(s.sessionId, s.accountId, AuditType.DISCONNECTED, 0, s.username);
            }
            if (s.cancelOnDisconnect)
            {
                final MutableDirectBuffer buffer = pending.claim();
                if (buffer == null)
                {
                    pending.countDropped();
                }
                else
                {
                    final int length = commands.massCancel(buffer, pending.claimOffset(), timestamp(), s.sessionId, s.accountId,
                        0, null, true, CancelReason.CANCEL_ON_DISCONNECT, "");
                    pending.commit(length);
                }
            }
        }
    }

    // ------------------------------------------------------------------ admin messages

    private void onTestRequest(final Session s)
    {
        final int id = msg.valueOffset(112);
        header(s.store, '0', (byte)0);
        if (id >= 0)
        {
            writer.field(112, msg.buffer(), id, msg.valueLength(112));
        }
        send(s, s.store, '0', (byte)0);
    }

    private void sendResendRequest(final Session s, final int from)
    {
        header(s.store, '2', (byte)0);
        writer.field(7, from).field(16, 0);
        send(s, s.store, '2', (byte)0);
    }

    private void onGapFill(final Session s, final int seq)
    {
        final long newSeq = msg.getLong(36);
        if (newSeq == FixMessage.NO_VALUE || newSeq <= seq || newSeq > Integer.MAX_VALUE)
        {
            sessionReject(s, seq, msg, 36, 5, "NewSeqNo(36) must be above MsgSeqNum");
            return;
        }
        s.store.nextInSeq((int)newSeq);
    }

    private void onSequenceResetReset(final Session s, final int seq)
    {
        final long newSeq = msg.getLong(36);
        final int expected = s.store.nextInSeq();
        if (newSeq == FixMessage.NO_VALUE || newSeq < expected || newSeq > Integer.MAX_VALUE)
        {
            sessionReject(s, seq, msg, 36, 5, "NewSeqNo(36) below the expected MsgSeqNum");
            return;
        }
        s.store.nextInSeq((int)newSeq);
    }

    private void onResendRequest(final Session s, final int seq)
    {
        final long begin = msg.getLong(7);
        final long endRequested = msg.getLong(16);
        final int last = s.store.nextOutSeq() - 1;
        if (begin == FixMessage.NO_VALUE || begin < 1 || endRequested == FixMessage.NO_VALUE)
        {
            sessionReject(s, seq, msg, begin == FixMessage.NO_VALUE || begin < 1 ? 7 : 16, 5, "invalid resend range");
            return;
        }
        final int end = endRequested == 0 || endRequested > last ? last : (int)endRequested;
        if (begin > end)
        {
            return;
        }
        final SessionStore store = s.store;
        final DirectBuffer stored = store.messages();
        int gapStart = 0;
        for (int n = (int)begin; n <= end; n++)
        {
            final long position = store.find(n);
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
                sendGapFill(s, gapStart, n);
                gapStart = 0;
            }
            final byte t0 = SessionStore.msgType0(stored, position);
            final byte t1 = SessionStore.msgType1(stored, position);
            writer.begin().tag(35);
            writer.raw(scratchType(t0, t1), 0, t1 == 0 ? 2 : 3);
            writer.field(49, ourCompId).field(56, store.compIdBytes()).field(34, n).charField(43, (byte)'Y')
                .timestamp(52, nowMs).field(122, stored, SessionStore.sendingTimeOffset(position), SessionStore.SENDING_TIME_LENGTH)
                .markHeaderEnd()
                .raw(stored, SessionStore.bodyOffset(position), SessionStore.bodyLength(stored, position))
                .finish();
            transmit(s);
        }
        if (gapStart != 0)
        {
            sendGapFill(s, gapStart, end + 1);
        }
    }

    private DirectBuffer scratchType(final byte t0, final byte t1)
    {
        scratch.putByte(0, t0);
        if (t1 == 0)
        {
            scratch.putByte(1, (byte)1);
        }
        else
        {
            scratch.putByte(1, t1);
            scratch.putByte(2, (byte)1);
        }
        return scratch;
    }

    private static boolean isAdmin(final byte t0, final byte t1)
    {
        return t1 == 0 && (t0 == '0' || t0 == '1' || t0 == '2' || t0 == '4' || t0 == '5' || t0 == 'A');
    }

    private void sendGapFill(final Session s, final int seq, final int newSeq)
    {
        writer.begin().charField(35, (byte)'4').field(49, ourCompId).field(56, s.store.compIdBytes()).field(34, seq)
            .charField(43, (byte)'Y').timestamp(52, nowMs).timestamp(122, nowMs).markHeaderEnd()
            .charField(123, (byte)'Y').field(36, newSeq).finish();
        transmit(s);
    }

    /** Session-level Reject (3). {@code m} may be null when the message could not be parsed. */
    private void sessionReject(final Session s, final int refSeq, final FixMessage m, final int refTag, final int reason, final String text)
    {
        sessionRejects++;
        header(s.store, '3', (byte)0);
        writer.field(45, refSeq);
        if (refTag > 0)
        {
            writer.field(371, refTag);
        }
        if (m != null && m.fieldCount() > 2)
        {
            writer.field(372, m.buffer(), m.valueOffsetAt(2), m.valueLengthAt(2));
        }
        writer.field(373, reason).field(58, text);
        send(s, s.store, '3', (byte)0);
    }

    /** BusinessMessageReject (j). */
    private void businessReject(
        final Session s, final int refSeq, final int reason, final CharSequence text,
        final DirectBuffer refIdBuffer, final int refIdOffset, final int refIdLength)
    {
        header(s.store, 'j', (byte)0);
        writer.field(45, refSeq).field(372, msg.buffer(), msg.valueOffsetAt(2), msg.valueLengthAt(2));
        if (refIdBuffer != null && refIdLength > 0)
        {
            writer.field(379, refIdBuffer, refIdOffset, refIdLength);
        }
        writer.field(380, reason).field(58, text);
        send(s, s.store, 'j', (byte)0);
    }

    // ------------------------------------------------------------------ application messages

    private void onApplication(final Session s, final int seq, final byte type)
    {
        final int clOrdId = msg.valueOffset(11);
        final int clOrdIdLength = msg.valueLength(11);
        if (clOrdId < 0)
        {
            sessionReject(s, seq, msg, 11, 1, "ClOrdID(11) missing");
            return;
        }
        if (clOrdIdLength > ClOrdIds.LENGTH || !printable(msg.buffer(), clOrdId, clOrdIdLength))
        {
            sessionReject(s, seq, msg, 11, 5, "ClOrdID(11) must be 1 to 20 printable ASCII characters");
            return;
        }
        clOrdIdView.wrap(msg.buffer(), clOrdId, clOrdIdLength);
        if (!s.bucket.tryTake(nanoClock.nanoTime()))
        {
            throttled++;
            refuse(s, seq, type, RejectReason.THROTTLED, "throttled: message rate limit exceeded");
            return;
        }
        switch (type)
        {
            case 'D':
                newOrder(s, seq);
                break;
            case 'F':
                cancel(s, seq);
                break;
            case 'G':
                replace(s, seq);
                break;
            case 'q':
                massCancel(s, seq);
                break;
            default:
                status(s, seq);
                break;
        }
    }

    private static boolean printable(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b <= ' ' || b > '~')
            {
                return false;
            }
        }
        return true;
    }

    /** A gateway-side refusal of an application message, in the message's own answer type. */
    private void refuse(final Session s, final int seq, final byte type, final RejectReason reason, final String text)
    {
        switch (type)
        {
            case 'D':
                reports.localOrderReject(s, msg, reason, text);
                break;
            case 'F':
            case 'G':
                reports.localCancelReject(s, msg, type == 'F' ? '1' : '2', text);
                break;
            case 'q':
                reports.localMassCancelReject(s, msg, text);
                break;
            default:
                businessReject(s, seq, 0, text, msg.buffer(), msg.valueOffset(11), msg.valueLength(11));
                break;
        }
    }

    /**
     * The command's timestamp, epoch nanoseconds: the monotonic clock plus an offset to the epoch
     * sampled at start (and now and then), so timestamps are precise to the microsecond, never go
     * back, and can be compared with another {@code OffsetEpochNanoClock} in the same host.
     */
    private long timestamp()
    {
        return epochNanoClock.nanoTime();
    }

    private final org.agrona.concurrent.OffsetEpochNanoClock epochNanoClock = new org.agrona.concurrent.OffsetEpochNanoClock();

    private void newOrder(final Session s, final int seq)
    {
        final int instrumentId = symbol(s, seq);
        if (instrumentId < 0)
        {
            return;
        }
        final byte sideChar = msg.getChar(54);
        final Side side = sideChar == '1' ? Side.BUY : sideChar == '2' ? Side.SELL : null;
        if (side == null)
        {
            sessionReject(s, seq, msg, 54, msg.has(54) ? 5 : 1, "Side(54) must be 1 (buy) or 2 (sell)");
            return;
        }
        final long quantity = msg.getLong(38);
        if (quantity == FixMessage.NO_VALUE || quantity <= 0)
        {
            sessionReject(s, seq, msg, 38, msg.has(38) ? 6 : 1, "OrderQty(38) must be a positive whole number");
            return;
        }
        final byte ordTypeChar = msg.getChar(40);
        final OrdType ordType = ordTypeChar == '1' ? OrdType.MARKET : ordTypeChar == '2' ? OrdType.LIMIT : null;
        if (ordType == null)
        {
            sessionReject(s, seq, msg, 40, msg.has(40) ? 5 : 1, "OrdType(40) must be 1 (market) or 2 (limit)");
            return;
        }
        long price = 0;
        if (ordType == OrdType.LIMIT)
        {
            final int p = msg.valueOffset(44);
            price = p < 0 ? Prices.INVALID : Prices.parse(msg.buffer(), p, msg.valueLength(44));
            if (price == Prices.INVALID)
            {
                sessionReject(s, seq, msg, 44, p < 0 ? 1 : 6, "Price(44) required for limit orders, a decimal with up to 4 places");
                return;
            }
        }
        final TimeInForce tif;
        switch (msg.has(59) ? msg.getChar(59) : '0')
        {
            case '0':
                tif = TimeInForce.DAY;
                break;
            case '1':
                tif = TimeInForce.GTC;
                break;
            case '3':
                tif = TimeInForce.IOC;
                break;
            case '4':
                tif = TimeInForce.FOK;
                break;
            default:
                sessionReject(s, seq, msg, 59, 5, "TimeInForce(59) must be 0, 1, 3 or 4");
                return;
        }
        final boolean postOnly = msg.valueContains(18, (byte)'6');
        final StpMode stp;
        switch (msg.has(GatewayTags.SELF_TRADE_PREVENTION) ? msg.getChar(GatewayTags.SELF_TRADE_PREVENTION) : 'x')
        {
            case 'x':
                stp = StpMode.ACCOUNT_DEFAULT;
                break;
            case '0':
                stp = StpMode.NONE;
                break;
            case '1':
                stp = StpMode.CANCEL_AGGRESSOR;
                break;
            case '2':
                stp = StpMode.CANCEL_RESTING;
                break;
            case '3':
                stp = StpMode.CANCEL_BOTH;
                break;
            default:
                sessionReject(s, seq, msg, GatewayTags.SELF_TRADE_PREVENTION, 5, "SelfMatchPreventionInstruction(2964) must be 0 to 3");
                return;
        }
        final long claim = sequencer.tryClaim();
        if (claim == CommandSequencer.RING_FULL)
        {
            busyRejects++;
            reports.localOrderReject(s, msg, RejectReason.EXCHANGE_BUSY, "exchange busy, try again");
            return;
        }
        final int length = commands.newOrder(sequencer.buffer(claim), 0, timestamp(), s.sessionId, s.accountId, instrumentId,
            side, ordType, tif, postOnly, stp, price, quantity, clOrdIdView);
        sequencer.commit(claim, length);
    }

    /** Symbol (55) to instrument id; answers and returns -1 when missing or unknown. */
    private int symbol(final Session s, final int seq)
    {
        final int offset = msg.valueOffset(55);
        if (offset < 0)
        {
            sessionReject(s, seq, msg, 55, 1, "Symbol(55) missing");
            return -1;
        }
        final int id = instruments.find(msg.buffer(), offset, msg.valueLength(55));
        if (id <= 0)
        {
            reports.localOrderReject(s, msg, RejectReason.UNKNOWN_INSTRUMENT, "unknown symbol");
            return -1;
        }
        return id;
    }

    private boolean origClOrdId(final Session s, final int seq)
    {
        final int orig = msg.valueOffset(41);
        final int length = msg.valueLength(41);
        if (orig < 0 || length > ClOrdIds.LENGTH || !printable(msg.buffer(), orig, length))
        {
            sessionReject(s, seq, msg, 41, orig < 0 ? 1 : 5, "OrigClOrdID(41) must be 1 to 20 printable ASCII characters");
            return false;
        }
        origClOrdIdView.wrap(msg.buffer(), orig, length);
        return true;
    }

    /** OrderID (37) if it is one of ours (a number), else 0: the engine then finds the order by ClOrdID. */
    private long orderId()
    {
        final long id = msg.getLong(37);
        return id == FixMessage.NO_VALUE ? 0 : id;
    }

    private void cancel(final Session s, final int seq)
    {
        if (!origClOrdId(s, seq))
        {
            return;
        }
        final long claim = sequencer.tryClaim();
        if (claim == CommandSequencer.RING_FULL)
        {
            busyRejects++;
            reports.localCancelReject(s, msg, '1', "exchange busy, try again");
            return;
        }
        final int length = commands.cancelOrder(sequencer.buffer(claim), 0, timestamp(), s.sessionId, s.accountId, orderId(),
            clOrdIdView, origClOrdIdView);
        sequencer.commit(claim, length);
    }

    private void replace(final Session s, final int seq)
    {
        if (!origClOrdId(s, seq))
        {
            return;
        }
        final long quantity = msg.getLong(38);
        if (quantity == FixMessage.NO_VALUE || quantity <= 0)
        {
            sessionReject(s, seq, msg, 38, msg.has(38) ? 6 : 1, "OrderQty(38) must be a positive whole number");
            return;
        }
        if (msg.has(40) && msg.getChar(40) != '2')
        {
            reports.localCancelReject(s, msg, '2', "only limit orders can be replaced");
            return;
        }
        final int p = msg.valueOffset(44);
        final long price = p < 0 ? Prices.INVALID : Prices.parse(msg.buffer(), p, msg.valueLength(44));
        if (price == Prices.INVALID)
        {
            sessionReject(s, seq, msg, 44, p < 0 ? 1 : 6, "Price(44) required, a decimal with up to 4 places");
            return;
        }
        final long claim = sequencer.tryClaim();
        if (claim == CommandSequencer.RING_FULL)
        {
            busyRejects++;
            reports.localCancelReject(s, msg, '2', "exchange busy, try again");
            return;
        }
        final int length = commands.replaceOrder(sequencer.buffer(claim), 0, timestamp(), s.sessionId, s.accountId, orderId(),
            price, quantity, clOrdIdView, origClOrdIdView);
        sequencer.commit(claim, length);
    }

    private void massCancel(final Session s, final int seq)
    {
        final byte scope = msg.getChar(530);
        int instrumentId = 0;
        if (scope == '1')
        {
            final int offset = msg.valueOffset(55);
            instrumentId = offset < 0 ? -1 : instruments.find(msg.buffer(), offset, msg.valueLength(55));
            if (instrumentId <= 0)
            {
                reports.localMassCancelReject(s, msg, "unknown symbol");
                return;
            }
        }
        else if (scope != '7')
        {
            reports.localMassCancelReject(s, msg, "MassCancelRequestType(530) must be 1 (security) or 7 (all orders)");
            return;
        }
        final byte sideChar = msg.getChar(54);
        final Side side = sideChar == '1' ? Side.BUY : sideChar == '2' ? Side.SELL : null;
        if (side == null && msg.has(54))
        {
            sessionReject(s, seq, msg, 54, 5, "Side(54) must be 1 (buy) or 2 (sell)");
            return;
        }
        final long claim = sequencer.tryClaim();
        if (claim == CommandSequencer.RING_FULL)
        {
            busyRejects++;
            reports.localMassCancelReject(s, msg, "exchange busy, try again");
            return;
        }
        final int length = commands.massCancel(sequencer.buffer(claim), 0, timestamp(), s.sessionId, s.accountId, instrumentId,
            side, false, CancelReason.MASS_CANCEL, clOrdIdView);
        sequencer.commit(claim, length);
    }

    private void status(final Session s, final int seq)
    {
        final long claim = sequencer.tryClaim();
        if (claim == CommandSequencer.RING_FULL)
        {
            busyRejects++;
            businessReject(s, seq, 0, "exchange busy, try again", msg.buffer(), msg.valueOffset(11), msg.valueLength(11));
            return;
        }
        final int length = commands.orderStatus(sequencer.buffer(claim), 0, timestamp(), s.sessionId, s.accountId, orderId(), clOrdIdView);
        sequencer.commit(claim, length);
    }

    // ------------------------------------------------------------------ output

    /** Writes the standard header of a stored message (seq = the store's next). */
    void header(final SessionStore store, final char type0, final byte type1)
    {
        writer.begin().tag(35);
        if (type1 == 0)
        {
            writer.raw(scratchType((byte)type0, (byte)0), 0, 2);
        }
        else
        {
            writer.raw(scratchType((byte)type0, type1), 0, 3);
        }
        writer.field(49, ourCompId).field(56, store.compIdBytes()).field(34, store.nextOutSeq());
        writer.timestamp(52, nowMs).markHeaderEnd();
    }

    /**
     * Finishes the message begun with {@link #header}, stores it and queues it on the session if it
     * is connected (a session that is away gets it on resend after its next Logon).
     */
    void send(final Session s, final SessionStore store, final char type0, final byte type1)
    {
        writer.finish();
        // SendingTime sits just before the header end: "52=" + 21 bytes + SOH
        final int timeOffset = writer.bodyOffset() - 1 - FixTime.LENGTH;
        store.append(store.nextOutSeq(), (byte)type0, type1, writer.buffer(), timeOffset,
            writer.buffer(), writer.bodyOffset(), writer.bodyLength());
        if (s != null)
        {
            transmit(s);
        }
    }

    private void transmit(final Session s)
    {
        if (s.state == Session.State.CLOSED)
        {
            return;
        }
        if (!s.enqueue(writer.buffer(), writer.offset(), writer.length()))
        {
            slowReaders++;
            s.closeReason = "slow reader: outbound buffer limit of " + s.outboundLimit + " bytes exceeded";
            close(s, s.closeReason);
            return;
        }
        s.lastSentMs = nowMs;
    }

    Session onlineSession(final int sessionId)
    {
        return online.get(sessionId);
    }

    SessionStore store(final int sessionId)
    {
        return storesById.get(sessionId);
    }

    long nowMs()
    {
        return nowMs;
    }

    void audit(final int sessionId, final long accountId, final AuditType type, final int detail, final String username)
    {
        final MutableDirectBuffer buffer = pending.claim();
        if (buffer == null)
        {
            pending.countDropped();
            return;
        }
        final int length = commands.audit(buffer, pending.claimOffset(), timestamp(), sessionId, accountId, type, detail,
            username == null ? "" : username);
        pending.commit(length);
    }

    // ------------------------------------------------------------------ duty cycle

    /** Auth results, journal, queued admin commands and timers. */
    public int doWork()
    {
        nowMs = clock.time();
        int work = 0;
        Authenticator.Result result;
        while ((result = authenticator.poll()) != null)
        {
            onAuthenticated(result);
            work++;
        }
        if (!pending.isEmpty())
        {
            work += pending.drainTo(sequencer);
        }
        work += reports.poll(ctx.journalPollLimit());
        if (nowMs - lastTimerCheckMs >= 50)
        {
            lastTimerCheckMs = nowMs;
            work += checkTimers();
        }
        return work;
    }

    private int checkTimers()
    {
        int work = 0;
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final Session s = connections.get(i);
            if (s.closeAfterFlush)
            {
                continue;
            }
            if (s.state == Session.State.CONNECTED || s.state == Session.State.AUTHENTICATING)
            {
                if (nowMs - s.connectedAtMs > ctx.logonTimeoutMs())
                {
                    close(s, "no Logon within " + ctx.logonTimeoutMs() + " ms");
                    work++;
                }
                continue;
            }
            if (s.state != Session.State.LOGGED_ON)
            {
                continue;
            }
            if (s.testRequestSentMs != 0 && nowMs - s.testRequestSentMs > s.heartbeatMs)
            {
                logoutAndClose(s, "heartbeat timeout");
                work++;
                continue;
            }
            if (s.testRequestSentMs == 0 && nowMs - s.lastReceivedMs > s.heartbeatMs + s.heartbeatMs / 5)
            {
                header(s.store, '1', (byte)0);
                writer.field(112, GatewayTags.TEST_REQ_ID);
                send(s, s.store, '1', (byte)0);
                s.testRequestSentMs = nowMs;
                work++;
            }
            else if (nowMs - s.lastSentMs >= s.heartbeatMs)
            {
                header(s.store, '0', (byte)0);
                send(s, s.store, '0', (byte)0);
                work++;
            }
        }
        return work;
    }

    /** Logout to every session (clean shutdown). */
    public void logoutAll(final String text)
    {
        nowMs = clock.time();
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final Session s = connections.get(i);
            if (s.state == Session.State.LOGGED_ON)
            {
                logoutAndClose(s, text);
            }
            else
            {
                s.closeAfterFlush = true;
            }
        }
    }

    /**
     * Hands queued audits and cancel-on-disconnect commands to the ring; for the closing thread
     * once the gateway thread has stopped, so what the last sessions did still reaches the journal.
     */
    public void drainPending()
    {
        pending.drainTo(sequencer);
    }

    public long droppedAdminCommands()
    {
        return pending.dropped();
    }

    @Override
    public void close()
    {
        for (final SessionStore store : storesById.values())
        {
            store.close();
        }
        storesById.clear();
        storesByCompId.clear();
        gatewayState.close();
    }
}
