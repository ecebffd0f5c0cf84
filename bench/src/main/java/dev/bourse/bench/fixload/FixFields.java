package dev.bourse.bench.fixload;

/**
 * Tag=value fields of one FIX message in a reusable byte array, each ended by SOH: what the load
 * generator's sessions put after their header, and the header itself. Numbers and fixed-point prices
 * are written as digits in place, so building a message makes no garbage. One thread at a time.
 */
final class FixFields
{
    final byte[] bytes = new byte[1024];
    int length;

    FixFields reset()
    {
        length = 0;
        return this;
    }

    private FixFields tag(final int tag)
    {
        putNumber(tag);
        bytes[length++] = '=';
        return this;
    }

    void putNumber(final long value)
    {
        if (value == 0)
        {
            bytes[length++] = '0';
            return;
        }
        long v = value;
        final int start = length;
        while (v > 0)
        {
            bytes[length++] = (byte)('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = length - 1; i < j; i++, j--)
        {
            final byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }

    FixFields field(final int tag, final long value)
    {
        tag(tag).putNumber(value);
        bytes[length++] = 1;
        return this;
    }

    FixFields field(final int tag, final char prefix, final long value)
    {
        tag(tag);
        bytes[length++] = (byte)prefix;
        putNumber(value);
        bytes[length++] = 1;
        return this;
    }

    FixFields field(final int tag, final char value)
    {
        tag(tag);
        bytes[length++] = (byte)value;
        bytes[length++] = 1;
        return this;
    }

    FixFields field(final int tag, final String value)
    {
        tag(tag);
        for (int i = 0; i < value.length(); i++)
        {
            bytes[length++] = (byte)value.charAt(i);
        }
        bytes[length++] = 1;
        return this;
    }

    FixFields field(final int tag, final byte[] value)
    {
        tag(tag);
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
        bytes[length++] = 1;
        return this;
    }

    /** A fixed-point price (4 decimals) as a decimal. */
    FixFields price(final int tag, final long scaled)
    {
        tag(tag);
        putNumber(scaled / 10_000);
        bytes[length++] = '.';
        final long frac = scaled % 10_000;
        bytes[length++] = (byte)('0' + frac / 1000);
        bytes[length++] = (byte)('0' + frac / 100 % 10);
        bytes[length++] = (byte)('0' + frac / 10 % 10);
        bytes[length++] = (byte)('0' + frac % 10);
        bytes[length++] = 1;
        return this;
    }
}
