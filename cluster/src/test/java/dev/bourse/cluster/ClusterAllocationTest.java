package dev.bourse.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The order path in cluster mode allocates nothing per order once warm: on the client (claim,
 * encode, commit, batch and send, egress poll, results delivery) and on the node's service thread
 * (decode, duplicate check, engine, journal append, results broadcast, ack), measured with the
 * JVM's per-thread allocation counters over 200,000 orders on a one-node cluster in this JVM.
 */
class ClusterAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private final CommandWriter writer = new CommandWriter();
    private final StringBuilder clOrdId = new StringBuilder(20);
    private long orders;
    private long entries;
    private final JournalHandler counter = new JournalHandler()
    {
        @Override
        public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
        {
            entries++;
        }
    };

    @Test
    void clientAndServiceAllocateNothingPerOrder() throws Exception
    {
        final String members = Ports.members(1);
        try (ClusterNode node = ClusterNode.launch(new ClusterNode.Context().nodeId(0).members(members).dir(dir.resolve("node"))
                .aeronDir(dir.resolve("aeron").toString())
                .engineConfig(SingleNodeClusterTest.smallEngine().expectedClOrdIdsPerDay(1 << 20))
                .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2)).logTermLength(16 * 1024 * 1024));
            ClusterClient client = new ClusterClient(new ClusterClient.Context()
                .ingressEndpoints(ClusterMembers.parse(members).ingressEndpoints()).resultsFrom(1)))
        {
            final OrderFlow setup = new OrderFlow();
            int step = 0;
            while (step < OrderFlow.SETUP_COMMANDS)
            {
                if (setup.setup(client, step))
                {
                    step++;
                }
                client.results().poll(counter, 100);
            }
            run(client, 100_000); // warm-up: JIT, maps and buffers at their working size
            final long serviceThread = threadNamed("clustered-service");
            final long serviceBefore = THREADS.getThreadAllocatedBytes(serviceThread);
            final long clientBefore = THREADS.getCurrentThreadAllocatedBytes();
            final long resendsBefore = client.resendsRequested();
            run(client, 200_000);
            final long clientBytes = THREADS.getCurrentThreadAllocatedBytes() - clientBefore;
            final long serviceBytes = THREADS.getThreadAllocatedBytes(serviceThread) - serviceBefore;
            System.out.printf("200,000 orders: client thread %,d bytes, service thread %,d bytes, stalls %d%n", clientBytes, serviceBytes,
                counter(node, dev.bourse.cluster.ClusterCounterTypes.RESULT_STALLS));
            System.out.printf("results repairs (resend requests) during the run: %d%n", client.resendsRequested() - resendsBefore);
            assertTrue(clientBytes < 64 * 1024, "client allocated " + clientBytes + " bytes");
            assertTrue(serviceBytes < 64 * 1024, "service allocated " + serviceBytes + " bytes");
        }
    }

    private void run(final ClusterClient client, final int count)
    {
        final long target = entries + count;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long sent = 0;
        while (entries < target)
        {
            // Within the egress flow-control window: a client that falls further behind is repaired by
            // resends from the journal, which is not the steady state measured here.
            while (sent < count && client.inFlight() < 256 && order(client))
            {
                sent++;
            }
            client.results().poll(counter, 1_000);
            if (System.nanoTime() > deadline)
            {
                fail("only " + entries + " of " + target + " entries");
            }
        }
    }

    /** Buy and sell one lot at the same price in turn: every pair trades, the book stays empty. */
    private boolean order(final CommandPublisher publisher)
    {
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return false;
        }
        final long n = orders++;
        final int account = n % 2 == 0 ? 2 : 1;
        clOrdId.setLength(0);
        clOrdId.append(n);
        final MutableDirectBuffer b = publisher.buffer(claim);
        final int length = writer.newOrder(b, 0, 0, account, account, OrderFlow.INSTRUMENT, n % 2 == 0 ? Side.BUY : Side.SELL,
            OrdType.LIMIT, TimeInForce.DAY, false, StpMode.ACCOUNT_DEFAULT, 100 * Prices.SCALE, 1, clOrdId);
        publisher.commit(claim, length);
        return true;
    }

    private static long counter(final ClusterNode node, final int typeId)
    {
        final long[] value = {-1};
        node.counters().forEach((id, type, key, label) ->
        {
            if (type == typeId)
            {
                value[0] = node.counters().getCounterValue(id);
            }
        });
        return value[0];
    }

    private static long threadNamed(final String prefix)
    {
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith(prefix))
            {
                return t.getId();
            }
        }
        return fail("no thread named " + prefix + "*");
    }
}
