package dev.bourse.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.JournalEntryReader;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives a {@link ClusterClient} as a gateway would: orders at a steady rate through its
 * CommandPublisher, the committed entries from its results stream. An order counts as acknowledged
 * when the entry that answers it (same session id and msgSeqNum) arrives, like an execution
 * report. Counts acknowledgements per order (a second one is a duplicate), and keeps a digest of the
 * whole stream computed as {@code journal verify} computes it, to compare with each node's journal.
 */
final class LoadDriver implements JournalHandler, ClusterClient.Listener
{
    final ClusterClient client;
    private final OrderFlow flow = new OrderFlow();
    private final JournalEntryReader reader = new JournalEntryReader();
    private final Long2LongHashMap acks = new Long2LongHashMap(0);
    private final CRC32C entryCrc = new CRC32C();
    private final CRC32C digest = new CRC32C();
    private final byte[] copy = new byte[1 << 16];
    private int setupStep;
    private long sentOrders;
    private long ackedOrders;
    private long duplicates;
    private long lastSequence;
    private long startNs;
    private volatile long newLeaderAtNs;
    private long firstAckAfterNewLeaderNs;
    private int newLeader = -1;

    private volatile String lastDisconnect;

    LoadDriver(final String ingressEndpoints)
    {
        this(ingressEndpoints, context -> context);
    }

    /** With the client's settings changed by {@code settings}. */
    LoadDriver(final String ingressEndpoints, final java.util.function.UnaryOperator<ClusterClient.Context> settings)
    {
        client = new ClusterClient(settings.apply(new ClusterClient.Context()
            .ingressEndpoints(ingressEndpoints)
            .resultsFrom(1)
            .listener(this)
            .log(line -> System.out.println("client: " + line))));
    }

    @Override
    public void onDisconnected(final String reason)
    {
        lastDisconnect = reason;
        System.out.println("client: lost the session: " + reason);
    }

    /** Why the client last lost its session, or null. */
    String lastDisconnect()
    {
        return lastDisconnect;
    }

    /** Runs at {@code rate} orders/s until {@code done}, failing after {@code seconds}. */
    void run(final int rate, final BooleanSupplier done, final int seconds, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (startNs == 0)
        {
            startNs = System.nanoTime();
        }
        final long base = System.nanoTime();
        final long sentAtStart = sentOrders;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not done within " + seconds + " s: " + what + "; " + this);
            }
            if (setupStep < OrderFlow.SETUP_COMMANDS)
            {
                if (flow.setup(client, setupStep))
                {
                    setupStep++;
                }
            }
            else
            {
                final long due = sentAtStart + (System.nanoTime() - base) * rate / 1_000_000_000L;
                while (sentOrders < due && flow.nextOrder(client) >= 0)
                {
                    sentOrders++;
                }
            }
            if (client.results().poll(this, 256) == 0)
            {
                TestCluster.sleep(1);
            }
        }
    }

    /** Sends nothing more; waits until every order sent is acknowledged and every command acked. */
    void drain(final int seconds)
    {
        run(0, () -> ackedOrders >= sentOrders && client.inFlight() == 0 && setupStep == OrderFlow.SETUP_COMMANDS,
            seconds, "draining");
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        assertEquals(lastSequence + 1, position, "results in order, no gap");
        lastSequence = position;
        buffer.getBytes(offset, copy, 0, length);
        entryCrc.reset();
        entryCrc.update(copy, 0, length);
        final long crc = entryCrc.getValue();
        for (int i = 0; i < 4; i++)
        {
            digest.update((int)(crc >>> (8 * i)) & 0xFF);
        }
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            fail("undecodable entry " + position);
        }
        final int session = reader.header().sessionId();
        final int msgSeqNum = reader.header().msgSeqNum();
        if (session > 0 && msgSeqNum > 0)
        {
            final long key = ((long)session << 32) | msgSeqNum;
            final long count = acks.get(key) + 1;
            acks.put(key, count);
            if (count > 1)
            {
                duplicates++;
            }
            else
            {
                ackedOrders++;
            }
            if (newLeaderAtNs != 0 && firstAckAfterNewLeaderNs == 0)
            {
                firstAckAfterNewLeaderNs = System.nanoTime();
            }
        }
    }

    @Override
    public void onNewLeader(final int leaderMemberId, final long leadershipTermId)
    {
        newLeader = leaderMemberId;
        newLeaderAtNs = System.nanoTime();
        firstAckAfterNewLeaderNs = 0;
    }

    /** Forget the last leader change (before a kill), so the next one is measured. */
    void resetLeaderChange()
    {
        newLeaderAtNs = 0;
        firstAckAfterNewLeaderNs = 0;
        newLeader = -1;
    }

    long firstAckAfterNewLeaderNs()
    {
        return firstAckAfterNewLeaderNs;
    }

    long newLeaderAtNs()
    {
        return newLeaderAtNs;
    }

    int newLeader()
    {
        return newLeader;
    }

    long sentOrders()
    {
        return sentOrders;
    }

    long ackedOrders()
    {
        return ackedOrders;
    }

    long duplicates()
    {
        return duplicates;
    }

    long lastSequence()
    {
        return lastSequence;
    }

    String digest()
    {
        return String.format("%08x", digest.getValue());
    }

    @Override
    public String toString()
    {
        return "sent " + sentOrders + ", acknowledged " + ackedOrders + ", duplicates " + duplicates + ", last sequence "
            + lastSequence + ", in flight " + client.inFlight() + ", leader " + client.leaderMemberId() + ", connected "
            + client.isConnected() + ", resent " + client.commandsResent() + ", resend requests " + client.resendsRequested();
    }
}
