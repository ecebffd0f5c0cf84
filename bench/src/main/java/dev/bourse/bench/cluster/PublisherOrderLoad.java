package dev.bourse.bench.cluster;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.concurrent.TimeUnit;

/**
 * {@link OrderLoad} through the sequencer seam: orders into a {@link CommandPublisher} (the cluster
 * client, or the single-node Disruptor ring), acknowledgements from a {@link JournalTailer} (the
 * cluster's results stream, or the single node's journal). An order is acknowledged when the entry
 * answering it (same session and msgSeqNum) arrives, as a gateway's execution report would be.
 * Open loop: each order has a planned send time; when the publisher refuses (busy), the plan does
 * not move, so the wait counts in the latency (no coordinated omission).
 */
public final class PublisherOrderLoad implements OrderLoad, JournalHandler
{
    private final CommandPublisher publisher;
    private final JournalTailer results;
    private final Runnable onClose;
    private final OrderMix mix = new OrderMix();
    private final JournalEntryReader reader = new JournalEntryReader();
    private final Long2LongHashMap plannedByOrder = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongHashSet acknowledged = new LongHashSet();
    private final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    private long rate;
    private long planStartNs;
    private long planStartCount;
    private long sent;
    private long acked;
    private long duplicates;
    private boolean recording;
    private long markNs;
    private long firstAckAfterMarkNs;

    public PublisherOrderLoad(final CommandPublisher publisher, final JournalTailer results, final Runnable onClose)
    {
        this.publisher = publisher;
        this.results = results;
        this.onClose = onClose;
    }

    @Override
    public void rate(final long ratePerSecond)
    {
        rate = ratePerSecond;
        planStartNs = System.nanoTime();
        planStartCount = sent;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        if (!mix.setupDone())
        {
            if (mix.setup(publisher))
            {
                work++;
            }
        }
        else if (rate > 0)
        {
            final long now = System.nanoTime();
            final long due = planStartCount + (long)((now - planStartNs) * (rate / 1e9));
            while (sent < due)
            {
                final long planned = planStartNs + (long)((sent - planStartCount) * (1e9 / rate));
                if (!mix.order(publisher, planned))
                {
                    break; // busy: this order keeps its planned time
                }
                plannedByOrder.put(key(mix.lastSession(), mix.lastMsgSeqNum()), planned);
                sent++;
                work++;
            }
        }
        return work + results.poll(this, 4_096);
    }

    private static long key(final int session, final int msgSeqNum)
    {
        return ((long)session << 32) | (msgSeqNum & 0xFFFF_FFFFL);
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            return;
        }
        final int session = reader.header().sessionId();
        final int msgSeqNum = reader.header().msgSeqNum();
        if (session <= 0 || msgSeqNum <= 0)
        {
            return;
        }
        final long key = key(session, msgSeqNum);
        final long planned = plannedByOrder.remove(key);
        if (planned == Long.MIN_VALUE)
        {
            if (acknowledged.contains(key))
            {
                duplicates++;
            }
            return;
        }
        final long now = System.nanoTime();
        acknowledged.add(key);
        acked++;
        if (recording)
        {
            latencies.recordValue(Math.min(Math.max(1, now - planned), latencies.getHighestTrackableValue()));
        }
        if (markNs != 0 && firstAckAfterMarkNs == 0)
        {
            firstAckAfterMarkNs = now;
        }
    }

    @Override
    public void recording(final boolean recording)
    {
        this.recording = recording;
    }

    @Override
    public Histogram latencies()
    {
        return latencies;
    }

    @Override
    public long sent()
    {
        return sent;
    }

    @Override
    public long acked()
    {
        return acked;
    }

    @Override
    public long duplicates()
    {
        return duplicates;
    }

    @Override
    public void mark()
    {
        markNs = System.nanoTime();
        firstAckAfterMarkNs = 0;
    }

    @Override
    public long firstAckAfterMarkNs()
    {
        return firstAckAfterMarkNs;
    }

    @Override
    public boolean isAcked(final int session, final int msgSeqNum)
    {
        return acknowledged.contains(key(session, msgSeqNum));
    }

    @Override
    public void close()
    {
        onClose.run();
    }
}
