package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;

/**
 * What a start refused for a journal shorter than one of its witnesses advises besides restoring
 * it: moving away everything made from the journal, so that what starts is a new exchange. Moving
 * only the snapshots and the checkpoints, as the refusals said, kept the FIX session stores, and
 * the old sessions were sent OrderIDs and ExecIDs they already held (an outside probe).
 */
final class NewExchange
{
    private NewExchange()
    {
    }

    /** "to start a new exchange there, move away ...", naming this configuration's directories. */
    static String advice(final ExchangeConfig config)
    {
        final ExchangeConfig.Query query = config.query();
        final String history = "postgresql".equals(query.store()) ? "the history database (" + query.jdbcUrl() + ": empty it)"
            : "the history store (" + query.historyFile() + ")";
        return "to start a new exchange there, move away everything made from the journal: the snapshots (" + config.snapshots().dir()
            + "), the query side's checkpoints (" + query.checkpointDir() + ") and " + history + ", and the FIX session stores ("
            + config.gateway().sessionDir() + ")";
    }
}
