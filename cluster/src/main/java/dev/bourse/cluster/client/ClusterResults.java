package dev.bourse.cluster.client;

import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;

/**
 * The committed journal entries a {@link ClusterClient} receives, behind the same
 * {@link JournalTailer} seam a single-node gateway tails the journal through: entries in sequence
 * order, gap-free, each only once. A position is the entry's sequence. Polling runs the client's
 * whole duty cycle (connection, sends, timers), so a gateway that polls its tailer needs nothing
 * else. Closing it closes the client.
 */
public final class ClusterResults implements JournalTailer
{
    private final ClusterClient client;

    ClusterResults(final ClusterClient client)
    {
        this.client = client;
    }

    @Override
    public int poll(final JournalHandler handler, final int limit)
    {
        final long before = client.totalDelivered();
        client.poll(handler, limit);
        return (int)(client.totalDelivered() - before);
    }

    /** Asks the cluster for the entries after {@code afterSequence} again (a ResendRequest). */
    @Override
    public boolean rewind(final long afterSequence)
    {
        client.rewind(afterSequence);
        return true;
    }

    @Override
    public long position()
    {
        final long last = client.lastDelivered();
        return last == 0 ? START : last;
    }

    @Override
    public long lastSequence()
    {
        return client.lastDelivered();
    }

    @Override
    public void close()
    {
        client.close();
    }
}
