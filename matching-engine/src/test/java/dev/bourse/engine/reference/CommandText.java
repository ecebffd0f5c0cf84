package dev.bourse.engine.reference;

import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

/** Renders an encoded command as one readable line (for failure messages). */
public final class CommandText
{
    private CommandText()
    {
    }

    public static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "(" + length + " bytes: too short for a header)";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int blockLength = header.blockLength();
        final int templateId = header.templateId();
        final int version = header.version();
        final String prefix = "[templateId=" + templateId + " schemaId=" + header.schemaId() + " version=" + version +
            " blockLength=" + blockLength + " length=" + length + "] ";
        final int minimum = ReferenceExchange.minimumBlockLength(templateId);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || minimum < 0 || blockLength < minimum ||
            MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return prefix + "(undecodable)";
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final Object decoder;
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID: decoder = new NewOrderDecoder().wrap(buffer, body, blockLength, version); break;
            case CancelOrderDecoder.TEMPLATE_ID: decoder = new CancelOrderDecoder().wrap(buffer, body, blockLength, version); break;
            case ReplaceOrderDecoder.TEMPLATE_ID: decoder = new ReplaceOrderDecoder().wrap(buffer, body, blockLength, version); break;
            case MassCancelDecoder.TEMPLATE_ID: decoder = new MassCancelDecoder().wrap(buffer, body, blockLength, version); break;
            case OrderStatusRequestDecoder.TEMPLATE_ID:
                decoder = new OrderStatusRequestDecoder().wrap(buffer, body, blockLength, version);
                break;
            case AddInstrumentDecoder.TEMPLATE_ID: decoder = new AddInstrumentDecoder().wrap(buffer, body, blockLength, version); break;
            case SetTradingStatusDecoder.TEMPLATE_ID:
                decoder = new SetTradingStatusDecoder().wrap(buffer, body, blockLength, version);
                break;
            case SetReferencePriceDecoder.TEMPLATE_ID:
                decoder = new SetReferencePriceDecoder().wrap(buffer, body, blockLength, version);
                break;
            case AmendInstrumentDecoder.TEMPLATE_ID:
                decoder = new AmendInstrumentDecoder().wrap(buffer, body, blockLength, version);
                break;
            case CreateAccountDecoder.TEMPLATE_ID: decoder = new CreateAccountDecoder().wrap(buffer, body, blockLength, version); break;
            case DepositDecoder.TEMPLATE_ID: decoder = new DepositDecoder().wrap(buffer, body, blockLength, version); break;
            case WithdrawDecoder.TEMPLATE_ID: decoder = new WithdrawDecoder().wrap(buffer, body, blockLength, version); break;
            case EndOfDayDecoder.TEMPLATE_ID: decoder = new EndOfDayDecoder().wrap(buffer, body, blockLength, version); break;
            case SetTradingPhaseDecoder.TEMPLATE_ID:
                decoder = new SetTradingPhaseDecoder().wrap(buffer, body, blockLength, version);
                break;
            case SetVolatilityGuardsDecoder.TEMPLATE_ID:
                decoder = new SetVolatilityGuardsDecoder().wrap(buffer, body, blockLength, version);
                break;
            case ExpireOrdersDecoder.TEMPLATE_ID: decoder = new ExpireOrdersDecoder().wrap(buffer, body, blockLength, version); break;
            default: decoder = new AuditDecoder().wrap(buffer, body, blockLength, version); break;
        }
        return prefix + decoder;
    }
}
