package dev.bourse.readmodels;

/** A request the API refuses with a 4xx status and a specific message. */
final class BadRequest extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final int status;
    final String error;
    /** A 405's Allow header: the methods the resource takes; null for the other refusals. */
    final String allow;

    BadRequest(final int status, final String error, final String message)
    {
        this(status, error, message, null);
    }

    private BadRequest(final int status, final String error, final String message, final String allow)
    {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.allow = allow;
    }

    /** A 405: the resource does not take the request's method; {@code allow} lists those it takes ("GET, HEAD"). */
    static BadRequest methodNotAllowed(final String allow, final String message)
    {
        return new BadRequest(405, "method_not_allowed", message, allow);
    }

    /** The refusal as an answer. */
    Response response(final long position)
    {
        return allow != null ? Response.methodNotAllowed(allow, getMessage(), position)
            : Response.error(status, error, getMessage(), position);
    }

    static BadRequest param(final String message)
    {
        return new BadRequest(400, "bad_parameter", message);
    }
}
