package dev.bourse.server.admin;

import dev.bourse.journal.HeadTailer;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.gateway.SessionControl;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.readmodels.AdminBackend;
import dev.bourse.readmodels.AdminCommand;
import dev.bourse.server.schedule.VolatilityCallEnds;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The exchange's side of the admin API: an operator's action becomes two journaled commands, an
 * audit record (AuditType OPERATOR: the operator's name, the action, its account, instrument or
 * session) and then the action's own command, both stamped with the same timestamp. Then it reads
 * the journal until the action's entry is there and answers with its position and result, or the
 * engine's reason for refusing it.
 * <p>
 * The kill switch (a block with cancelOrders) is the block first, then its cancels in slices:
 * MassCancel commands of reason KILL_SWITCH of at most {@link #killSwitchSlice} orders each, one
 * after another until the engine says none remain, so the engine never does unbounded work in one
 * command and other sessions' commands go in between. The one audit record before the block names
 * the action; the answer comes when the last slice is journaled.
 * <p>
 * Thread safety: any thread (Jetty's); actions are serialized here (one at a time: operators are
 * few and an action waits only for its own journal entry). Commands go through an
 * {@link AdminChannel}: on a single node the exchange's operator publisher (the ring takes any
 * number of producers), on a cluster node a cluster client of its own (the Raft log). FIX session
 * actions go through the gateway's {@link SessionControl}, which the gateway's own thread carries out.
 * <p>
 * Longer than most classes here: one short method per admin action; not on the order path.
 */
public final class AdminService implements AdminBackend, AutoCloseable
{
    private final AdminChannel channel;
    private final HeadTailer tailer;
    private final SessionControl sessions;
    private final LongSupplier clock;
    private final long timeoutNs;
    private final Consumer<String> log;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer audit = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final JournalEntryReader reader = new JournalEntryReader();
    private final EntryResult result = new EntryResult();
    private long lastTimestamp;
    private int killSwitchSlice = DEFAULT_KILL_SWITCH_SLICE;

    /** Orders one slice of a kill switch cancels at most (as cancel-on-disconnect's default). */
    public static final int DEFAULT_KILL_SWITCH_SLICE = 256;

    /**
     * @param tailer   a journal tailer positioned at (or before) the journal's end, for external
     *                 effects: answers wait for the durable watermark like every other report
     * @param sessions the gateway's session control, or null when this process runs no gateway
     * @param clock    nanoseconds since the epoch, for the commands' timestamps
     */
    public AdminService(final CommandPublisher publisher, final HeadTailer tailer, final SessionControl sessions,
        final LongSupplier clock, final long timeoutMs, final Consumer<String> log)
    {
        this(new RingAdminChannel(publisher, tailer), sessions, clock, timeoutMs, log);
    }

    /**
     * @param channel  where the actions' commands go and their entries are found
     * @param sessions the gateway's session control, or null when this process runs no gateway
     * @param clock    nanoseconds since the epoch, for the commands' timestamps
     */
    public AdminService(final AdminChannel channel, final SessionControl sessions, final LongSupplier clock, final long timeoutMs,
        final Consumer<String> log)
    {
        this.channel = channel;
        this.tailer = channel.journal();
        this.sessions = sessions;
        this.clock = clock;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.log = log;
    }

    private JournalSessions journalSessions;

    /**
     * On a cluster node, where the gateways run in processes of their own: sessions are listed from
     * the journal, and a disconnect or a reset is an OPERATOR audit in the log that the gateway
     * serving the session carries out when it reads it (docs/CLUSTER.md, "FIX session actions").
     */
    public AdminService journalSessions(final JournalSessions value)
    {
        journalSessions = value;
        return this;
    }

    private VolatilityCallEnds.ScheduledPhase dayPhase = (instrumentId, epochNanos) -> null;

    /**
     * Where each instrument's trading day is ({@link dev.bourse.server.schedule.ExchangeSchedule#dayPhase}):
     * a resume lifts a halt into that phase, not into continuous trading whatever the time.
     */
    public AdminService dayPhase(final VolatilityCallEnds.ScheduledPhase value)
    {
        dayPhase = value;
        return this;
    }

    /** Orders one MassCancel slice of a kill switch cancels at most (at least 1). */
    public AdminService killSwitchSlice(final int orders)
    {
        if (orders < 1)
        {
            throw new IllegalArgumentException("a kill switch slice cancels at least one order: " + orders);
        }
        killSwitchSlice = orders;
        return this;
    }

    @Override
    public synchronized Outcome execute(final String operator, final AdminCommand action)
    {
        final AdminCommand command = intoTheDay(action, clock.getAsLong());
        final int sessionId = command instanceof AdminCommand.SetBlock block ? block.sessionId() : 0;
        if (command instanceof AdminCommand.SetBlock && sessionId != 0)
        {
            final Outcome unknown = unknownSession(sessionId);
            if (unknown != null)
            {
                return unknown;
            }
        }
        final long timestamp = nextTimestamp();
        final int auditLength = writer.operatorAudit(audit, 0, timestamp, operator, command.type(), command.accountId(),
            command.instrumentId(), sessionId);
        // The whole exchange's day end is the scheduler's: GTD orders due by now expire first, then EndOfDay.
        final boolean dayEnd = command instanceof AdminCommand.EndOfDay end && end.instrumentId() == 0;
        final int length = dayEnd ? writer.expireOrders(scratch, 0, timestamp, timestamp) : encode(command, timestamp);
        final long mark = publish(audit, auditLength, scratch, length, timeoutNs);
        if (mark == AdminChannel.BUSY)
        {
            return busy();
        }
        log.accept("admin: " + operator + " " + describe(command));
        if (dayEnd)
        {
            // guarded: refused when nothing has changed since the last day end (this run's own expiries count)
            return endOfDayAfterExpiry(await(CommandType.EXPIRE_ORDERS, timestamp, mark),
                ((AdminCommand.EndOfDay)command).force() ? 0 : Long.MAX_VALUE);
        }
        final Outcome outcome = await(command.type(), timestamp, mark);
        if (command instanceof AdminCommand.SetBlock block && block.cancelOrders() && outcome.status() == 200)
        {
            return cancelInSlices(block, outcome);
        }
        return outcome;
    }

    /**
     * A resume (status OPEN: continuous trading) while the instrument's day is in another phase
     * (its opening or closing call, the post-close, before the day's first step) goes straight into
     * that phase: from a halt into continuous trading would uncross the book and trade for the
     * moment until the scheduler moved it back, after the close or in a call. Any other command,
     * and a resume in the day's continuous trading or without a schedule, is as asked.
     */
    private AdminCommand intoTheDay(final AdminCommand command, final long epochNanos)
    {
        if (command instanceof AdminCommand.SetTradingStatus resume && resume.status() == TradingStatus.OPEN)
        {
            final TradingPhase day = dayPhase.at(resume.instrumentId(), epochNanos);
            if (day != null && day != TradingPhase.CONTINUOUS && day != TradingPhase.NULL_VAL)
            {
                return new AdminCommand.SetTradingPhase(resume.instrumentId(), day, null);
            }
        }
        return command;
    }

    /**
     * A session kill switch or release names a session some gateway has given out, or it is
     * refused (404) as the other session actions are: a block of an id not yet given out would
     * silently fall on whichever firm the gateway gives it to next, and a release of one would
     * journal an action on nothing. Null if the session is known.
     */
    private Outcome unknownSession(final int sessionId)
    {
        if (sessions == null && journalSessions != null)
        {
            return journalSessions.session(sessionId) == null ? Outcome.error(404, "refused", "no session " + sessionId) : null;
        }
        if (sessions == null)
        {
            return null; // no gateway here to ask: the engine's own checks decide
        }
        try
        {
            for (final SessionControl.SessionInfo info : sessions.list().get(timeoutNs, TimeUnit.NANOSECONDS))
            {
                if (info.sessionId() == sessionId)
                {
                    return null;
                }
            }
            return Outcome.error(404, "refused", "no session " + sessionId);
        }
        catch (final InterruptedException | ExecutionException | TimeoutException e)
        {
            return failure(e);
        }
    }

    /**
     * The whole exchange's EndOfDay once the GTD orders due have expired, without an audit record of
     * its own. Guarded unless forced ({@code unlessEndedSince} 0): the engine refuses it
     * (DAY_ALREADY_ENDED) when nothing has changed its state since the last day end (audit records,
     * refused commands and rounds of expiries that expired nothing change nothing), so a retry after
     * a timeout or a double click does not end a second, empty day and move the trading date on (an
     * outside probe ended four in a row; then, while a refused run's audit record opened a day,
     * every other run).
     */
    private Outcome endOfDayAfterExpiry(final Outcome expired, final long unlessEndedSince)
    {
        if (expired.status() != 200)
        {
            return expired;
        }
        final int gtdExpired = result.canceled();
        final long timestamp = nextTimestamp();
        final long mark = publish(scratch, writer.endOfDay(scratch, 0, timestamp, 0, unlessEndedSince), audit, 0, timeoutNs);
        if (mark == AdminChannel.BUSY)
        {
            return busy();
        }
        final Outcome ended = await(CommandType.END_OF_DAY, timestamp, mark);
        return ended.status() != 200 ? ended
            : Outcome.ok(ended.position(), ended.sequence(), ended.resultMembers() + ",\"gtdExpired\":" + gtdExpired);
    }

    /**
     * The kill switch's cancels once its block is journaled: slice after slice until none remain.
     * An account's slices name the account (session 0); a session's name the session (account 0).
     */
    private Outcome cancelInSlices(final AdminCommand.SetBlock block, final Outcome blocked)
    {
        long canceled = 0;
        int slices = 0;
        Outcome last;
        do
        {
            final long timestamp = nextTimestamp();
            final int length = writer.massCancel(scratch, 0, timestamp, block.sessionId(), block.accountId(), 0, null,
                block.sessionId() != 0, CancelReason.KILL_SWITCH, "", killSwitchSlice);
            // a slice alone, without an audit record of its own: the action's one record is before the block
            final long mark = publish(scratch, length, audit, 0, timeoutNs);
            if (mark == AdminChannel.BUSY)
            {
                return busy();
            }
            last = await(CommandType.MASS_CANCEL, timestamp, mark);
            if (last.status() != 200)
            {
                return last;
            }
            canceled += result.canceled();
            slices++;
        }
        while (result.moreRemaining);
        log.accept("admin: kill switch " + (block.accountId() != 0 ? "account " + block.accountId() : "session " + block.sessionId()) +
            ": " + canceled + " orders canceled in " + slices + " slices");
        return Outcome.ok(last.position(), last.sequence(),
            blocked.resultMembers() + ",\"canceledOrders\":" + canceled + ",\"slices\":" + slices);
    }

    @Override
    public synchronized Outcome sessions()
    {
        if (sessions == null && journalSessions != null)
        {
            final StringBuilder json = new StringBuilder("\"sessions\":[");
            final List<JournalSessions.Session> list = journalSessions.list();
            for (int i = 0; i < list.size(); i++)
            {
                json.append(i == 0 ? "" : ",");
                session(json, list.get(i));
            }
            // as of the journal entry the list was read up to, not the admin channel's last answer
            return Outcome.ok(journalSessions.position(), journalSessions.lastSequence(), json.append(']').toString());
        }
        if (sessions == null)
        {
            return Outcome.error(404, "no_gateway", "this process runs no FIX gateway");
        }
        final List<SessionControl.SessionInfo> list;
        try
        {
            list = sessions.list().get(timeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException | ExecutionException | TimeoutException e)
        {
            return failure(e);
        }
        final StringBuilder json = new StringBuilder("\"sessions\":[");
        for (int i = 0; i < list.size(); i++)
        {
            json.append(i == 0 ? "" : ",");
            session(json, list.get(i));
        }
        // the answer's position is the journal's now, not that of the last admin action
        tailer.toHead();
        while (tailer.poll((position, buffer, offset, length) -> { }, 1_024) > 0)
        {
            // read up to the end; what an action awaits comes after its own command, so nothing is skipped
        }
        return Outcome.ok(tailer.position(), tailer.lastSequence(), json.append(']').toString());
    }

    @Override
    public Outcome disconnect(final String operator, final int sessionId)
    {
        return sessionAction(operator, sessionId, CommandType.SESSION_DISCONNECT);
    }

    @Override
    public Outcome resetSequence(final String operator, final int sessionId)
    {
        return sessionAction(operator, sessionId, CommandType.SESSION_RESET);
    }

    private synchronized Outcome sessionAction(final String operator, final int sessionId, final CommandType action)
    {
        if (sessions == null && journalSessions != null)
        {
            return journalSessionAction(operator, sessionId, action);
        }
        if (sessions == null)
        {
            return Outcome.error(404, "no_gateway", "this process runs no FIX gateway");
        }
        SessionControl.SessionInfo info;
        try
        {
            final long deadline = System.nanoTime() + timeoutNs;
            info = (action == CommandType.SESSION_DISCONNECT
                ? sessions.disconnect(sessionId, "disconnected by operations") : sessions.resetSequence(sessionId))
                .get(timeoutNs, TimeUnit.NANOSECONDS);
            // a disconnect is answered once the session is off: its Logout answered, or the logout timeout passed
            while (info.online() && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                info = sessions.session(sessionId).get(timeoutNs, TimeUnit.NANOSECONDS);
            }
        }
        catch (final InterruptedException | ExecutionException | TimeoutException e)
        {
            return failure(e);
        }
        // done: now the journal records who did it (the entry's session is the session acted on)
        final long timestamp = nextTimestamp();
        final long mark = publish(audit, writer.operatorAudit(audit, 0, timestamp, operator, action, 0, 0, sessionId),
            scratch, 0, timeoutNs);
        if (mark == AdminChannel.BUSY)
        {
            return busy();
        }
        log.accept("admin: " + operator + " " + action.name().toLowerCase(java.util.Locale.ROOT) + " session " + sessionId);
        final Outcome audit = await(CommandType.AUDIT, timestamp, mark);
        if (audit.status() != 200)
        {
            return audit;
        }
        final StringBuilder json = new StringBuilder("\"session\":");
        session(json, info);
        return Outcome.ok(audit.position(), audit.sequence(), json.toString());
    }

    /**
     * A session action on a cluster: checked against the journal's view, then journaled as the
     * OPERATOR audit the serving gateway acts on. A disconnect is answered once the session's
     * LOGOUT or DISCONNECTED follows in the journal (or 504 if no gateway logs it out in time).
     */
    private Outcome journalSessionAction(final String operator, final int sessionId, final CommandType action)
    {
        final JournalSessions.Session before = journalSessions.session(sessionId);
        if (before == null)
        {
            return Outcome.error(404, "refused", "no session " + sessionId);
        }
        if (action == CommandType.SESSION_DISCONNECT && !before.online())
        {
            return Outcome.error(409, "refused", "session " + sessionId + " is not logged on");
        }
        if (action == CommandType.SESSION_RESET && before.online())
        {
            return Outcome.error(409, "refused", "session " + sessionId + " is logged on (at gateway " + before.gatewayId()
                + "): disconnect it first");
        }
        final long timestamp = nextTimestamp();
        final long mark = publish(audit, writer.operatorAudit(audit, 0, timestamp, operator, action, 0, 0, sessionId),
            scratch, 0, timeoutNs);
        if (mark == AdminChannel.BUSY)
        {
            return busy();
        }
        log.accept("admin: " + operator + " " + action.name().toLowerCase(java.util.Locale.ROOT) + " session " + sessionId
            + " (gateway " + before.gatewayId() + ")");
        final Outcome audited = await(CommandType.AUDIT, timestamp, mark);
        if (audited.status() != 200)
        {
            return audited;
        }
        JournalSessions.Session after = journalSessions.session(sessionId);
        if (action == CommandType.SESSION_DISCONNECT)
        {
            final long deadline = System.nanoTime() + timeoutNs;
            while (after.online())
            {
                if (System.nanoTime() > deadline)
                {
                    return Outcome.error(504, "timeout", "the disconnect is journaled, but gateway " + after.gatewayId()
                        + " has not logged the session out (is it running?)");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                after = journalSessions.session(sessionId);
            }
        }
        final StringBuilder json = new StringBuilder("\"session\":");
        session(json, after);
        return Outcome.ok(audited.position(), audited.sequence(), json.toString());
    }

    private static void session(final StringBuilder json, final JournalSessions.Session s)
    {
        json.append("{\"sessionId\":").append(s.sessionId()).append(",\"compId\":");
        quote(json, s.compId());
        json.append(",\"username\":");
        quote(json, s.username());
        json.append(",\"gatewayId\":").append(s.gatewayId()).append(",\"online\":").append(s.online())
            .append(",\"nextInSeq\":").append(s.lastInbound() + 1)
            .append(",\"outboundReservedUpTo\":").append(s.outboundReservedUpTo()).append('}');
    }

    private static void session(final StringBuilder json, final SessionControl.SessionInfo s)
    {
        json.append("{\"sessionId\":").append(s.sessionId()).append(",\"compId\":");
        quote(json, s.compId());
        json.append(",\"username\":");
        quote(json, s.username());
        json.append(",\"online\":").append(s.online()).append(",\"nextInSeq\":").append(s.nextInSeq())
            .append(",\"nextOutSeq\":").append(s.nextOutSeq()).append('}');
    }

    private static void quote(final StringBuilder json, final String text)
    {
        json.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\');
            }
            json.append(c < ' ' ? ' ' : c);
        }
        json.append('"');
    }

    private Outcome failure(final Exception e)
    {
        if (e instanceof InterruptedException)
        {
            Thread.currentThread().interrupt();
            return Outcome.error(503, "interrupted", "interrupted");
        }
        if (e instanceof TimeoutException)
        {
            return Outcome.error(504, "timeout", "the gateway did not answer in time");
        }
        final Throwable cause = e.getCause();
        if (cause instanceof SessionControl.Refused)
        {
            return Outcome.error(cause.getMessage().startsWith("no session") ? 404 : 409, "refused", cause.getMessage());
        }
        return Outcome.error(500, "internal_error", "the gateway failed the request");
    }

    private long nextTimestamp()
    {
        // unique per action: the entries are found again by timestamp and command type
        lastTimestamp = Math.max(clock.getAsLong(), lastTimestamp + 1);
        return lastTimestamp;
    }

    private int encode(final AdminCommand command, final long timestamp)
    {
        if (command instanceof AdminCommand.AddInstrument c)
        {
            return writer.addInstrument(scratch, 0, timestamp, c.instrumentId(), c.symbol(), c.tickSize(), c.lotSize(),
                c.minQuantity(), c.maxQuantity(), c.maxNotional(), c.referencePrice(), c.priceBandBps(), c.status());
        }
        if (command instanceof AdminCommand.SetTradingStatus c)
        {
            return writer.setTradingStatus(scratch, 0, timestamp, c.instrumentId(), c.status());
        }
        if (command instanceof AdminCommand.SetTradingPhase c)
        {
            return writer.setTradingPhase(scratch, 0, timestamp, c.instrumentId(), c.phase(), c.expected(), 0);
        }
        if (command instanceof AdminCommand.SetReferencePrice c)
        {
            return writer.setReferencePrice(scratch, 0, timestamp, c.instrumentId(), c.referencePrice());
        }
        if (command instanceof AdminCommand.AmendInstrument c)
        {
            return writer.amendInstrument(scratch, 0, timestamp, c.instrumentId(), c.tickSize(), c.lotSize(), c.minQuantity(),
                c.maxQuantity(), c.maxNotional(), c.referencePrice(), c.priceBandBps());
        }
        if (command instanceof AdminCommand.SetVolatilityGuards c)
        {
            return writer.setVolatilityGuards(scratch, 0, timestamp, c.instrumentId(), c.dynamicBandBps(), c.staticBandBps(),
                c.interruptionNanos());
        }
        if (command instanceof AdminCommand.CreateAccount c)
        {
            return writer.createAccount(scratch, 0, timestamp, c.accountId(), c.stpMode());
        }
        if (command instanceof AdminCommand.Transfer c)
        {
            return c.withdraw()
                ? writer.withdraw(scratch, 0, timestamp, c.accountId(), c.instrumentId(), c.amount(), timestamp)
                : writer.deposit(scratch, 0, timestamp, c.accountId(), c.instrumentId(), c.amount(), timestamp);
        }
        if (command instanceof AdminCommand.SetBlock c)
        {
            // the block alone: a kill switch's cancels follow as MassCancel slices (cancelInSlices)
            return writer.setBlock(scratch, 0, timestamp, c.accountId(), c.sessionId(), c.blocked(), false);
        }
        if (command instanceof AdminCommand.EndOfDay c)
        {
            return writer.endOfDay(scratch, 0, timestamp, c.instrumentId());
        }
        throw new IllegalArgumentException("no encoding for " + command);
    }

    /** Publishes an action's commands: what the action then waits for is journaled after them, so the reader starts at the journal's end. */
    private long publish(final MutableDirectBuffer first, final int firstLength, final MutableDirectBuffer second, final int secondLength,
        final long timeoutNs)
    {
        tailer.toHead();
        return channel.publish(first, firstLength, second, secondLength, timeoutNs);
    }

    private Outcome busy()
    {
        return Outcome.error(503, "busy", channel.busyMessage());
    }

    /** Reads the journal until the entry of the command stamped {@code timestamp}, or marked {@code mark} (bounded). */
    private Outcome await(final CommandType type, final long timestamp, final long mark)
    {
        if (channel.keepsTimestamps())
        {
            result.expect(type, timestamp);
        }
        else
        {
            result.expectMarked(type, (int)mark);
        }
        final long deadline = System.nanoTime() + timeoutNs;
        while (!result.found)
        {
            if (tailer.poll((position, buffer, offset, length) ->
            {
                if (!result.found)
                {
                    result.position = position;
                    reader.read(buffer, offset, length, result);
                }
            }, 64) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    return Outcome.error(504, "timeout", "the engine did not journal the command in time; it may still be carried out");
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
        if (result.rejectReason != null)
        {
            return new Outcome(result.rejectStatus(), "rejected",
                "the engine refused " + type.name() + ": " + result.rejectReason.name() + result.rejectHint(), result.position,
                result.sequence, "");
        }
        return Outcome.ok(result.position, result.sequence, result.members());
    }

    private static String describe(final AdminCommand command)
    {
        return command.type().name().toLowerCase(java.util.Locale.ROOT) + " " + command;
    }

    @Override
    public void close()
    {
        channel.close();
    }
}
