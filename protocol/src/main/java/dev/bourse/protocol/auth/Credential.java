package dev.bourse.protocol.auth;

/**
 * A user of the exchange: a username, its password hash (see {@link PasswordHash}), its role and,
 * for a trader, its account (0 for roles bound to no account).
 */
public record Credential(String username, String passwordHash, long accountId, Role role)
{
    public Credential
    {
        if (role == null)
        {
            throw new IllegalArgumentException("a credential needs a role");
        }
    }

    /** A trader for {@code accountId}. */
    public Credential(final String username, final String passwordHash, final long accountId)
    {
        this(username, passwordHash, accountId, Role.TRADER);
    }

    @Override
    public String toString()
    {
        // Never print the hash.
        return "Credential[username=" + username + ", accountId=" + accountId + ", role=" + role.configName() + "]";
    }
}
