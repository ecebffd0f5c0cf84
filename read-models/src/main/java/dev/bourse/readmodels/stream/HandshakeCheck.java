package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.QueryHandler;
import dev.bourse.readmodels.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

import java.util.Base64;

/**
 * RFC 6455's checks of an opening handshake that Jetty leaves out: a {@code Sec-WebSocket-Key} that
 * is not 16 bytes in base64 is a 400 (section 4.2.1; Jetty upgraded "short" and "!!!!"), and a
 * version other than 13 a 426 naming the one supported (section 4.4; Jetty passed it on, to a 404).
 * A request to the endpoint that asks for no upgrade is a 426 too, with {@code Upgrade: websocket}.
 * An upgrade that carries credentials from a web page of another origin is a 403 (section 10.2): a
 * browser attaches the Basic credentials it cached for this host (an API answer's 401 prompted for
 * them) to any page's WebSocket, and that page would read the trader's private channels. Pages
 * elsewhere still read public channels, and log in with the {@code auth} op and a token they hold.
 */
final class HandshakeCheck extends Handler.Wrapper
{
    private static final int KEY_BYTES = 16;

    HandshakeCheck(final Handler upgrade)
    {
        super(upgrade);
    }

    @Override
    public boolean handle(final Request request, final org.eclipse.jetty.server.Response response, final Callback callback)
        throws Exception
    {
        if (Streams.PATH.equals(Request.getPathInContext(request))
            && !"websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE)))
        {
            // a plain request (a browser's address bar, curl) was a 404, "no such endpoint": it is one,
            // that takes only an upgrade (RFC 9110, 15.5.22: a 426 names the protocol in Upgrade)
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            QueryHandler.write(request, response, callback, Response.error(426, "upgrade_required",
                "this is the WebSocket endpoint of the live streams: connect with a WebSocket client (Upgrade: websocket)",
                Long.MIN_VALUE));
            return true;
        }
        if (Streams.PATH.equals(Request.getPathInContext(request)))
        {
            if (!"13".equals(request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION)))
            {
                response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
                response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
                QueryHandler.write(request, response, callback, Response.error(426, "upgrade_required",
                    "Sec-WebSocket-Version must be 13 (RFC 6455)", Long.MIN_VALUE));
                return true;
            }
            if (!isKey(request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_KEY)))
            {
                QueryHandler.write(request, response, callback, Response.error(400, "bad_request",
                    "Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455)", Long.MIN_VALUE));
                return true;
            }
            if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null
                && isCrossOrigin(request.getHeaders().get(HttpHeader.ORIGIN), request.getHeaders().get(HttpHeader.HOST)))
            {
                QueryHandler.write(request, response, callback, Response.error(403, "forbidden",
                    "credentials on an upgrade from a page of another origin are refused: log in with the auth op and a token",
                    Long.MIN_VALUE));
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /**
     * Whether an upgrade's {@code Origin} (sent by browsers, not by other clients) names another
     * origin than the {@code Host} it was sent to: scheme's default ports aside, host and port differ.
     * An Origin that cannot be read ("null", from a sandboxed page or a file) counts as another.
     */
    static boolean isCrossOrigin(final String origin, final String host)
    {
        if (origin == null)
        {
            return false;
        }
        final int schemeEnd = origin.indexOf("://");
        if (schemeEnd < 0 || host == null)
        {
            return true;
        }
        final String scheme = origin.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        final String defaultPort = "https".equals(scheme) ? ":443" : "http".equals(scheme) ? ":80" : null;
        if (defaultPort == null)
        {
            return true;
        }
        String authority = origin.substring(schemeEnd + 3);
        if (authority.endsWith("/"))
        {
            authority = authority.substring(0, authority.length() - 1);
        }
        return !withoutPort(authority, defaultPort).equalsIgnoreCase(withoutPort(host.trim(), defaultPort));
    }

    private static String withoutPort(final String authority, final String defaultPort)
    {
        return authority.endsWith(defaultPort) ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }

    static boolean isKey(final String key)
    {
        if (key == null || key.length() != 24)
        {
            return false;
        }
        try
        {
            return Base64.getDecoder().decode(key.trim()).length == KEY_BYTES;
        }
        catch (final IllegalArgumentException e)
        {
            return false;
        }
    }
}
