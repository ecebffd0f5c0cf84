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
        }
        return super.handle(request, response, callback);
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
