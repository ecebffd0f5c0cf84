package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemberPortsCheckTest
{
    @Test
    void aMemberPortHeldByAnotherSocketIsNamedWithWhatItIsFor() throws Exception
    {
        final int base = LoopbackPorts.freeUdpRange(ClusterMembers.PORTS_PER_MEMBER);
        final ClusterMembers.Member member = new ClusterMembers.Member(2, "localhost", base);
        assertDoesNotThrow(() -> MemberPortsCheck.refuseIfTaken(member));
        try (DatagramSocket holder = new DatagramSocket(null))
        {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 2));
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MemberPortsCheck.refuseIfTaken(member));
            assertEquals("cluster.members: node 2's UDP port " + (base + 2) + " (its log port) on localhost is in use by another process:"
                + " stop it, or give node 2 another base port (each member needs 5 ports from its base)", refused.getMessage());
        }
        assertDoesNotThrow(() -> MemberPortsCheck.refuseIfTaken(member), "free again once the other socket closed");
    }
}
