package dev.bourse.engine.sequencer;

import org.agrona.DirectBuffer;

/**
 * What the sequencer drives: the matching engine, in production. Keeping this seam narrow is what
 * lets a replicated sequencer (Aeron Cluster) replace the Disruptor without touching the engine.
 */
public interface CommandHandler
{
    void onCommand(DirectBuffer buffer, int offset, int length);

    void onEndOfBatch();

    /**
     * A command published behind the one being handled, seen ahead of its turn so the handler can
     * warm its caches. It must change nothing: the command still comes to {@link #onCommand}.
     */
    default void onLookahead(DirectBuffer buffer, int offset, int length)
    {
    }

    /** Called on the engine thread before the first command. */
    default void onStart()
    {
    }

    /** Called on the engine thread after the last command. */
    default void onShutdown()
    {
    }
}
