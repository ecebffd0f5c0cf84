package dev.bourse.journal.tool;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.Instrument;
import dev.bourse.journal.JournalException;
import dev.bourse.journal.SnapshotStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An instrument's id by its symbol, from the newest snapshot beside a journal that loads. Once
 * retention removed the cycle holding a journal's InstrumentAdded entries, {@code --instrument AAPL}
 * found nothing to name AAPL (an outside probe); the snapshots, which retention keeps, still do.
 */
final class SnapshotSymbols
{
    private SnapshotSymbols()
    {
    }

    /** @return the id, or -1 if no snapshot beside {@code journalDir} loads and names {@code symbol}. */
    static int idOf(final Path journalDir, final String symbol)
    {
        final EngineState state = newestState(journalDir);
        if (state != null)
        {
            for (int id = 1; id < MAX_INSTRUMENTS; id++)
            {
                final Instrument instrument = state.instrument(id);
                if (instrument != null && instrument.symbol().equals(symbol))
                {
                    return id;
                }
            }
        }
        return -1;
    }

    /**
     * "id=symbol" of every instrument the newest snapshot that loads names, by id; empty if none: the
     * answer to a typo names them too (it listed only the journal's InstrumentAdded, which retention
     * may have removed: an outside probe saw NEWCO offered and AAPL left out).
     */
    static List<String> all(final Path journalDir)
    {
        final List<String> named = new java.util.ArrayList<>();
        final EngineState state = newestState(journalDir);
        if (state != null)
        {
            for (int id = 1; id < MAX_INSTRUMENTS; id++)
            {
                final Instrument instrument = state.instrument(id);
                if (instrument != null)
                {
                    named.add(id + "=" + instrument.symbol());
                }
            }
        }
        return named;
    }

    private static final int MAX_INSTRUMENTS = 65_536;

    /** The newest snapshot beside {@code journalDir} that loads (a damaged one: an older one may do), or null. */
    private static EngineState newestState(final Path journalDir)
    {
        final Path parent = journalDir.toAbsolutePath().getParent();
        final Path dir = parent == null ? null : parent.resolve("snapshots");
        if (dir == null || !Files.isDirectory(dir))
        {
            return null;
        }
        final EngineConfig config = new EngineConfig().maxInstruments(MAX_INSTRUMENTS).maxLiveOrders(1L << 31).conclude();
        for (final SnapshotStore.Info info : SnapshotStore.list(dir)) // newest first
        {
            try
            {
                return SnapshotStore.load(info, config).state();
            }
            catch (final JournalException | IllegalStateException e)
            {
                // a damaged one: an older one may do
            }
        }
        return null;
    }
}
