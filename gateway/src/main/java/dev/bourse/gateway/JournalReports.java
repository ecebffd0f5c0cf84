package dev.bourse.gateway;

import dev.bourse.gateway.store.GatewayState;
import dev.bourse.gateway.store.SessionStore;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.TradingPhases;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The journal's side of the gateway (an adapter, in Aeron's terms): tails the journal and turns
 * each event into the FIX message for the session it belongs to, so nothing is acknowledged before
 * it is journaled. It also learns symbols from InstrumentAdded, and from each entry's header which
 * inbound messages of a session are now journaled (see {@link InboundProgress}). Reports are made
 * once: the position reported up to is kept in {@link GatewayState}, and a restarted gateway
 * re-reads the journal for symbols and sequence numbers but does not report old events again.
 * <p>
 * Commands the engine refuses after a journal failure are not journaled; it hands their rejects
 * to {@link #haltedRejects()}, which are reported here the same way.
 * <p>
 * Longer than most classes here: one short handler per journal event that concerns a session (the
 * FIX encoding itself is {@link ReportWriter}'s); splitting them would only spread one mapping.
 */
final class JournalReports implements JournalHandler, JournalEventListener, MessageHandler
{
    private static final int HALTED_REJECTS_CAPACITY = 1 << 20;

    private final JournalTailer tailer;
    private final GatewayState state;
    private final SessionRegistry registry;
    private final ReportWriter reports;
    private final Instruments instruments;
    private final GatewayCounters counters;
    private final java.util.function.LongSupplier journalHead;
    private final DisconnectCancels disconnectCancels;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final OneToOneRingBuffer haltedRejects = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(HALTED_REJECTS_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final ClientMassCancels massCancels;
    private final ClientMassCancels.Pending singleMassCancel = new ClientMassCancels.Pending();
    private final UnsafeBuffer massCancelClOrdId = new UnsafeBuffer(new byte[0]);
    private final SessionDirectory directory;
    /** Sessions moving between gateways (cluster); null on a single node. */
    private SessionHandover handover;
    private final int gatewayId;
    /**
     * Sessions being replayed: the journal sequence after which each gets its reports again. A session
     * not in it gets none of a replay's reports (the missing value is the largest sequence; it was -1,
     * and every session on the gateway got every replayed report again).
     */
    private final org.agrona.collections.Long2LongHashMap replayAfter = new org.agrona.collections.Long2LongHashMap(Long.MAX_VALUE);
    private final org.agrona.collections.IntArrayList replaying = new org.agrona.collections.IntArrayList();
    private dev.bourse.journal.ReaderTrouble trouble = new dev.bourse.journal.ReaderTrouble("gateway", line -> { });
    private boolean reporting;
    /** The entry being read came from the journal (not from the ring: a halted or lost entry's reject). */
    private boolean fromJournal;
    /** The entry is one read again for a replay: only the replayed sessions' reports, no other effect. */
    private boolean replayed;
    private boolean catchingUp;
    private long entrySequence;
    private long entryTimestampNs;
    /** The MsgSeqNum of the FIX message the entry's command came from, 0 if none: a BusinessMessageReject's RefSeqNum. */
    private int entryMsgSeqNum;
    private int eventIndex;
    /**
     * The highest engine sequence read: where reporting has got to. A replay rewinds the tailer, whose
     * own sequence then goes back (see {@link #lastSequence}).
     */
    private long reachedSequence;

    JournalReports(
        final JournalTailer tailer, final GatewayState state, final SessionRegistry registry, final ReportWriter reports,
        final Instruments instruments, final GatewayCounters counters, final java.util.function.LongSupplier journalHead,
        final DisconnectCancels disconnectCancels, final ClientMassCancels massCancels, final SessionDirectory directory,
        final int gatewayId)
    {
        this.massCancels = massCancels;
        this.lostEntries = new LostEntryRejects(registry, reports, disconnectCancels, this::answeredWithoutJournal);
        this.directory = directory;
        this.gatewayId = gatewayId;
        this.disconnectCancels = disconnectCancels;
        this.tailer = tailer;
        this.state = state;
        this.registry = registry;
        this.reports = reports;
        this.instruments = instruments;
        this.counters = counters;
        this.journalHead = journalHead;
    }

    /** Where an entry skipped because it does not decode is said (once). */
    void log(final java.util.function.Consumer<String> log)
    {
        trouble = new dev.bourse.journal.ReaderTrouble("gateway", log);
    }

    void handover(final SessionHandover handover)
    {
        this.handover = handover;
    }

    /** Reports up to {@code limit} journal entries; the number read. */
    int poll(final int limit)
    {
        final int read = tailer.poll(this, limit);
        if (read > 0)
        {
            // a replay's rewound reader reads old entries again: the gauges say where reporting has got to
            reachedSequence = Math.max(reachedSequence, tailer.lastSequence());
            counters.reportedSequence.setRelease(lastSequence());
        }
        final long head = journalHead.getAsLong();
        if (head >= 0)
        {
            counters.lag.setRelease(Math.max(0, head - lastSequence()));
        }
        return read + haltedRejects.read(this, 64);
    }

    /**
     * Reads the journal to its end, at start before any connection: symbols, reports owed, and
     * each session's inbound sequence. A store's next expected MsgSeqNum goes back to the first one
     * not received for good (a message read before a crash whose command never reached the
     * journal is asked for again), then forward past every MsgSeqNum the journal holds.
     */
    void catchUp()
    {
        for (final SessionStore store : registry.stores())
        {
            if (store.receivedInSeq() > 0)
            {
                store.nextInSeq(store.receivedInSeq());
            }
        }
        catchingUp = true;
        try
        {
            while (poll(65_536) > 0)
            {
                // reading
            }
        }
        finally
        {
            catchingUp = false;
        }
        disconnectCancels.resume();
        massCancels.resume();
    }

    /**
     * Engine sequence of the newest journal entry read, whose report has been made: never the
     * tailer's own while it reads entries again for a replay. A resetting Logon's divide, and the
     * mark of a store's reset, are taken here: taken from a tailer rewound for another session's
     * replay (two resetting Logons checked at once), the divide fell below the reports already
     * stored under the numbering the reset gives up, and they were neither replayed nor sent.
     */
    long lastSequence()
    {
        return Math.max(reachedSequence, tailer.lastSequence());
    }

    /**
     * Where the engine's listener puts the rejects of commands it refused while halted (called on
     * the engine thread; the gateway reads them in its duty cycle).
     */
    boolean offerHaltedReject(final DirectBuffer entry, final int offset, final int length)
    {
        return haltedRejects.write(HALTED_REJECT, entry, offset, length);
    }

    OneToOneRingBuffer haltedRejects()
    {
        return haltedRejects;
    }

    /**
     * The engine hands here the entries of commands the journal could not store (called on the
     * engine thread): each sender is told its command was not carried out.
     */
    boolean offerUnjournaled(final DirectBuffer entry, final int offset, final int length)
    {
        return haltedRejects.write(UNJOURNALED, entry, offset, length);
    }

    private static final int HALTED_REJECT = 1;
    private static final int UNJOURNALED = 2;

    /**
     * From the ring: a halted reject (reported like a journal entry), or an entry the journal lost
     * (answered with a reject of its command); neither is recorded as reported.
     */
    @Override
    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        reporting = true;
        fromJournal = false; // never in the journal, so never replayed: not held
        if (msgTypeId == UNJOURNALED)
        {
            lostEntries.reset();
            reader.read(buffer, index, length, lostEntries);
        }
        else
        {
            reader.read(buffer, index, length, this);
        }
    }

    private final LostEntryRejects lostEntries;

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        reporting = !state.hasReportedPosition() || position > state.reportedPosition();
        replayed = !reporting && !replayAfter.isEmpty();
        fromJournal = true;
        final int status = reader.read(buffer, offset, length, this);
        if (status != JournalEntryReader.OK)
        {
            trouble.undecodable(position, "status " + status + ": no reports of it");
        }
        if (replayed)
        {
            reports.possResend(false);
        }
        if (reporting)
        {
            if (!replayAfter.isEmpty())
            {
                replayAfter.clear(); // caught up again: the replay is over
            }
            state.reportedPosition(position);
        }
        replayed = false;
    }

    /**
     * Sends a session taken over from another gateway, again and marked PossResend, the reports of
     * its events after journal sequence {@code afterSequence} (the ones it may have missed when its
     * gateway died), by reading the journal again from there; reports to other sessions carry on
     * once it has caught up. False if this journal cannot be read again.
     */
    boolean replay(final int sessionId, final long afterSequence)
    {
        final long reachedBeforeRewind = tailer.lastSequence();
        final long rewindTo = replayAfter.isEmpty() ? afterSequence : Math.min(afterSequence, reachedBeforeRewind);
        if (!tailer.rewind(rewindTo))
        {
            return false;
        }
        // sessions already being replayed have had their reports up to where the tailer was
        replaying.clear();
        replayAfter.keySet().forEach(id -> replaying.addInt((int)(long)id));
        for (int i = 0; i < replaying.size(); i++)
        {
            final int id = replaying.getInt(i);
            replayAfter.put(id, Math.max(replayAfter.get(id), reachedBeforeRewind));
        }
        replayAfter.put(sessionId, afterSequence);
        return true;
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        entrySequence = header.sequence();
        entryTimestampNs = header.timestamp();
        entryMsgSeqNum = ReportWriter.msgSeqNumOf(header);
        eventIndex = 0;
        if (replayed)
        {
            return; // read before: its sequence numbers are known
        }
        directory.onEntryStart(header);
        final int msgSeqNum = entryMsgSeqNum;
        if (entrySequence <= 0)
        {
            answeredWithoutJournal(header.sessionId(), msgSeqNum); // a reject made while halted
            return;
        }
        if (msgSeqNum == 0)
        {
            return;
        }
        final SessionStore store = registry.store(header.sessionId());
        if (store == null || entrySequence <= store.resetSequence())
        {
            return; // not ours, or from before the session's numbers were last reset
        }
        if (catchingUp)
        {
            // after a restart: whatever the journal holds was received, whatever the store says
            if (msgSeqNum >= store.nextInSeq())
            {
                store.nextInSeq(SequenceLimit.after(msgSeqNum)); // a journaled 2147483647 leaves it there, never wrapped
            }
            store.receivedInSeq(store.nextInSeq());
        }
        else
        {
            final InboundProgress progress = registry.inbound(header.sessionId());
            progress.commandJournaled(msgSeqNum);
            progress.update(store);
        }
    }

    /**
     * A command answered with a reject and never journaled (refused while halted, or lost with the
     * journal's failure) counts as received, as a message the gateway answers alone does: the
     * sender has its answer. Left outstanding, it held a resetting Logon back for good (it waits
     * for the old numbers' commands to reach the journal), and a logged-out session's close.
     */
    void answeredWithoutJournal(final int sessionId, final int msgSeqNum)
    {
        final SessionStore store = msgSeqNum == 0 ? null : registry.store(sessionId);
        if (store != null)
        {
            final InboundProgress progress = registry.inbound(sessionId);
            progress.commandJournaled(msgSeqNum);
            progress.update(store);
        }
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        eventIndex++;
        instruments.add(event.instrumentId(), event.buffer(), event.offset() + InstrumentAddedDecoder.symbolEncodingOffset());
        instruments.phase(event.instrumentId(), TradingPhases.ofStatus(event.status()).value());
    }

    // Phases are learned so that a refusal for the phase can name it. These events were never counted
    // in eventIndex (which numbers ExecIDs), and are not now: ExecIDs stay what they were.
    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        instruments.phase(event.instrumentId(), event.phaseRaw());
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        instruments.phase(event.instrumentId(), TradingPhases.ofStatus(event.status()).value());
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        eventIndex++;
        if (replayed)
        {
            return;
        }
        final AuditType type = event.auditType();
        directory.onAudit(header, event, (type == AuditType.LOGON && (event.detail() & Sessions.AUDIT_SEQUENCE_RESET) != 0)
            || (type == AuditType.OPERATOR && event.detail() == CommandType.SESSION_RESET.value()));
        if (type == AuditType.LOGON || type == AuditType.SESSION_CLAIMED)
        {
            // a session id comes into use by a logon or a claim; an operator may name any id (a block
            // put on a session before it ever logs on), which must not move the numbering
            registry.journaledSessionId(header.sessionId());
        }
        if (catchingUp)
        {
            leftBehind(header.sessionId(), type, event);
        }
        else if (handover != null && type == AuditType.LOGON && event.gatewayId() == gatewayId && header.sessionId() > 0
            && registry.store(header.sessionId()) == null)
        {
            handover.foreignLogonWithOurId(header.sessionId(), event.compId().trim());
        }
        if (type == AuditType.OPERATOR && handover != null && header.sessionId() > 0)
        {
            // on a cluster an operator's session action reaches the gateway serving the session through the log
            if (event.detail() == CommandType.SESSION_DISCONNECT.value() && !catchingUp)
            {
                handover.disconnectRequested(header.sessionId());
            }
            else if (event.detail() == CommandType.SESSION_RESET.value())
            {
                handover.resetRequested(header.sessionId(), entrySequence);
            }
        }
        if (type == AuditType.SEQUENCE_RESERVED)
        {
            final SessionDirectory.Entry entry = directory.bySessionId(header.sessionId());
            final SessionStore store = registry.store(header.sessionId());
            if (entry != null && store != null && entry.gatewayId == gatewayId && entrySequence > store.resetSequence())
            {
                store.reservedUpTo(entry.reservedUpTo);
            }
        }
    }

    /** Read at start: which of this gateway's sessions the journal leaves logged on or owed a cancel-on-disconnect. */
    private void leftBehind(final int sessionId, final AuditType type, final AuditRecordedDecoder event)
    {
        if (sessionId <= 0)
        {
            return;
        }
        final boolean ours = event.gatewayId() == gatewayId && registry.store(sessionId) != null;
        switch (type)
        {
            case LOGON ->
            {
                if (ours)
                {
                    disconnectCancels.onJournaledLogon(sessionId, event.accountId(), event.username().trim(),
                        (event.detail() & Sessions.AUDIT_CANCEL_ON_DISCONNECT) != 0);
                }
                else
                {
                    disconnectCancels.onJournaledClaimElsewhere(sessionId);
                }
            }
            case SESSION_CLAIMED ->
            {
                if (!ours)
                {
                    disconnectCancels.onJournaledClaimElsewhere(sessionId);
                }
            }
            case LOGOUT, DISCONNECTED -> disconnectCancels.onJournaledDisconnect(sessionId);
            default ->
            {
            }
        }
    }

    /** Sets where the event's report goes; false if nobody is to get it. */
    private boolean target(final int sessionId)
    {
        eventIndex++;
        if (sessionId <= 0)
        {
            return false;
        }
        // read again for a replay: only to the sessions being replayed, and only what they may have missed
        if (!reporting && (!replayed || entrySequence <= replayAfter.get(sessionId)))
        {
            return false;
        }
        if (reporting && fromJournal && handover != null && handover.holds(sessionId))
        {
            return false; // taken over here: its takeover's replay sends this, in journal order
        }
        final FixSession session = registry.online(sessionId);
        final SessionStore store = session != null ? session.store : registry.store(sessionId);
        if (store == null)
        {
            return false;
        }
        reports.target(session, store);
        reports.event(entrySequence, eventIndex, entryTimestampNs, entryMsgSeqNum);
        if (replayed)
        {
            reports.possResend(true);
            counters.reportsReplayed.incrementRelease();
        }
        return true;
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.accepted(e);
        }
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.rejected(e);
        }
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder e)
    {
        final short takerSide = e.takerSideRaw();
        final byte auction = e.auctionRaw() == BooleanType.TRUE.value() ? auctionSession : 0;
        if (target(e.takerSessionId()))
        {
            reports.fill(e.takerOrderId(), e.buffer(), e.offset() + TradeDecoder.takerClOrdIdEncodingOffset(), 'T', e.instrumentId(),
                takerSide, e.price(), e.quantity(), e.takerLeavesQty(), e.takerCumQty(), e.takerCumNotional(), auction);
        }
        // both sides of a trade share the event's number; the suffix tells them apart
        if (targetAgain(e.makerSessionId()))
        {
            reports.fill(e.makerOrderId(), e.buffer(), e.offset() + TradeDecoder.makerClOrdIdEncodingOffset(), 'M', e.instrumentId(),
                takerSide == Side.BUY.value() ? Side.SELL.value() : Side.BUY.value(),
                e.price(), e.quantity(), e.makerLeavesQty(), e.makerCumQty(), e.makerCumNotional(), auction);
        }
    }

    @Override
    public void onOrderElected(final EntryHeaderDecoder header, final OrderElectedDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.elected(e);
        }
    }

    @Override
    public void onOrderRested(final EntryHeaderDecoder header, final OrderRestedDecoder event)
    {
        eventIndex++;
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder event)
    {
        eventIndex++;
        // the fills that follow are this auction's: FIX 4.4's TradingSessionSubID for it
        TradingPhase call = event.callPhase();
        if (call == TradingPhase.HALTED && instruments.phaseBeforeHalt(event.instrumentId()) == TradingPhase.OPENING_CALL.value())
        {
            call = TradingPhase.OPENING_CALL; // a halted opening call lifted into continuous trading: its auction opens the instrument
        }
        auctionSession = (byte)(call == TradingPhase.OPENING_CALL ? '2' : call == TradingPhase.CLOSING_CALL ? '4' : '6');
    }

    /** The TradingSessionSubID of the auction the entry's auction fills belong to. */
    private byte auctionSession = '6';

    @Override
    public void onOrdersExpired(final EntryHeaderDecoder header, final OrdersExpiredDecoder event)
    {
        eventIndex++;
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.canceled(e);
        }
        if (e.reason() == CancelReason.USER && answersAnotherSession(header, CommandType.CANCEL_ORDER, e.sessionId()) &&
            targetAgain(header.sessionId()))
        {
            reports.canceled(e);
        }
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.replaced(e);
        }
        if (answersAnotherSession(header, CommandType.REPLACE_ORDER, e.sessionId()) && targetAgain(header.sessionId()))
        {
            reports.replaced(e);
        }
    }

    /**
     * True when the event answers a cancel or replace that another session of the order's account
     * sent: FIX answers a request to its sender, so the sender gets the report too (with the same
     * ExecID: it is the same execution), as well as the session that entered the order.
     */
    private static boolean answersAnotherSession(final EntryHeaderDecoder header, final CommandType request, final int orderSessionId)
    {
        return header.commandTypeRaw() == request.value() && header.sessionId() > 0 && header.sessionId() != orderSessionId;
    }

    /** {@link #target} for a second session of the event just targeted: the event's number is taken once for both. */
    private boolean targetAgain(final int sessionId)
    {
        eventIndex--;
        return target(sessionId);
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder header, final CancelRejectedDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.cancelRejected(e);
        }
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder e)
    {
        if (e.reason() == CancelReason.CANCEL_ON_DISCONNECT)
        {
            eventIndex++;
            if (!replayed && registry.store(e.sessionId()) != null) // one of this gateway's sessions
            {
                disconnectCancels.onSliceDone(e.sessionId(), e.accountId(),
                    e.rejectReason() == RejectReason.NONE && e.moreRemaining() == BooleanType.TRUE, reporting && !catchingUp);
            }
            return;
        }
        if (e.reason() == CancelReason.MASS_CANCEL && registry.store(e.sessionId()) != null)
        {
            if (replayed)
            {
                // read again for a replay: only a mass cancel done in one command is reported again
                final boolean blank = e.buffer().getByte(e.offset() + MassCancelDoneDecoder.clOrdIdEncodingOffset()) == 0;
                if (blank || e.moreRemaining() == BooleanType.TRUE)
                {
                    eventIndex++;
                }
                else if (target(e.sessionId()))
                {
                    reports.massCancelDone(e);
                }
                return;
            }
            final ClientMassCancels.Pending done = massCancels.onSliceDone(e, reporting && !catchingUp, singleMassCancel);
            if (done == null)
            {
                eventIndex++; // more slices to come: one report at the end
                return;
            }
            if (target(e.sessionId()))
            {
                massCancelClOrdId.wrap(done.clOrdId);
                reports.massCancelDone(e, massCancelClOrdId, 0, done.canceled);
            }
            return;
        }
        // a kill switch's slice was an operator's, not the session's request: its cancels were reported one by one
        if (e.reason() != CancelReason.KILL_SWITCH && target(e.sessionId()))
        {
            reports.massCancelDone(e);
        }
    }

    @Override
    public void onOrderStatusReport(final EntryHeaderDecoder header, final OrderStatusReportDecoder e)
    {
        if (target(e.sessionId()))
        {
            reports.statusReport(e);
        }
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder header, final CommandRejectedDecoder e)
    {
        // journaled CommandRejected answer malformed or operator commands: nobody on FIX to tell,
        // except for commands refused while halted, which carry their session in the header; of
        // those only a client's request is answered: the gateway's own (a Logon's audit record) got a
        // BusinessMessageReject of a message the client never sent (an outside probe)
        if (ReportWriter.isClientRequest(e.commandType()) && target(entrySequence == 0 ? header.sessionId() : 0))
        {
            reports.commandRefused(e);
        }
        if (entrySequence == 0 && e.reason() == RejectReason.EXCHANGE_HALTED && e.templateId() == MassCancelDecoder.TEMPLATE_ID)
        {
            // a cancel-on-disconnect's slice, refused while halted (a client's own mass cancel leaves no cancel in progress)
            disconnectCancels.onSliceRefused(header.sessionId());
        }
    }
}
