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
        final Path parent = journalDir.toAbsolutePath().getParent();
        final Path dir = parent == null ? null : parent.resolve("snapshots");
        if (dir == null || !Files.isDirectory(dir))
        {
            return -1;
        }
        final EngineConfig config = new EngineConfig().maxInstruments(65_536).maxLiveOrders(1L << 31).conclude();
        final List<SnapshotStore.Info> infos = SnapshotStore.list(dir);
        for (final SnapshotStore.Info info : infos) // newest first
        {
            final EngineState state;
            try
            {
                state = SnapshotStore.load(info, config).state();
            }
            catch (final JournalException | IllegalStateException e)
            {
                continue; // a damaged one: an older one may do
            }
            for (int id = 1; id < config.maxInstruments(); id++)
            {
                final Instrument instrument = state.instrument(id);
                if (instrument != null && instrument.symbol().equals(symbol))
                {
                    return id;
                }
            }
            return -1;
        }
        return -1;
    }
}
