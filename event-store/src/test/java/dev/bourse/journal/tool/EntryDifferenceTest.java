package dev.bourse.journal.tool;

import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderEncoder;
import dev.bourse.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A field whose bytes differ but read as the same value (a version's null here) is named with its
 * bytes: an outside tester's damaged entry was reported as "msgSeqNum=-2147483648 in the journal,
 * msgSeqNum=-2147483648 when re-executed", which says nothing.
 */
class EntryDifferenceTest
{
    @Test
    void aFieldReadAsTheSameValueFromDifferentBytesIsShownAsBytes()
    {
        final UnsafeBuffer journaled = header(7);
        final UnsafeBuffer produced = header(9);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + EntryHeaderEncoder.BLOCK_LENGTH;
        assertEquals("its header (EntryHeader) differs: msgSeqNum as bytes: 0x07000000 in the journal, 0x09000000 when re-executed"
            + " (both read as msgSeqNum=-2147483648)", EntryDifference.describe(journaled, 0, length, produced, length));
    }

    /** An entry header of schema version 1, which has no msgSeqNum (its decoder reads it as null), with these bytes there. */
    private static UnsafeBuffer header(final int msgSeqNumBytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder().wrap(buffer, 0);
        header.blockLength(EntryHeaderEncoder.BLOCK_LENGTH).templateId(EntryHeaderEncoder.TEMPLATE_ID).schemaId(EntryHeaderEncoder.SCHEMA_ID)
            .version(1);
        new EntryHeaderEncoder().wrap(buffer, MessageHeaderEncoder.ENCODED_LENGTH).sequence(5).timestamp(1).sessionId(1)
            .commandType(CommandType.NEW_ORDER).eventCount(0).msgSeqNum(msgSeqNumBytes);
        return buffer;
    }
}
