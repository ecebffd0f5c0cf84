package dev.bourse.journal.tool;

import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes again the command that produced a journal entry, from what the entry says, where the
 * entry says all of it: an accepted NewOrder (its OrderAccepted carries every field of the
 * command), a replace that went through (OrderReplaced) and a user cancel that went through
 * (OrderCanceled). The journal keeps events, not commands, so the other entries (rejects,
 * operator commands, auctions) cannot be rebuilt and are only folded.
 * <p>
 * Fields are copied as raw bytes, so a damaged value reaches the engine as it is in the journal.
 * Only entries in today's layout are rebuilt: the engine writes today's.
 */
final class CommandRebuilder
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EntryHeaderDecoder entryHeader = new EntryHeaderDecoder();
    private final MessageHeaderEncoder commandHeader = new MessageHeaderEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final ReplaceOrderEncoder replaceOrder = new ReplaceOrderEncoder();

    /**
     * @return the command's length in {@code command} (from 0), or 0 if this entry's command cannot be rebuilt.
     */
    int rebuild(final DirectBuffer entry, final int offset, final int length, final MutableDirectBuffer command)
    {
        final int end = offset + length;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return 0;
        }
        if (!layoutIsCurrent(entry, offset, end))
        {
            return 0;
        }
        header.wrap(entry, offset);
        if (header.templateId() != EntryHeaderDecoder.TEMPLATE_ID)
        {
            return 0;
        }
        entryHeader.wrap(entry, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final int event = offset + MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        if (entryHeader.eventCount() < 1 || event + MessageHeaderDecoder.ENCODED_LENGTH > end)
        {
            return 0;
        }
        header.wrap(entry, event);
        final int body = event + MessageHeaderDecoder.ENCODED_LENGTH;
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        if (body + blockLength > end)
        {
            return 0;
        }
        final short commandType = entryHeader.commandTypeRaw();
        if (commandType == CommandType.NEW_ORDER.value() && templateId == OrderAcceptedDecoder.TEMPLATE_ID
            && blockLength == OrderAcceptedDecoder.BLOCK_LENGTH)
        {
            return newOrder(entry, body, command);
        }
        if (commandType == CommandType.REPLACE_ORDER.value() && templateId == OrderReplacedDecoder.TEMPLATE_ID
            && blockLength == OrderReplacedDecoder.BLOCK_LENGTH)
        {
            return replaceOrder(entry, body, command);
        }
        if (commandType == CommandType.CANCEL_ORDER.value() && templateId == OrderCanceledDecoder.TEMPLATE_ID
            && blockLength == OrderCanceledDecoder.BLOCK_LENGTH
            && entry.getByte(body + OrderCanceledDecoder.reasonEncodingOffset()) == CancelReason.USER.value())
        {
            return cancelOrder(entry, body, command);
        }
        return 0;
    }

    /**
     * Whether every message of the entry has the block length this release writes (and a schema
     * version not newer than it): only then can the engine's entry equal it byte for byte. An
     * older release's entry of today's layout is rebuilt; one whose events grew since is folded.
     */
    private boolean layoutIsCurrent(final DirectBuffer entry, final int offset, final int end)
    {
        int position = offset;
        while (position + MessageHeaderDecoder.ENCODED_LENGTH <= end)
        {
            header.wrap(entry, position);
            if (header.schemaId() != EntryHeaderDecoder.SCHEMA_ID || header.version() > EntryHeaderDecoder.SCHEMA_VERSION
                || header.blockLength() != EventDecoders.blockLength(header.templateId()))
            {
                return false;
            }
            position += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        }
        return position == end;
    }

    private int newOrder(final DirectBuffer e, final int event, final MutableDirectBuffer command)
    {
        newOrder.wrapAndApplyHeader(command, 0, commandHeader)
            .timestamp(entryHeader.timestamp())
            .sessionId(entryHeader.sessionId())
            .msgSeqNum(entryHeader.msgSeqNum())
            .accountId(e.getLong(event + OrderAcceptedDecoder.accountIdEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .instrumentId(e.getInt(event + OrderAcceptedDecoder.instrumentIdEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .price(e.getLong(event + OrderAcceptedDecoder.priceEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .quantity(e.getLong(event + OrderAcceptedDecoder.quantityEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .stopPrice(e.getLong(event + OrderAcceptedDecoder.stopPriceEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .displayQty(e.getLong(event + OrderAcceptedDecoder.displayQtyEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER))
            .expireTime(e.getLong(event + OrderAcceptedDecoder.expireTimeEncodingOffset(), OrderAcceptedDecoder.BYTE_ORDER));
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        copy(e, event + OrderAcceptedDecoder.sideEncodingOffset(), command, body + NewOrderEncoder.sideEncodingOffset(), 1);
        copy(e, event + OrderAcceptedDecoder.ordTypeEncodingOffset(), command, body + NewOrderEncoder.ordTypeEncodingOffset(), 1);
        copy(e, event + OrderAcceptedDecoder.timeInForceEncodingOffset(), command, body + NewOrderEncoder.timeInForceEncodingOffset(), 1);
        copy(e, event + OrderAcceptedDecoder.flagsEncodingOffset(), command, body + NewOrderEncoder.flagsEncodingOffset(),
            NewOrderEncoder.flagsEncodingLength());
        // the event holds the effective mode: named again, it is the effective mode again
        copy(e, event + OrderAcceptedDecoder.stpModeEncodingOffset(), command, body + NewOrderEncoder.stpModeEncodingOffset(), 1);
        copy(e, event + OrderAcceptedDecoder.clOrdIdEncodingOffset(), command, body + NewOrderEncoder.clOrdIdEncodingOffset(),
            NewOrderEncoder.clOrdIdEncodingLength());
        return body + NewOrderEncoder.BLOCK_LENGTH;
    }

    private int replaceOrder(final DirectBuffer e, final int event, final MutableDirectBuffer command)
    {
        // orderId and OrigClOrdID both name the order; instrument, side, type, time in force and the kept settings are left unnamed
        replaceOrder.wrapAndApplyHeader(command, 0, commandHeader)
            .timestamp(entryHeader.timestamp())
            .sessionId(entryHeader.sessionId())
            .msgSeqNum(entryHeader.msgSeqNum())
            .accountId(e.getLong(event + OrderReplacedDecoder.accountIdEncodingOffset(), OrderReplacedDecoder.BYTE_ORDER))
            .orderId(e.getLong(event + OrderReplacedDecoder.orderIdEncodingOffset(), OrderReplacedDecoder.BYTE_ORDER))
            .price(e.getLong(event + OrderReplacedDecoder.priceEncodingOffset(), OrderReplacedDecoder.BYTE_ORDER))
            .quantity(e.getLong(event + OrderReplacedDecoder.quantityEncodingOffset(), OrderReplacedDecoder.BYTE_ORDER))
            .stopPrice(keptStop(e, event) ? 0 : e.getLong(event + OrderReplacedDecoder.stopPriceEncodingOffset(), OrderReplacedDecoder.BYTE_ORDER))
            .instrumentId(0)
            .side((short)0)
            .ordType((short)0)
            .timeInForce(TimeInForce.NULL_VAL)
            .displayQty(ReplaceOrderEncoder.displayQtyNullValue())
            .expireTime(ReplaceOrderEncoder.expireTimeNullValue())
            .postOnly(BooleanType.NULL_VAL);
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        copy(e, event + OrderReplacedDecoder.clOrdIdEncodingOffset(), command, body + ReplaceOrderEncoder.clOrdIdEncodingOffset(),
            ReplaceOrderEncoder.clOrdIdEncodingLength());
        copy(e, event + OrderReplacedDecoder.origClOrdIdEncodingOffset(), command,
            body + ReplaceOrderEncoder.origClOrdIdEncodingOffset(), ReplaceOrderEncoder.origClOrdIdEncodingLength());
        return body + ReplaceOrderEncoder.BLOCK_LENGTH;
    }

    /**
     * A held stop's replace that kept its place kept its stop price: the command named none (0) or
     * the same one. Rebuilt as naming none, since naming it checks it again against today's band and
     * last price, which may refuse a stop price the order has kept since before they moved.
     */
    private static boolean keptStop(final DirectBuffer e, final int event)
    {
        return e.getByte(event + OrderReplacedDecoder.keptPriorityEncodingOffset()) == BooleanType.TRUE.value();
    }

    private int cancelOrder(final DirectBuffer e, final int event, final MutableDirectBuffer command)
    {
        cancelOrder.wrapAndApplyHeader(command, 0, commandHeader)
            .timestamp(entryHeader.timestamp())
            .sessionId(entryHeader.sessionId())
            .msgSeqNum(entryHeader.msgSeqNum())
            .accountId(e.getLong(event + OrderCanceledDecoder.accountIdEncodingOffset(), OrderCanceledDecoder.BYTE_ORDER))
            .orderId(e.getLong(event + OrderCanceledDecoder.orderIdEncodingOffset(), OrderCanceledDecoder.BYTE_ORDER))
            .instrumentId(0)
            .side((short)0);
        final int body = MessageHeaderEncoder.ENCODED_LENGTH;
        copy(e, event + OrderCanceledDecoder.requestClOrdIdEncodingOffset(), command, body + CancelOrderEncoder.clOrdIdEncodingOffset(),
            CancelOrderEncoder.clOrdIdEncodingLength());
        copy(e, event + OrderCanceledDecoder.clOrdIdEncodingOffset(), command, body + CancelOrderEncoder.origClOrdIdEncodingOffset(),
            CancelOrderEncoder.origClOrdIdEncodingLength());
        return body + CancelOrderEncoder.BLOCK_LENGTH;
    }

    private static void copy(final DirectBuffer from, final int fromOffset, final MutableDirectBuffer to, final int toOffset, final int length)
    {
        to.putBytes(toOffset, from, fromOffset, length);
    }
}
