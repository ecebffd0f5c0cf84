package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.TlsConfig;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Before the exchange writes anything (the configuration's bootstrap goes into the journal, the
 * system of record), each TCP port it is to listen on is tried once: a port in use stops the start
 * with one line naming its key, and a start that fails leaves the journal as it found it. The real
 * bind comes later and still reports a port taken in between.
 */
final class PortPreflight
{
    private PortPreflight()
    {
    }

    static void check(final ExchangeConfig config) throws IOException
    {
        final TlsConfig tls = config.tls();
        final ExchangeConfig.Gateway gateway = config.gateway();
        if (gateway.enabled())
        {
            if (tls == null || tls.gateway().plainEnabled())
            {
                tryPort("gateway.port", gateway.bind(), gateway.port());
            }
            if (tls != null && tls.gateway().tlsEnabled())
            {
                tryPort("gateway.tls.port", gateway.bind(), tls.gateway().tlsPort());
            }
        }
        final ExchangeConfig.Query query = config.query();
        if (query.enabled())
        {
            if (tls == null || tls.query().plainEnabled())
            {
                tryPort("query.port", query.bind(), query.port());
            }
            if (tls != null && tls.query().tlsEnabled())
            {
                tryPort("query.tls.port", query.bind(), tls.query().tlsPort());
            }
        }
    }

    private static void tryPort(final String key, final String bind, final int port) throws IOException
    {
        if (port == 0)
        {
            return; // any free port: nothing to check
        }
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
        }
        catch (final BindException e)
        {
            final BindException named = new BindException("cannot listen on " + bind + ":" + port + " (" + key + "): " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }
}
