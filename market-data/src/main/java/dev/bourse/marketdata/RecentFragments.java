package dev.bourse.marketdata;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The last incremental fragments a cluster node's publisher staged, sent or not, so that a node
 * that starts leading can send them again before its own. A leader that dies (or is stopped)
 * leaves entries it committed but never published, and the follower that takes over had read
 * those entries along without sending them: without this, subscribers saw a gap and recovered
 * from a snapshot, and every trade in the gap was missing from the tape. Sent again, the
 * fragments a subscriber already has are dropped by their sequence numbers and the rest close the
 * gap.
 * <p>
 * Two halves of a fixed size, written in turn: when the next fragment does not fit in the half
 * being written, the other half is cleared and written next. So at least half the capacity of
 * the most recent fragments is always kept, in order, and nothing is allocated after construction.
 * A replay that starts in the middle of an entry is harmless: the subscriber keeps only messages
 * past its own sequence, and the entry's last fragment shows the books.
 */
final class RecentFragments
{
    private static final int LENGTH_PREFIX = Integer.BYTES;

    private final UnsafeBuffer[] halves = new UnsafeBuffer[2];
    private final int[] limits = new int[2];
    private int current;

    private boolean replaying;
    private int replayHalf;
    private int replayOffset;

    /** @param capacity bytes for both halves together (each fragment takes its length plus 4). */
    RecentFragments(final int capacity, final int maxFragment)
    {
        final int half = capacity / 2;
        if (half < maxFragment + LENGTH_PREFIX)
        {
            throw new IllegalArgumentException("market data: a resend window of " + capacity
                + " bytes cannot hold two fragments of " + maxFragment + " bytes");
        }
        halves[0] = new UnsafeBuffer(new byte[half]);
        halves[1] = new UnsafeBuffer(new byte[half]);
    }

    /** Keeps a copy of one fragment; the oldest half is dropped when the newest is full. */
    void record(final DirectBuffer buffer, final int offset, final int length)
    {
        if (replaying)
        {
            throw new IllegalStateException("a fragment recorded during a replay");
        }
        UnsafeBuffer half = halves[current];
        if (limits[current] + LENGTH_PREFIX + length > half.capacity())
        {
            current ^= 1;
            limits[current] = 0;
            half = halves[current]; // holds any fragment: the constructor saw to it
        }
        final int at = limits[current];
        half.putInt(at, length);
        half.putBytes(at + LENGTH_PREFIX, buffer, offset, length);
        limits[current] = at + LENGTH_PREFIX + length;
    }

    /** Bytes of fragments held (length prefixes included). */
    int heldBytes()
    {
        return limits[0] + limits[1];
    }

    /** Starts sending everything held again, oldest first, through {@link #replay}. */
    void startReplay()
    {
        replaying = heldBytes() > 0;
        replayHalf = current ^ 1;
        replayOffset = 0;
    }

    /** Abandons a replay (the node stopped leading before it was out). */
    void stopReplay()
    {
        replaying = false;
    }

    boolean isReplaying()
    {
        return replaying;
    }

    /**
     * Offers what is left of the replay, never blocking.
     *
     * @return {@link FragmentBatch#SENT} when all is out, {@link FragmentBatch#PENDING} when the
     *         publication pushed back (call again), {@link FragmentBatch#DROPPED_NOT_CONNECTED} when
     *         nobody listens (the replay is abandoned: a subscriber that connects later takes a snapshot).
     */
    int replay(final ExclusivePublication publication)
    {
        while (replaying)
        {
            if (replayOffset >= limits[replayHalf])
            {
                if (replayHalf == current)
                {
                    replaying = false;
                    break;
                }
                replayHalf = current;
                replayOffset = 0;
                continue;
            }
            final UnsafeBuffer half = halves[replayHalf];
            final int length = half.getInt(replayOffset);
            final long result = publication.offer(half, replayOffset + LENGTH_PREFIX, length);
            if (result > 0)
            {
                replayOffset += LENGTH_PREFIX + length;
            }
            else if (result == Publication.NOT_CONNECTED)
            {
                replaying = false;
                return FragmentBatch.DROPPED_NOT_CONNECTED;
            }
            else if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                return FragmentBatch.PENDING;
            }
            else
            {
                throw new IllegalStateException("market-data publication failed: " + Publication.errorString(result));
            }
        }
        return FragmentBatch.SENT;
    }
}
