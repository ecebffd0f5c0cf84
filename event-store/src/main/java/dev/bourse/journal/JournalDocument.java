package dev.bourse.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of one Chronicle document of the journal: a batch of engine entries.
 * <pre>
 *   int32 MAGIC | int32 count | count x (int32 length | entry bytes)
 * </pre>
 * Little-endian, like the entries. A document written before batching holds one entry's bytes and
 * nothing else; it starts with the entry's SBE message header, which can never equal {@link #MAGIC}
 * (its first two bytes are the EntryHeader block length), so both kinds are read.
 * <p>
 * An entry too big for one document (more than the journal's part size: a sweep or a day's end of
 * hundreds of thousands of orders) is written in parts, each a document of its own, one after the
 * other with nothing in between:
 * <pre>
 *   int32 PART_MAGIC | int32 partOffset | int32 partLength | int32 totalLength | int64 firstIndex | partLength bytes
 * </pre>
 * firstIndex is the Chronicle index of the entry's first part (0 in the first part itself). The
 * entry's position is its first part's; readers deliver it once its last part is read. Parts a
 * crash left unfinished are followed by another entry's documents and are skipped, so each command
 * stays atomic.
 */
final class JournalDocument
{
    static final int MAGIC = 0xB0B5_E002;
    static final int HEADER_LENGTH = 8;
    static final int FRAME_HEADER_LENGTH = 4;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Never equal to an SBE header's first word either: its low two bytes would be a block length of 57,347. */
    static final int PART_MAGIC = 0xB0B5_E003;
    static final int PART_HEADER_LENGTH = 24;
    static final int PART_OFFSET = 4;
    static final int PART_LENGTH = 8;
    static final int PART_TOTAL_LENGTH = 12;
    static final int PART_FIRST_INDEX = 16;

    private JournalDocument()
    {
    }

    static boolean isBatch(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH && buffer.getInt(offset, ORDER) == MAGIC;
    }

    static boolean isPart(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= PART_HEADER_LENGTH && buffer.getInt(offset, ORDER) == PART_MAGIC;
    }

    static void putPartHeader(
        final MutableDirectBuffer buffer, final int partOffset, final int partLength, final int totalLength, final long firstIndex)
    {
        buffer.putInt(0, PART_MAGIC, ORDER);
        buffer.putInt(PART_OFFSET, partOffset, ORDER);
        buffer.putInt(PART_LENGTH, partLength, ORDER);
        buffer.putInt(PART_TOTAL_LENGTH, totalLength, ORDER);
        buffer.putLong(PART_FIRST_INDEX, firstIndex, ORDER);
    }

    static int partOffset(final DirectBuffer header)
    {
        return header.getInt(PART_OFFSET, ORDER);
    }

    static int partLength(final DirectBuffer header)
    {
        return header.getInt(PART_LENGTH, ORDER);
    }

    static int partTotalLength(final DirectBuffer header)
    {
        return header.getInt(PART_TOTAL_LENGTH, ORDER);
    }

    /** The Chronicle index of the entry's first part: {@code index}, the part's own, for a first part. */
    static long partFirstIndex(final DirectBuffer header, final long index)
    {
        return partOffset(header) == 0 ? index : header.getLong(PART_FIRST_INDEX, ORDER);
    }

    static boolean isLastPart(final DirectBuffer header)
    {
        return (long)partOffset(header) + partLength(header) == partTotalLength(header);
    }

    static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + 4, ORDER);
    }
}
