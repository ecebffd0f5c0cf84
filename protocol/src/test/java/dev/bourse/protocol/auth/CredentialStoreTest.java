package dev.bourse.protocol.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** An unknown username costs what a user's check costs, so timing does not say which usernames exist. */
class CredentialStoreTest
{
    @Test
    void anUnknownUsernameIsCheckedAtTheUsersCostTheHighestIfTheyDiffer()
    {
        final CredentialStore store = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        assertEquals(1_000, PasswordHash.iterations(store.find("alice").passwordHash()));
        assertEquals(1_000, store.dummyIterations(), "users hashed at 1,000 iterations: so is the dummy");
        assertNull(store.authenticate("mallory", "alice-secret".toCharArray()));
        assertNotNull(store.authenticate("alice", "alice-secret".toCharArray()));

        store.add(new Credential("bob", PasswordHash.hash("bob-secret".toCharArray(), 2_000), 2));
        assertEquals(2_000, store.dummyIterations());
        store.addPlain("carol", "carol-secret", 3, true);
        assertEquals(2_000, store.dummyIterations(), "the highest cost stays");
    }

    @Test
    void withNoUsersTheDummyHasTheDefaultCost()
    {
        final CredentialStore store = new CredentialStore();
        assertNull(store.authenticate("anyone", "x".toCharArray()));
        assertEquals(PasswordHash.DEFAULT_ITERATIONS, store.dummyIterations());
    }

    @Test
    void theCostOfAMalformedHashIsUnknown()
    {
        assertEquals(-1, PasswordHash.iterations("md5$abc"));
        assertEquals(-1, PasswordHash.iterations(null));
    }
}
