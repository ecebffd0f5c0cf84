package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Candles of one instrument and interval, ordered by start time. Trades normally arrive in time
 * order, so the last candle is the one updated; a trade stamped earlier (timestamps come from
 * several gateway threads) goes into its own interval by binary search.
 */
public final class CandleSeries
{
    public static final long SECOND = 1_000_000_000L;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;

    private final long intervalNanos;
    private final ArrayList<Candle> candles = new ArrayList<>();

    CandleSeries(final long intervalNanos)
    {
        this.intervalNanos = intervalNanos;
    }

    public long intervalNanos()
    {
        return intervalNanos;
    }

    void add(final long timestamp, final long price, final long quantity)
    {
        final long start = Math.floorDiv(timestamp, intervalNanos) * intervalNanos;
        final int size = candles.size();
        if (size > 0)
        {
            final Candle last = candles.get(size - 1);
            if (last.start == start)
            {
                last.add(price, quantity);
                return;
            }
            if (start < last.start)
            {
                final int index = indexOf(start);
                if (index >= 0)
                {
                    candles.get(index).add(price, quantity);
                }
                else
                {
                    final Candle candle = new Candle(start);
                    candle.add(price, quantity);
                    candles.add(-index - 1, candle);
                }
                return;
            }
        }
        final Candle candle = new Candle(start);
        candle.add(price, quantity);
        candles.add(candle);
    }

    /** Binary search by start: the index, or -(insertion point) - 1. */
    int indexOf(final long start)
    {
        int low = 0;
        int high = candles.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midStart = candles.get(mid).start;
            if (midStart < start)
            {
                low = mid + 1;
            }
            else if (midStart > start)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** The candle starting at {@code start}, or null. */
    public Candle at(final long start)
    {
        final int index = indexOf(start);
        return index >= 0 ? candles.get(index) : null;
    }

    public Candle last()
    {
        return candles.isEmpty() ? null : candles.get(candles.size() - 1);
    }

    public List<Candle> candles()
    {
        return candles;
    }

    /** Index of the first candle starting at or after {@code from}. */
    int firstAtOrAfter(final long from)
    {
        final int index = indexOf(from);
        return index >= 0 ? index : -index - 1;
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(candles.size());
        for (final Candle candle : candles)
        {
            candle.write(out);
        }
    }

    void read(final DataInput in) throws IOException
    {
        candles.clear();
        final int count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            candles.add(Candle.read(in));
        }
    }
}
