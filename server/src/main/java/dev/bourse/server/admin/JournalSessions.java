package dev.bourse.server.admin;

import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The FIX sessions of an exchange whose gateways run in processes of their own (a cluster), as the
 * journal tells them: each session's CompID, user, the gateway serving it, whether it is logged on
 * (a LOGON not yet followed by a LOGOUT or DISCONNECTED; a gateway that died leaves its sessions
 * logged on until a client takes them over elsewhere), the last inbound MsgSeqNum journaled and the
 * outbound numbers reserved. Reads the journal incrementally on each call; any thread (synchronized).
 */
public final class JournalSessions implements JournalEventListener, AutoCloseable
{
    /** One session. */
    public record Session(int sessionId, String compId, String username, int gatewayId, boolean online, int lastInbound,
        int outboundReservedUpTo)
    {
    }

    private static final class Mutable
    {
        String compId = "";
        String username = "";
        int gatewayId;
        boolean online;
        int lastInbound;
        int reservedUpTo;
    }

    private final JournalTailer tailer;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final TreeMap<Integer, Mutable> sessions = new TreeMap<>();

    public JournalSessions(final JournalTailer tailer)
    {
        this.tailer = tailer;
    }

    /** Every session the journal names, by session id, as of its newest entry. */
    public synchronized List<Session> list()
    {
        catchUp();
        final List<Session> list = new ArrayList<>();
        sessions.forEach((id, s) -> list.add(view(id, s)));
        return list;
    }

    /** Journal position of the newest entry {@link #list} has read (an answer's position). */
    public synchronized long position()
    {
        return tailer.position();
    }

    /** Engine sequence of the newest entry {@link #list} has read. */
    public synchronized long lastSequence()
    {
        return tailer.lastSequence();
    }

    /** One session, or null if the journal names none with this id. */
    public synchronized Session session(final int sessionId)
    {
        catchUp();
        final Mutable s = sessions.get(sessionId);
        return s == null ? null : view(sessionId, s);
    }

    private static Session view(final int id, final Mutable s)
    {
        return new Session(id, s.compId, s.username, s.gatewayId, s.online, s.lastInbound, s.reservedUpTo);
    }

    private void catchUp()
    {
        while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, this), 65_536) > 0)
        {
            // reading
        }
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        final int msgSeqNum = header.msgSeqNum();
        if (msgSeqNum > 0 && msgSeqNum != EntryHeaderDecoder.msgSeqNumNullValue())
        {
            final Mutable s = sessions.get(header.sessionId());
            if (s != null && msgSeqNum > s.lastInbound)
            {
                s.lastInbound = msgSeqNum;
            }
        }
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        final int sessionId = header.sessionId();
        if (sessionId <= 0)
        {
            return;
        }
        final AuditType type = event.auditType();
        final boolean named = event.actingVersion() >= AuditRecordedDecoder.compIdSinceVersion();
        Mutable s = sessions.get(sessionId);
        if (s == null)
        {
            if (type != AuditType.LOGON && type != AuditType.SEQUENCE_RESERVED && type != AuditType.SESSION_CLAIMED)
            {
                return;
            }
            s = new Mutable();
            sessions.put(sessionId, s);
        }
        if (named && !event.compId().isBlank())
        {
            s.compId = event.compId().trim();
            s.gatewayId = event.gatewayId();
        }
        switch (type)
        {
            case LOGON ->
            {
                s.username = event.username().trim();
                s.online = true;
                if ((event.detail() & 1) != 0) // the LOGON of a ResetSeqNumFlag logon (bit 2: cancel-on-disconnect chosen)
                {
                    s.lastInbound = 0;
                    s.reservedUpTo = 0;
                }
            }
            case LOGOUT, DISCONNECTED, SESSION_CLAIMED -> s.online = false; // a claim is followed by the new gateway's LOGON
            case SEQUENCE_RESERVED -> s.reservedUpTo = Math.max(s.reservedUpTo, event.detail());
            case OPERATOR ->
            {
                if (event.detail() == CommandType.SESSION_RESET.value())
                {
                    s.lastInbound = 0;
                    s.reservedUpTo = 0;
                }
            }
            default ->
            {
            }
        }
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
