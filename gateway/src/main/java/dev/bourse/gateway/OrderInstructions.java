package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixMessage;

import static dev.bourse.gateway.fix.FixTags.EXEC_INST;
import static dev.bourse.gateway.fix.FixTags.MIN_QTY;

/**
 * Instructions on an order that the engine does not carry out. ExecInst (18) is a list of
 * instructions and MinQty (110) a fill condition; the engine knows only post-only (ExecInst 6).
 * An order asking for another (all-or-none, G; a minimum quantity) was acknowledged and then
 * partly filled, exactly what the instruction forbids (an outside probe): such an order is refused,
 * as an unsupported OrdType or TimeInForce is, so the client knows it was not honoured.
 */
final class OrderInstructions
{
    private OrderInstructions()
    {
    }

    /** Why the message's instructions cannot be honoured (the refusal's text), or null if they can. */
    static String unsupported(final FixMessage m)
    {
        final int offset = m.valueOffset(EXEC_INST);
        if (offset >= 0)
        {
            final int length = m.valueLength(EXEC_INST);
            for (int i = 0; i < length; i++)
            {
                final byte c = m.buffer().getByte(offset + i);
                if (c != '6' && c != ' ') // a MultipleCharValue: instructions separated by spaces
                {
                    return "ExecInst(18) " + (char)c + " is not supported: only 6 (participate don't initiate: post-only)";
                }
            }
        }
        if (m.has(MIN_QTY) && m.getWholeQuantity(MIN_QTY) != 0)
        {
            return "MinQty(110) is not supported: send the order without it (or with 0)";
        }
        return null;
    }
}
