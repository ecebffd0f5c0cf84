package dev.bourse.readmodels;

/** A request the API refuses with a 4xx status and a specific message. */
final class BadRequest extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    final int status;
    final String error;

    BadRequest(final int status, final String error, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    static BadRequest param(final String message)
    {
        return new BadRequest(400, "bad_parameter", message);
    }
}
