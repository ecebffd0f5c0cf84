package dev.bourse.protocol.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exchange's one credential check, for every door that takes a password (FIX Logon, the query
 * API's basic auth and token login, WebSocket and admin logins): the password check itself
 * (PBKDF2 through the {@link CredentialStore}), the lockout policy and the throttle of failed
 * attempts. Thread-safe; the slow part ({@link #verify}) runs without holding the lock.
 * <p>
 * The policy (docs/SECURITY.md explains why, after OWASP's authentication guidance):
 * <ul>
 * <li><b>Lockout per (username, source address).</b> {@code failuresBeforeLockout} failures in a
 * row from one address lock that username for that address only, for {@code lockout}, doubled at
 * each further lockout of the pair up to {@code maxLockout}. Someone who knows a firm's username
 * can lock out only themselves: the firm, from its own address, logs on as usual.</li>
 * <li><b>A throttle per username, from anywhere.</b> After {@code userThrottleFailures} failures in
 * a row on a username from any address (a guessing attack spread over many addresses), a check
 * from an address that has not logged on as that user before waits for a growing delay (1 s
 * doubling per failure, at most {@code userThrottleMaxDelay}): one guess at a time, never a
 * lockout. Addresses the user logged on from (the last {@value #KNOWN_ADDRESSES}) are not
 * throttled, so the owner is not slowed by someone else's attack.</li>
 * <li>A success clears the pair's failures (not the username's: the owner logging on from his own
 * address does not reopen the gate for the attack). A pair's failures older than {@code lockout}
 * are forgotten, a username's older than {@code maxLockout}. Unknown usernames are tracked exactly like real ones, so the answers reveal
 * nothing about which usernames exist.</li>
 * <li><b>Bounded.</b> At most {@code maxTracked} pairs and usernames are remembered: when full, the
 * least recently active entry that no longer matters goes first, else the least recently active.</li>
 * </ul>
 * A door calls {@link #admit} before it queues a check (cheap: refuses locked and throttled
 * attempts without PBKDF2), then {@link #check} on the thread that may be slow. A door that
 * checks on its own threads may call {@link #authenticate}, which does both.
 */
public final class CredentialGuard
{
    /** What became of an attempt. */
    public enum Verdict
    {
        /** The password is right. */
        ACCEPTED,
        /** Wrong password or unknown username (indistinguishable on purpose). */
        BAD_CREDENTIALS,
        /** The (username, address) pair is locked: refused without a check. */
        LOCKED_OUT,
        /** The username is under a spread-out guessing attack and this address must wait: refused without a check. */
        THROTTLED
    }

    /**
     * @param credential the user when accepted, else null
     * @param failures failed attempts in a row from this address for this username, this one included
     * @param lockedNow this failure locked the pair
     * @param retryAfterMs how long a refused attempt should wait before trying again (0 when accepted)
     */
    public record Outcome(Verdict verdict, Credential credential, int failures, boolean lockedNow, long retryAfterMs)
    {
        public boolean accepted()
        {
            return verdict == Verdict.ACCEPTED;
        }

        @Override
        public String toString()
        {
            return "Outcome[" + verdict + (credential == null ? "" : " account " + credential.accountId()) + ", failures " + failures +
                (lockedNow ? ", locked now" : "") + (retryAfterMs > 0 ? ", retry after " + retryAfterMs + " ms" : "") + "]";
        }
    }

    /** The policy's limits, with the defaults of docs/CONFIGURATION.md ({@code gateway.lockout.*}). */
    public static final class Policy
    {
        private int failuresBeforeLockout = 5;
        private long lockoutMs = 5 * 60_000L;
        private long maxLockoutMs = 60 * 60_000L;
        private int userThrottleFailures = 20;
        private long userThrottleMaxDelayMs = 60_000L;
        private int maxTracked = 16_384;

        public Policy failuresBeforeLockout(final int value)
        {
            failuresBeforeLockout = value;
            return this;
        }

        public Policy lockoutMs(final long value)
        {
            lockoutMs = value;
            return this;
        }

        public Policy maxLockoutMs(final long value)
        {
            maxLockoutMs = value;
            return this;
        }

        public Policy userThrottleFailures(final int value)
        {
            userThrottleFailures = value;
            return this;
        }

        public Policy userThrottleMaxDelayMs(final long value)
        {
            userThrottleMaxDelayMs = value;
            return this;
        }

        public Policy maxTracked(final int value)
        {
            maxTracked = value;
            return this;
        }

        public int failuresBeforeLockout()
        {
            return failuresBeforeLockout;
        }

        public long lockoutMs()
        {
            return lockoutMs;
        }

        public long maxLockoutMs()
        {
            return maxLockoutMs;
        }

        public int userThrottleFailures()
        {
            return userThrottleFailures;
        }

        public long userThrottleMaxDelayMs()
        {
            return userThrottleMaxDelayMs;
        }

        public int maxTracked()
        {
            return maxTracked;
        }

        /** @throws IllegalArgumentException naming the value that is out of range. */
        public Policy validate()
        {
            if (failuresBeforeLockout < 1 || userThrottleFailures < 1 || lockoutMs < 1 || maxLockoutMs < lockoutMs ||
                userThrottleMaxDelayMs < 1 || maxTracked < 16)
            {
                throw new IllegalArgumentException("credential policy out of range: failuresBeforeLockout=" + failuresBeforeLockout +
                    " lockoutMs=" + lockoutMs + " maxLockoutMs=" + maxLockoutMs + " (at least lockoutMs) userThrottleFailures=" +
                    userThrottleFailures + " userThrottleMaxDelayMs=" + userThrottleMaxDelayMs + " maxTracked=" + maxTracked);
            }
            return this;
        }
    }

    /** Addresses remembered per user as ones it logged on from (exempt from the username throttle). */
    public static final int KNOWN_ADDRESSES = 8;
    private static final long FIRST_THROTTLE_DELAY_MS = 1_000;
    private static final long PRUNE_INTERVAL_MS = 1_000;

    private static final class PairState
    {
        int failures;
        int lockouts;
        long lastFailureMs;
        long lockedUntilMs;
    }

    private static final class UserState
    {
        int failures;
        long lastFailureMs;
        /** An unknown address may not be checked before this (the throttle's gate). */
        long gateOpensMs;
        /**
         * Checks admitted and not yet recorded: they count towards the throttle as failures would,
         * so a burst from many addresses at once cannot all pass before the first failure is in.
         */
        int checksInFlight;
    }

    private final CredentialStore credentials;
    private final Policy policy;
    private final Map<String, PairState> pairs = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, UserState> users = new LinkedHashMap<>(64, 0.75f, true);
    /** Only for usernames that exist (a success needs the right password), so bounded by the user list. */
    private final Map<String, String[]> knownAddresses = new java.util.HashMap<>();
    private long lastPruneMs = Long.MIN_VALUE;

    public CredentialGuard(final CredentialStore credentials, final Policy policy)
    {
        this.credentials = credentials;
        this.policy = policy.validate();
    }

    public Policy policy()
    {
        return policy;
    }

    /** True if the username names a configured user (cheap; for admission decisions, never for answers). */
    public boolean isUser(final String username)
    {
        return credentials.find(username) != null;
    }

    /**
     * May a check of {@code username} from {@code address} run now? Cheap, any thread. Returns
     * {@link Verdict#ACCEPTED} (check it), {@link Verdict#LOCKED_OUT} or {@link Verdict#THROTTLED}
     * (refuse without checking; {@link Outcome#retryAfterMs} says for how long).
     */
    public synchronized Outcome admit(final String username, final String address, final long nowMs)
    {
        final PairState pair = pairs.get(pairKey(username, address));
        if (pair != null && pair.lockedUntilMs > nowMs)
        {
            // the count restarts at the lock, and attempts during it are not checked: report the failures that locked it
            return new Outcome(Verdict.LOCKED_OUT, null, Math.max(pair.failures, policy.failuresBeforeLockout), false,
                pair.lockedUntilMs - nowMs);
        }
        final UserState user = users.get(username);
        if (user != null && nowMs - user.lastFailureMs > policy.maxLockoutMs)
        {
            // quiet for the longest lockout: the attack is over (forgetting after the shorter
            // lockout let a patient guesser have 20 guesses every 5 minutes, not about 60 an hour)
            user.failures = 0;
        }
        if (user != null && user.failures + user.checksInFlight >= policy.userThrottleFailures && !isKnown(username, address))
        {
            if (nowMs < user.gateOpensMs)
            {
                return new Outcome(Verdict.THROTTLED, null, pair == null ? 0 : pair.failures, false, user.gateOpensMs - nowMs);
            }
            // one check through the gate at a time: the next unknown address waits for the delay
            user.gateOpensMs = nowMs + throttleDelay(user.failures);
        }
        return new Outcome(Verdict.ACCEPTED, null, pair == null ? 0 : pair.failures, false, 0);
    }

    /**
     * {@link #admit}, and an admitted attempt counts as a check in flight (towards the username's
     * throttle) until {@link #checkAdmitted} or {@link #abandon}: a door that queues its checks
     * must call one of them for every attempt this admits.
     */
    public synchronized Outcome admitForCheck(final String username, final String address, final long nowMs)
    {
        final Outcome admitted = admit(username, address, nowMs);
        if (admitted.accepted())
        {
            UserState user = users.get(username);
            if (user == null)
            {
                prune(nowMs);
                user = new UserState();
                users.put(username, user);
            }
            user.checksInFlight++;
        }
        return admitted;
    }

    /** {@link #check} of an attempt {@link #admitForCheck} admitted; it is no longer in flight after. */
    public Outcome checkAdmitted(final String username, final char[] password, final String address, final long nowMs)
    {
        try
        {
            return check(username, password, address, nowMs);
        }
        finally
        {
            abandon(username);
        }
    }

    /** An attempt {@link #admitForCheck} admitted will not be checked (its connection went, the queue was full). */
    public synchronized void abandon(final String username)
    {
        final UserState user = users.get(username);
        if (user != null && user.checksInFlight > 0)
        {
            user.checksInFlight--;
            if (user.checksInFlight == 0 && user.failures == 0)
            {
                users.remove(username); // nothing left to remember: keeps unknown usernames from piling up
            }
        }
    }

    /** The password check (PBKDF2, deliberately slow): any thread, no lock held. Null if wrong or unknown. */
    public Credential verify(final String username, final char[] password)
    {
        return credentials.authenticate(username, password);
    }

    /** Records what {@link #verify} found and says what it means (lockouts start here). */
    public synchronized Outcome record(final String username, final String address, final Credential credential, final long nowMs)
    {
        final String key = pairKey(username, address);
        if (credential != null)
        {
            // the pair is cleared; the username's count is not: the owner logging on from his
            // office must not reopen the gate for an attack spread over other addresses
            pairs.remove(key);
            remember(username, address);
            return new Outcome(Verdict.ACCEPTED, credential, 0, false, 0);
        }
        prune(nowMs);
        PairState pair = pairs.get(key);
        if (pair == null)
        {
            pair = new PairState();
            pairs.put(key, pair);
        }
        if (nowMs - pair.lastFailureMs > policy.lockoutMs)
        {
            pair.failures = 0;
        }
        pair.failures++;
        pair.lastFailureMs = nowMs;
        final int failures = pair.failures;
        boolean lockedNow = false;
        if (pair.failures >= policy.failuresBeforeLockout)
        {
            pair.lockouts++;
            pair.lockedUntilMs = nowMs + lockoutDuration(pair.lockouts);
            pair.failures = 0;
            lockedNow = true;
        }
        UserState user = users.get(username);
        if (user == null)
        {
            user = new UserState();
            users.put(username, user);
        }
        if (nowMs - user.lastFailureMs > policy.maxLockoutMs)
        {
            user.failures = 0;
        }
        user.failures++;
        user.lastFailureMs = nowMs;
        if (user.failures >= policy.userThrottleFailures)
        {
            user.gateOpensMs = Math.max(user.gateOpensMs, nowMs + throttleDelay(user.failures));
        }
        return new Outcome(Verdict.BAD_CREDENTIALS, null, failures, lockedNow, lockedNow ? pair.lockedUntilMs - nowMs : 0);
    }

    /**
     * The check of an attempt {@link #admit}ted earlier (it may have waited in a queue): refused
     * without PBKDF2 if its pair was locked meanwhile, else {@link #verify} and {@link #record}.
     * Any thread; {@code password} is not cleared.
     */
    public Outcome check(final String username, final char[] password, final String address, final long nowMs)
    {
        synchronized (this)
        {
            final PairState pair = pairs.get(pairKey(username, address));
            if (pair != null && pair.lockedUntilMs > nowMs)
            {
                return new Outcome(Verdict.LOCKED_OUT, null, pair.failures, false, pair.lockedUntilMs - nowMs);
            }
        }
        return record(username, address, verify(username, password), nowMs);
    }

    /**
     * {@link #admit} and {@link #check} in one call, for a door that checks on its own
     * (slow-tolerant) threads, such as an HTTP handler. {@code password} is not cleared.
     */
    public Outcome authenticate(final String username, final char[] password, final String address, final long nowMs)
    {
        final Outcome admitted = admitForCheck(username, address, nowMs);
        if (!admitted.accepted())
        {
            return admitted;
        }
        return checkAdmitted(username, password, address, nowMs);
    }

    /** Entries remembered (pairs + usernames), for tests and sizing. */
    public synchronized int tracked()
    {
        return pairs.size() + users.size();
    }

    private long lockoutDuration(final int lockouts)
    {
        final int doublings = Math.min(lockouts - 1, 30);
        return Math.min(policy.maxLockoutMs, policy.lockoutMs << doublings);
    }

    private long throttleDelay(final int failures)
    {
        final int doublings = Math.min(failures - policy.userThrottleFailures, 30);
        return Math.min(policy.userThrottleMaxDelayMs, FIRST_THROTTLE_DELAY_MS << Math.max(0, doublings));
    }

    private boolean isKnown(final String username, final String address)
    {
        final String[] known = knownAddresses.get(username);
        if (known != null)
        {
            for (final String a : known)
            {
                if (address.equals(a))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void remember(final String username, final String address)
    {
        String[] known = knownAddresses.get(username);
        if (known == null)
        {
            known = new String[KNOWN_ADDRESSES];
            knownAddresses.put(username, known);
        }
        int i = 0;
        while (i < known.length - 1 && known[i] != null && !address.equals(known[i]))
        {
            i++;
        }
        // most recent first
        System.arraycopy(known, 0, known, 1, i);
        known[0] = address;
    }

    /**
     * Keeps both maps under {@code maxTracked}: entries that no longer matter go first (at most
     * one sweep a second), then the least recently active.
     */
    private void prune(final long nowMs)
    {
        // room for the pair and the username a failure may add
        if (pairs.size() + users.size() + 2 <= policy.maxTracked)
        {
            return;
        }
        if (nowMs - lastPruneMs >= PRUNE_INTERVAL_MS)
        {
            lastPruneMs = nowMs;
            pairs.values().removeIf(p -> p.lockedUntilMs <= nowMs && nowMs - p.lastFailureMs > policy.maxLockoutMs);
            users.values().removeIf(u -> nowMs - u.lastFailureMs > policy.maxLockoutMs);
        }
        while (pairs.size() + users.size() + 2 > policy.maxTracked)
        {
            final Map<String, ?> larger = pairs.size() >= users.size() ? pairs : users;
            final Iterator<String> eldest = larger.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private static String pairKey(final String username, final String address)
    {
        return username + '\u0000' + address;
    }
}
