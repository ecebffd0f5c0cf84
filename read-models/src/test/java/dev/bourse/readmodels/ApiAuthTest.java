package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Password checks at the HTTP door go through a queue fair between addresses (as at the FIX door):
 * a flood from one address is answered "busy" beyond its share and waits behind itself, while a
 * login from another address is still checked.
 */
class ApiAuthTest
{
    private static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFloodFromOneAddressIsBusyBeyondItsShareAndAnotherAddressIsStillChecked() throws Exception
    {
        // real PBKDF2 (slow on purpose), so the flood's checks queue up
        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, false)
            .addPlain("bob", "bob-secret", 2, false);
        final int flood = 32;
        final ExecutorService threads = Executors.newFixedThreadPool(flood + 1);
        try (ApiAuth auth = new ApiAuth(credentials, null, TimeUnit.HOURS.toNanos(1), null))
        {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<String>> attempts = new ArrayList<>();
            for (int i = 0; i < flood; i++)
            {
                final int n = i;
                attempts.add(threads.submit(() ->
                {
                    go.await();
                    try
                    {
                        return auth.authenticate(basic("user" + n, "guess"), "10.0.0.66") == null ? "refused" : "accepted";
                    }
                    catch (final ApiAuth.Busy e)
                    {
                        return "busy";
                    }
                }));
            }
            go.countDown();
            final ApiAuth.Principal bob = threads.submit(() -> auth.authenticate(basic("bob", "bob-secret"), "10.0.0.7"))
                .get(60, TimeUnit.SECONDS);
            assertNotNull(bob, "an honest login from another address is checked, and accepted");
            assertEquals(2, bob.accountId());
            int busy = 0;
            int refused = 0;
            for (final Future<String> attempt : attempts)
            {
                final String outcome = attempt.get(60, TimeUnit.SECONDS);
                busy += outcome.equals("busy") ? 1 : 0;
                refused += outcome.equals("refused") ? 1 : 0;
            }
            assertEquals(flood, busy + refused, "no guess accepted");
            assertTrue(busy > 0, "the flooding address is answered busy beyond " + ApiAuth.CHECKS_PER_ADDRESS + " waiting checks");
            assertTrue(refused >= 1, "and its checks that were queued are made (and refused)");
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    /**
     * A credential checked before (a remembered password, a token) is refused while its user is
     * locked out at the address, and the refusal is audited like any other: an outside probe found
     * these refusals missing from the journal.
     */
    @Test
    void aRememberedPasswordOrATokenRefusedDuringALockoutIsAuditedToo()
    {
        final CredentialStore credentials = new CredentialStore().addPlain("bob", "bob-secret", 2, true);
        final List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ApiAuth auth = new ApiAuth(credentials, null, TimeUnit.HOURS.toNanos(1),
            (username, address, outcome) -> audited.add(username + "@" + address + " " + outcome.verdict())))
        {
            final ApiAuth.Principal bob = auth.authenticate(basic("bob", "bob-secret"), "10.0.0.9");
            assertNotNull(bob);
            final String token = auth.issueToken(bob);
            for (int i = 0; i < 5; i++)
            {
                assertEquals(null, auth.authenticate(basic("bob", "guess" + i), "10.0.0.9"));
            }
            final int failures = audited.size();
            assertEquals(null, auth.authenticate(basic("bob", "bob-secret"), "10.0.0.9"), "remembered, but locked out here");
            assertEquals(null, auth.authenticate("Bearer " + token, "10.0.0.9"), "a token, locked out here");
            assertEquals(List.of("bob@10.0.0.9 LOCKED_OUT", "bob@10.0.0.9 LOCKED_OUT"), audited.subList(failures, audited.size()));
            assertNotNull(auth.authenticate("Bearer " + token, "10.0.0.10"), "another address is not locked");
        }
    }
}
