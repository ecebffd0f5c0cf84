package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialGuard;

/**
 * Told of every refused password check at the query side's doors (HTTP basic auth, a token
 * request, a WebSocket {@code auth}), so the exchange can journal it as it journals a refused FIX
 * Logon. Called on the HTTP thread that checked; it must not block.
 */
@FunctionalInterface
public interface RefusedLogonListener
{
    /**
     * @param username as sent (the listener cuts and cleans it)
     * @param address  the client's address
     * @param outcome  the guard's verdict: bad credentials, locked out or throttled
     */
    void onRefused(String username, String address, CredentialGuard.Outcome outcome);
}
