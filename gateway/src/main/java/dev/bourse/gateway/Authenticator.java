package dev.bourse.gateway;

import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.auth.FairCheckQueue;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Checks Logon credentials off the gateway thread (PBKDF2 takes tens of milliseconds, which would
 * stall every other session) through the exchange's {@link CredentialGuard} (lockout and throttle
 * of failed attempts, shared with the other doors), in a {@link FairCheckQueue} that serves source
 * addresses in turn. Results come back through a queue the gateway drains in its duty cycle.
 */
final class Authenticator implements AutoCloseable
{
    record Result(FixSession session, String username, CredentialGuard.Outcome outcome)
    {
    }

    private final CredentialGuard guard;
    private final FairCheckQueue checks;
    private final EpochClock clock;
    private final ManyToOneConcurrentArrayQueue<Result> results = new ManyToOneConcurrentArrayQueue<>(1024);
    private volatile Runnable wakeUp = () -> { };

    Authenticator(final CredentialGuard guard, final FairCheckQueue checks, final EpochClock clock)
    {
        this.guard = guard;
        this.checks = checks;
        this.clock = clock;
    }

    CredentialGuard guard()
    {
        return guard;
    }

    /** Refuses at once (no PBKDF2) a locked-out or throttled attempt; cheap, gateway thread. */
    CredentialGuard.Outcome admit(final String username, final String address, final long nowMs)
    {
        return guard.admitForCheck(username, address, nowMs);
    }

    /**
     * Queues the check behind the other checks from the same address; false if that address
     * already has its fill waiting (the caller refuses the logon as busy). The password is cleared
     * once checked.
     */
    boolean submit(final FixSession session, final String username, final char[] password)
    {
        final String address = session.connection.remoteAddress;
        final boolean queued = checks.submit(address, () ->
        {
            CredentialGuard.Outcome outcome = null;
            try
            {
                if (!session.isClosed())
                {
                    // admitted again: attempts queued before the pair locked are refused without a check
                    outcome = guard.checkAdmitted(username, password, address, clock.time());
                }
                else
                {
                    guard.abandon(username); // gone meanwhile (evicted, timed out): no check, no result
                }
            }
            finally
            {
                java.util.Arrays.fill(password, '\0');
                if (outcome != null)
                {
                    while (!results.offer(new Result(session, username, outcome)))
                    {
                        Thread.onSpinWait();
                    }
                    wakeUp.run();
                }
            }
        });
        if (!queued)
        {
            guard.abandon(username);
            java.util.Arrays.fill(password, '\0');
        }
        return queued;
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

    /** Results waiting for the gateway thread to take them (tests). */
    int resultsWaiting()
    {
        return results.size();
    }

    int pending()
    {
        return checks.pending();
    }

    @Override
    public void close()
    {
        checks.close();
    }
}
