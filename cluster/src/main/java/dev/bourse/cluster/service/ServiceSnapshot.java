package dev.bourse.cluster.service;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.StateInput;
import dev.bourse.engine.StateOutput;

/**
 * What the service writes into an Aeron Cluster snapshot: its own replicated state (the client
 * table, whether the heartbeat timer runs) and then the engine's canonical {@link EngineSnapshot}.
 * The node's journal is not in it: each node keeps its own, and {@link NodeJournal} reconciles it
 * with the log replayed after the snapshot.
 */
final class ServiceSnapshot
{
    /** "BRCL": bourse cluster service snapshot. */
    static final int MAGIC = 0x4252434C;
    static final int VERSION = 1;
    private static final int END = 0x454E4443;

    private ServiceSnapshot()
    {
    }

    static void write(final StateOutput out, final ClientRegistry registry, final boolean heartbeatScheduled, final EngineState state)
    {
        out.putInt(MAGIC);
        out.putInt(VERSION);
        out.putByte((byte)(heartbeatScheduled ? 1 : 0));
        registry.write(out);
        EngineSnapshot.write(state, out);
        out.putInt(END);
    }

    /** Loaded state: the engine's, and whether the heartbeat timer was scheduled. */
    record Loaded(EngineState state, boolean heartbeatScheduled)
    {
    }

    static Loaded read(final StateInput in, final ClientRegistry registry, final EngineConfig config)
    {
        if (in.getInt() != MAGIC)
        {
            throw new IllegalStateException("not a bourse cluster snapshot");
        }
        final int version = in.getInt();
        if (version != VERSION)
        {
            throw new IllegalStateException("unsupported bourse cluster snapshot version " + version);
        }
        final boolean heartbeat = in.getByte() != 0;
        registry.read(in);
        final EngineState state = EngineSnapshot.read(in, config);
        if (in.getInt() != END)
        {
            throw new IllegalStateException("bourse cluster snapshot end marker missing");
        }
        return new Loaded(state, heartbeat);
    }
}
