package dev.bourse.readmodels;

/**
 * A query's answer, produced on the projection thread or from the history store, and written out
 * by an HTTP thread. {@code nextCursor} (the keyset cursor of the next page, or null) also goes
 * out as the {@code X-Next-Cursor} header, for answers without a JSON envelope (the CSV report).
 */
public record Response(int status, String contentType, String body, long position, String nextCursor)
{
    public static final String JSON = "application/json; charset=utf-8";
    public static final String CSV = "text/csv; charset=utf-8";

    public Response(final int status, final String contentType, final String body, final long position)
    {
        this(status, contentType, body, position, null);
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
}
