package dev.bourse.gateway;

/**
 * When a duty cycle polls the sockets and when it can leave them: each poll is a system call (about
 * a microsecond on a VM before any work, ten with the wake-ups around it), and on a thread that
 * blocks in its selector when idle most of them found nothing.
 * <ul>
 *   <li>The cycle right after a blocking poll does not poll: that poll read every ready socket a
 *       moment ago.</li>
 *   <li>The cycle after one whose poll read something does not poll either, once. That is the
 *       cycle after an order was read, matched and acknowledged: polling again at once nearly always
 *       found nothing, and then the idle strategy polled a second time to block, two polls per
 *       wake-up where one does. If the skipping cycle finds nothing else to do, the blocking poll
 *       returns at once with whatever arrived meanwhile; if it does find work, the next cycle polls.</li>
 * </ul>
 * So input waits one cycle at most, and under continuous load every other cycle polls (and each
 * poll reads more). At 10k orders/s this took the order-path thread from 1.6 to 0.75 selector polls
 * per socket read (docs/BENCHMARKS.md, 2026-12-06 evening).
 */
final class InputPolls
{
    /** Cycles to come that do not poll. */
    private int skips;

    /** Whether this cycle polls the sockets; a cycle that does not poll calls nothing else here. */
    boolean pollThisCycle()
    {
        if (skips > 0)
        {
            skips--;
            return false;
        }
        return true;
    }

    /** A cycle's non-blocking poll ran; {@code read}: it read at least one socket. */
    void polled(final boolean read)
    {
        skips = read ? 1 : 0;
    }

    /** The idle strategy's blocking poll returned; {@code read}: it read at least one socket. */
    void awaited(final boolean read)
    {
        skips = read ? 2 : 1;
    }
}
