package dev.bourse.gateway.fix;

import org.agrona.DirectBuffer;

/**
 * The MsgType values FIX 4.4 defines (Volume 1, the message index), so the session layer can tell
 * an invalid MsgType (a session Reject, SessionRejectReason 11) from a valid one this exchange does
 * not support (a BusinessMessageReject, BusinessRejectReason 3). Values starting with U are the
 * user-defined range, valid by definition.
 */
public final class FixMsgTypes
{
    /** One-character types: digits 0-9, A-H, J-N, P-T, V-Z (not I, O, U) and a-z. */
    private static final String SINGLE = "0123456789ABCDEFGHJKLMNPQRSTVWXYZabcdefghijklmnopqrstuvwxyz";

    private FixMsgTypes()
    {
    }

    public static boolean isFix44(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > 2 || offset < 0)
        {
            return length > 2 && offset >= 0 && buffer.getByte(offset) == 'U';
        }
        final byte first = buffer.getByte(offset);
        if (first == 'U')
        {
            return true;
        }
        if (length == 1)
        {
            return SINGLE.indexOf(first) >= 0;
        }
        final byte second = buffer.getByte(offset + 1);
        // two-character types: AA to AZ and BA to BH
        return (first == 'A' && second >= 'A' && second <= 'Z') || (first == 'B' && second >= 'A' && second <= 'H');
    }
}
