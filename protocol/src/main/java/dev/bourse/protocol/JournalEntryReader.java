package dev.bourse.protocol;

import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

/**
 * Walks one journal entry (an {@link EntryHeaderDecoder} followed by its events) and hands each
 * event to a {@link JournalEventListener}. Bounds are checked before anything is decoded, so a
 * truncated or corrupt entry is refused instead of read past its end. Reuses its flyweights:
 * one instance per reading thread, no allocation.
 */
public final class JournalEntryReader
{
    /** Outcome of {@link #read}. */
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int WRONG_SCHEMA = 2;
    public static final int NOT_AN_ENTRY = 3;
    public static final int BAD_EVENT_COUNT = 4;

    private final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder();
    private final EntryHeaderDecoder entryHeader = new EntryHeaderDecoder();
    private final OrderAcceptedDecoder orderAccepted = new OrderAcceptedDecoder();
    private final OrderRejectedDecoder orderRejected = new OrderRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder orderCanceled = new OrderCanceledDecoder();
    private final OrderReplacedDecoder orderReplaced = new OrderReplacedDecoder();
    private final CancelRejectedDecoder cancelRejected = new CancelRejectedDecoder();
    private final MassCancelDoneDecoder massCancelDone = new MassCancelDoneDecoder();
    private final OrderStatusReportDecoder orderStatusReport = new OrderStatusReportDecoder();
    private final OrderRestedDecoder orderRested = new OrderRestedDecoder();
    private final OrderElectedDecoder orderElected = new OrderElectedDecoder();
    private final TradingPhaseChangedDecoder tradingPhaseChanged = new TradingPhaseChangedDecoder();
    private final AuctionIndicationDecoder auctionIndication = new AuctionIndicationDecoder();
    private final AuctionUncrossedDecoder auctionUncrossed = new AuctionUncrossedDecoder();
    private final VolatilityGuardsChangedDecoder volatilityGuardsChanged = new VolatilityGuardsChangedDecoder();
    private final OrdersExpiredDecoder ordersExpired = new OrdersExpiredDecoder();
    private final InstrumentAddedDecoder instrumentAdded = new InstrumentAddedDecoder();
    private final InstrumentAmendedDecoder instrumentAmended = new InstrumentAmendedDecoder();
    private final TradingStatusChangedDecoder tradingStatusChanged = new TradingStatusChangedDecoder();
    private final ReferencePriceChangedDecoder referencePriceChanged = new ReferencePriceChangedDecoder();
    private final AccountCreatedDecoder accountCreated = new AccountCreatedDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final CommandRejectedDecoder commandRejected = new CommandRejectedDecoder();
    private final DayEndedDecoder dayEnded = new DayEndedDecoder();
    private final AuditRecordedDecoder auditRecorded = new AuditRecordedDecoder();
    private final BlockChangedDecoder blockChanged = new BlockChangedDecoder();

    /** The header of the last entry read; valid until the next call. */
    public EntryHeaderDecoder header()
    {
        return entryHeader;
    }

    /**
     * Checks that the bytes are a whole, well-formed entry without calling any listener.
     *
     * @return {@link #OK} or the reason it is not.
     */
    public int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        return read(buffer, offset, length, null);
    }

    /**
     * Decodes an entry and calls the listener for each event (none if the entry is malformed:
     * the whole entry is checked first).
     *
     * @param listener may be null to only validate.
     * @return {@link #OK} or the reason the entry was refused.
     */
    public int read(final DirectBuffer buffer, final int offset, final int length, final JournalEventListener listener)
    {
        final int status = walk(buffer, offset, length, null);
        if (status != OK || listener == null)
        {
            return status;
        }
        return walk(buffer, offset, length, listener);
    }

    /** Reads only the entry header; returns the status, the header is then in {@link #header()}. */
    public int readHeader(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return TRUNCATED;
        }
        messageHeader.wrap(buffer, offset);
        if (messageHeader.schemaId() != EntryHeaderDecoder.SCHEMA_ID)
        {
            return WRONG_SCHEMA;
        }
        if (messageHeader.templateId() != EntryHeaderDecoder.TEMPLATE_ID)
        {
            return NOT_AN_ENTRY;
        }
        final int blockLength = messageHeader.blockLength();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (blockLength < EntryHeaderDecoder.BLOCK_LENGTH || bodyOffset + blockLength > end)
        {
            return TRUNCATED;
        }
        entryHeader.wrap(buffer, bodyOffset, blockLength, messageHeader.version());
        return OK;
    }

    private int walk(final DirectBuffer buffer, final int offset, final int length, final JournalEventListener listener)
    {
        final int status = readHeader(buffer, offset, length);
        if (status != OK)
        {
            return status;
        }
        final int end = offset + length;
        int position = offset + MessageHeaderDecoder.ENCODED_LENGTH + messageHeader.blockLength();
        final int eventCount = entryHeader.eventCount();
        if (eventCount < 0 || eventCount > length / MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return BAD_EVENT_COUNT;
        }
        if (listener != null)
        {
            listener.onEntryStart(entryHeader);
        }
        for (int i = 0; i < eventCount; i++)
        {
            if (position + MessageHeaderDecoder.ENCODED_LENGTH > end)
            {
                return TRUNCATED;
            }
            messageHeader.wrap(buffer, position);
            if (messageHeader.schemaId() != EntryHeaderDecoder.SCHEMA_ID)
            {
                return WRONG_SCHEMA;
            }
            final int templateId = messageHeader.templateId();
            final int blockLength = messageHeader.blockLength();
            final int version = messageHeader.version();
            final int bodyOffset = position + MessageHeaderDecoder.ENCODED_LENGTH;
            if (bodyOffset + blockLength > end || blockLength < minimumBlockLength(templateId))
            {
                return TRUNCATED;
            }
            if (listener != null)
            {
                dispatch(listener, buffer, templateId, bodyOffset, blockLength, version);
            }
            position = bodyOffset + blockLength;
        }
        if (position != end)
        {
            return BAD_EVENT_COUNT;
        }
        if (listener != null)
        {
            listener.onEntryEnd(entryHeader);
        }
        return OK;
    }

    private static int minimumBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case OrderAcceptedDecoder.TEMPLATE_ID: return OrderAcceptedDecoder.BLOCK_LENGTH;
            case OrderRejectedDecoder.TEMPLATE_ID: return OrderRejectedDecoder.BLOCK_LENGTH;
            case TradeDecoder.TEMPLATE_ID: return TradeDecoder.BLOCK_LENGTH;
            case OrderCanceledDecoder.TEMPLATE_ID: return OrderCanceledDecoder.BLOCK_LENGTH;
            case OrderReplacedDecoder.TEMPLATE_ID: return OrderReplacedDecoder.BLOCK_LENGTH;
            case CancelRejectedDecoder.TEMPLATE_ID: return CancelRejectedDecoder.BLOCK_LENGTH;
            case MassCancelDoneDecoder.TEMPLATE_ID: return MassCancelDoneDecoder.moreRemainingEncodingOffset(); // v3 entries end before it
            case OrderStatusReportDecoder.TEMPLATE_ID: return OrderStatusReportDecoder.BLOCK_LENGTH;
            case OrderRestedDecoder.TEMPLATE_ID: return OrderRestedDecoder.BLOCK_LENGTH;
            case OrderElectedDecoder.TEMPLATE_ID: return OrderElectedDecoder.BLOCK_LENGTH;
            case TradingPhaseChangedDecoder.TEMPLATE_ID: return TradingPhaseChangedDecoder.BLOCK_LENGTH;
            case AuctionIndicationDecoder.TEMPLATE_ID: return AuctionIndicationDecoder.BLOCK_LENGTH;
            case AuctionUncrossedDecoder.TEMPLATE_ID: return AuctionUncrossedDecoder.BLOCK_LENGTH;
            case VolatilityGuardsChangedDecoder.TEMPLATE_ID: return VolatilityGuardsChangedDecoder.BLOCK_LENGTH;
            case OrdersExpiredDecoder.TEMPLATE_ID: return OrdersExpiredDecoder.BLOCK_LENGTH;
            case InstrumentAddedDecoder.TEMPLATE_ID: return InstrumentAddedDecoder.BLOCK_LENGTH;
            case InstrumentAmendedDecoder.TEMPLATE_ID: return InstrumentAmendedDecoder.BLOCK_LENGTH;
            case TradingStatusChangedDecoder.TEMPLATE_ID: return TradingStatusChangedDecoder.BLOCK_LENGTH;
            case ReferencePriceChangedDecoder.TEMPLATE_ID: return ReferencePriceChangedDecoder.BLOCK_LENGTH;
            case AccountCreatedDecoder.TEMPLATE_ID: return AccountCreatedDecoder.BLOCK_LENGTH;
            case BalanceChangedDecoder.TEMPLATE_ID: return BalanceChangedDecoder.BLOCK_LENGTH;
            case CommandRejectedDecoder.TEMPLATE_ID: return CommandRejectedDecoder.BLOCK_LENGTH;
            case DayEndedDecoder.TEMPLATE_ID: return DayEndedDecoder.BLOCK_LENGTH;
            // version 3 entries end before instrumentId
            case AuditRecordedDecoder.TEMPLATE_ID: return AuditRecordedDecoder.instrumentIdEncodingOffset();
            case BlockChangedDecoder.TEMPLATE_ID: return BlockChangedDecoder.BLOCK_LENGTH;
            default: return 0;
        }
    }

    private void dispatch(
        final JournalEventListener listener,
        final DirectBuffer buffer,
        final int templateId,
        final int offset,
        final int blockLength,
        final int version)
    {
        final EntryHeaderDecoder h = entryHeader;
        switch (templateId)
        {
            case OrderAcceptedDecoder.TEMPLATE_ID:
                listener.onOrderAccepted(h, orderAccepted.wrap(buffer, offset, blockLength, version));
                break;
            case OrderRejectedDecoder.TEMPLATE_ID:
                listener.onOrderRejected(h, orderRejected.wrap(buffer, offset, blockLength, version));
                break;
            case TradeDecoder.TEMPLATE_ID:
                listener.onTrade(h, trade.wrap(buffer, offset, blockLength, version));
                break;
            case OrderCanceledDecoder.TEMPLATE_ID:
                listener.onOrderCanceled(h, orderCanceled.wrap(buffer, offset, blockLength, version));
                break;
            case OrderReplacedDecoder.TEMPLATE_ID:
                listener.onOrderReplaced(h, orderReplaced.wrap(buffer, offset, blockLength, version));
                break;
            case CancelRejectedDecoder.TEMPLATE_ID:
                listener.onCancelRejected(h, cancelRejected.wrap(buffer, offset, blockLength, version));
                break;
            case MassCancelDoneDecoder.TEMPLATE_ID:
                listener.onMassCancelDone(h, massCancelDone.wrap(buffer, offset, blockLength, version));
                break;
            case OrderStatusReportDecoder.TEMPLATE_ID:
                listener.onOrderStatusReport(h, orderStatusReport.wrap(buffer, offset, blockLength, version));
                break;
            case OrderRestedDecoder.TEMPLATE_ID:
                listener.onOrderRested(h, orderRested.wrap(buffer, offset, blockLength, version));
                break;
            case OrderElectedDecoder.TEMPLATE_ID:
                listener.onOrderElected(h, orderElected.wrap(buffer, offset, blockLength, version));
                break;
            case TradingPhaseChangedDecoder.TEMPLATE_ID:
                listener.onTradingPhaseChanged(h, tradingPhaseChanged.wrap(buffer, offset, blockLength, version));
                break;
            case AuctionIndicationDecoder.TEMPLATE_ID:
                listener.onAuctionIndication(h, auctionIndication.wrap(buffer, offset, blockLength, version));
                break;
            case AuctionUncrossedDecoder.TEMPLATE_ID:
                listener.onAuctionUncrossed(h, auctionUncrossed.wrap(buffer, offset, blockLength, version));
                break;
            case VolatilityGuardsChangedDecoder.TEMPLATE_ID:
                listener.onVolatilityGuardsChanged(h, volatilityGuardsChanged.wrap(buffer, offset, blockLength, version));
                break;
            case OrdersExpiredDecoder.TEMPLATE_ID:
                listener.onOrdersExpired(h, ordersExpired.wrap(buffer, offset, blockLength, version));
                break;
            case InstrumentAddedDecoder.TEMPLATE_ID:
                listener.onInstrumentAdded(h, instrumentAdded.wrap(buffer, offset, blockLength, version));
                break;
            case InstrumentAmendedDecoder.TEMPLATE_ID:
                listener.onInstrumentAmended(h, instrumentAmended.wrap(buffer, offset, blockLength, version));
                break;
            case TradingStatusChangedDecoder.TEMPLATE_ID:
                listener.onTradingStatusChanged(h, tradingStatusChanged.wrap(buffer, offset, blockLength, version));
                break;
            case ReferencePriceChangedDecoder.TEMPLATE_ID:
                listener.onReferencePriceChanged(h, referencePriceChanged.wrap(buffer, offset, blockLength, version));
                break;
            case AccountCreatedDecoder.TEMPLATE_ID:
                listener.onAccountCreated(h, accountCreated.wrap(buffer, offset, blockLength, version));
                break;
            case BalanceChangedDecoder.TEMPLATE_ID:
                listener.onBalanceChanged(h, balanceChanged.wrap(buffer, offset, blockLength, version));
                break;
            case CommandRejectedDecoder.TEMPLATE_ID:
                listener.onCommandRejected(h, commandRejected.wrap(buffer, offset, blockLength, version));
                break;
            case DayEndedDecoder.TEMPLATE_ID:
                listener.onDayEnded(h, dayEnded.wrap(buffer, offset, blockLength, version));
                break;
            case AuditRecordedDecoder.TEMPLATE_ID:
                listener.onAuditRecorded(h, auditRecorded.wrap(buffer, offset, blockLength, version));
                break;
            case BlockChangedDecoder.TEMPLATE_ID:
                listener.onBlockChanged(h, blockChanged.wrap(buffer, offset, blockLength, version));
                break;
            default:
                listener.onUnknownEvent(h, templateId, version);
                break;
        }
    }
}
