package dev.bourse.readmodels;

/**
 * A query's answer, produced on the projection thread or from the history store, and written out
 * by an HTTP thread. {@code nextCursor} and {@code prevCursor} (the keyset cursors of the next and
 * the previous page, or null) also go out as the {@code X-Next-Cursor} and {@code X-Prev-Cursor}
 * headers, for answers without a JSON envelope (the CSV report).
 * {@code allow} (or null) goes out as the {@code Allow} header: a 405 must name the methods the
 * resource takes (RFC 9110, 15.5.6).
 */
public record Response(int status, String contentType, String body, long position, String nextCursor, String prevCursor,
    String allow)
{
    public static final String JSON = "application/json; charset=utf-8";
    public static final String CSV = "text/csv; charset=utf-8";

    public Response(final int status, final String contentType, final String body, final long position)
    {
        this(status, contentType, body, position, null, null, null);
    }

    public Response(final int status, final String contentType, final String body, final long position, final String nextCursor,
        final String prevCursor)
    {
        this(status, contentType, body, position, nextCursor, prevCursor, null);
    }

    public static Response error(final int status, final String error, final String message, final long position)
    {
        final Json json = new Json();
        json.beginObject().name("error").value(error).name("message").value(message);
        if (position != Long.MIN_VALUE)
        {
            json.name("position").value(position);
        }
        json.endObject();
        return new Response(status, JSON, json.toString(), position);
    }

    /** A 405 {@code method_not_allowed} whose {@code Allow} header lists the methods the resource takes. */
    public static Response methodNotAllowed(final String allow, final String message, final long position)
    {
        final Response error = error(405, "method_not_allowed", message, position);
        return new Response(error.status, error.contentType, error.body, position, null, null, allow);
    }
}
