package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackPortsTest
{
    @Test
    void aFreeRangeLiesOutsideTheKernelsEphemeralPortsAndCanBeBound() throws Exception
    {
        final int[] ephemeral = LoopbackPorts.ephemeralRange();
        assertTrue(ephemeral[0] <= ephemeral[1], "a range low to high");
        for (int i = 0; i < 20; i++)
        {
            final int base = LoopbackPorts.freeUdpRange(30);
            assertFalse(LoopbackPorts.overlaps(base, 30, ephemeral), base + "-" + (base + 29) + " outside " + ephemeral[0] + "-" + ephemeral[1]);
        }
        final int base = LoopbackPorts.freeUdpRange(3);
        for (int port = base; port < base + 3; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aRangeHandedOutIsNeverHandedOutAgainThoughNothingBindsIt()
    {
        // 50 ranges of 100 unbound ports: by the bind check alone some two would overlap (about ten
        // pairs expected in the ~22,000 ports below the ephemeral range)
        final java.util.BitSet seen = new java.util.BitSet(65_536);
        for (int i = 0; i < 50; i++)
        {
            final int base = LoopbackPorts.freeUdpRange(100);
            final int taken = seen.nextSetBit(base);
            assertTrue(taken < 0 || taken >= base + 100, base + "-" + (base + 99) + " overlaps a range handed out before, at " + taken);
            seen.set(base, base + 100);
        }
    }

    @Test
    void overlapCountsBothEndsOfTheRange()
    {
        final int[] range = {32_768, 60_999};
        assertFalse(LoopbackPorts.overlaps(32_763, 5, range), "32763-32767 ends just below");
        assertTrue(LoopbackPorts.overlaps(32_764, 5, range), "32764-32768 touches the low end");
        assertTrue(LoopbackPorts.overlaps(60_999, 5, range), "starts on the high end");
        assertFalse(LoopbackPorts.overlaps(61_000, 5, range), "starts just above");
        assertTrue(LoopbackPorts.overlaps(9_000, 60_000, range), "spans it");
    }
}
