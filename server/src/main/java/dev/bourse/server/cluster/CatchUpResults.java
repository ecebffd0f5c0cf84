package dev.bourse.server.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster's results stream as the gateway's journal tailer, with one difference at start: the
 * gateway reads its tailer "to the end" before it takes a connection (symbols, sequence numbers,
 * reports owed), and a cluster client's stream has no end until it has connected and caught up
 * with the head the cluster names in its welcome. So until then a poll that finds nothing waits
 * (bounded) instead of returning 0; afterwards it is the plain stream.
 */
final class CatchUpResults implements JournalTailer
{
    private final ClusterClient client;
    private final JournalTailer results;
    private final long timeoutNs;
    private final String members;
    private boolean caughtUp;
    private long deadline;

    CatchUpResults(final ClusterClient client, final long timeout, final TimeUnit unit, final String members)
    {
        this.client = client;
        this.results = client.results();
        this.timeoutNs = unit.toNanos(timeout);
        this.members = members;
    }

    @Override
    public int poll(final JournalHandler handler, final int limit)
    {
        if (caughtUp)
        {
            return results.poll(handler, limit);
        }
        if (deadline == 0)
        {
            deadline = System.nanoTime() + timeoutNs;
        }
        while (true)
        {
            final int delivered = results.poll(handler, limit);
            if (delivered > 0)
            {
                deadline = System.nanoTime() + timeoutNs; // progress: the wait is for silence, not for the whole history
                return delivered;
            }
            if (client.isConnected() && client.expectedSequence() > client.headSequence())
            {
                caughtUp = true;
                return 0;
            }
            if (Thread.interrupted()) // a stop signal during the start (cleared: what closes after this must not see it)
            {
                throw new IllegalStateException("stopped while waiting for the cluster at " + members);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(noAnswer());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Runs the client's duty cycle, taking no entries, until the cluster has welcomed it: the gateway
     * listens for FIX only after that. Bound before, a gateway on an unreachable cluster let clients
     * connect and log on, held them for the whole timeout, then reset them (an outside tester).
     */
    void awaitConnected()
    {
        final long until = System.nanoTime() + timeoutNs;
        while (!client.isConnected())
        {
            results.poll(NO_ENTRIES, 0); // limit 0: the welcome is read, entries wait for the catch-up
            if (client.isConnected())
            {
                return;
            }
            if (Thread.interrupted())
            {
                throw new IllegalStateException("stopped while waiting for the cluster at " + members);
            }
            if (System.nanoTime() > until)
            {
                throw new IllegalStateException(noAnswer());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static final JournalHandler NO_ENTRIES = (sequence, buffer, offset, length) -> { };

    private String noAnswer()
    {
        return "the cluster at " + members + " did not answer within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs)
            + " s (are a majority of its nodes up?)";
    }

    boolean caughtUp()
    {
        return caughtUp;
    }

    @Override
    public long position()
    {
        return results.position();
    }

    @Override
    public long lastSequence()
    {
        return results.lastSequence();
    }

    @Override
    public boolean rewind(final long afterSequence)
    {
        return results.rewind(afterSequence);
    }

    @Override
    public void close()
    {
        results.close();
    }
}
