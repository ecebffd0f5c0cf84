package dev.bourse.gateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The refusal log's lines: bounded, printable, and a TLS failure's reason kept to its useful part. */
class AbuseLogTest
{
    /**
     * The JDK's reason for a refused client certificate said what was wrong after its 80th character,
     * and the line stopped at the 80th (an outside probe): a TLS detail is kept to 300.
     */
    @Test
    void aTlsFailureKeepsItsReasonPastEightyCharactersButStaysBounded()
    {
        final List<String> lines = new ArrayList<>();
        final GatewayCounters counters = new GatewayCounters(new CountersManager(new UnsafeBuffer(new byte[256 * 1024]),
            new UnsafeBuffer(new byte[64 * 1024])));
        try
        {
            final AbuseLog log = new AbuseLog(lines::add, 10_000, counters);
            final String reason = "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed";
            log.record(Refusal.TLS_HANDSHAKE, 1_000, "127.0.0.1", reason);
            assertEquals("gateway: TLS handshake_failed 127.0.0.1: TLS handshake failed (" + reason + ")", lines.get(0));

            log.record(Refusal.TLS_RENEGOTIATION, 1_000, "127.0.0.1", "x".repeat(1_000));
            assertTrue(lines.get(1).endsWith("(" + "x".repeat(300) + "...)"), lines.get(1));

            log.record(Refusal.GARBLED_BEFORE_LOGON, 1_000, "127.0.0.1", "y".repeat(1_000));
            assertTrue(lines.get(2).endsWith("(" + "y".repeat(80) + "...)"), "other details stay at 80: " + lines.get(2));
        }
        finally
        {
            counters.close();
        }
    }
}
