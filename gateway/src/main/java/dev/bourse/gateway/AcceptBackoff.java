package dev.bourse.gateway;

/**
 * How long the acceptor pauses after {@code accept} failed. When the process is out of file
 * descriptors (EMFILE) the pending connection stays in the backlog, the selector reports it at once
 * again, and the acceptor spun: a third of a core and 1.4 million log lines in 26 s (an outside
 * probe). Each failure in a row doubles the pause, from 1 ms up to 100 ms; a successful accept ends
 * the run. Acceptor thread only.
 */
final class AcceptBackoff
{
    static final long FIRST_PAUSE_NS = 1_000_000L;
    static final long MAX_PAUSE_NS = 100_000_000L;

    private long pauseNs;

    /** An accept failed: the pause to take now. */
    long failed()
    {
        pauseNs = pauseNs == 0 ? FIRST_PAUSE_NS : Math.min(MAX_PAUSE_NS, pauseNs * 2);
        return pauseNs;
    }

    /** An accept worked (or found nothing waiting): the next failure starts from the shortest pause. */
    void succeeded()
    {
        pauseNs = 0;
    }
}
