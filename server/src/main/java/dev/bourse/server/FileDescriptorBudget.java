package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;

/**
 * Warns at start when the process's file-descriptor limit is below what the configured connection
 * caps can hold open. Out of descriptors, accept fails (EMFILE) and honest Logons go unanswered: an
 * outside probe ran with {@code ulimit -n 128}, 86 taken after start, and
 * gateway.admission.max-unauthenticated 128, so idle connections took every descriptor left.
 */
final class FileDescriptorBudget
{
    /** Descriptors the exchange holds besides connections: jars, journal and store files, Aeron, SQLite, epoll. */
    static final int MARGIN = 256;

    private FileDescriptorBudget()
    {
    }

    /** One connection each: sessions, connections not logged on yet, and the query side's HTTP and WebSocket ones. */
    static long needed(final ExchangeConfig config)
    {
        long connections = 0;
        if (config.gateway().enabled())
        {
            connections += config.gateway().maxSessions() + config.gateway().admission().maxUnauthenticated();
        }
        if (config.query().enabled())
        {
            connections += config.query().maxConnections();
        }
        return connections + MARGIN;
    }

    /** The warning line, or null when {@code limit} (-1: unknown) covers the caps. */
    static String warning(final ExchangeConfig config, final long limit)
    {
        final long needed = needed(config);
        if (limit < 0 || limit >= needed)
        {
            return null;
        }
        return "warning: the process may open " + limit + " files (ulimit -n), fewer than the " + needed + " the connection caps "
            + "can take (gateway.max-sessions + gateway.admission.max-unauthenticated + query.http.max-connections + " + MARGIN
            + "): out of descriptors, new connections and Logons fail; raise ulimit -n or lower the caps (OPERATIONS.md)";
    }

    /** This process's limit, -1 where the JVM does not say. */
    static long processLimit()
    {
        final java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
