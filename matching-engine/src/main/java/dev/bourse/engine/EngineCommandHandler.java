package dev.bourse.engine;

import dev.bourse.engine.sequencer.CommandHandler;
import org.agrona.DirectBuffer;

/** Connects the sequencer to the engine; the engine itself knows nothing of the Disruptor. */
public final class EngineCommandHandler implements CommandHandler
{
    private final MatchingEngine engine;

    public EngineCommandHandler(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    @Override
    public void onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        engine.onCommand(buffer, offset, length);
    }

    @Override
    public void onLookahead(final DirectBuffer buffer, final int offset, final int length)
    {
        engine.prefetch(buffer, offset, length);
    }

    @Override
    public void onEndOfBatch()
    {
        engine.onEndOfBatch();
    }
}
