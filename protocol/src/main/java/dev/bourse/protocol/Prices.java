package dev.bourse.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Fixed-point prices: a price is a long counting 1/{@value #SCALE} of the quote currency. Cash
 * amounts are price units times quantity units. Nothing in the engine, the journal or risk uses
 * floating point; these helpers convert at the edges (FIX text, configuration, display).
 */
public final class Prices
{
    /** Number of decimal places a price carries. */
    public static final int DECIMALS = 4;
    /** Price units per currency unit. */
    public static final long SCALE = 10_000L;
    /** Returned by the parsers when the text is not a valid price. */
    public static final long INVALID = Long.MIN_VALUE;

    /** The largest whole part a price can have (its units as a long, with 4 decimals). */
    public static final long MAX_WHOLE = Long.MAX_VALUE / SCALE;

    private Prices()
    {
    }

    /**
     * Parses a decimal such as {@code 101.25}, {@code -3} or {@code 0.0001}. More than
     * {@value #DECIMALS} decimals are accepted only if the extra digits are zeros.
     *
     * @return the price in units of 1/SCALE, or {@link #INVALID}.
     */
    public static long parse(final CharSequence text)
    {
        if (text == null)
        {
            return INVALID;
        }
        final int length = text.length();
        long whole = 0;
        long fraction = 0;
        int fractionDigits = 0;
        boolean seenDigit = false;
        boolean seenPoint = false;
        boolean negative = false;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (i == 0 && (c == '-' || c == '+'))
            {
                negative = c == '-';
                continue;
            }
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            if (c < '0' || c > '9')
            {
                return INVALID;
            }
            seenDigit = true;
            final int digit = c - '0';
            if (!seenPoint)
            {
                if (whole > (MAX_WHOLE - digit) / 10)
                {
                    return INVALID;
                }
                whole = whole * 10 + digit;
            }
            else if (fractionDigits < DECIMALS)
            {
                fraction = fraction * 10 + digit;
                fractionDigits++;
            }
            else if (digit != 0)
            {
                return INVALID;
            }
        }
        if (!seenDigit)
        {
            return INVALID;
        }
        for (int i = fractionDigits; i < DECIMALS; i++)
        {
            fraction *= 10;
        }
        final long value = whole * SCALE + fraction;
        return negative ? -value : value;
    }

    /**
     * Parses ASCII bytes in a buffer without allocating; see {@link #parse(CharSequence)}. This is
     * FIX's float format, whose only sign character is '-': a leading '+' is invalid here (it is
     * accepted in configuration and the admin API, which read text).
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return INVALID;
        }
        long whole = 0;
        long fraction = 0;
        int fractionDigits = 0;
        boolean seenDigit = false;
        boolean seenPoint = false;
        boolean negative = false;
        for (int i = 0; i < length; i++)
        {
            final byte c = buffer.getByte(offset + i);
            if (i == 0 && c == '-')
            {
                negative = true;
                continue;
            }
            if (c == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            if (c < '0' || c > '9')
            {
                return INVALID;
            }
            seenDigit = true;
            final int digit = c - '0';
            if (!seenPoint)
            {
                if (whole > (MAX_WHOLE - digit) / 10)
                {
                    return INVALID;
                }
                whole = whole * 10 + digit;
            }
            else if (fractionDigits < DECIMALS)
            {
                fraction = fraction * 10 + digit;
                fractionDigits++;
            }
            else if (digit != 0)
            {
                return INVALID;
            }
        }
        if (!seenDigit)
        {
            return INVALID;
        }
        for (int i = fractionDigits; i < DECIMALS; i++)
        {
            fraction *= 10;
        }
        final long value = whole * SCALE + fraction;
        return negative ? -value : value;
    }

    /** Formats with trailing zeros trimmed: 1012500 becomes {@code 101.25}. */
    public static String toString(final long price)
    {
        final StringBuilder sb = new StringBuilder(24);
        append(sb, price);
        return sb.toString();
    }

    /** Appends the decimal form of a price to a StringBuilder (no trailing zeros). */
    public static StringBuilder append(final StringBuilder sb, final long price)
    {
        long value = price;
        if (value < 0)
        {
            sb.append('-');
            if (value == Long.MIN_VALUE)
            {
                return sb.append("922337203685477.5808");
            }
            value = -value;
        }
        sb.append(value / SCALE);
        long fraction = value % SCALE;
        if (fraction != 0)
        {
            sb.append('.');
            long divisor = SCALE / 10;
            while (fraction != 0)
            {
                sb.append((char)('0' + fraction / divisor));
                fraction %= divisor;
                divisor /= 10;
            }
        }
        return sb;
    }

    /**
     * Writes the decimal form of a price as ASCII into a buffer without allocating.
     *
     * @return the number of bytes written.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final long price)
    {
        int position = offset;
        long value = price;
        if (value < 0)
        {
            buffer.putByte(position++, (byte)'-');
            value = value == Long.MIN_VALUE ? Long.MAX_VALUE : -value;
        }
        position += buffer.putLongAscii(position, value / SCALE);
        long fraction = value % SCALE;
        if (fraction != 0)
        {
            buffer.putByte(position++, (byte)'.');
            long divisor = SCALE / 10;
            while (fraction != 0)
            {
                buffer.putByte(position++, (byte)('0' + fraction / divisor));
                fraction %= divisor;
                divisor /= 10;
            }
        }
        return position - offset;
    }

    /**
     * A notional over a quantity to the nearest price unit, half up: FIX AvgPx(6) and the query side's
     * avgPx and vwap carry four places, and every door rounds the same way. 0 for no quantity.
     */
    public static long average(final long notional, final long quantity)
    {
        if (quantity <= 0)
        {
            return 0;
        }
        final long quotient = notional / quantity;
        final long remainder = notional % quantity;
        return remainder >= quantity - remainder ? quotient + 1 : quotient;
    }

    /**
     * Multiplies two non-negative longs, returning -1 instead of overflowing. Used wherever a
     * price meets a quantity (notional, holds, settlement).
     */
    public static long multiplyOrOverflow(final long a, final long b)
    {
        if (a < 0 || b < 0)
        {
            return -1;
        }
        final long high = Math.multiplyHigh(a, b);
        final long low = a * b;
        if (high != 0 || low < 0)
        {
            return -1;
        }
        return low;
    }
}
