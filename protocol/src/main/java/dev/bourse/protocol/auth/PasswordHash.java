package dev.bourse.protocol.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Passwords are stored only as salted PBKDF2-HMAC-SHA256 hashes, in the form
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}, shared by the FIX gateway and the
 * query API. Verification compares in constant time. Never log a password or a hash.
 */
public final class PasswordHash
{
    public static final String PREFIX = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private PasswordHash()
    {
    }

    /** Hashes a password with a fresh random salt. */
    public static String hash(final char[] password)
    {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(final char[] password, final int iterations)
    {
        if (holdsNul(password))
        {
            throw new IllegalArgumentException("a password cannot hold a NUL character");
        }
        final byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        final Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + '$' + iterations + '$' + b64.encodeToString(salt) + '$' +
            b64.encodeToString(derive(password, salt, iterations));
    }

    /** True if the stored string has the expected form (for configuration validation). */
    public static boolean isWellFormed(final String stored)
    {
        try
        {
            parse(stored);
            return true;
        }
        catch (final IllegalArgumentException e)
        {
            return false;
        }
    }

    /** The iteration count (the cost) of a stored hash, or -1 for a malformed one. */
    public static int iterations(final String stored)
    {
        try
        {
            return parse(stored).iterations;
        }
        catch (final IllegalArgumentException e)
        {
            return -1;
        }
    }

    /**
     * Checks a password against a stored hash; false for a malformed stored value, and for a password
     * holding a NUL: HMAC pads a short key with zero bytes, so "pw" and "pw\0" derived the same hash
     * and a Logon with a NUL after the password was accepted (an outside tester).
     */
    public static boolean verify(final char[] password, final String stored)
    {
        if (holdsNul(password))
        {
            return false;
        }
        final Parsed parsed;
        try
        {
            parsed = parse(stored);
        }
        catch (final IllegalArgumentException e)
        {
            return false;
        }
        return MessageDigest.isEqual(parsed.hash, derive(password, parsed.salt, parsed.iterations));
    }

    /** Whether a password holds a NUL character, which none may (see {@link #verify}). */
    public static boolean holdsNul(final char[] password)
    {
        for (final char c : password)
        {
            if (c == 0)
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] derive(final char[] password, final byte[] salt, final int iterations)
    {
        try
        {
            final PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
            try
            {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            }
            finally
            {
                spec.clearPassword();
            }
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    private static Parsed parse(final String stored)
    {
        if (stored == null)
        {
            throw new IllegalArgumentException("no hash");
        }
        final String[] parts = stored.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0]))
        {
            throw new IllegalArgumentException("expected " + PREFIX + "$iterations$salt$hash");
        }
        final int iterations;
        try
        {
            iterations = Integer.parseInt(parts[1]);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("bad iteration count");
        }
        if (iterations < 1_000 || iterations > 10_000_000)
        {
            throw new IllegalArgumentException("iteration count out of range");
        }
        final Base64.Decoder b64 = Base64.getDecoder();
        final byte[] salt = b64.decode(parts[2]);
        final byte[] hash = b64.decode(parts[3]);
        if (salt.length < 8 || hash.length != HASH_BITS / 8)
        {
            throw new IllegalArgumentException("bad salt or hash length");
        }
        return new Parsed(iterations, salt, hash);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash)
    {
    }
}
