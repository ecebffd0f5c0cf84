package dev.bourse.server.admin;

import dev.bourse.journal.HeadTailer;
import org.agrona.MutableDirectBuffer;

/**
 * What {@link AdminService} needs of the exchange it runs in: a way to put one operator action's
 * commands into the exchange's sequence, and the journal in which to find their entries again.
 * <ul>
 *   <li>single node ({@link RingAdminChannel}): the operator publisher into the Disruptor ring; the
 *       entries keep the commands' timestamps, which is how they are found;</li>
 *   <li>cluster ({@code server.cluster.ClusterAdminChannel}): a cluster client of its own, whose commands enter
 *       the Raft log as ingress like orders do. The log's time replaces the commands' timestamps, so
 *       the channel marks an action's commands with a negative msgSeqNum of its own (a FIX session's
 *       numbers are positive and nothing reads a non-positive one as a session's) and its entries
 *       are found by that mark.</li>
 * </ul>
 * Called by one thread at a time (AdminService serializes its actions).
 */
public interface AdminChannel extends AutoCloseable
{
    /** {@link #publish} could not put the action into the sequence in time: nothing of it will be carried out. */
    long BUSY = Long.MIN_VALUE;

    /**
     * Puts an action's commands into the sequence, in this order: the audit record and, unless
     * {@code commandLength} is 0, the action's command (each from offset 0 of its buffer). The
     * channel may change the commands' msgSeqNum field (see {@link #keepsTimestamps()}).
     *
     * @return the msgSeqNum the action's entries carry, or {@link #BUSY}
     */
    long publish(MutableDirectBuffer audit, int auditLength, MutableDirectBuffer command, int commandLength, long timeoutNs);

    /**
     * True if a command's entry carries the timestamp the command was published with (the entries
     * are then found by command type and timestamp); false if the sequencer replaces it (found by
     * command type and the msgSeqNum {@link #publish} returned).
     */
    boolean keepsTimestamps();

    /**
     * The journal's entries after the ones already read, for finding an action's entry (moved to
     * the journal's end before each action); answers wait for the durable watermark.
     */
    HeadTailer journal();

    /** Why the sequencer took nothing, for the operator (a busy answer's message). */
    String busyMessage();

    @Override
    void close();
}
