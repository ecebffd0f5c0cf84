package dev.bourse.gateway;

import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.HashMap;
import java.util.Map;

/**
 * What the journal says about every FIX session of the exchange, whichever gateway serves it: its
 * CompID and engine session id, the gateway that serves it now, the highest inbound MsgSeqNum
 * journaled, and the outbound MsgSeqNums its gateway reserved (SEQUENCE_RESERVED audits). With
 * several gateways on a cluster, this is what lets a client whose gateway died log on at another
 * one and carry on with its sequence numbers (see {@link SessionHandover}). Gateway thread only.
 */
final class SessionDirectory
{
    /** Reservations kept per session for finding where a replay starts; older ones fall back to the numbering's start. */
    static final int MAX_RESERVATIONS = 64;

    /** One session as the journal knows it. */
    static final class Entry
    {
        final String compId;
        final int sessionId;
        String username;
        /** The gateway serving it (cluster.gateway-id): the last LOGON's or claim's. */
        int gatewayId;
        /** The highest inbound MsgSeqNum journaled in the current numbering. */
        int lastInbound;
        /** The highest outbound MsgSeqNum its serving gateway reserved in the current numbering. */
        int reservedUpTo;
        /** Journal sequence where the current numbering began (its first LOGON, or its last reset). */
        long numberingStart;
        /** Reservations in the current numbering, oldest first: the entry's sequence and the number reserved up to. */
        final LongArrayList reservationSequences = new LongArrayList();
        final IntArrayList reservationUpTo = new IntArrayList();

        Entry(final String compId, final int sessionId)
        {
            this.compId = compId;
            this.sessionId = sessionId;
        }

        void restartNumbering(final long sequence)
        {
            lastInbound = 0;
            reservedUpTo = 0;
            numberingStart = sequence;
            reservationSequences.clear();
            reservationUpTo.clear();
        }

        /**
         * The journal sequence after which the reports the client may have missed begin, for a
         * client whose next expected MsgSeqNum is {@code nextExpected}. Every report of an event up
         * to a reservation's entry was sent numbered at most that reservation's number (a gateway
         * asks for the next reservation only once it has read the last one back), so the client,
         * having everything below {@code nextExpected}, has every report up to the entry of the
         * last reservation that ends below it.
         */
        long replayAfter(final int nextExpected)
        {
            long after = numberingStart;
            for (int i = 0; i < reservationUpTo.size(); i++)
            {
                if (reservationUpTo.getInt(i) < nextExpected)
                {
                    after = reservationSequences.getLong(i);
                }
                else
                {
                    break;
                }
            }
            return after;
        }

        /** A copy of where the numbering started and its reservations (kept while a takeover's client catches up). */
        Entry copyNumbering()
        {
            final Entry copy = new Entry(compId, sessionId);
            copy.numberingStart = numberingStart;
            for (int i = 0; i < reservationUpTo.size(); i++)
            {
                copy.reservationSequences.addLong(reservationSequences.getLong(i));
                copy.reservationUpTo.addInt(reservationUpTo.getInt(i));
            }
            return copy;
        }
    }

    /** Told when a session this gateway does not serve any more was taken over by another gateway. */
    interface ClaimListener
    {
        void onClaimed(int sessionId, int byGatewayId, long sequence);
    }

    private final Map<String, Entry> byCompId = new HashMap<>();
    private final Int2ObjectHashMap<Entry> bySessionId = new Int2ObjectHashMap<>();
    private ClaimListener claimListener = (sessionId, by, sequence) -> { };

    void claimListener(final ClaimListener listener)
    {
        this.claimListener = listener;
    }

    Entry byCompId(final String compId)
    {
        return byCompId.get(compId);
    }

    Entry bySessionId(final int sessionId)
    {
        return bySessionId.get(sessionId);
    }

    /** Every entry's header: the inbound MsgSeqNum it carries, for whichever session. */
    void onEntryStart(final EntryHeaderDecoder header)
    {
        final int msgSeqNum = header.msgSeqNum();
        if (msgSeqNum > 0 && msgSeqNum != EntryHeaderDecoder.msgSeqNumNullValue())
        {
            final Entry entry = bySessionId.get(header.sessionId());
            if (entry != null && msgSeqNum > entry.lastInbound)
            {
                entry.lastInbound = msgSeqNum;
            }
        }
    }

    /** @param resetsNumbering a LOGON with ResetSeqNumFlag, or an operator's reset of the session's numbers */
    void onAudit(final EntryHeaderDecoder header, final AuditRecordedDecoder event, final boolean resetsNumbering)
    {
        final AuditType type = event.auditType();
        if (type != AuditType.OPERATOR && event.actingVersion() < AuditRecordedDecoder.compIdSinceVersion())
        {
            return; // written before gateways named their sessions: nothing to hand over
        }
        final int sessionId = header.sessionId();
        if (type == AuditType.OPERATOR && resetsNumbering)
        {
            final Entry entry = bySessionId.get(sessionId);
            if (entry != null)
            {
                entry.restartNumbering(header.sequence()); // an operator's reset of a session not logged on
            }
            return;
        }
        if (type != AuditType.LOGON && type != AuditType.SEQUENCE_RESERVED && type != AuditType.SESSION_CLAIMED)
        {
            return;
        }
        final String compId = event.compId().trim();
        if (sessionId <= 0 || compId.isEmpty())
        {
            return;
        }
        Entry entry = bySessionId.get(sessionId);
        if (entry == null || !entry.compId.equals(compId))
        {
            entry = new Entry(compId, sessionId);
            entry.numberingStart = header.sequence();
            entry.gatewayId = event.gatewayId(); // a gateway reserves for its logon reply before it journals the LOGON
            bySessionId.put(sessionId, entry);
            byCompId.put(compId, entry);
        }
        switch (type)
        {
            case LOGON:
                entry.username = event.username().trim();
                entry.gatewayId = event.gatewayId();
                if (resetsNumbering)
                {
                    entry.restartNumbering(header.sequence());
                }
                // a Logon in sequence carries its MsgSeqNum: read at the entry's start, before the entry of a new
                // session or a new numbering was there to take it
                final int logonSeq = header.msgSeqNum();
                if (logonSeq > entry.lastInbound && logonSeq != EntryHeaderDecoder.msgSeqNumNullValue())
                {
                    entry.lastInbound = logonSeq;
                }
                break;
            case SESSION_CLAIMED:
                entry.username = event.username().trim();
                entry.gatewayId = event.gatewayId();
                claimListener.onClaimed(sessionId, event.gatewayId(), header.sequence());
                break;
            case SEQUENCE_RESERVED:
                if (event.gatewayId() == entry.gatewayId && event.detail() > entry.reservedUpTo)
                {
                    entry.reservedUpTo = event.detail();
                    if (entry.reservationSequences.size() == MAX_RESERVATIONS)
                    {
                        entry.reservationSequences.removeAt(0);
                        entry.reservationUpTo.removeAt(0); // a replay for numbers before the oldest starts at the numbering's start
                    }
                    entry.reservationSequences.addLong(header.sequence());
                    entry.reservationUpTo.addInt(event.detail());
                }
                break;
            default:
                break;
        }
    }
}
