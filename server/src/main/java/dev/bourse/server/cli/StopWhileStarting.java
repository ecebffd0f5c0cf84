package dev.bourse.server.cli;

import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * A stop signal (SIGTERM, Ctrl-C) that comes while the process is still starting interrupts the
 * starting thread, so a start that waits (a gateway reading the history of a cluster that does not
 * answer, a node waiting for its service) ends at once rather than at its own timeout: a probe's
 * gateway took 24 to 38 s to stop, past systemd's stop timeout. After the start the signal only
 * releases the barrier, as before. Cluster roles only: a single exchange waits on nobody.
 */
final class StopWhileStarting implements ShutdownSignalBarrier.SignalHandler
{
    private final Thread starting = Thread.currentThread();
    private volatile boolean started;
    private volatile boolean signalledWhileStarting;

    @Override
    public void onSignal()
    {
        if (!started)
        {
            signalledWhileStarting = true;
            starting.interrupt();
        }
    }

    /** The start is over: later signals only release the barrier. */
    void started()
    {
        started = true;
    }

    /** Whether a signal came before {@link #started()}: a start that then failed was stopped, not refused. */
    boolean signalledWhileStarting()
    {
        return signalledWhileStarting;
    }
}
