package dev.bourse.server;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.auth.CredentialGuard.Outcome;
import dev.bourse.protocol.auth.CredentialGuard.Verdict;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An abuse probe's locked-out HTTP guesser, answered at once, journaled ~1,400 audits a second.
 * Attempts refused without a check are audited once a second per username and address; every
 * checked failure still is.
 */
class QueryLogonAuditsTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private int committed;
    private long now = 1_000_000_000_000L;

    private final CommandPublisher publisher = new CommandPublisher()
    {
        @Override
        public long tryClaim()
        {
            return 1;
        }

        @Override
        public MutableDirectBuffer buffer(final long claim)
        {
            return buffer;
        }

        @Override
        public void commit(final long claim, final int length)
        {
            committed++;
        }

        @Override
        public int slotCapacity()
        {
            return 256;
        }
    };

    @Test
    void refusalsWithoutACheckAreJournaledOnceASecondPerUsernameAndAddress()
    {
        final QueryLogonAudits audits = new QueryLogonAudits(publisher, () -> now);
        final Outcome locked = new Outcome(Verdict.LOCKED_OUT, null, 5, false, 60_000);
        final Outcome wrong = new Outcome(Verdict.BAD_CREDENTIALS, null, 1, false, 0);
        for (int i = 0; i < 1_000; i++)
        {
            audits.onRefused("alice", "192.0.2.1", locked);
        }
        assertEquals(1, committed);
        audits.onRefused("alice", "192.0.2.2", locked);
        audits.onRefused("bob", "192.0.2.1", new Outcome(Verdict.THROTTLED, null, 0, false, 1_000));
        assertEquals(3, committed, "other pairs have their own second");
        for (int i = 0; i < 10; i++)
        {
            audits.onRefused("carol", "192.0.2.1", wrong);
        }
        assertEquals(13, committed, "every checked failure is journaled");
        now += QueryLogonAudits.UNCHECKED_AUDIT_INTERVAL_NANOS;
        audits.onRefused("alice", "192.0.2.1", locked);
        assertEquals(14, committed, "a second later, again");
    }
}
