package dev.bourse.server.admin;

import dev.bourse.journal.HeadTailer;
import dev.bourse.engine.sequencer.CommandPublisher;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A single node's {@link AdminChannel}: the exchange's operator publisher into the Disruptor ring
 * (which takes any number of producers) and a tailer of the exchange's own journal. The ring keeps
 * the commands' timestamps, so an action's entries are found by them.
 */
public final class RingAdminChannel implements AdminChannel
{
    private final CommandPublisher publisher;
    private final HeadTailer tailer;

    /**
     * @param tailer a journal tailer positioned at (or before) the journal's end, for external
     *               effects: answers wait for the durable watermark like every other report
     */
    public RingAdminChannel(final CommandPublisher publisher, final HeadTailer tailer)
    {
        this.publisher = publisher;
        this.tailer = tailer;
    }

    @Override
    public long publish(final MutableDirectBuffer audit, final int auditLength, final MutableDirectBuffer command,
        final int commandLength, final long timeoutNs)
    {
        if (!publishOne(audit, auditLength, timeoutNs))
        {
            return BUSY;
        }
        return commandLength == 0 || publishOne(command, commandLength, timeoutNs) ? 0 : BUSY;
    }

    private boolean publishOne(final MutableDirectBuffer command, final int length, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        long claim;
        while ((claim = publisher.tryClaim()) == CommandPublisher.NO_CLAIM)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        publisher.buffer(claim).putBytes(0, command, 0, length);
        publisher.commit(claim, length);
        return true;
    }

    @Override
    public boolean keepsTimestamps()
    {
        return true;
    }

    @Override
    public HeadTailer journal()
    {
        return tailer;
    }

    @Override
    public String busyMessage()
    {
        return "the engine's ring stayed full: retry";
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
