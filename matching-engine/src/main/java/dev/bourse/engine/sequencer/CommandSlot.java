package dev.bourse.engine.sequencer;

/**
 * The Disruptor's entry: empty, since the commands live in the sequencer's contiguous slot buffer
 * (see {@link CommandSequencer}); the ring only orders the slots.
 */
final class CommandSlot
{
}
