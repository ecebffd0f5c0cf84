package dev.bourse.engine.sequencer;

import org.agrona.MutableDirectBuffer;

/**
 * The producer side of the sequencer seam: how a gateway (or an operator tool) hands an encoded
 * command to whatever orders commands for the engine. {@link CommandSequencer} (the Disruptor
 * ring) is one; a replicated sequencer (a cluster's ingress) is another. Claim, encode in place,
 * commit: no allocation, and never blocking, so a producer answers "busy" instead of stalling.
 */
public interface CommandPublisher
{
    /** {@link #tryClaim()} result when nothing can be accepted now (ring full, back pressure, no leader). */
    long NO_CLAIM = -1;

    /** Claims room for one command of at most {@link #slotCapacity()} bytes, or returns {@link #NO_CLAIM}. */
    long tryClaim();

    /** The buffer of a claimed command; encode at offset 0. */
    MutableDirectBuffer buffer(long claim);

    /**
     * Publishes a claimed command. Every claim must be committed; a length of 0 (or less)
     * publishes nothing the engine acts on, for a producer whose encoding failed.
     */
    void commit(long claim, int length);

    /** Largest command a claim can hold. */
    int slotCapacity();
}
