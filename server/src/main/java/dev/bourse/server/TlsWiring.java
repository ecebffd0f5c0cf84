package dev.bourse.server;

import dev.bourse.gateway.Gateway;
import dev.bourse.gateway.GatewayContext;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.server.config.TlsConfig;

/** Hands the TLS keys (docs/TLS.md) to the gateway's and the query side's contexts, and says where they listen. */
public final class TlsWiring
{
    private TlsWiring()
    {
    }

    public static void gateway(final GatewayContext ctx, final TlsConfig tls)
    {
        final TlsConfig.Listener g = tls.gateway();
        ctx.plainEnabled(g.plainEnabled());
        if (g.settings() != null)
        {
            ctx.tls(g.settings()).tlsPort(g.tlsPort());
        }
    }

    public static void query(final ReadModelsContext ctx, final TlsConfig tls)
    {
        final TlsConfig.Listener q = tls.query();
        ctx.plainEnabled(q.plainEnabled());
        if (q.settings() != null)
        {
            ctx.tls(q.settings()).tlsPort(q.tlsPort());
        }
    }

    /** "host:9880", "host:9880 and TLS on host:9881" or "TLS only on host:9881". */
    static String gatewayPorts(final String bind, final Gateway gateway)
    {
        if (gateway.tlsPort() < 0)
        {
            return bind + ":" + gateway.port();
        }
        return gateway.port() < 0 ? "TLS only on " + bind + ":" + gateway.tlsPort()
            : bind + ":" + gateway.port() + " and TLS on " + bind + ":" + gateway.tlsPort();
    }
}
