package dev.bourse.gateway;

import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialStore;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Checks Logon credentials off the gateway thread (PBKDF2 takes tens of milliseconds, which would
 * stall every other session) and tracks failed logons per username for the lockout. Results come
 * back through a queue the gateway drains in its duty cycle.
 */
final class Authenticator
{
    record Result(FixSession session, int connectionId, String username, Credential credential)
    {
    }

    private final CredentialStore credentials;
    private final Executor executor;
    private final ManyToOneConcurrentArrayQueue<Result> results = new ManyToOneConcurrentArrayQueue<>(1024);
    private final int maxFailures;
    private final long lockoutMs;
    private static final int MAX_TRACKED = 10_000;
    /** username -> {failures in a row, locked until (epoch ms) or 0} */
    private final Map<String, long[]> failures = new HashMap<>();

    private volatile Runnable wakeUp = () -> { };

    Authenticator(final CredentialStore credentials, final Executor executor, final int maxFailures, final long lockoutMs)
    {
        this.credentials = credentials;
        this.executor = executor;
        this.maxFailures = maxFailures;
        this.lockoutMs = lockoutMs;
    }

    boolean isLockedOut(final String username, final long nowMs)
    {
        final long[] state = failures.get(username);
        return state != null && state[1] > nowMs;
    }

    /** @return the number of failures in a row, and locks the username when it reaches the limit. */
    int recordFailure(final String username, final long nowMs)
    {
        if (failures.size() >= MAX_TRACKED && !failures.containsKey(username))
        {
            // invented usernames must not grow this without bound: forget all but current lockouts
            failures.values().removeIf(state -> state[1] <= nowMs);
            if (failures.size() >= MAX_TRACKED)
            {
                return maxFailures;
            }
        }
        final long[] state = failures.computeIfAbsent(username, k -> new long[2]);
        if (state[1] != 0 && state[1] <= nowMs)
        {
            state[0] = 0;
            state[1] = 0;
        }
        state[0]++;
        if (state[0] >= maxFailures)
        {
            state[1] = nowMs + lockoutMs;
        }
        return (int)state[0];
    }

    void recordSuccess(final String username)
    {
        failures.remove(username);
    }

    /** @return false if too many checks are in flight (the caller refuses the logon). */
    boolean submit(final FixSession session, final String username, final char[] password)
    {
        final int connectionId = session.connection.id;
        try
        {
            executor.execute(() ->
            {
                Credential credential = null;
                try
                {
                    credential = credentials.authenticate(username, password);
                }
                finally
                {
                    java.util.Arrays.fill(password, '\0');
                    while (!results.offer(new Result(session, connectionId, username, credential)))
                    {
                        Thread.onSpinWait();
                    }
                    wakeUp.run();
                }
            });
            return true;
        }
        catch (final java.util.concurrent.RejectedExecutionException e)
        {
            return false;
        }
    }

    /** Called (on the checking thread) when a result is ready: wakes a gateway thread that blocks when idle. */
    void wakeUp(final Runnable wakeUp)
    {
        this.wakeUp = wakeUp;
    }

    Result poll()
    {
        return results.poll();
    }
}
