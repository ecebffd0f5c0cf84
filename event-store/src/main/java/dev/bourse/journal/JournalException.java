package dev.bourse.journal;

/** The journal cannot be opened or used; the message says which directory and why. */
public final class JournalException extends RuntimeException
{
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    public JournalException(final String message)
    {
        super(message);
    }
}
