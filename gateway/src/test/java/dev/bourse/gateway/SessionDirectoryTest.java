package dev.bourse.gateway;

import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditRecordedEncoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.EntryHeaderEncoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** What a gateway learns from the journal about every session, and where a takeover's replay starts. */
class SessionDirectoryTest
{
    private final SessionDirectory directory = new SessionDirectory();
    private final List<String> claims = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final EntryHeaderDecoder header = new EntryHeaderDecoder();
    private final AuditRecordedDecoder audit = new AuditRecordedDecoder();

    SessionDirectoryTest()
    {
        directory.claimListener((sessionId, by, sequence) -> claims.add(sessionId + " by " + by + " at " + sequence));
    }

    @Test
    void learnsSessionsNumbersAndReservationsFromTheJournal()
    {
        audit(10, 7, AuditType.LOGON, 0, 1, "T1", false);
        entry(11, 7, 2);
        entry(12, 7, 3);
        entry(13, 8, 40); // another session's
        audit(14, 7, AuditType.SEQUENCE_RESERVED, 4097, 1, "T1", false);
        audit(20, 7, AuditType.SEQUENCE_RESERVED, 8193, 1, "T1", false);
        audit(21, 7, AuditType.SEQUENCE_RESERVED, 9000, 2, "T1", false); // not from its gateway: ignored

        final SessionDirectory.Entry t1 = directory.byCompId("T1");
        assertEquals(7, t1.sessionId);
        assertEquals(1, t1.gatewayId);
        assertEquals("alice", t1.username);
        assertEquals(3, t1.lastInbound);
        assertEquals(8193, t1.reservedUpTo);
        assertSame(t1, directory.bySessionId(7));
        assertNull(directory.byCompId("T2"));

        // a client having everything below 5 may have missed any report since the numbering began
        assertEquals(10, t1.replayAfter(5));
        // having everything up to 4097: the reports up to the first reservation's entry were all numbered at most 4097
        assertEquals(14, t1.replayAfter(4098));
        assertEquals(14, t1.replayAfter(8193));
        assertEquals(20, t1.replayAfter(9000));
    }

    @Test
    void aLogonInSequenceCountsAsReceivedForANewSessionAndANewNumbering()
    {
        // a session whose only message was its Logon: a gateway taking it over asked for the Logon again (an outside tester)
        audit(10, 7, AuditType.SEQUENCE_RESERVED, 4097, 1, "T1", false); // reserved for the logon reply before the LOGON
        audit(11, 7, AuditType.LOGON, 0, 1, "T1", false, 1);
        final SessionDirectory.Entry t1 = directory.byCompId("T1");
        assertEquals(1, t1.lastInbound);
        audit(12, 9, AuditType.LOGON, 0, 1, "T9", false, 1);
        assertEquals(1, directory.byCompId("T9").lastInbound, "a session the directory meets at its LOGON");
        entry(13, 7, 2);
        audit(14, 7, AuditType.LOGON, Sessions.AUDIT_SEQUENCE_RESET, 1, "T1", true, 1);
        assertEquals(1, t1.lastInbound, "a reset's Logon is the new numbering's first message");
        audit(15, 7, AuditType.LOGON, 0, 1, "T1", false);
        assertEquals(1, t1.lastInbound, "a Logon ahead of the expected number carries none");
    }

    @Test
    void aClaimMovesTheSessionAndAResetRestartsItsNumbering()
    {
        audit(10, 7, AuditType.LOGON, 0, 1, "T1", false);
        entry(11, 7, 5);
        audit(12, 7, AuditType.SEQUENCE_RESERVED, 4097, 1, "T1", false);
        audit(30, 7, AuditType.SESSION_CLAIMED, 0, 2, "T1", false);
        assertEquals(List.of("7 by 2 at 30"), claims);
        final SessionDirectory.Entry t1 = directory.byCompId("T1");
        assertEquals(2, t1.gatewayId);
        assertEquals(4097, t1.reservedUpTo, "the old gateway's reservations stand until the new one reserves");
        audit(31, 7, AuditType.SEQUENCE_RESERVED, 4200, 1, "T1", false);
        assertEquals(4097, t1.reservedUpTo, "the old gateway's reservations after the claim do not count");
        audit(32, 7, AuditType.SEQUENCE_RESERVED, 8193, 2, "T1", false);
        assertEquals(8193, t1.reservedUpTo);

        audit(40, 7, AuditType.LOGON, Sessions.AUDIT_SEQUENCE_RESET, 2, "T1", true);
        assertEquals(0, t1.reservedUpTo);
        assertEquals(0, t1.lastInbound);
        assertEquals(40, t1.replayAfter(2));
    }

    @Test
    void aReservationBeforeTheFirstLogonCounts()
    {
        audit(13, 7, AuditType.SEQUENCE_RESERVED, 4097, 1, "T1", false);
        audit(14, 7, AuditType.LOGON, 0, 1, "T1", false);
        assertEquals(4097, directory.byCompId("T1").reservedUpTo);
    }

    @Test
    void keepsABoundedNumberOfReservations()
    {
        audit(1, 7, AuditType.LOGON, 0, 1, "T1", false);
        for (int i = 1; i <= SessionDirectory.MAX_RESERVATIONS + 10; i++)
        {
            audit(1 + i, 7, AuditType.SEQUENCE_RESERVED, i * 100, 1, "T1", false);
        }
        final SessionDirectory.Entry t1 = directory.byCompId("T1");
        assertEquals(SessionDirectory.MAX_RESERVATIONS, t1.reservationUpTo.size());
        assertEquals(1, t1.replayAfter(150), "below the oldest kept: from the numbering's start");
        assertEquals(1 + SessionDirectory.MAX_RESERVATIONS + 9, t1.replayAfter((SessionDirectory.MAX_RESERVATIONS + 10) * 100));
    }

    private void entry(final long sequence, final int sessionId, final int msgSeqNum)
    {
        new EntryHeaderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).sequence(sequence).sessionId(sessionId)
            .commandType(CommandType.NEW_ORDER).msgSeqNum(msgSeqNum);
        header.wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        directory.onEntryStart(header);
    }

    private void audit(
        final long sequence, final int sessionId, final AuditType type, final int detail, final int gatewayId, final String compId,
        final boolean reset)
    {
        audit(sequence, sessionId, type, detail, gatewayId, compId, reset, 0);
    }

    private void audit(
        final long sequence, final int sessionId, final AuditType type, final int detail, final int gatewayId, final String compId,
        final boolean reset, final int msgSeqNum)
    {
        new EntryHeaderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).sequence(sequence).sessionId(sessionId)
            .commandType(CommandType.AUDIT).msgSeqNum(msgSeqNum);
        header.wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        final int at = 256;
        new AuditRecordedEncoder().wrapAndApplyHeader(buffer, at, new MessageHeaderEncoder()).accountId(1).auditType(type).detail(detail)
            .username("alice").instrumentId(0).gatewayId(gatewayId).compId(compId);
        audit.wrapAndApplyHeader(buffer, at, new MessageHeaderDecoder());
        directory.onEntryStart(header);
        directory.onAudit(header, audit, reset);
    }
}
