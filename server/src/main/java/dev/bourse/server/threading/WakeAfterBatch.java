package dev.bourse.server.threading;

import dev.bourse.engine.sequencer.CommandHandler;
import org.agrona.DirectBuffer;

/**
 * Dedicated threading with a gateway that blocks in its selector when idle: after the engine
 * thread journals a batch it wakes the gateway thread, which then reports it.
 */
public final class WakeAfterBatch implements CommandHandler
{
    private final CommandHandler delegate;
    private final Runnable wakeUp;

    public WakeAfterBatch(final CommandHandler delegate, final Runnable wakeUp)
    {
        this.delegate = delegate;
        this.wakeUp = wakeUp;
    }

    @Override
    public void onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        delegate.onCommand(buffer, offset, length);
    }

    @Override
    public void onLookahead(final DirectBuffer buffer, final int offset, final int length)
    {
        delegate.onLookahead(buffer, offset, length);
    }

    @Override
    public void onEndOfBatch()
    {
        delegate.onEndOfBatch();
        wakeUp.run();
    }

    @Override
    public void onStart()
    {
        delegate.onStart();
    }

    @Override
    public void onShutdown()
    {
        delegate.onShutdown();
    }
}
