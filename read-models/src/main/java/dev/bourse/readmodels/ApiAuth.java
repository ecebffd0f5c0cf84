package dev.bourse.readmodels;

import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialStore;

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
 * use a token.
 */
final class ApiAuth
{
    record Principal(String username, long accountId, long expiresAtNanos)
    {
    }

    private static final int MAX_CACHED = 10_000;
    private final CredentialStore credentials;
    private final long ttlNanos;
    private final SecureRandom random = new SecureRandom();
    private final byte[] cacheKey = new byte[32];
    private final ConcurrentHashMap<String, Principal> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Principal> basicCache = new ConcurrentHashMap<>();

    ApiAuth(final CredentialStore credentials, final long ttlNanos)
    {
        this.credentials = credentials;
        this.ttlNanos = ttlNanos;
        random.nextBytes(cacheKey);
    }

    long ttlNanos()
    {
        return ttlNanos;
    }

    /** @return the principal, or null for a missing, malformed, wrong or expired credential. */
    Principal authenticate(final String header)
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
            return principal;
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6))
        {
            return null;
        }
        final String key = digest(header);
        final Principal cached = basicCache.get(key);
        if (cached != null && now - cached.expiresAtNanos() < 0)
        {
            return cached;
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
        final Credential credential = credentials.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
        if (credential == null)
        {
            return null;
        }
        final Principal principal = new Principal(credential.username(), credential.accountId(), now + ttlNanos);
        if (basicCache.size() >= MAX_CACHED)
        {
            basicCache.clear();
        }
        basicCache.put(key, principal);
        return principal;
    }

    /** A fresh random bearer token for an authenticated principal. */
    String issueToken(final Principal principal)
    {
        final byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (tokens.size() >= MAX_CACHED)
        {
            final long now = System.nanoTime();
            tokens.values().removeIf(p -> now - p.expiresAtNanos() >= 0);
        }
        tokens.put(token, new Principal(principal.username(), principal.accountId(), System.nanoTime() + ttlNanos));
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
