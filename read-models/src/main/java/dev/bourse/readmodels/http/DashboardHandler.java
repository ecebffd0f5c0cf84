package dev.bourse.readmodels.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The web dashboard: three static files from the classpath ({@code dashboard/}), read once at
 * start-up and served from memory at {@code /} and {@code /assets/}. No build step: plain HTML,
 * JavaScript and CSS. Other paths are left to the next handler.
 */
public final class DashboardHandler extends Handler.Abstract
{
    private record Asset(byte[] body, String contentType)
    {
    }

    private final Map<String, Asset> assets;

    public DashboardHandler()
    {
        final Asset index = load("index.html", "text/html; charset=utf-8");
        assets = Map.of(
            "/", index,
            "/index.html", index,
            "/assets/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/assets/style.css", load("style.css", "text/css; charset=utf-8"));
    }

    private static Asset load(final String name, final String contentType)
    {
        try (InputStream in = DashboardHandler.class.getResourceAsStream("/dashboard/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the classpath");
            }
            return new Asset(in.readAllBytes(), contentType);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a GET of {@code path} is served here (another method on it is a 405, not a 404). */
    public boolean serves(final String path)
    {
        return assets.containsKey(path);
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback)
    {
        final Asset asset = assets.get(request.getHttpURI().getPath());
        if (asset == null || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())))
        {
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        // Everything comes from this server: its scripts, its API, its WebSocket.
        response.getHeaders().put("Content-Security-Policy",
            "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.body().length);
        response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(asset.body()), callback);
        return true;
    }
}
