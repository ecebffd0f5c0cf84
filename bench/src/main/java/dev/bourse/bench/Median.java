package dev.bourse.bench;

import java.util.Arrays;

/**
 * The median the bench reports: the middle value, or for an even count the mean of the two middle
 * ones. Taking {@code sorted[n / 2]} instead reported the better of two runs as their median.
 */
public final class Median
{
    private Median()
    {
    }

    /** Of whole numbers: for an even count the mean of the two middle values, rounded half up. */
    public static long of(final long[] values)
    {
        final long[] sorted = values.clone();
        if (sorted.length == 0)
        {
            throw new IllegalArgumentException("no values");
        }
        Arrays.sort(sorted);
        final int n = sorted.length;
        final long low = sorted[(n - 1) / 2];
        final long high = sorted[n / 2];
        return low + (high - low + 1) / 2; // low <= high: no overflow, and x.5 goes up
    }

    /** Of measurements: for an even count the mean of the two middle values. */
    public static double of(final double[] values)
    {
        final double[] sorted = values.clone();
        if (sorted.length == 0)
        {
            throw new IllegalArgumentException("no values");
        }
        Arrays.sort(sorted);
        final int n = sorted.length;
        return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
    }
}
