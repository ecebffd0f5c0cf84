package dev.bourse.journal;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of one Chronicle document of the journal: a batch of engine entries.
 * <pre>
 *   int32 MAGIC | int32 count | count x (int32 length | entry bytes)
 * </pre>
 * Little-endian, like the entries. A document written before batching holds one entry's bytes and
 * nothing else; it starts with the entry's SBE message header, which can never equal {@link #MAGIC}
 * (its first two bytes are the EntryHeader block length), so both kinds are read.
 */
final class JournalDocument
{
    static final int MAGIC = 0xB0B5_E002;
    static final int HEADER_LENGTH = 8;
    static final int FRAME_HEADER_LENGTH = 4;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private JournalDocument()
    {
    }

    static boolean isBatch(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH && buffer.getInt(offset, ORDER) == MAGIC;
    }

    static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 4, ORDER);
    }
}
