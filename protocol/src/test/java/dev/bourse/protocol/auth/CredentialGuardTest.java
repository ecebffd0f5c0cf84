package dev.bourse.protocol.auth;

import dev.bourse.protocol.auth.CredentialGuard.Outcome;
import dev.bourse.protocol.auth.CredentialGuard.Verdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The lockout policy and the throttle of failed attempts, attempt by attempt, on a clock the test moves. */
class CredentialGuardTest
{
    private static final String DAVE_OFFICE = "10.0.0.1";
    private static final String ATTACKER = "192.0.2.66";
    private final CredentialStore store = new CredentialStore().addPlain("dave", "right", 7, true);
    private long now = 1_000_000;

    private CredentialGuard guard(final CredentialGuard.Policy policy)
    {
        return new CredentialGuard(store, policy);
    }

    private Outcome attempt(final CredentialGuard guard, final String password, final String address)
    {
        return guard.authenticate("dave", password.toCharArray(), address, now);
    }

    @Test
    void theRightPasswordIsAcceptedAndAWrongOneIsNot()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy());
        final Outcome ok = attempt(guard, "right", DAVE_OFFICE);
        assertEquals(Verdict.ACCEPTED, ok.verdict());
        assertEquals(7, ok.credential().accountId());
        final Outcome wrong = attempt(guard, "wrong", DAVE_OFFICE);
        assertEquals(Verdict.BAD_CREDENTIALS, wrong.verdict());
        assertEquals(1, wrong.failures());
        assertNull(wrong.credential());
    }

    @Test
    void failuresFromOneAddressLockThatAddressOnlyNotTheUser()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(3).lockoutMs(60_000));
        assertEquals(1, attempt(guard, "guess1", ATTACKER).failures());
        assertEquals(2, attempt(guard, "guess2", ATTACKER).failures());
        final Outcome third = attempt(guard, "guess3", ATTACKER);
        assertTrue(third.lockedNow());
        assertEquals(60_000, third.retryAfterMs());

        // the attacker is locked out, even with the right password, without a check
        final Outcome locked = attempt(guard, "right", ATTACKER);
        assertEquals(Verdict.LOCKED_OUT, locked.verdict());
        // the audit's detail carries the failures in a row that locked it (SECURITY.md, Audits), not 0
        assertEquals(3, locked.failures());
        // dave, from his own address, is not
        assertEquals(Verdict.ACCEPTED, attempt(guard, "right", DAVE_OFFICE).verdict());

        now += 60_001;
        assertEquals(Verdict.ACCEPTED, attempt(guard, "right", ATTACKER).verdict(), "the lock ends");
    }

    @Test
    void eachFurtherLockoutOfThePairLastsTwiceAsLongUpToTheMaximum()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(1).lockoutMs(1_000).maxLockoutMs(3_000));
        assertEquals(1_000, attempt(guard, "x", ATTACKER).retryAfterMs());
        now += 1_000;
        assertEquals(2_000, attempt(guard, "x", ATTACKER).retryAfterMs());
        now += 2_000;
        assertEquals(3_000, attempt(guard, "x", ATTACKER).retryAfterMs(), "capped");
    }

    @Test
    void aSuccessClearsTheFailuresInARow()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(3));
        attempt(guard, "typo", DAVE_OFFICE);
        attempt(guard, "typo", DAVE_OFFICE);
        assertTrue(attempt(guard, "right", DAVE_OFFICE).accepted());
        assertEquals(1, attempt(guard, "typo", DAVE_OFFICE).failures());
    }

    @Test
    void failuresLongAgoAreForgotten()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(3).lockoutMs(10_000));
        attempt(guard, "typo", DAVE_OFFICE);
        attempt(guard, "typo", DAVE_OFFICE);
        now += 10_001;
        final Outcome later = attempt(guard, "typo", DAVE_OFFICE);
        assertEquals(1, later.failures());
        assertFalse(later.lockedNow());
    }

    @Test
    void aGuessingAttackSpreadOverManyAddressesIsThrottledToOneGuessAtATimeButTheOwnerIsNot()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(5).userThrottleFailures(4)
            .userThrottleMaxDelayMs(4_000));
        assertTrue(attempt(guard, "right", DAVE_OFFICE).accepted(), "dave's office is a known address from now on");
        for (int i = 0; i < 4; i++)
        {
            assertEquals(Verdict.BAD_CREDENTIALS, attempt(guard, "guess", "192.0.2." + i).verdict());
        }
        // from now on an unknown address waits for the gate: 1 s, then one check, then twice as long
        final Outcome throttled = attempt(guard, "guess", "192.0.2.10");
        assertEquals(Verdict.THROTTLED, throttled.verdict());
        assertEquals(1_000, throttled.retryAfterMs());
        now += 1_000;
        assertEquals(Verdict.BAD_CREDENTIALS, attempt(guard, "guess", "192.0.2.10").verdict());
        assertEquals(2_000, attempt(guard, "guess", "192.0.2.11").retryAfterMs());
        // the owner from his usual address is not slowed
        assertTrue(attempt(guard, "right", DAVE_OFFICE).accepted());
        // and his success does not open the gate for the attacker
        assertEquals(Verdict.THROTTLED, attempt(guard, "guess", "192.0.2.12").verdict());
        // the shorter lockout's quiet does not end the throttle (a patient guesser would get
        // userThrottleFailures guesses every lockout); the longest lockout's does
        now += guard.policy().lockoutMs() + 1;
        assertEquals(Verdict.BAD_CREDENTIALS, attempt(guard, "guess", "192.0.2.13").verdict(), "one through the open gate");
        assertEquals(Verdict.THROTTLED, attempt(guard, "guess", "192.0.2.14").verdict(), "and the gate is shut again");
        now += guard.policy().maxLockoutMs();
        assertEquals(Verdict.BAD_CREDENTIALS, attempt(guard, "guess", "192.0.2.12").verdict());
    }

    /**
     * A door that queues its checks (FIX) admits an attempt long before its check records the
     * failure. An outside probe's burst of 100 wrong Logons from 100 addresses at once was admitted
     * whole: the throttle counted only recorded failures. Admitted checks count while in flight.
     */
    @Test
    void aBurstFromManyAddressesAtOnceIsThrottledBeforeItsChecksAreRecorded()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().userThrottleFailures(4));
        int admitted = 0;
        for (int i = 0; i < 100; i++)
        {
            if (guard.admitForCheck("dave", "192.0.2." + i, now).accepted())
            {
                admitted++;
            }
        }
        assertEquals(5, admitted, "4 checks in flight close the gate: then one through it, the next after 1 s");
        for (int i = 0; i < admitted; i++)
        {
            assertEquals(Verdict.BAD_CREDENTIALS, guard.checkAdmitted("dave", "guess".toCharArray(), "192.0.2." + i, now).verdict());
        }
        assertEquals(Verdict.THROTTLED, guard.admitForCheck("dave", "192.0.2.200", now).verdict());

        // attempts admitted and then not checked leave nothing behind
        final CredentialGuard other = guard(new CredentialGuard.Policy().userThrottleFailures(4));
        for (int i = 0; i < 3; i++)
        {
            assertTrue(other.admitForCheck("nobody" + i, ATTACKER, now).accepted());
            other.abandon("nobody" + i);
        }
        assertEquals(0, other.tracked());
    }

    @Test
    void throttledAttemptsDoNotProlongTheThrottle()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().userThrottleFailures(2).userThrottleMaxDelayMs(60_000));
        attempt(guard, "guess", "192.0.2.1");
        attempt(guard, "guess", "192.0.2.2"); // 2 failures: the gate closes for 1 s
        for (int i = 0; i < 100; i++)
        {
            assertEquals(Verdict.THROTTLED, attempt(guard, "guess", "192.0.2.3").verdict());
        }
        now += 1_000;
        assertEquals(Verdict.BAD_CREDENTIALS, attempt(guard, "guess", "192.0.2.3").verdict(), "one check when the gate opens");
    }

    @Test
    void unknownUsernamesAreTreatedLikeRealOnes()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().failuresBeforeLockout(2));
        assertEquals(Verdict.BAD_CREDENTIALS, guard.authenticate("nobody", "x".toCharArray(), ATTACKER, now).verdict());
        assertTrue(guard.authenticate("nobody", "x".toCharArray(), ATTACKER, now).lockedNow());
        assertEquals(Verdict.LOCKED_OUT, guard.authenticate("nobody", "x".toCharArray(), ATTACKER, now).verdict());
    }

    @Test
    void inventedUsernamesAndAddressesDoNotGrowItsMemoryWithoutBound()
    {
        final CredentialGuard guard = guard(new CredentialGuard.Policy().maxTracked(64));
        for (int i = 0; i < 1_000; i++)
        {
            guard.record("user" + i, "198.51.100." + (i % 250), null, now + i);
        }
        assertTrue(guard.tracked() <= 64, "tracked " + guard.tracked());
        assertTrue(attempt(guard, "right", DAVE_OFFICE).accepted());
    }
}
