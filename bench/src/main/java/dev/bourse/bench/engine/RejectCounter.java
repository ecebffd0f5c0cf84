package dev.bourse.bench.engine;

import dev.bourse.engine.EngineListener;
import dev.bourse.protocol.sbe.RejectReason;

/** Counts commands the engine refused: a valid bench stream has none. */
public final class RejectCounter implements EngineListener
{
    private long rejects;
    private int lastReason;
    private int lastCommandType;

    @Override
    public void onCommand(final int commandType, final int rejectReason)
    {
        if (rejectReason != RejectReason.NONE.value())
        {
            rejects++;
            lastReason = rejectReason;
            lastCommandType = commandType;
        }
    }

    public long rejects()
    {
        return rejects;
    }

    public String lastReject()
    {
        return rejects == 0 ? "none" : "command type " + lastCommandType + " reason " + RejectReason.get((short)lastReason);
    }
}
