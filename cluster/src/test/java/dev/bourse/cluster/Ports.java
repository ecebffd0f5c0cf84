package dev.bourse.cluster;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/** Free UDP port ranges on loopback for test clusters (each member needs five consecutive ports). */
final class Ports
{
    private Ports()
    {
    }

    /** A base port with {@code count} consecutive free UDP ports on loopback. */
    static int freeRange(final int count)
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            if (free(base, count))
            {
                return base;
            }
        }
        throw new IllegalStateException("no free UDP port range of " + count);
    }

    private static boolean free(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final Exception e)
            {
                return false;
            }
        }
        return true;
    }

    /** {@code 0=localhost:b0,1=localhost:b1,...} with free ranges. */
    static String members(final int count)
    {
        final int base = freeRange(count * 10);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append(i).append("=localhost:").append(base + i * 10);
        }
        return sb.toString();
    }
}
