package dev.bourse.server.schedule;

import dev.bourse.protocol.CommandWriter;
import org.agrona.MutableDirectBuffer;

/** Encodes one scheduled command at the moment it is sent. */
@FunctionalInterface
public interface CommandEncoder
{
    /**
     * @param timestamp the command's timestamp: the scheduler's clock when it is sent.
     * @return the encoded length; 0 (or less) to send nothing after all (the action is stale).
     */
    int encode(CommandWriter writer, MutableDirectBuffer buffer, long timestamp);
}
