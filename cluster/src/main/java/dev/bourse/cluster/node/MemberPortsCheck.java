package dev.bourse.cluster.node;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Refuses a node's start when another process holds one of its member ports. Aeron binds the
 * ingress, consensus and archive ports at launch, but the log and catch-up ports only when the
 * node follows: a node whose log port was taken started, said it was ready, and then retried its
 * election forever (about 200 errors a second) without ever joining. Checked here, before
 * anything starts, it is one line naming the port and what it is for.
 *
 * <p>A check, not a reservation: the port can still be taken between it and Aeron's bind, which
 * is why member ports belong outside the kernel's ephemeral range ({@link LoopbackPorts}).
 */
public final class MemberPortsCheck
{
    private static final String[] PURPOSES = {"ingress", "consensus", "log", "catch-up", "archive control"};

    private MemberPortsCheck()
    {
    }

    /** @throws IllegalArgumentException naming the first of the member's ports another process holds */
    public static void refuseIfTaken(final ClusterMembers.Member member)
    {
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(member.host());
        }
        catch (final UnknownHostException e)
        {
            return; // Aeron says what is wrong with the host
        }
        for (int i = 0; i < ClusterMembers.PORTS_PER_MEMBER; i++)
        {
            final int port = member.basePort() + i;
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(address, port));
            }
            catch (final BindException e)
            {
                if (String.valueOf(e.getMessage()).contains("in use"))
                {
                    throw new IllegalArgumentException("cluster.members: node " + member.id() + "'s UDP port " + port + " (its "
                        + PURPOSES[i] + " port) on " + member.host() + " is in use by another process: stop it, or give node "
                        + member.id() + " another base port (each member needs " + ClusterMembers.PORTS_PER_MEMBER
                        + " ports from its base)");
                }
                return; // not an address of this host, say: Aeron's own bind says so
            }
            catch (final IOException e)
            {
                return;
            }
        }
    }
}
