package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong password at the query API is journaled as a refused FIX Logon is: LOGON_FAILED, then LOCKED_OUT. */
class QueryLogonAuditTest
{
    @TempDir
    Path temp;

    private OpsExchange exchange;

    @AfterEach
    void tearDown()
    {
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void refusedHttpLoginsLeaveTheSameAuditTrailAsFixLogons() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        for (int i = 1; i <= 2; i++)
        {
            assertEquals(401, exchange.get("/api/v1/accounts/1004/balances", "dave", "wrong-" + i).status());
        }
        awaitTrue(() -> audits().size() >= 2, "two refused logins journaled");
        final List<String> audits = audits();
        assertEquals("LOGON_FAILED dave query 1", audits.get(0), audits.toString());
        assertEquals("LOGON_FAILED dave query 2", audits.get(1), audits.toString());
        assertTrue(audits.stream().allMatch(a -> !a.contains("wrong-")), "no password in the journal: " + audits);
    }

    /** LOGON_FAILED and LOCKED_OUT audits as "type username compId count". */
    private List<String> audits()
    {
        final List<String> found = new CopyOnWriteArrayList<>();
        exchange.readJournal(new JournalEventListener()
        {
            @Override
            public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
            {
                if (event.auditType() == AuditType.LOGON_FAILED || event.auditType() == AuditType.LOCKED_OUT)
                {
                    found.add(event.auditType() + " " + event.username().trim() + " " + event.compId().trim() + " " + (event.detail() & 0xFFFF));
                }
            }
        });
        return found;
    }
}
