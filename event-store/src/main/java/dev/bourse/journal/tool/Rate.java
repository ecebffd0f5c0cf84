package dev.bourse.journal.tool;

import java.math.BigInteger;

/**
 * Counts over a time span as journal stats prints them, to one decimal in integer arithmetic: per
 * second, or per minute or hour when that would print 0.
 */
final class Rate
{
    private static final BigInteger TEN = BigInteger.TEN;
    private static final long[] UNIT_NANOS = {1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
    private static final String[] UNIT_NAMES = {"/s", "/min", "/h"};

    private Rate()
    {
    }

    /** {@code count} over {@code spanNanos} (more than 0), e.g. "12.6 entries/min". */
    static String of(final long count, final long spanNanos, final String what)
    {
        BigInteger tenths = BigInteger.ZERO;
        int unit = 0;
        for (; unit < UNIT_NANOS.length; unit++)
        {
            // count x unit / span, in tenths; BigInteger because count x 10 x an hour in nanos overflows a long
            tenths = BigInteger.valueOf(count).multiply(TEN).multiply(BigInteger.valueOf(UNIT_NANOS[unit]))
                .divide(BigInteger.valueOf(spanNanos));
            if (tenths.compareTo(TEN) >= 0 || count == 0)
            {
                break;
            }
        }
        unit = Math.min(unit, UNIT_NANOS.length - 1);
        return tenths(tenths) + " " + what + UNIT_NAMES[unit];
    }

    /** {@code numerator / denominator} to one decimal, e.g. "1,234.5". */
    static String ratio(final long numerator, final long denominator)
    {
        return tenths(BigInteger.valueOf(numerator).multiply(TEN).divide(BigInteger.valueOf(denominator)));
    }

    /** A span in seconds with milliseconds, e.g. "651.027". */
    static String seconds(final long nanos)
    {
        final long millis = nanos / 1_000_000;
        return String.format("%,d.%03d", millis / 1000, millis % 1000);
    }

    private static String tenths(final BigInteger tenths)
    {
        final BigInteger[] parts = tenths.divideAndRemainder(TEN);
        return String.format("%,d.%d", parts[0], parts[1].intValue());
    }
}
