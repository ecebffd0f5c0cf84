package dev.bourse.gateway.fix;

import org.agrona.DirectBuffer;

/**
 * Finds whole FIX 4.4 messages in a stream of bytes: checks the {@code 8=FIX.4.4|9=n|} prefix,
 * the BodyLength and the {@code 10=nnn|} trailer with its checksum. Stateless and allocation free.
 */
public final class FixFramer
{
    /** Not enough bytes yet for a whole message. */
    public static final int NEED_MORE = 0;
    /** The bytes at the start are not a message start: skip to the next {@code 8=FIX}. */
    public static final int GARBLED = -1;
    /** BodyLength announces a message bigger than the limit. */
    public static final int TOO_BIG = -2;
    /** A whole frame whose checksum is wrong: skip {@link #lastFrameLength()} bytes. */
    public static final int BAD_CHECKSUM = -3;
    /** A message of another FIX version ({@code 8=FIX.4.2|}, {@code 8=FIXT.1.1|}): FIX answers a Logout and disconnects. */
    public static final int WRONG_BEGIN_STRING = -4;

    /**
     * The BodyLength is above the size limit and no trailer has arrived within the limit yet: one
     * that does shows a wrong BodyLength ({@link #GARBLED}); the limit's worth of bytes without one
     * is {@link #TOO_BIG}. The caller waits on a logged-on session and may refuse it before a Logon.
     */
    public static final int LENGTH_OVER_LIMIT = -5;
    static final byte SOH = 1;
    private static final byte[] BEGIN = "8=FIX.4.4\u00019=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int TRAILER_LENGTH = 7;
    /** {@code 8=FIX} matched: what differs after it is the version. */
    private static final int VERSION_START = 5;
    /** Where {@code 8=FIX.4.4}'s SOH is: a difference after it is not the version's. */
    private static final int VERSION_END = 9;
    private static final int MAX_BEGIN_STRING = 16;

    private final int maxMessageSize;
    private int lastFrameLength;

    public FixFramer(final int maxMessageSize)
    {
        this.maxMessageSize = maxMessageSize;
    }

    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /** Length of the frame last refused for its checksum. */
    public int lastFrameLength()
    {
        return lastFrameLength;
    }

    /**
     * @return the length of the whole message at {@code offset}, or {@link #NEED_MORE},
     *         {@link #GARBLED}, {@link #TOO_BIG}, {@link #LENGTH_OVER_LIMIT} or {@link #BAD_CHECKSUM}.
     */
    public int frame(final DirectBuffer buffer, final int offset, final int available)
    {
        final int prefix = Math.min(available, BEGIN.length);
        for (int i = 0; i < prefix; i++)
        {
            if (buffer.getByte(offset + i) != BEGIN[i])
            {
                return i >= VERSION_START && i <= VERSION_END ? otherVersion(buffer, offset, available) : GARBLED;
            }
        }
        if (available <= BEGIN.length)
        {
            return NEED_MORE;
        }
        int bodyLength = 0;
        int i = BEGIN.length;
        for (; ; i++)
        {
            if (i >= available)
            {
                return NEED_MORE;
            }
            final byte b = buffer.getByte(offset + i);
            if (b == SOH)
            {
                break;
            }
            if (b < '0' || b > '9' || i - BEGIN.length >= 8)
            {
                return GARBLED;
            }
            bodyLength = bodyLength * 10 + (b - '0'); // at most 8 digits: no overflow
        }
        if (i == BEGIN.length)
        {
            return GARBLED;
        }
        final int headerLength = i + 1;
        final int total = headerLength + bodyLength + TRAILER_LENGTH;
        if (total > maxMessageSize)
        {
            // Too big only if no trailer ends it within the limit: a short message whose BodyLength is
            // wrong by a digit (9=6500 for 65 bytes) is garbled like any wrong BodyLength, dropped and
            // asked for again, not a reason to end the session (a probe's; FIX's garbled-message rule).
            final int window = Math.min(available, maxMessageSize);
            if (endsBefore(buffer, offset + headerLength - 1, offset + window))
            {
                return GARBLED;
            }
            return available >= maxMessageSize ? TOO_BIG : LENGTH_OVER_LIMIT;
        }
        if (available < total)
        {
            // a trailer already here ended the message sooner than its BodyLength says: garbled, and the
            // caller reads on at the next message; waiting for the bytes declared took the following
            // messages as its body and stalled the session (a probe: a Heartbeat swallowed, then logged out)
            return endsBefore(buffer, offset + headerLength - 1, offset + available) ? GARBLED : NEED_MORE;
        }
        final int trailer = offset + total - TRAILER_LENGTH;
        if (buffer.getByte(trailer - 1) != SOH ||
            buffer.getByte(trailer) != '1' || buffer.getByte(trailer + 1) != '0' || buffer.getByte(trailer + 2) != '=' ||
            buffer.getByte(trailer + 6) != SOH)
        {
            return GARBLED;
        }
        int expected = 0;
        for (int k = 0; k < 3; k++)
        {
            final byte b = buffer.getByte(trailer + 3 + k);
            if (b < '0' || b > '9')
            {
                return GARBLED;
            }
            expected = expected * 10 + (b - '0');
        }
        if (checksum(buffer, offset, total - TRAILER_LENGTH) != expected)
        {
            lastFrameLength = total;
            return BAD_CHECKSUM;
        }
        return total;
    }

    /**
     * Whether a whole trailer, {@code |10=nnn|}, lies between {@code from} (an SOH) and {@code end}.
     * CheckSum is a message's last field, so nothing valid has one inside its body.
     */
    private static boolean endsBefore(final DirectBuffer buffer, final int from, final int end)
    {
        for (int i = from; i + TRAILER_LENGTH < end; i++)
        {
            if (buffer.getByte(i) == SOH && buffer.getByte(i + 1) == '1' && buffer.getByte(i + 2) == '0' &&
                buffer.getByte(i + 3) == '=' && isDigit(buffer.getByte(i + 4)) && isDigit(buffer.getByte(i + 5)) &&
                isDigit(buffer.getByte(i + 6)) && buffer.getByte(i + 7) == SOH)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    /** Where the next possible message start ({@code 8=FIX}) is after {@code offset}, or -1. */
    public static int nextStart(final DirectBuffer buffer, final int offset, final int end)
    {
        for (int i = offset; i + 5 <= end; i++)
        {
            if (buffer.getByte(i) == '8' && buffer.getByte(i + 1) == '=' && buffer.getByte(i + 2) == 'F' &&
                buffer.getByte(i + 3) == 'I' && buffer.getByte(i + 4) == 'X')
            {
                return i;
            }
        }
        // keep a possible partial start at the end: only a tail that begins "8=FIX", not any '8'
        // (a checksum such as 10=128 then framed as garbage twice: a flaky CI run counted 2 for 1)
        for (int i = Math.max(offset, end - 4); i < end; i++)
        {
            if (isStartPrefix(buffer, i, end))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean isStartPrefix(final DirectBuffer buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            if (buffer.getByte(i) != BEGIN[i - from])
            {
                return false;
            }
        }
        return true;
    }

    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        // Eight bytes at a time: each long's bytes are added pairwise into four 16-bit lanes, which
        // hold 128 longs' worth (128 * 2 * 255 < 65,536) before they are folded into the sum.
        // Every message in and out is summed, and this is several times faster than byte by byte.
        int sum = 0;
        int i = 0;
        while (length - i >= 8)
        {
            final int longs = Math.min((length - i) >>> 3, 128);
            long lanes = 0;
            for (int k = 0; k < longs; k++, i += 8)
            {
                final long v = buffer.getLong(offset + i);
                lanes += (v & 0x00FF00FF00FF00FFL) + ((v >>> 8) & 0x00FF00FF00FF00FFL);
            }
            sum += (int)((lanes & 0xFFFF) + ((lanes >>> 16) & 0xFFFF) + ((lanes >>> 32) & 0xFFFF) + (lanes >>> 48));
        }
        for (; i < length; i++)
        {
            sum += buffer.getByte(offset + i);
        }
        return sum & 0xFF;
    }

    /**
     * After {@code 8=FIX} and another version: {@link #WRONG_BEGIN_STRING} once the field's SOH is
     * there, {@link #NEED_MORE} until it could be, {@link #GARBLED} if it is no BeginString at all.
     */
    private static int otherVersion(final DirectBuffer buffer, final int offset, final int available)
    {
        final int end = Math.min(available, MAX_BEGIN_STRING);
        for (int i = VERSION_START; i < end; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b == SOH)
            {
                return WRONG_BEGIN_STRING;
            }
            if (b == '=' || b < ' ' || b > '~')
            {
                return GARBLED;
            }
        }
        return available < MAX_BEGIN_STRING ? NEED_MORE : GARBLED;
    }
}
