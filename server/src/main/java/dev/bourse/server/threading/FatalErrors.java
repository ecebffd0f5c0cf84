package dev.bourse.server.threading;

import org.agrona.ErrorHandler;

import java.util.function.Consumer;

/**
 * What an {@link Error} on the order path (the engine, the gateway, or the one thread that runs
 * both) does: it stops the process. An exception is logged and the duty cycle goes on, as before;
 * an Error (a SIGBUS from a memory-mapped write to a full disk arrives as an InternalError, an
 * OutOfMemoryError) kills the thread, and a process whose order path is dead still held its
 * sockets: clients' orders and Logons went unanswered, the metrics said it was healthy, and only a
 * restart helped (an outside probe). Stopping is safe: nothing is acknowledged before it is in the
 * journal, so the process stops as a kill -9 would, its clients see their connections close and
 * resend after the restart, and a supervisor (systemd's Restart=on-failure) restarts it.
 */
public final class FatalErrors
{
    /** EX_SOFTWARE (sysexits.h): an internal error, not a configuration one (those exit 2). */
    public static final int EXIT_STATUS = 70;

    /** Ends the process after the line is out (halt, not exit: shutdown hooks would write to the same full disk). */
    public static final Consumer<String> HALT_PROCESS = line ->
    {
        System.err.println(line);
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
    };

    private final Consumer<String> log;
    private final Consumer<String> halt;

    /**
     * @param log  where every error is logged
     * @param halt what a fatal one does once logged ({@link #HALT_PROCESS}; a test's recorder)
     */
    public FatalErrors(final Consumer<String> log, final Consumer<String> halt)
    {
        this.log = log;
        this.halt = halt;
    }

    /** The error handler of an order-path agent named {@code name}: logs every error, stops the process on an Error. */
    public ErrorHandler handler(final String name)
    {
        return throwable -> onError(name, throwable);
    }

    void onError(final String name, final Throwable throwable)
    {
        log.accept(name + ": " + throwable);
        if (throwable instanceof Error)
        {
            final String line = "fatal: " + name + " died of " + throwable + hint(throwable) +
                "; the exchange stops (exit status " + EXIT_STATUS + ") rather than keep connections it can no longer answer." +
                " Nothing unjournaled was acknowledged: fix the cause and start it again";
            log.accept(line);
            halt.accept(line);
        }
    }

    private static String hint(final Throwable throwable)
    {
        final String message = String.valueOf(throwable.getMessage());
        if (throwable instanceof InternalError && message.contains("unsafe memory access"))
        {
            return " (a write to a memory-mapped file failed: most likely the disk under data.dir, the journal or" +
                " gateway.session-dir is full)";
        }
        return "";
    }
}
