package dev.bourse.journal;

/**
 * Registers the JVM shutdown hooks that libraries otherwise register lazily, before a stop
 * signal's barrier exists (the exchange's start, a separate read-models). Agrona's barrier
 * answers a signal through the JVM's shutdown, and once that has begun no hook can be added: a
 * SIGTERM in the second the start opened the journal made Chronicle's first mapped file fail its
 * class initialisation ("Shutdown in progress"), two stack traces and no clean stop, instead of
 * the documented "finishes its start, then stops" (an outside probe).
 */
public final class EarlyShutdownHooks
{
    /** Classes whose static initialisation adds a JVM shutdown hook (Chronicle's resource releaser, through its PriorityHook). */
    static final String[] CLASSES = {
        "net.openhft.chronicle.core.io.BackgroundResourceReleaser",
    };

    private EarlyShutdownHooks()
    {
    }

    public static void register()
    {
        for (final String name : CLASSES)
        {
            try
            {
                Class.forName(name, true, EarlyShutdownHooks.class.getClassLoader());
            }
            catch (final ClassNotFoundException | LinkageError e)
            {
                // not on this classpath, or it failed as it would have later: the start says so where it uses it
            }
        }
    }
}
