package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.TlsConfig;

import dev.bourse.protocol.net.ListenPorts;

import java.io.IOException;

/**
 * Before the exchange writes anything (the configuration's bootstrap goes into the journal, the
 * system of record), each TCP port it is to listen on is tried once: a port in use stops the start
 * with one line naming its key, and a start that fails leaves the journal as it found it. The real
 * bind comes later and still reports a port taken in between. A cluster node or gateway checks
 * its ports the same way before it joins the cluster: found at the bind, a port in use stopped a
 * node that had already started (and said "cluster node stopped" before the line that says why).
 */
public final class PortPreflight
{
    private PortPreflight()
    {
    }

    public static void check(final ExchangeConfig config) throws IOException
    {
        final TlsConfig tls = config.tls();
        if (config.gateway().enabled())
        {
            door("gateway", config.gateway().bind(), config.gateway().port(), tls == null ? null : tls.gateway());
        }
        if (config.query().enabled())
        {
            door("query", config.query().bind(), config.query().port(), tls == null ? null : tls.query());
        }
    }

    /** A door's plain port (unless it takes TLS only) and its TLS port (if it takes TLS). */
    private static void door(final String prefix, final String bind, final int port, final TlsConfig.Listener tls) throws IOException
    {
        if (tls == null || tls.plainEnabled())
        {
            ListenPorts.tryPort(prefix + ".port", bind, port);
        }
        if (tls != null && tls.tlsEnabled())
        {
            ListenPorts.tryPort(prefix + ".tls.port", bind, tls.tlsPort());
        }
    }

}
