package dev.bourse.cluster.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The cluster's members as operators write them, {@code cluster.members = 0=hostA:9000,1=hostB:9000,
 * 2=hostC:9000}: each member's id, host and base port. Every member uses the base port and the
 * five after it:
 * <pre>
 *   base + 0  ingress     clients (gateways) to the leader
 *   base + 1  consensus   votes, heartbeats, append and commit positions between members
 *   base + 2  log         the leader's replicated log to the followers
 *   base + 3  catch-up    a lagging follower's replay from the leader's archive
 *   base + 4  archive     archive control (log replication to a node rebuilding)
 * </pre>
 * On one machine, give each member its own base (9000, 9100, 9200); on three hosts they can share one.
 */
public final class ClusterMembers
{
    public static final int PORTS_PER_MEMBER = 5;

    /** One member. */
    public record Member(int id, String host, int basePort)
    {
        public String ingress()
        {
            return host + ":" + basePort;
        }

        public String consensus()
        {
            return host + ":" + (basePort + 1);
        }

        public String log()
        {
            return host + ":" + (basePort + 2);
        }

        public String catchup()
        {
            return host + ":" + (basePort + 3);
        }

        public String archiveControl()
        {
            return host + ":" + (basePort + 4);
        }
    }

    private final List<Member> members;

    private ClusterMembers(final List<Member> members)
    {
        this.members = Collections.unmodifiableList(members);
    }

    /** Parses {@code id=host:port,...}; throws IllegalArgumentException with the offending part. */
    public static ClusterMembers parse(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("cluster.members is empty: expected id=host:port,... e.g. 0=localhost:9000,1=localhost:9100,2=localhost:9200");
        }
        final List<Member> list = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final String item = part.trim();
            final int eq = item.indexOf('=');
            final int colon = item.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == item.length() - 1)
            {
                throw new IllegalArgumentException("cluster.members: '" + item + "' is not id=host:port");
            }
            final int id;
            final int port;
            try
            {
                id = Integer.parseInt(item.substring(0, eq).trim());
                port = Integer.parseInt(item.substring(colon + 1).trim());
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("cluster.members: '" + item + "' is not id=host:port");
            }
            if (port < 1 || port + PORTS_PER_MEMBER - 1 > 65_535)
            {
                throw new IllegalArgumentException("cluster.members: port " + port + " of member " + id + " leaves no room for its "
                    + PORTS_PER_MEMBER + " ports");
            }
            final String host = item.substring(eq + 1, colon).trim();
            for (final Member m : list)
            {
                if (m.id() == id)
                {
                    throw new IllegalArgumentException("cluster.members: member id " + id + " appears twice");
                }
                if (m.host().toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))
                    && Math.abs(m.basePort() - port) < PORTS_PER_MEMBER)
                {
                    throw new IllegalArgumentException("cluster.members: members " + m.id() + " and " + id + " on host " + host
                        + " need base ports at least " + PORTS_PER_MEMBER + " apart");
                }
            }
            list.add(new Member(id, host, port));
        }
        list.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return new ClusterMembers(list);
    }

    public List<Member> members()
    {
        return members;
    }

    public int size()
    {
        return members.size();
    }

    public Member member(final int id)
    {
        for (final Member m : members)
        {
            if (m.id() == id)
            {
                return m;
            }
        }
        throw new IllegalArgumentException("cluster.node-id " + id + " is not among cluster.members " + this);
    }

    /** Aeron Cluster's form: {@code id,ingress,consensus,log,catchup,archive|...}. */
    public String aeronClusterMembers()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Member m : members)
        {
            sb.append(m.id()).append(',').append(m.ingress()).append(',').append(m.consensus()).append(',')
                .append(m.log()).append(',').append(m.catchup()).append(',').append(m.archiveControl()).append('|');
        }
        return sb.toString();
    }

    /** What a cluster client needs: {@code id=host:ingressPort,...}. */
    public String ingressEndpoints()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Member m : members)
        {
            if (sb.length() > 0)
            {
                sb.append(',');
            }
            sb.append(m.id()).append('=').append(m.ingress());
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Member m : members)
        {
            if (sb.length() > 0)
            {
                sb.append(',');
            }
            sb.append(m.id()).append('=').append(m.host()).append(':').append(m.basePort());
        }
        return sb.toString();
    }
}
