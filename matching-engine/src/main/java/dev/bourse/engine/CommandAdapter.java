package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes command bytes and dispatches them (the Aeron {@code ClientCommandAdapter} of the
 * engine): checks the message header, the schema and the block length against the template's,
 * opens the command's journal entry and hands the decoder to the handler. Anything it cannot
 * decode becomes one {@code CommandRejected} with commandType UNKNOWN. Engine thread only.
 */
final class CommandAdapter
{
    private final EntryWriter writer;
    private final OrderEntry orders;
    private final OperatorCommands operator;
    private final TradingPhases phases;

    private final MessageHeaderDecoder commandHeader = new MessageHeaderDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final ReplaceOrderDecoder replaceOrder = new ReplaceOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final OrderStatusRequestDecoder orderStatus = new OrderStatusRequestDecoder();
    private final AddInstrumentDecoder addInstrument = new AddInstrumentDecoder();
    private final SetTradingStatusDecoder setTradingStatus = new SetTradingStatusDecoder();
    private final SetReferencePriceDecoder setReferencePrice = new SetReferencePriceDecoder();
    private final AmendInstrumentDecoder amendInstrument = new AmendInstrumentDecoder();
    private final CreateAccountDecoder createAccount = new CreateAccountDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final EndOfDayDecoder endOfDay = new EndOfDayDecoder();
    private final AuditDecoder audit = new AuditDecoder();
    private final SetBlockDecoder setBlock = new SetBlockDecoder();
    private final SetTradingPhaseDecoder setTradingPhase = new SetTradingPhaseDecoder();
    private final SetVolatilityGuardsDecoder setVolatilityGuards = new SetVolatilityGuardsDecoder();
    private final ExpireOrdersDecoder expireOrders = new ExpireOrdersDecoder();

    CommandAdapter(final EntryWriter writer, final OrderEntry orders, final OperatorCommands operator, final TradingPhases phases)
    {
        this.writer = writer;
        this.orders = orders;
        this.operator = operator;
        this.phases = phases;
    }

    /** Decodes one command (length > 0) into an open entry: the handler's events, or a reject. */
    void onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            malformed(0, RejectReason.MALFORMED_COMMAND);
            return;
        }
        commandHeader.wrap(buffer, offset);
        final int templateId = commandHeader.templateId();
        final int blockLength = commandHeader.blockLength();
        final int version = commandHeader.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (commandHeader.schemaId() != NewOrderDecoder.SCHEMA_ID || body + blockLength > offset + length)
        {
            malformed(templateId, RejectReason.MALFORMED_COMMAND);
            return;
        }
        final int minimum = minimumBlockLength(templateId);
        if (blockLength < minimum)
        {
            malformed(templateId, minimum == Integer.MAX_VALUE ? RejectReason.UNSUPPORTED_COMMAND : RejectReason.MALFORMED_COMMAND);
            return;
        }
        // Every command starts with timestamp, sessionId and msgSeqNum (the minimum block lengths cover them).
        final long timestamp = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
        final int sessionId = buffer.getInt(body + 8, ByteOrder.LITTLE_ENDIAN);
        final int msgSeqNum = buffer.getInt(body + 12, ByteOrder.LITTLE_ENDIAN);
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID:
                writer.begin(CommandType.NEW_ORDER, timestamp, sessionId, msgSeqNum);
                orders.onNewOrder(newOrder.wrap(buffer, body, blockLength, version));
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                writer.begin(CommandType.CANCEL_ORDER, timestamp, sessionId, msgSeqNum);
                orders.onCancel(cancelOrder.wrap(buffer, body, blockLength, version));
                break;
            case ReplaceOrderDecoder.TEMPLATE_ID:
                writer.begin(CommandType.REPLACE_ORDER, timestamp, sessionId, msgSeqNum);
                orders.onReplace(replaceOrder.wrap(buffer, body, blockLength, version));
                break;
            case MassCancelDecoder.TEMPLATE_ID:
                writer.begin(CommandType.MASS_CANCEL, timestamp, sessionId, msgSeqNum);
                orders.onMassCancel(massCancel.wrap(buffer, body, blockLength, version));
                break;
            case OrderStatusRequestDecoder.TEMPLATE_ID:
                writer.begin(CommandType.ORDER_STATUS, timestamp, sessionId, msgSeqNum);
                orders.onOrderStatus(orderStatus.wrap(buffer, body, blockLength, version));
                break;
            case AddInstrumentDecoder.TEMPLATE_ID:
                writer.begin(CommandType.ADD_INSTRUMENT, timestamp, sessionId, msgSeqNum);
                operator.onAddInstrument(addInstrument.wrap(buffer, body, blockLength, version));
                break;
            case SetTradingStatusDecoder.TEMPLATE_ID:
                writer.begin(CommandType.SET_TRADING_STATUS, timestamp, sessionId, msgSeqNum);
                phases.onSetTradingStatus(setTradingStatus.wrap(buffer, body, blockLength, version));
                break;
            case SetTradingPhaseDecoder.TEMPLATE_ID:
                writer.begin(CommandType.SET_TRADING_PHASE, timestamp, sessionId, msgSeqNum);
                phases.onSetTradingPhase(setTradingPhase.wrap(buffer, body, blockLength, version));
                break;
            case SetVolatilityGuardsDecoder.TEMPLATE_ID:
                writer.begin(CommandType.SET_VOLATILITY_GUARDS, timestamp, sessionId, msgSeqNum);
                phases.onSetVolatilityGuards(setVolatilityGuards.wrap(buffer, body, blockLength, version));
                break;
            case ExpireOrdersDecoder.TEMPLATE_ID:
                writer.begin(CommandType.EXPIRE_ORDERS, timestamp, sessionId, msgSeqNum);
                operator.onExpireOrders(expireOrders.wrap(buffer, body, blockLength, version));
                break;
            case SetReferencePriceDecoder.TEMPLATE_ID:
                writer.begin(CommandType.SET_REFERENCE_PRICE, timestamp, sessionId, msgSeqNum);
                operator.onSetReferencePrice(setReferencePrice.wrap(buffer, body, blockLength, version));
                break;
            case AmendInstrumentDecoder.TEMPLATE_ID:
                writer.begin(CommandType.AMEND_INSTRUMENT, timestamp, sessionId, msgSeqNum);
                operator.onAmendInstrument(amendInstrument.wrap(buffer, body, blockLength, version));
                break;
            case CreateAccountDecoder.TEMPLATE_ID:
                writer.begin(CommandType.CREATE_ACCOUNT, timestamp, sessionId, msgSeqNum);
                operator.onCreateAccount(createAccount.wrap(buffer, body, blockLength, version));
                break;
            case DepositDecoder.TEMPLATE_ID:
                writer.begin(CommandType.DEPOSIT, timestamp, sessionId, msgSeqNum);
                operator.onDeposit(deposit.wrap(buffer, body, blockLength, version));
                break;
            case WithdrawDecoder.TEMPLATE_ID:
                writer.begin(CommandType.WITHDRAW, timestamp, sessionId, msgSeqNum);
                operator.onWithdraw(withdraw.wrap(buffer, body, blockLength, version));
                break;
            case EndOfDayDecoder.TEMPLATE_ID:
                writer.begin(CommandType.END_OF_DAY, timestamp, sessionId, msgSeqNum);
                operator.onEndOfDay(endOfDay.wrap(buffer, body, blockLength, version));
                break;
            case AuditDecoder.TEMPLATE_ID:
                writer.begin(CommandType.AUDIT, timestamp, sessionId, msgSeqNum);
                operator.onAudit(audit.wrap(buffer, body, blockLength, version));
                break;
            case SetBlockDecoder.TEMPLATE_ID:
                writer.begin(CommandType.SET_BLOCK, timestamp, sessionId, msgSeqNum);
                operator.onSetBlock(setBlock.wrap(buffer, body, blockLength, version));
                break;
            default:
                malformed(templateId, RejectReason.UNSUPPORTED_COMMAND);
                break;
        }
    }

    /** The block length a template needs; {@link Integer#MAX_VALUE} for a template that is not a command. */
    static int minimumBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID: return NewOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID: return CancelOrderDecoder.BLOCK_LENGTH;
            case ReplaceOrderDecoder.TEMPLATE_ID: return ReplaceOrderDecoder.BLOCK_LENGTH;
            // version 4 and 5 commands end before upToOrderId
            case MassCancelDecoder.TEMPLATE_ID: return MassCancelDecoder.upToOrderIdEncodingOffset();
            case OrderStatusRequestDecoder.TEMPLATE_ID: return OrderStatusRequestDecoder.BLOCK_LENGTH;
            case AddInstrumentDecoder.TEMPLATE_ID: return AddInstrumentDecoder.BLOCK_LENGTH;
            case SetTradingStatusDecoder.TEMPLATE_ID: return SetTradingStatusDecoder.BLOCK_LENGTH;
            case SetReferencePriceDecoder.TEMPLATE_ID: return SetReferencePriceDecoder.BLOCK_LENGTH;
            case AmendInstrumentDecoder.TEMPLATE_ID: return AmendInstrumentDecoder.BLOCK_LENGTH;
            case CreateAccountDecoder.TEMPLATE_ID: return CreateAccountDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID: return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID: return WithdrawDecoder.BLOCK_LENGTH;
            case EndOfDayDecoder.TEMPLATE_ID: return EndOfDayDecoder.BLOCK_LENGTH;
            // version 3 commands end before instrumentId
            case AuditDecoder.TEMPLATE_ID: return AuditDecoder.instrumentIdEncodingOffset();
            case SetBlockDecoder.TEMPLATE_ID: return SetBlockDecoder.BLOCK_LENGTH;
            case SetTradingPhaseDecoder.TEMPLATE_ID: return SetTradingPhaseDecoder.BLOCK_LENGTH;
            case SetVolatilityGuardsDecoder.TEMPLATE_ID: return SetVolatilityGuardsDecoder.BLOCK_LENGTH;
            case ExpireOrdersDecoder.TEMPLATE_ID: return ExpireOrdersDecoder.BLOCK_LENGTH;
            default: return Integer.MAX_VALUE;
        }
    }

    private void malformed(final int templateId, final RejectReason reason)
    {
        writer.begin(CommandType.UNKNOWN, 0, 0, 0);
        writer.commandRejected(CommandType.UNKNOWN, reason, 0, 0, 0, templateId);
    }

    /**
     * After a journal failure nothing may change state, so each command gets an unjournaled
     * reject (sequence 0) with EXCHANGE_HALTED, built in the writer's buffer: a new order's echo,
     * a cancel or replace refusal, or a plain command reject.
     */
    void rejectWhileHalted(final DirectBuffer buffer, final int offset, final int length)
    {
        int templateId = 0;
        long timestamp = 0;
        int sessionId = 0;
        final int msgSeqNum = length >= MessageHeaderDecoder.ENCODED_LENGTH + 16 ?
            buffer.getInt(offset + MessageHeaderDecoder.ENCODED_LENGTH + 12, ByteOrder.LITTLE_ENDIAN) : 0;
        boolean whole = false;
        int blockLength = 0;
        int version = 0;
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH + 12)
        {
            commandHeader.wrap(buffer, offset);
            templateId = commandHeader.templateId();
            timestamp = buffer.getLong(body);
            sessionId = buffer.getInt(body + 8);
            blockLength = commandHeader.blockLength();
            version = commandHeader.version();
            whole = commandHeader.schemaId() == NewOrderDecoder.SCHEMA_ID &&
                blockLength >= minimumBlockLength(templateId) && body + blockLength <= offset + length;
        }
        if (whole && templateId == NewOrderDecoder.TEMPLATE_ID)
        {
            writer.beginUnjournaled(CommandType.NEW_ORDER, timestamp, sessionId, msgSeqNum);
            final NewOrderDecoder d = newOrder.wrap(buffer, body, blockLength, version);
            final int cl = body + NewOrderDecoder.clOrdIdEncodingOffset();
            writer.orderRejected(d.accountId(), d.instrumentId(), d.sessionId(), d.sideRaw(), d.ordTypeRaw(), d.timeInForceRaw(),
                RejectReason.EXCHANGE_HALTED, d.price(), d.quantity(),
                ClOrdIds.word0(buffer, cl), ClOrdIds.word1(buffer, cl), ClOrdIds.word2(buffer, cl));
        }
        else if (whole && (templateId == CancelOrderDecoder.TEMPLATE_ID || templateId == ReplaceOrderDecoder.TEMPLATE_ID))
        {
            final boolean isCancel = templateId == CancelOrderDecoder.TEMPLATE_ID;
            final CommandType type = isCancel ? CommandType.CANCEL_ORDER : CommandType.REPLACE_ORDER;
            final long accountId;
            final long orderId;
            final int clOffset;
            final int origOffset;
            if (isCancel)
            {
                final CancelOrderDecoder d = cancelOrder.wrap(buffer, body, blockLength, version);
                accountId = d.accountId();
                orderId = d.orderId();
                clOffset = body + CancelOrderDecoder.clOrdIdEncodingOffset();
                origOffset = body + CancelOrderDecoder.origClOrdIdEncodingOffset();
            }
            else
            {
                final ReplaceOrderDecoder d = replaceOrder.wrap(buffer, body, blockLength, version);
                accountId = d.accountId();
                orderId = d.orderId();
                clOffset = body + ReplaceOrderDecoder.clOrdIdEncodingOffset();
                origOffset = body + ReplaceOrderDecoder.origClOrdIdEncodingOffset();
            }
            writer.beginUnjournaled(type, timestamp, sessionId, msgSeqNum);
            writer.cancelRejected(accountId, sessionId, null, orderId, type, RejectReason.EXCHANGE_HALTED,
                ClOrdIds.word0(buffer, clOffset), ClOrdIds.word1(buffer, clOffset), ClOrdIds.word2(buffer, clOffset),
                ClOrdIds.word0(buffer, origOffset), ClOrdIds.word1(buffer, origOffset), ClOrdIds.word2(buffer, origOffset));
        }
        else
        {
            writer.beginUnjournaled(CommandType.UNKNOWN, timestamp, sessionId, msgSeqNum);
            writer.commandRejected(CommandType.UNKNOWN, RejectReason.EXCHANGE_HALTED, 0, 0, 0, templateId);
        }
        writer.endUnjournaled();
    }
}
