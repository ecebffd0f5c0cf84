package dev.bourse.readmodels.history;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** A store's failure in one readable line, for the sink's log. */
final class StoreErrors
{
    /** Longest message kept: the server's own first line fits, a statement with its values does not. */
    static final int MAX_LENGTH = 200;

    private StoreErrors()
    {
    }

    /**
     * The first line of the failure's useful message, at most {@value #MAX_LENGTH} characters.
     * pgjdbc's BatchUpdateException renders the whole statement with every bound value (3,900
     * characters a line in the sink's log); the server's error is its next exception.
     */
    static String summary(final Throwable failure)
    {
        Throwable useful = failure;
        if (failure instanceof BatchUpdateException batch)
        {
            final SQLException next = batch.getNextException();
            useful = next != null ? next : batch.getCause() != null ? batch.getCause() : batch;
        }
        final String message = useful.getMessage() == null || useful.getMessage().isBlank() ? useful.getClass().getSimpleName()
            : useful.getMessage().strip();
        final int lineEnd = message.indexOf('\n');
        final String line = (lineEnd < 0 ? message : message.substring(0, lineEnd)).strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }
}
