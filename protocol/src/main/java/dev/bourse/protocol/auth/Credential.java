package dev.bourse.protocol.auth;

/** A user of the exchange: a username, its password hash (see {@link PasswordHash}) and its account. */
public record Credential(String username, String passwordHash, long accountId)
{
    @Override
    public String toString()
    {
        // Never print the hash.
        return "Credential[username=" + username + ", accountId=" + accountId + "]";
    }
}
