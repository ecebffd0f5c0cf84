package dev.bourse.bench.cluster;

import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.journal.JournalTailer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The single-node baseline in this process: the Disruptor {@link CommandSequencer}, the engine on
 * its thread, the Chronicle journal, and a tailer of that journal on the load's thread for the
 * acknowledgements, as single-node mode's gateway takes them.
 */
final class SingleNodeExchange implements AutoCloseable
{
    private final ChronicleJournal journal;
    private final CommandSequencer sequencer;
    private final ChronicleTailer tailer;
    private boolean closed;

    SingleNodeExchange(final Path dir, final EngineConfig config, final String waitStrategy)
    {
        journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir));
        final MatchingEngine engine = new MatchingEngine(new EngineState(config), journal);
        sequencer = new CommandSequencer(65_536, waitStrategy, new EngineCommandHandler(engine)).start();
        tailer = journal.tailerAfter(JournalTailer.START, true);
    }

    OrderLoad load()
    {
        return new PublisherOrderLoad(sequencer, tailer, this::close);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        tailer.close();
        journal.close();
    }
}
