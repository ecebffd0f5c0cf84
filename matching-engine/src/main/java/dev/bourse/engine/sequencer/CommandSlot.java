package dev.bourse.engine.sequencer;

import dev.bourse.protocol.CommandWriter;
import org.agrona.concurrent.UnsafeBuffer;

/** One ring entry: a preallocated buffer holding an encoded command, and its length. */
public final class CommandSlot
{
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    int length;
}
