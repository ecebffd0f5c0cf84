package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.*;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks that a fragment of either market-data stream is whole messages of this schema, every
 * block and repeating group inside the fragment, before any decoder reads it: a truncated or
 * foreign fragment is dropped whole instead of throwing half way through a book change.
 */
final class FeedFragmentValidator
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    boolean isValid(final DirectBuffer buffer, final int offset, final int length, final boolean snapshotStream)
    {
        final int end = offset + length;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || offset < 0 || end > buffer.capacity())
        {
            return false;
        }
        int position = offset;
        while (position < end)
        {
            if (end - position < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                return false;
            }
            header.wrap(buffer, position);
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
            {
                return false;
            }
            final int templateId = header.templateId();
            final int minimum = minimumBlockLength(templateId, snapshotStream);
            final int blockLength = header.blockLength();
            if (minimum == 0 || blockLength < minimum)
            {
                return false;
            }
            position += MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
            if (position > end)
            {
                return false;
            }
            if (templateId == BookSnapshotDecoder.TEMPLATE_ID)
            {
                if (end - position < GroupSizeEncodingDecoder.ENCODED_LENGTH)
                {
                    return false;
                }
                final int entryLength = buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int count = buffer.getShort(position + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                if (entryLength < BookSnapshotDecoder.OrdersDecoder.sbeBlockLength())
                {
                    return false;
                }
                final long groupEnd = (long)position + GroupSizeEncodingDecoder.ENCODED_LENGTH + (long)entryLength * count;
                if (groupEnd > end)
                {
                    return false;
                }
                position = (int)groupEnd;
            }
        }
        return true;
    }

    /** @return the block length a template needs on its stream, or 0 if it does not belong there. */
    private static int minimumBlockLength(final int templateId, final boolean snapshotStream)
    {
        if (snapshotStream)
        {
            switch (templateId)
            {
                case SnapshotStartDecoder.TEMPLATE_ID: return SnapshotStartDecoder.BLOCK_LENGTH;
                case BookSnapshotDecoder.TEMPLATE_ID: return BookSnapshotDecoder.BLOCK_LENGTH;
                default: return 0;
            }
        }
        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return InstrumentDefinitionDecoder.BLOCK_LENGTH;
            case AddOrderDecoder.TEMPLATE_ID: return AddOrderDecoder.BLOCK_LENGTH;
            case OrderExecutedDecoder.TEMPLATE_ID: return OrderExecutedDecoder.BLOCK_LENGTH;
            case OrderReducedDecoder.TEMPLATE_ID: return OrderReducedDecoder.BLOCK_LENGTH;
            case OrderDeletedDecoder.TEMPLATE_ID: return OrderDeletedDecoder.BLOCK_LENGTH;
            case OrderReplacedDecoder.TEMPLATE_ID: return OrderReplacedDecoder.BLOCK_LENGTH;
            case TradeDecoder.TEMPLATE_ID: return TradeDecoder.BLOCK_LENGTH;
            case TradingStatusDecoder.TEMPLATE_ID: return TradingStatusDecoder.BLOCK_LENGTH;
            case TradingPhaseDecoder.TEMPLATE_ID: return TradingPhaseDecoder.BLOCK_LENGTH;
            case AuctionIndicationDecoder.TEMPLATE_ID: return AuctionIndicationDecoder.BLOCK_LENGTH;
            case AuctionResultDecoder.TEMPLATE_ID: return AuctionResultDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID: return HeartbeatDecoder.BLOCK_LENGTH;
            case EntryContinuesDecoder.TEMPLATE_ID: return EntryContinuesDecoder.BLOCK_LENGTH;
            default: return 0;
        }
    }
}
