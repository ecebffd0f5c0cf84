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

    public CredentialStore add(final Credential credential)
    {
        if (byUsername.putIfAbsent(credential.username(), credential) != null)
        {
            throw new IllegalArgumentException("duplicate username: " + credential.username());
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
            PasswordHash.verify(password, DUMMY);
            return null;
        }
        return PasswordHash.verify(password, credential.passwordHash()) ? credential : null;
    }

    private static final String DUMMY = PasswordHash.hash("not-a-real-password".toCharArray());
}
