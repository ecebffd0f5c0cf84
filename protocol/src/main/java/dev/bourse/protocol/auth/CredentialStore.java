package dev.bourse.protocol.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and their accounts, shared by the FIX gateway (Logon 553/554) and the query API
 * (basic auth). Loaded from configuration. Thread-safe.
 */
public final class CredentialStore
{
    private final Map<String, Credential> byUsername = new ConcurrentHashMap<>();

    /**
     * The hash an unknown username's password is checked against: as costly as the users' own (the
     * highest iteration count among them), so a wrong password takes as long for a username that
     * does not exist. A fixed dummy of the default cost answered unknown names in 30 ms where users
     * with plain-text passwords in the configuration (hashed at a lower cost) took 8: an outside
     * tester told which usernames exist by timing alone.
     */
    private volatile String dummy;
    private int dummyIterations;

    public CredentialStore add(final Credential credential)
    {
        if (byUsername.putIfAbsent(credential.username(), credential) != null)
        {
            throw new IllegalArgumentException("duplicate username: " + credential.username());
        }
        final int iterations = PasswordHash.iterations(credential.passwordHash());
        synchronized (this)
        {
            if (iterations > dummyIterations)
            {
                dummyIterations = iterations;
                dummy = PasswordHash.hash("not-a-real-password".toCharArray(), iterations);
            }
        }
        return this;
    }

    /** Convenience for tests and demos: hashes the password (with few iterations if {@code fast}). */
    public CredentialStore addPlain(final String username, final String password, final long accountId, final boolean fast)
    {
        final String hash = fast ? PasswordHash.hash(password.toCharArray(), 1_000) : PasswordHash.hash(password.toCharArray());
        return add(new Credential(username, hash, accountId));
    }

    /** Like {@link #addPlain(String, String, long, boolean)} for a user of another role (no account). */
    public CredentialStore addPlain(final String username, final String password, final Role role, final long accountId, final boolean fast)
    {
        final String hash = fast ? PasswordHash.hash(password.toCharArray(), 1_000) : PasswordHash.hash(password.toCharArray());
        return add(new Credential(username, hash, accountId, role));
    }

    public Credential find(final String username)
    {
        return username == null ? null : byUsername.get(username);
    }

    /**
     * @return the credential if the username exists and the password matches, else null. The
     *         cost is the same for unknown users (a dummy hash is checked) so timing does not
     *         reveal which usernames exist.
     */
    public Credential authenticate(final String username, final char[] password)
    {
        final Credential credential = find(username);
        if (credential == null)
        {
            PasswordHash.verify(password, dummy());
            return null;
        }
        return PasswordHash.verify(password, credential.passwordHash()) ? credential : null;
    }

    private String dummy()
    {
        final String current = dummy;
        if (current != null)
        {
            return current;
        }
        synchronized (this)
        {
            if (dummy == null)
            {
                dummyIterations = PasswordHash.DEFAULT_ITERATIONS; // no users: the cost a hash-password hash has
                dummy = PasswordHash.hash("not-a-real-password".toCharArray(), dummyIterations);
            }
            return dummy;
        }
    }

    /** The cost an unknown username's check takes, in PBKDF2 iterations (0 until a user or a check made it). */
    synchronized int dummyIterations()
    {
        return dummyIterations;
    }
}
