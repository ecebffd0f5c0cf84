package dev.bourse.cluster.node;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the clusters a test or {@code ./exchange demo --cluster} runs on one host, and the kernel's
 * ephemeral range they must stay out of.
 *
 * <p>A free port found in the ephemeral range can be taken a moment later by any socket bound to port 0:
 * a node starting up opens dozens (Aeron publications, the archive's and the consensus module's
 * replication channels). One that took a member's log port left that member stuck in
 * {@code follower_log_await} for good (a clean-clone CI run), so ranges are chosen below it.
 *
 * <p>A range handed out is not bound until its user starts, so the bind check alone lets the next
 * call hand out the same ports: a cluster's member ports once took the market-data port a test had
 * chosen a moment before for its subscriber ("Address already in use", a clean-clone CI run). Ranges
 * handed out in this JVM are therefore never handed out again.
 */
public final class LoopbackPorts
{
    /** Linux's default when {@code /proc} does not say (not Linux, or no procfs). */
    static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    static final int DEFAULT_EPHEMERAL_HIGH = 60_999;
    private static final int LOWEST = 10_000;
    private static final java.util.BitSet HANDED_OUT = new java.util.BitSet(65_536);

    private LoopbackPorts()
    {
    }

    /** The kernel's ephemeral port range, {low, high}. */
    public static int[] ephemeralRange()
    {
        try
        {
            final String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII)
                .trim().split("\\s+");
            if (parts.length == 2)
            {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // no procfs: Linux's default below
        }
        return new int[] {DEFAULT_EPHEMERAL_LOW, DEFAULT_EPHEMERAL_HIGH};
    }

    /** Whether any of {@code count} ports from {@code base} lies in {@code range} ({low, high}). */
    public static boolean overlaps(final int base, final int count, final int[] range)
    {
        return base <= range[1] && base + count - 1 >= range[0];
    }

    /**
     * A base port with {@code count} consecutive UDP ports on loopback free now, outside the kernel's
     * ephemeral range (below it when there is room there, else above it), and none of them handed out
     * before by this JVM.
     */
    public static synchronized int freeUdpRange(final int count)
    {
        final int[] ephemeral = ephemeralRange();
        final int belowRoom = ephemeral[0] - LOWEST - count;
        final int aboveRoom = 65_535 - ephemeral[1] - count;
        if (belowRoom < count && aboveRoom < count)
        {
            throw new IllegalStateException("no room for " + count + " UDP ports outside the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]);
        }
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int base = belowRoom >= count
                ? LOWEST + ThreadLocalRandom.current().nextInt(belowRoom)
                : ephemeral[1] + 1 + ThreadLocalRandom.current().nextInt(aboveRoom);
            final int handedOut = HANDED_OUT.nextSetBit(base);
            if ((handedOut < 0 || handedOut >= base + count) && free(base, count))
            {
                HANDED_OUT.set(base, base + count);
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free UDP ports in a row on loopback outside the ephemeral range");
    }

    private static boolean free(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final IOException e)
            {
                return false;
            }
        }
        return true;
    }
}
