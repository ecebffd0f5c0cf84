package dev.bourse.server;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.auth.CredentialGuard;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.readmodels.RefusedLogonListener;

import java.util.function.LongSupplier;

/**
 * A refused password check at the query side's doors journaled as a refused FIX Logon is (the
 * username as sent, which the command writer bounds to its field as for FIX):
 * {@code LOCKED_OUT} for a lockout or throttle, else {@code LOGON_FAILED}, with the username and a
 * detail of {@code reason code << 16 | failures in a row} (SECURITY.md, Audits: the same codes), and
 * the CompID {@code query} naming the door. Password guessing over HTTP or WebSocket then leaves the
 * same trail as over FIX. Never blocks an HTTP thread: with the ring full (64K commands waiting) the audit is not written.
 * Attempts refused without a check (locked out, throttled) are journaled at most once a second per
 * username and address: the FIX door holds each such Logon for a second, an HTTP door cannot.
 */
final class QueryLogonAudits implements RefusedLogonListener
{
    /** The CompID field of these audits: which door refused the login. */
    static final String DOOR = "query";

    private final CommandPublisher publisher;
    private final CommandWriter writer = new CommandWriter();
    private final LongSupplier clock;

    QueryLogonAudits(final CommandPublisher publisher, final LongSupplier epochNanos)
    {
        this.publisher = publisher;
        this.clock = epochNanos;
    }

    /** Attempts refused without a check are journaled at most this often per username and address. */
    static final long UNCHECKED_AUDIT_INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAX_PAIRS = 4_096;

    /** When each (username, address) pair's last unchecked refusal was journaled; bounded, least recent out first. */
    private final java.util.LinkedHashMap<String, Long> lastUncheckedAudit = new java.util.LinkedHashMap<>(64, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final java.util.Map.Entry<String, Long> eldest)
        {
            return size() > MAX_PAIRS;
        }
    };

    @Override
    public synchronized void onRefused(final String username, final String address, final CredentialGuard.Outcome outcome)
    {
        final CredentialGuard.Verdict verdict = outcome.verdict();
        final int code = verdict == CredentialGuard.Verdict.LOCKED_OUT ? 1 : verdict == CredentialGuard.Verdict.THROTTLED ? 2 : 0;
        final long now = clock.getAsLong();
        if (code != 0)
        {
            // Refused without a check, an HTTP answer costs nothing, so a locked-out guesser got ~1,400
            // journal entries a second (an abuse probe); FIX holds such a Logon 1 s. Once a second per pair.
            final String pair = username + '\u0000' + address;
            final Long last = lastUncheckedAudit.get(pair);
            if (last != null && now - last < UNCHECKED_AUDIT_INTERVAL_NANOS)
            {
                return;
            }
            lastUncheckedAudit.put(pair, now);
        }
        final int detail = code << 16 | Math.min(Math.max(outcome.failures(), 0), 0xFFFF);
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return; // the ring full: the lockout still counts the attempt
        }
        publisher.commit(claim, writer.audit(publisher.buffer(claim), 0, now, 0, 0,
            code == 0 ? AuditType.LOGON_FAILED : AuditType.LOCKED_OUT, detail, username, 0, DOOR));
    }
}
