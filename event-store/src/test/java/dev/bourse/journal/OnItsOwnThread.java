package dev.bourse.journal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a test's body on a fresh thread (scheduling calls change only the calling thread) and hands back what it saw. */
final class OnItsOwnThread
{
    private OnItsOwnThread()
    {
    }

    static String run(final String name, final Callable<String> body) throws InterruptedException
    {
        final AtomicReference<String> seen = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                seen.set(body.call());
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        }, name);
        thread.start();
        thread.join();
        if (failure.get() != null)
        {
            throw new AssertionError(failure.get());
        }
        return seen.get();
    }
}
