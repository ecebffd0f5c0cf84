package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.Role;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The audit log names the door a record came through where the journal's record does
 * ({@code AuditRecorded.compId}, schema version 6): the FIX session's SenderCompID on its LOGON
 * (and SEQUENCE_RESERVED, SESSION_CLAIMED), {@code query} for a password refused at the query side.
 * It is {@code compId} in {@code GET /api/v1/audit} (null where the record names none) and the last
 * column, {@code comp_id}, of the activity report. On SQLite and PostgreSQL.
 */
class AuditLogTest
{
    private static final String AUDITOR = basic("audit", "audit-secret");
    private static final Pattern RECORD = Pattern.compile("\\{\"sequence\":\\d+,[^{}]*}");

    private final CommandWriter writer = new CommandWriter();
    private Workload workload;
    private ReadModelsServer server;
    private ApiClient api;

    private void start(final String store) throws Exception
    {
        workload = new Workload(11);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("audit", "audit-secret", Role.COMPLIANCE, 0, true);
        server = TestPostgres.querySide(workload, credentials, store);
        api = new ApiClient(server.port());
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgresql"})
    void aRecordShowsTheCompIdItsJournalEntryCarries(final String store) throws Exception
    {
        start(store);
        // a FIX session logs on at gateway 2 as FIRM1 and out (the gateway names the CompID on the LOGON only);
        // a password is refused at the query side's door; an operator deposits
        workload.submit(b -> writer.audit(b, 0, 0, 7, 1, AuditType.LOGON, 0, "alice", 2, "FIRM1"));
        workload.submit(b -> writer.audit(b, 0, 0, 7, 1, AuditType.LOGOUT, 0, "alice"));
        workload.submit(b -> writer.audit(b, 0, 0, 0, 0, AuditType.LOGON_FAILED, 3, "mallory", 0, "query"));
        workload.submit(b -> writer.operatorAudit(b, 0, 0, "ops", CommandType.DEPOSIT, 1, 0, 0));
        // an order the gateway refused itself (a Side the exchange does not trade)
        workload.submit(b -> writer.refusedOrderAudit(b, 0, 0, 7, 1, dev.bourse.protocol.sbe.RejectReason.INVALID_SIDE, "alice", 1, "r1"));
        final long last = workload.journal.size() - 1;

        final HttpResponse<String> log = api.get("/api/v1/audit?limit=1000&waitFor=" + last + "&timeoutMs=20000", AUDITOR);
        assertEquals(200, log.statusCode(), log.body());
        final List<String> records = new ArrayList<>();
        final Matcher m = RECORD.matcher(log.body());
        while (m.find())
        {
            records.add(m.group());
        }
        assertTrue(record(records, "\"username\":\"alice\",\"type\":\"LOGON\"")
            .contains("\"sessionId\":7,\"compId\":\"FIRM1\",\"detail\":0}"), log.body());
        assertTrue(record(records, "\"username\":\"alice\",\"type\":\"LOGOUT\"")
            .contains("\"sessionId\":7,\"compId\":null,"), log.body());
        assertTrue(record(records, "\"username\":\"mallory\",\"type\":\"LOGON_FAILED\"")
            .contains("\"sessionId\":0,\"compId\":\"query\",\"detail\":3}"), log.body());
        assertTrue(record(records, "\"username\":\"ops\",\"type\":\"OPERATOR\",\"action\":\"DEPOSIT\"")
            .contains("\"compId\":null,"), log.body());

        // the account's activity report: comp_id is its last column
        final HttpResponse<String> report = api.get("/api/v1/accounts/1/activity.csv?limit=100000", AUDITOR);
        assertEquals(200, report.statusCode(), report.body());
        final List<String> lines = Arrays.asList(report.body().split("\n"));
        assertTrue(lines.get(0).endsWith(",detail,balance,comp_id"), lines.get(0));
        final String logon = line(lines, ",AUDIT,7,alice,", ",LOGON,");
        assertTrue(logon.endsWith(",LOGON,,FIRM1"), logon);
        final String logout = line(lines, ",AUDIT,7,alice,", ",LOGOUT,");
        assertTrue(logout.endsWith(",LOGOUT,,"), logout);
        for (final String line : lines.subList(1, lines.size()))
        {
            assertEquals(14, line.chars().filter(c -> c == ',').count(), "15 columns: " + line);
        }

        // the gateway's refusal: in the audit log as ORDER_REFUSED (detail: the reason), and a line of its own in the
        // account's activity, with the request's ClOrdID, the instrument and the reason, as the engine's rejects have
        assertTrue(record(records, "\"username\":\"alice\",\"type\":\"ORDER_REFUSED\"")
            .contains("\"instrumentId\":1,\"sessionId\":7,\"compId\":null,\"detail\":21}"), log.body());
        final String refused = line(lines, ",ORDER_REFUSED,,r1,1,", ",INVALID_SIDE,");
        assertTrue(refused.endsWith(",INVALID_SIDE,,"), refused);
    }

    private static String record(final List<String> records, final String with)
    {
        final List<String> found = records.stream().filter(r -> r.contains(with)).toList();
        assertEquals(1, found.size(), with + " in " + records);
        return found.get(0);
    }

    private static String line(final List<String> lines, final String with, final String and)
    {
        final List<String> found = lines.stream().filter(l -> l.contains(with) && l.contains(and)).toList();
        assertEquals(1, found.size(), with + and + " in " + lines);
        return found.get(0);
    }
}
