package dev.bourse.readmodels.http;

import dev.bourse.readmodels.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers itself (headers or a body over the limits, a path it cannot parse) in the
 * API's own JSON shape, {@code {"error","message"}}, instead of Jetty's HTML page: a client reads
 * every error of the API the same way (read-models.md, Endpoints).
 */
final class JsonErrorHandler extends ErrorHandler
{
    /**
     * Every method gets the JSON body: Jetty writes its error body only for GET, POST and HEAD, so a
     * 413 for a PUT (say) went out empty (an outside probe). HEAD's body is dropped by Jetty itself.
     */
    @Override
    public boolean errorPageForMethod(final String method)
    {
        return true;
    }

    @Override
    protected void generateResponse(final Request request, final org.eclipse.jetty.server.Response response, final int code,
        final String message, final Throwable cause, final Callback callback)
    {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Response.JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields)
    {
        fields.put(HttpHeader.CONTENT_TYPE, Response.JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(final int code, final String message)
    {
        final String error = switch (code)
        {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            default -> "http_" + code;
        };
        final String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        return Response.error(code, error, text, Long.MIN_VALUE).body().getBytes(StandardCharsets.UTF_8);
    }
}
