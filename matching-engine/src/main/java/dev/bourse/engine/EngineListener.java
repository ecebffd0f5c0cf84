package dev.bourse.engine;

import org.agrona.DirectBuffer;

/**
 * Observes the engine without being part of the journal: metrics, and the responses to commands
 * the engine refuses after it has halted (those are not journaled, the journal having failed).
 * Called on the engine thread; must not block or allocate.
 */
public interface EngineListener
{
    EngineListener NO_OP = new EngineListener()
    {
    };

    /** A command was processed (accepted or rejected) and journaled. */
    default void onCommand(int commandType, int rejectReason)
    {
    }

    /** The entry just journaled held this many events (after {@link #onCommand}). */
    default void onEventsJournaled(int eventCount)
    {
    }

    /** The engine stopped taking commands; {@code reason} says why (called once). */
    default void onHalted(String reason, Throwable cause)
    {
    }

    /** While halted, the reject answering a command (an entry with sequence 0, not journaled). */
    default void onHaltedReject(DirectBuffer buffer, int offset, int length)
    {
    }

    /**
     * An entry the engine made that the journal could not store (the journal failed while it was
     * being written): its command's sender must be told the command was not carried out.
     */
    default void onUnjournaled(DirectBuffer buffer, int offset, int length)
    {
    }
}
