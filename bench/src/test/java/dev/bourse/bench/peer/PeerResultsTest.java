package dev.bourse.bench.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerResultsTest
{
    @Test
    void rejectsAreSummedOverEveryIterationNotTakenFromTheLast()
    {
        final PeerProcess.Results results = new PeerProcess.Results();
        results.lines.add("PEER warmup iteration=1 cps=100");
        results.lines.add("PEER throughput iteration=1 cps=100 rejects=3");
        results.lines.add("PEER throughput iteration=2 cps=100 rejects=0");
        results.lines.add("PEER throughput-median cps=100");
        results.lines.add("PEER rejects count=0 first=none");
        results.lines.add("PEER latency rate=1000 count=10 p50=1 p90=1 p99=1 p999=1 p9999=1 max=1 rejects=2");
        assertEquals(3, results.sum("throughput", "rejects"));
        assertEquals(2, results.sum("latency", "rejects"));
        assertEquals(0, results.sum("warmup", "rejects"));
        assertEquals("0", results.find("rejects", null, null).get("count"), "the peer's own line: the last iteration only");
    }
}
