package dev.bourse.cluster;

import dev.bourse.cluster.node.LoopbackPorts;

/** Member lists on free loopback ports for test clusters (each member needs five consecutive ports). */
final class Ports
{
    private Ports()
    {
    }

    /** {@code 0=localhost:b0,1=localhost:b1,...} on ports free now and outside the kernel's ephemeral range. */
    static String members(final int count)
    {
        final int base = LoopbackPorts.freeUdpRange(count * 10);
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
