package dev.bourse.protocol.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest
{
    @Test
    void verifiesTheRightPasswordOnly()
    {
        final String stored = PasswordHash.hash("s3cret".toCharArray(), 1_000);
        assertTrue(PasswordHash.isWellFormed(stored));
        assertTrue(PasswordHash.verify("s3cret".toCharArray(), stored));
        assertFalse(PasswordHash.verify("s3creT".toCharArray(), stored));
        assertFalse(PasswordHash.verify(new char[0], stored));
    }

    /** HMAC pads a short key with zeros: "pw" and "pw\0" derive one hash, and a Logon with a NUL after the password got in (an outside tester). */
    @Test
    void aPasswordWithANulAfterItDoesNotVerify()
    {
        final String stored = PasswordHash.hash("carol-demo".toCharArray(), 1_000);
        assertTrue(PasswordHash.verify("carol-demo".toCharArray(), stored));
        assertFalse(PasswordHash.verify("carol-demo\0".toCharArray(), stored));
        assertFalse(PasswordHash.verify("carol-demo\0\0".toCharArray(), stored));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash("pw\0".toCharArray(), 1_000));
    }

    @Test
    void everyHashHasItsOwnSaltAndNeverContainsThePassword()
    {
        final String a = PasswordHash.hash("same".toCharArray(), 1_000);
        final String b = PasswordHash.hash("same".toCharArray(), 1_000);
        assertNotEquals(a, b);
        assertFalse(a.contains("same"));
        assertTrue(a.startsWith(PasswordHash.PREFIX + "$1000$"));
    }

    @Test
    void malformedStoredValuesNeverVerify()
    {
        for (final String bad : new String[] {"", "plain", "pbkdf2-sha256$x$y$z", "pbkdf2-sha256$1000$$", "md5$1$a$b",
            "pbkdf2-sha256$-5$AAAA$AAAA", "pbkdf2-sha256$1000$!!!$AAAA"})
        {
            assertFalse(PasswordHash.isWellFormed(bad), bad);
            assertFalse(PasswordHash.verify("x".toCharArray(), bad), bad);
        }
    }

    @Test
    void credentialStoreAuthenticatesByUsernameAndHidesThePasswordHash()
    {
        final CredentialStore store = new CredentialStore()
            .addPlain("alice", "pw-a", 1, true)
            .addPlain("bob", "pw-b", 2, true);
        assertEquals(1, store.authenticate("alice", "pw-a".toCharArray()).accountId());
        assertNull(store.authenticate("alice", "pw-b".toCharArray()));
        assertNull(store.authenticate("mallory", "pw-a".toCharArray()));
        assertNull(store.authenticate(null, "pw-a".toCharArray()));
        assertFalse(store.find("bob").toString().contains(store.find("bob").passwordHash()));
        assertThrows(IllegalArgumentException.class, () -> store.addPlain("bob", "again", 3, true));
    }
}
