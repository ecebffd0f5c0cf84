package dev.bourse.server.threading;

import dev.bourse.engine.sequencer.CommandPublisher;
import org.agrona.MutableDirectBuffer;

/**
 * A producer on another thread (bootstrap, operators, the scheduler) publishing into the ring of
 * a thread that may be blocked in its selector: each commit wakes that thread.
 */
public final class WakingPublisher implements CommandPublisher
{
    private final CommandPublisher delegate;
    private final Runnable wakeUp;

    public WakingPublisher(final CommandPublisher delegate, final Runnable wakeUp)
    {
        this.delegate = delegate;
        this.wakeUp = wakeUp;
    }

    @Override
    public long tryClaim()
    {
        return delegate.tryClaim();
    }

    @Override
    public MutableDirectBuffer buffer(final long claim)
    {
        return delegate.buffer(claim);
    }

    @Override
    public void commit(final long claim, final int length)
    {
        delegate.commit(claim, length);
        wakeUp.run();
    }

    @Override
    public int slotCapacity()
    {
        return delegate.slotCapacity();
    }
}
