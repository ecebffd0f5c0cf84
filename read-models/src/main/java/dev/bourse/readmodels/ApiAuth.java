package dev.bourse.readmodels;

import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.FairCheckQueue;
import dev.bourse.protocol.auth.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is asking: HTTP basic auth with the gateway's credentials, or a bearer token obtained with
 * them. A password check is PBKDF2 (deliberately slow), so a successful basic check is remembered
 * under a keyed SHA-256 of the header for the token lifetime, and clients that query often should
 * use a token. Password checks go through the process's {@link CredentialGuard} (the same lockout
 * and throttle as FIX logons, per username and source address); a locked or throttled attempt gets
 * the same answer as a wrong password.
 */
final class ApiAuth implements AutoCloseable
{
    /** The password check could not be made now: that address has too many waiting (answered 503). */
    static final class Busy extends RuntimeException
    {
        Busy(final String message)
        {
            super(message, null, false, false);
        }
    }

    /** Checks one address may have waiting; a caller waits at most this long for its own. */
    static final int CHECKS_PER_ADDRESS = 1;
    static final long CHECK_WAIT_MS = 10_000;

    record Principal(String username, long accountId, Role role, long expiresAtNanos)
    {
        /** May this principal read that account's data? Its own (a trader), or any (compliance). */
        boolean mayRead(final long account)
        {
            return role == Role.COMPLIANCE || (role == Role.TRADER && account == accountId);
        }
    }

    private static final int MAX_CACHED = 10_000;
    /** Live tokens per user: a new one past this retires the user's oldest, so tokens cannot fill the heap. */
    static final int MAX_TOKENS_PER_USER = 16;
    private final CredentialGuard guard;
    private final long ttlNanos;
    private final SecureRandom random = new SecureRandom();
    private final byte[] cacheKey = new byte[32];
    private final ConcurrentHashMap<String, Principal> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Principal> basicCache = new ConcurrentHashMap<>();
    /** Each user's live tokens, oldest first; guarded by itself. */
    private final java.util.HashMap<String, java.util.ArrayDeque<String>> tokensByUser = new java.util.HashMap<>();

    private final RefusedLogonListener refused;
    /**
     * PBKDF2 is slow on purpose: checked on the HTTP threads, a flood of wrong passwords took both
     * cores. As at the FIX door, checks wait in a queue fair between source addresses, on one
     * thread held to half a core (a flood waits behind itself; the order path keeps its core).
     */
    private final FairCheckQueue checks = new FairCheckQueue("bourse-query-auth", 1, CHECKS_PER_ADDRESS, 1_024, 0.5,
        t -> { });

    ApiAuth(final CredentialStore credentials, final CredentialGuard guard, final long ttlNanos, final RefusedLogonListener refused)
    {
        // Without a shared guard (a query side in a process of its own), one of its own with the default policy.
        this.guard = guard != null ? guard : new CredentialGuard(credentials, new CredentialGuard.Policy());
        this.ttlNanos = ttlNanos;
        this.refused = refused;
        random.nextBytes(cacheKey);
    }

    long ttlNanos()
    {
        return ttlNanos;
    }

    /**
     * @param address the client's address, for the lockout per username and address
     * @return the principal, or null for a missing, malformed, wrong, locked out or expired credential.
     */
    Principal authenticate(final String header, final String address)
    {
        if (header == null)
        {
            return null;
        }
        final long now = System.nanoTime();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            final Principal principal = tokens.get(header.substring(7).trim());
            if (principal == null || now - principal.expiresAtNanos() >= 0)
            {
                return null;
            }
            // like a remembered password, a token is not honoured while its user is locked out at this address
            return admitted(principal, address);
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6))
        {
            return null;
        }
        final String key = digest(header);
        final Principal cached = basicCache.get(key);
        if (cached != null && now - cached.expiresAtNanos() < 0)
        {
            // a remembered success does not outlive a lockout of its user at this address
            return admitted(cached, address);
        }
        final String decoded;
        try
        {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
        final int colon = decoded.indexOf(':');
        if (colon <= 0)
        {
            return null;
        }
        final char[] password = decoded.substring(colon + 1).toCharArray();
        final String username = decoded.substring(0, colon);
        final String from = address == null ? "unknown" : address;
        final CredentialGuard.Outcome outcome = check(username, password, from);
        if (!outcome.accepted())
        {
            if (refused != null)
            {
                refused.onRefused(username, from, outcome);
            }
            return null;
        }
        final Credential credential = outcome.credential();
        final Principal principal = new Principal(credential.username(), credential.accountId(), credential.role(), now + ttlNanos);
        if (basicCache.size() >= MAX_CACHED)
        {
            basicCache.clear();
        }
        basicCache.put(key, principal);
        return principal;
    }

    /**
     * A credential checked before (a token, a remembered password) while its user may be locked out
     * at this address: refused then, and audited like any refused logon.
     */
    private Principal admitted(final Principal principal, final String address)
    {
        final String from = address == null ? "unknown" : address;
        final CredentialGuard.Outcome outcome = guard.admit(principal.username(), from, System.currentTimeMillis());
        if (outcome.accepted())
        {
            return principal;
        }
        if (refused != null)
        {
            refused.onRefused(principal.username(), from, outcome);
        }
        return null;
    }

    /** The slow check, in the fair queue; the password is wiped once checked. */
    private CredentialGuard.Outcome check(final String username, final char[] password, final String from)
    {
        final java.util.concurrent.CompletableFuture<CredentialGuard.Outcome> result = new java.util.concurrent.CompletableFuture<>();
        final boolean queued = checks.submit(from, () ->
        {
            try
            {
                result.complete(guard.authenticate(username, password, from, System.currentTimeMillis()));
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t); // an Error too: a caller must not wait out its timeout for nothing
            }
            finally
            {
                java.util.Arrays.fill(password, '\0');
            }
        });
        if (!queued)
        {
            java.util.Arrays.fill(password, '\0');
            throw new Busy("too many logins from your address are being checked; try again shortly");
        }
        try
        {
            return result.get(CHECK_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            throw new Busy("the password check did not finish in " + CHECK_WAIT_MS + " ms; try again shortly");
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted");
        }
        catch (final java.util.concurrent.ExecutionException e)
        {
            throw new IllegalStateException("password check failed", e.getCause());
        }
    }

    @Override
    public void close()
    {
        checks.close();
    }

    /**
     * How long a login made with this (accepted) Authorization header holds, for a session that
     * outlives the request (a WebSocket stream): a token's while the token is live (neither expired
     * nor retired by a newer one); a password's for as long as the session (the password was
     * checked, and passwords change only with the configuration, at a restart).
     */
    java.util.function.LongPredicate lifetime(final String header)
    {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return now -> true;
        }
        final String token = header.substring(7).trim();
        return now ->
        {
            final Principal held = tokens.get(token);
            return held != null && now - held.expiresAtNanos() < 0;
        };
    }

    /** A fresh random bearer token for an authenticated principal. */
    String issueToken(final Principal principal)
    {
        final byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        final long now = System.nanoTime();
        synchronized (tokensByUser)
        {
            final java.util.ArrayDeque<String> mine = tokensByUser.computeIfAbsent(principal.username(), u -> new java.util.ArrayDeque<>());
            mine.removeIf(old ->
            {
                final Principal held = tokens.get(old);
                return held == null || now - held.expiresAtNanos() >= 0;
            });
            while (mine.size() >= MAX_TOKENS_PER_USER)
            {
                tokens.remove(mine.pollFirst());
            }
            if (tokens.size() >= MAX_CACHED)
            {
                tokens.values().removeIf(p -> now - p.expiresAtNanos() >= 0);
            }
            tokens.put(token, new Principal(principal.username(), principal.accountId(), principal.role(), now + ttlNanos));
            mine.addLast(token);
        }
        return token;
    }

    private String digest(final String header)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cacheKey);
            return Base64.getEncoder().encodeToString(sha.digest(header.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
