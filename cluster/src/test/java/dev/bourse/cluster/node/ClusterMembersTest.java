package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterMembersTest
{
    @Test
    void membersBecomeAeronsMemberStringAndTheClientsIngressEndpoints()
    {
        final ClusterMembers members = ClusterMembers.parse("2=hostC:9000, 0=hostA:9000,1=hostB:9000");
        assertEquals(3, members.size());
        assertEquals("0,hostA:9000,hostA:9001,hostA:9002,hostA:9003,hostA:9004|"
            + "1,hostB:9000,hostB:9001,hostB:9002,hostB:9003,hostB:9004|"
            + "2,hostC:9000,hostC:9001,hostC:9002,hostC:9003,hostC:9004|", members.aeronClusterMembers());
        assertEquals("0=hostA:9000,1=hostB:9000,2=hostC:9000", members.ingressEndpoints());
        assertEquals("hostB", members.member(1).host());
    }

    @Test
    void badMembersAreRefusedWithTheReason()
    {
        assertTrue(message("").contains("empty"));
        assertTrue(message("0=localhost").contains("'0=localhost' is not id=host:port"));
        assertTrue(message("x=localhost:9000").contains("is not id=host:port"));
        assertTrue(message("0=a:9000,0=b:9000").contains("appears twice"));
        assertTrue(message("0=localhost:9000,1=localhost:9003").contains("at least 5 apart"));
        assertTrue(message("0=localhost:65533").contains("no room"));
        assertThrows(IllegalArgumentException.class, () -> ClusterMembers.parse("0=a:9000").member(1));
    }

    private static String message(final String members)
    {
        return assertThrows(IllegalArgumentException.class, () -> ClusterMembers.parse(members)).getMessage();
    }

    @Test
    void durationsAndSizesAsOperatorsWriteThem()
    {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(300), Durations.parseNanos("300ms"));
        assertEquals(TimeUnit.SECONDS.toNanos(2), Durations.parseNanos("2s"));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(250), Durations.parseNanos("250us"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), Durations.parseNanos("1.5s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("5")).getMessage().contains("needs a unit"));
        assertEquals(4 * 1024 * 1024, Durations.parseSize("4m"));
        assertEquals(65_536, Durations.parseSize("64k"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSize("lots"));
    }

    @Test
    void contextChecksTimeoutsAndTermLength()
    {
        final ClusterNode.Context ok = new ClusterNode.Context().nodeId(0).members("0=localhost:9000").dir(java.nio.file.Path.of("x"));
        ok.conclude();
        assertTrue(ok.aeronDir().contains("bourse-node-0-"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClusterNode.Context().nodeId(0).members("0=localhost:9000")
            .dir(java.nio.file.Path.of("x")).logTermLength(100_000).conclude()).getMessage().contains("power of two"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClusterNode.Context().nodeId(0).members("0=localhost:9000")
            .dir(java.nio.file.Path.of("x")).leaderHeartbeatTimeoutNs(10).leaderHeartbeatIntervalNs(10).conclude()).getMessage()
            .contains("at least twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClusterNode.Context().nodeId(0).members("0=localhost:9000")
            .dir(java.nio.file.Path.of("x")).idleStrategy("spin-wildly").conclude()).getMessage().contains("unknown idle strategy"));
    }
}
