package dev.bourse.cluster.node;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Durations as operators write them: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 250us}. */
public final class Durations
{
    private Durations()
    {
    }

    public static long parseNanos(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.'))
        {
            split++;
        }
        if (split == 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 2s, 5m)");
        }
        final double amount = Double.parseDouble(t.substring(0, split));
        final String unit = t.substring(split).trim();
        if (unit.isEmpty())
        {
            throw new IllegalArgumentException("'" + text + "' needs a unit (e.g. 500ms, 2s, 5m)");
        }
        final long nanosPerUnit;
        switch (unit)
        {
            case "ns":
                nanosPerUnit = 1;
                break;
            case "us":
            case "µs":
                nanosPerUnit = TimeUnit.MICROSECONDS.toNanos(1);
                break;
            case "ms":
                nanosPerUnit = TimeUnit.MILLISECONDS.toNanos(1);
                break;
            case "s":
                nanosPerUnit = TimeUnit.SECONDS.toNanos(1);
                break;
            case "m":
            case "min":
                nanosPerUnit = TimeUnit.MINUTES.toNanos(1);
                break;
            case "h":
                nanosPerUnit = TimeUnit.HOURS.toNanos(1);
                break;
            default:
                throw new IllegalArgumentException("'" + text + "': unknown unit '" + unit + "' (ns, us, ms, s, m, h)");
        }
        return Math.round(amount * nanosPerUnit);
    }

    /** Sizes: {@code 4m}, {@code 256k}, {@code 1g}, or bytes. */
    public static int parseSize(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        final long multiplier = last == 'k' ? 1024 : last == 'm' ? 1024 * 1024 : last == 'g' ? 1024L * 1024 * 1024 : 1;
        try
        {
            final long value = Long.parseLong(multiplier == 1 ? t : t.substring(0, t.length() - 1)) * multiplier;
            if (value > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("'" + text + "' is too large");
            }
            return (int)value;
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 4m, 256k)");
        }
    }
}
