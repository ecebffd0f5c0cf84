package dev.bourse.cluster.node;

import io.aeron.CommonContext;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What lets a node survive a stall of its process (a stopped VM, a long GC, SIGSTOP), and say why
 * when it did not: Aeron's timeouts between a driver and its clients, which share the process, the
 * errors after which Aeron ends the node, and the archive's checksums that let a node SIGKILLed
 * mid-write start again. An outside probe's 12 s pause ended a node, with exit status 0.
 */
public final class PauseTolerance
{
    /**
     * How long the node's driver waits for a silent client: as the single process's, 30 s, so a node
     * paused for less carries on and catches up.
     */
    static final long CLIENT_LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private PauseTolerance()
    {
    }

    /**
     * Gives every Aeron client of the process 30 s before it takes its driver for dead (Aeron's
     * default is 10 s), as the driver gives its clients: after a pause the clients look at the
     * driver's heartbeat before the driver has run again. Aeron reads the setting once, when its
     * first context class loads: so this is called first thing in a process's main, and again when a
     * node launches, for processes that do so before any Aeron class (a set value is left alone).
     */
    public static void allowPausesOfThirtySeconds()
    {
        if (System.getProperty(CommonContext.DRIVER_TIMEOUT_PROP_NAME) == null)
        {
            System.setProperty(CommonContext.DRIVER_TIMEOUT_PROP_NAME, Long.toString(TimeUnit.NANOSECONDS.toMillis(CLIENT_LIVENESS_TIMEOUT_NS)));
        }
    }

    /** An error after which Aeron stops the node: its client timed out or was closed, or the cluster ended it unexpectedly. */
    static boolean endsTheNode(final Throwable t)
    {
        return t instanceof io.aeron.exceptions.ConductorServiceTimeoutException
            || t instanceof io.aeron.exceptions.DriverTimeoutException
            || (t instanceof io.aeron.cluster.service.ClusterTerminationException && !((io.aeron.cluster.service.ClusterTerminationException)t).isExpected());
    }

    /**
     * CRC-32 of each recorded log fragment, so a last fragment that straddles a page boundary is
     * checked rather than judged by its zero bytes (Agrona's CRC-32 needs {@code --add-opens
     * java.base/java.util.zip=ALL-UNNAMED}, among the project's JVM flags); without the flag, none, said once.
     */
    static io.aeron.archive.checksum.Checksum recordChecksum(final Consumer<String> log)
    {
        try
        {
            return io.aeron.archive.checksum.Checksums.crc32();
        }
        catch (final LinkageError e)
        {
            log.accept("cluster: the archive records the log without checksums (" + e
                + "; the JVM needs --add-opens java.base/java.util.zip=ALL-UNNAMED): a node killed mid-write may need"
                + " ArchiveTool verify before it starts again");
            return null;
        }
    }
}
