package dev.bourse.server;

import dev.bourse.gateway.store.GatewayState;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalException;
import dev.bourse.server.config.ExchangeConfig;

import java.nio.file.Path;

/**
 * The FIX session stores are a witness of the journal, as the snapshots and the read models'
 * checkpoint are: the gateway records the journal position up to which it sent execution reports.
 * One further on than the recovered journal proves the journal lost entries that clients were
 * told of. An outside probe followed the refusals' advice, moved the snapshots and the checkpoints
 * away and started: the old sessions logged on, and were sent OrderIDs and ExecIDs they already
 * held (and a gateway that believes it reported further on reports nothing until it gets there).
 */
final class SessionStoreWitness
{
    private SessionStoreWitness()
    {
    }

    static void refuseIfAheadOfJournal(final ExchangeConfig config, final ChronicleJournal journal, final long journalLastSequence)
    {
        if (!config.gateway().enabled())
        {
            return;
        }
        final Path sessions = config.gateway().sessionDir();
        final long reported = GatewayState.reportedPosition(sessions);
        if (reported > journal.lastPosition())
        {
            throw new JournalException("the journal " + config.journal().dir() + (journalLastSequence == 0 ? " has no entries"
                : " ends at sequence " + journalLastSequence + " (position " + journal.lastPosition() + ")")
                + ", but the FIX session store in " + sessions + " (gateway.session-dir) sent execution reports up to journal position "
                + reported + ": journal entries are missing that clients were told of. The journal is the system of record: restore"
                + " it, or, " + NewExchange.advice(config));
        }
    }
}
