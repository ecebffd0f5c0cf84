package dev.bourse.journal;

/**
 * Turns off Chronicle's {@code DiskSpaceMonitor}, which logs "ERROR ... almost full, warning: the
 * JVM may crash" every 10 s once a filesystem is a few percent from full: an outside probe saw it
 * with 40-55 MiB free, far above the journal's own reserve ({@code journal.min-free-mb}, which
 * refuses appends politely before a mapped write can fail). It read as an alarm that disagreed
 * with the exchange's, and looked the same as a real one. The launcher passes the property too
 * (the root pom's JVM flags); this covers JVMs started otherwise (tests, embedding). Chronicle
 * reads it when its monitor class loads, so it is set before the first queue opens; a value
 * given on the command line wins.
 */
public final class ChronicleDiskMonitor
{
    public static final String DISABLE_PROPERTY = "chronicle.disk.monitor.disable";

    private ChronicleDiskMonitor()
    {
    }

    public static void disableUnlessConfigured()
    {
        if (System.getProperty(DISABLE_PROPERTY) == null)
        {
            System.setProperty(DISABLE_PROPERTY, "true");
        }
    }
}
