package dev.bourse.gateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * accept() failing in a row (EMFILE: the connection stays in the backlog and select returns at
 * once) makes the acceptor pause longer each time, up to 100 ms, and log once per interval with a
 * count, where an outside probe saw it spin and write 1.4 million lines in 26 s.
 */
class AcceptFailuresTest
{
    @Test
    void thePauseDoublesFromOneMillisecondToAHundredAndStartsAgainAfterASuccess()
    {
        final AcceptBackoff backoff = new AcceptBackoff();
        final List<Long> pausesMs = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            pausesMs.add(backoff.failed() / 1_000_000);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 100L, 100L, 100L), pausesMs);
        backoff.succeeded();
        assertEquals(1, backoff.failed() / 1_000_000);
    }

    @Test
    void failuresAreCountedEachAndLoggedOncePerIntervalWithHowManyMore()
    {
        final GatewayCounters counters = new GatewayCounters(new CountersManager(new UnsafeBuffer(new byte[256 * 1024]),
            new UnsafeBuffer(new byte[64 * 1024])));
        final List<String> lines = new ArrayList<>();
        final AbuseLog log = new AbuseLog(lines::add, 10_000, counters);
        long nowMs = 1_000_000;
        for (int i = 0; i < 50_000; i++)
        {
            log.record(Refusal.ACCEPT_FAILED, nowMs, "port 9880", "Too many open files");
            nowMs += i % 1000 == 0 ? 1 : 0; // 26 s of failures at tens of thousands a second, on a fake clock
        }
        assertEquals(1, lines.size(), lines.toString());
        log.record(Refusal.ACCEPT_FAILED, nowMs + 10_000, "port 9880", "Too many open files");
        assertEquals(2, lines.size());
        assertEquals("gateway: refused connection accept_failed port 9880: " + Refusal.ACCEPT_FAILED.description
            + " (Too many open files); 49999 more like it in the last 10 s", lines.get(1));
        assertEquals(50_001, counters.refusal(Refusal.ACCEPT_FAILED).get(), "every failure is counted (bourse_gateway_connections_refused_total)");
    }
}
