package dev.bourse.gateway.fix;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** UTCTimestamp ({@code YYYYMMDD-HH:MM:SS.sss}) formatting and parsing without allocation. */
public final class FixTime
{
    public static final int LENGTH = 21;
    public static final long INVALID = Long.MIN_VALUE;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private FixTime()
    {
    }

    /** Writes the 21-byte timestamp for {@code epochMillis}. */
    public static void put(final MutableDirectBuffer buffer, final int offset, final long epochMillis)
    {
        final long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        final long millisOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // civil-from-days (proleptic Gregorian)
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final long day = doy - (153 * mp + 2) / 5 + 1;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        digits(buffer, offset, year, 4);
        digits(buffer, offset + 4, month, 2);
        digits(buffer, offset + 6, day, 2);
        buffer.putByte(offset + 8, (byte)'-');
        digits(buffer, offset + 9, millisOfDay / 3_600_000, 2);
        buffer.putByte(offset + 11, (byte)':');
        digits(buffer, offset + 12, (millisOfDay / 60_000) % 60, 2);
        buffer.putByte(offset + 14, (byte)':');
        digits(buffer, offset + 15, (millisOfDay / 1000) % 60, 2);
        buffer.putByte(offset + 17, (byte)'.');
        digits(buffer, offset + 18, millisOfDay % 1000, 3);
    }

    /**
     * Parses {@code YYYYMMDD-HH:MM:SS} with optional fraction (.sss, .ssssss, .sssssssss).
     *
     * @return epoch millis or {@link #INVALID}.
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != 17 && length != 21 && length != 24 && length != 27)
        {
            return INVALID;
        }
        final long year = number(buffer, offset, 4);
        final long month = number(buffer, offset + 4, 2);
        final long day = number(buffer, offset + 6, 2);
        final long hour = number(buffer, offset + 9, 2);
        final long minute = number(buffer, offset + 12, 2);
        final long second = number(buffer, offset + 15, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 ||
            minute < 0 || minute > 59 || second < 0 || second > 60 ||
            buffer.getByte(offset + 8) != '-' || buffer.getByte(offset + 11) != ':' || buffer.getByte(offset + 14) != ':')
        {
            return INVALID;
        }
        long millis = 0;
        if (length > 17)
        {
            if (buffer.getByte(offset + 17) != '.')
            {
                return INVALID;
            }
            final long fraction = number(buffer, offset + 18, length - 18);
            if (fraction < 0)
            {
                return INVALID;
            }
            millis = length == 21 ? fraction : length == 24 ? fraction / 1000 : fraction / 1_000_000;
        }
        return epochDay(year, month, day) * MILLIS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    }

    /**
     * Parses a LocalMktDate {@code YYYYMMDD} (ExpireDate, TradeDate).
     *
     * @return days since 1970-01-01, or {@link #INVALID}.
     */
    public static long parseDate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != 8)
        {
            return INVALID;
        }
        final long year = number(buffer, offset, 4);
        final long month = number(buffer, offset + 4, 2);
        final long day = number(buffer, offset + 6, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        {
            return INVALID;
        }
        return epochDay(year, month, day);
    }

    /**
     * The days of {@code month} (1-12) in {@code year}: a date past them (February 30th) is refused,
     * where it was rolled into the next month (an outside probe's 20270230 became March 2nd).
     */
    private static long daysInMonth(final long year, final long month)
    {
        if (month == 2)
        {
            final boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** Days from the civil date to 1970-01-01 (proleptic Gregorian), without allocating. */
    private static long epochDay(final long year, final long month, final long day)
    {
        final long y = month <= 2 ? year - 1 : year;
        final long era = Math.floorDiv(y, 400);
        final long yoe = y - era * 400;
        final long mp = month > 2 ? month - 3 : month + 9;
        final long doy = (153 * mp + 2) / 5 + day - 1;
        final long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static long number(final DirectBuffer buffer, final int offset, final int length)
    {
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9')
            {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static void digits(final MutableDirectBuffer buffer, final int offset, final long value, final int width)
    {
        long v = value;
        for (int i = width - 1; i >= 0; i--)
        {
            buffer.putByte(offset + i, (byte)('0' + v % 10));
            v /= 10;
        }
    }
}
