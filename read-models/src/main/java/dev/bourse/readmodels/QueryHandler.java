package dev.bourse.readmodels;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Routes HTTP requests: {@code /api/v1/} to the {@link QueryApi}, {@code /metrics} to the metrics
 * text (GET and HEAD; another method is a JSON 405 with an {@code Allow} header); anything else is
 * a JSON 404 (or the next handler's, when one is given). An answer the projection thread completes
 * is written from a Jetty thread, never from the projection thread.
 */
public final class QueryHandler extends Handler.Abstract
{
    private final QueryApi api;
    private final Supplier<Response> metrics;
    private final Executor executor;
    private final Handler fallback;

    QueryHandler(final QueryApi api, final Supplier<Response> metrics, final Executor executor, final Handler fallback)
    {
        this.api = api;
        this.metrics = metrics;
        this.executor = executor;
        this.fallback = fallback;
        if (fallback != null)
        {
            addBean(fallback);
        }
    }

    @Override
    public void setServer(final org.eclipse.jetty.server.Server server)
    {
        super.setServer(server);
        if (fallback != null)
        {
            fallback.setServer(server);
        }
    }

    @Override
    public boolean handle(final Request request, final org.eclipse.jetty.server.Response response, final Callback callback)
        throws Exception
    {
        final String path = request.getHttpURI().getPath();
        if (path != null && path.startsWith(QueryApi.PREFIX))
        {
            if (hasFormBody(request))
            {
                // Read without holding a thread: a client trickling its body a byte at a time holds only its
                // connection (SECURITY.md), where a blocking read held one of query.threads for as long as it liked.
                // The server's body limit applies as it is read, a chunked body's too (413 once past it).
                org.eclipse.jetty.io.Content.Source.asByteBufferAsync(request).whenCompleteAsync((bytes, failed) ->
                {
                    if (failed != null)
                    {
                        final org.eclipse.jetty.http.HttpException http = httpException(failed);
                        if (http != null)
                        {
                            // over the body limit (a chunked body: a Content-Length is checked up front)
                            org.eclipse.jetty.server.Response.writeError(request, response, callback, http.getCode(), http.getReason());
                            return;
                        }
                        callback.failed(failed); // the body timed out or the connection went: nothing to answer
                        return;
                    }
                    final String body = utf8(bytes);
                    // not UTF-8: refused by the API after the credentials are checked (a 400 naming it, or the 401)
                    answer(request, response, callback, path, body, body == null ? BODY_NOT_UTF8 : null);
                }, executor);
                return true;
            }
            answer(request, response, callback, path, null, null);
            return true;
        }
        if ("/metrics".equals(path))
        {
            // read-only like the API: another method is refused as the API refuses one, before anything is rendered
            final String method = request.getMethod();
            write(request, response, callback, "GET".equals(method) || "HEAD".equals(method) ? metrics.get()
                : Response.methodNotAllowed(QueryApi.ALLOW_READ, "the metrics are read-only: use GET", Long.MIN_VALUE));
            return true;
        }
        if (fallback != null && fallback.handle(request, response, callback))
        {
            return true;
        }
        if (fallback instanceof dev.bourse.readmodels.http.DashboardHandler dashboard && dashboard.serves(path)
            && !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod()))
        {
            // the dashboard exists at these paths for GET: another method is a 405, not a 404
            write(request, response, callback,
                Response.methodNotAllowed(QueryApi.ALLOW_READ, "the dashboard is read-only: use GET", Long.MIN_VALUE));
            return true;
        }
        write(request, response, callback,
            Response.error(404, "not_found", "no such endpoint; the API is under " + QueryApi.PREFIX, Long.MIN_VALUE));
        return true;
    }

    /** What the API says of a form body that is not UTF-8 (after checking the credentials). */
    static final String BODY_NOT_UTF8 = "the form body is not valid UTF-8 (application/x-www-form-urlencoded:"
        + " percent-encode anything but ASCII)";

    /** A form body (admin actions): its size is bounded by the server's body limit and its arrival by the body timeout. */
    private static boolean hasFormBody(final Request request)
    {
        return dev.bourse.readmodels.http.WebServer.isFormPost(request);
    }

    /** The bytes as UTF-8, or null if they are not (no replacement characters: those would pass as parameters). */
    private static String utf8(final ByteBuffer bytes)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(bytes).toString();
        }
        catch (final java.nio.charset.CharacterCodingException e)
        {
            return null;
        }
    }

    private static org.eclipse.jetty.http.HttpException httpException(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof org.eclipse.jetty.http.HttpException http)
            {
                return http;
            }
        }
        return null;
    }

    /** A POST carrying a body that is not a form: nothing here reads one. */
    private static boolean hasOtherBody(final Request request)
    {
        if (!"POST".equals(request.getMethod()))
        {
            return false;
        }
        final long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /** The Content-Type of a body nothing reads, for the admin API's 415; null if there is none. */
    private static String unreadBodyType(final Request request)
    {
        if (!hasOtherBody(request))
        {
            return null;
        }
        final String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type == null ? "" : type;
    }

    private void answer(
        final Request request, final org.eclipse.jetty.server.Response response, final Callback callback, final String path,
        final String formBody, final String bodyProblem)
    {
        final CompletableFuture<Response> answer = api.handle(new ApiRequest(request.getMethod(), path,
            request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.AUTHORIZATION), Request.getRemoteAddr(request), formBody,
            formBody == null && bodyProblem == null ? unreadBodyType(request) : null, bodyProblem));
        if (answer.isDone())
        {
            write(request, response, callback, answer.join());
        }
        else
        {
            answer.whenCompleteAsync((r, t) -> write(request, response, callback, r), executor);
        }
    }

    /** Writes an answer with the API's headers (also the WebSocket upgrade's refusals: one error shape at every door). */
    public static void write(
        final Request request, final org.eclipse.jetty.server.Response response, final Callback callback, final Response answer)
    {
        final byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (answer.position() != Long.MIN_VALUE)
        {
            response.getHeaders().put("X-Journal-Position", Long.toString(answer.position()));
        }
        if (answer.nextCursor() != null)
        {
            response.getHeaders().put("X-Next-Cursor", answer.nextCursor());
        }
        if (answer.prevCursor() != null)
        {
            response.getHeaders().put("X-Prev-Cursor", answer.prevCursor());
        }
        if (answer.allow() != null)
        {
            response.getHeaders().put(HttpHeader.ALLOW, answer.allow());
        }
        if (answer.status() == 401)
        {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"bourse\", charset=\"UTF-8\"");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (hasOtherBody(request))
        {
            // a body nothing read (the 415 of an admin action): the server drops the connection after
            // the answer, so it says so; a client that reused it raced the close and got no answer (CI)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        final boolean head = "HEAD".equals(request.getMethod());
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }
}
