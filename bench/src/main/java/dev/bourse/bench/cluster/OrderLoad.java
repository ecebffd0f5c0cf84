package dev.bourse.bench.cluster;

import org.HdrHistogram.Histogram;

/**
 * A source of orders at a planned rate that sees their acknowledgements: what {@code bench cluster}
 * drives a cluster and a single-node exchange with. {@link PublisherOrderLoad} sends through a
 * {@code CommandPublisher} and takes acks from a {@code JournalTailer}; a FIX load generator
 * against a gateway can implement the same, so the benchmark's phases stay as they are.
 * Single-threaded: everything on the thread that calls {@link #doWork}.
 */
public interface OrderLoad extends AutoCloseable
{
    /** Sends at {@code ratePerSecond} from now (0: stop sending), on a plan: latency counts from each order's planned time. */
    void rate(long ratePerSecond);

    /** Sends what is due, takes the acknowledgements that arrived; returns work done. */
    int doWork();

    /** Record latencies (planned send time to acknowledgement) into {@link #latencies()} from now on. */
    void recording(boolean recording);

    Histogram latencies();

    long sent();

    long acked();

    /** Acknowledgements of an order already acknowledged. */
    long duplicates();

    /** Remember now; {@link #firstAckAfterMarkNs()} tells when the next acknowledgement arrived. */
    void mark();

    /** nanoTime of the first acknowledgement after the last {@link #mark()}, 0 if none yet. */
    long firstAckAfterMarkNs();

    /** Whether the order (session, msgSeqNum) was acknowledged. */
    boolean isAcked(int session, int msgSeqNum);

    @Override
    void close();
}
